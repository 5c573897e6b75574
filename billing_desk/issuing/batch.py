"""Issuing every approved case of a case file in one run (``billing-desk issue-batch``
and the app's batch dialog).

The cases selected are those approved when the run starts. Their documents are
rendered and read back on worker processes (:func:`billing_desk.documents.prepare_batch`)
and each case's issue is stored as its result arrives, through the same store
transaction as a single issue; to spare a disk sync per case, the cases that arrive
together (up to ``cases_per_commit``, at most ``MAX_GROUP_SECONDS`` apart) are committed
together, each still its own part with its own audit entry, whole or not at all. Every
selected case ends in exactly one of: issued (new, or found issued already), refused
with its reason, or not attempted (the run was cancelled: it is still approved and is
picked up by the next run). The report reconciles the three against the selection.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from ..documents import (BatchInterrupted, DocumentError, DocumentInput, Prepared, Refused,
                         document_settings, prepare_batch)
from ..domain.history import HistoryHead
from ..domain.problems import CaseInvalid
from ..domain.workflow import CaseStatus, TransitionRefused
from ..store import CaseFile, CaseQuery, CaseRecord, CaseSummary, Issue, SortKey, StoreError
from .errors import NotApproved
from .inputs import checked_case, document_input, settings_values
from .manifest import CaseRef, Manifest
from .service import issue_request, issued_documents
from .signoffs import signoffs_for

#: Cases committed together at most (one disk sync for all of them); see bench/documents.py.
CASES_PER_COMMIT = 16
#: A case waits at most this long for others to share its commit.
MAX_GROUP_SECONDS = 0.5

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Refusal:
    case: CaseRef
    reason: str


@dataclass
class BatchReport:
    """How a batch ended: it adds up when every selected case is issued, refused or
    not attempted, and nothing else."""

    selected: int = 0
    issued_cases: int = 0
    new_cases: int = 0  # issued by this run (the others were found issued already)
    documents: int = 0
    refused: list[Refusal] = field(default_factory=list)
    not_attempted: list[CaseRef] = field(default_factory=list)
    stopped: str | None = None  # why the run stopped before the end (cancel, a worker died)
    #: the case file's history head when the run ended, after its last issue (the
    #: manifest carries it: a history rewritten later disagrees with it)
    history_head: HistoryHead | None = None

    @property
    def accounted(self) -> int:
        return self.issued_cases + len(self.refused) + len(self.not_attempted)

    @property
    def adds_up(self) -> bool:
        return self.accounted == self.selected

    def reconciliation(self) -> str:
        """``30,000 cases selected = documents issued for 29,990 cases (62,280 documents)
        + refused 10 + not attempted 0: adds up``."""
        earlier = self.issued_cases - self.new_cases
        found = f"; {earlier:,} of them issued before this run" if earlier else ""
        line = (f"{self.selected:,} cases selected = documents issued for "
                f"{self.issued_cases:,} cases ({self.documents:,} documents{found}) + refused "
                f"{len(self.refused):,} + not attempted {len(self.not_attempted):,}")
        if self.adds_up:
            return f"{line}: adds up"
        return f"{line}: DOES NOT ADD UP ({self.selected - self.accounted:+,} unaccounted)"


def selected_cases(cf: CaseFile, incident: int | None = None) -> list[CaseSummary]:
    """The cases a batch run issues: every approved case, oldest first (of incident
    ``incident`` only, when given: see billing_desk/issuing/incidents.py)."""
    if incident is not None:
        return cf.incidents.approved_cases(incident)
    query = CaseQuery(statuses=frozenset({CaseStatus.APPROVED}), sort=SortKey.CASE_NUMBER,
                      descending=False)
    return cf.listing.page(query, 0, max(1, cf.listing.count(query)))


def issue_batch(cf: CaseFile, *, actor: str, issue_date: date, workers: int | None = None,
                cancel: threading.Event | None = None, progress: Progress | None = None,
                manifest: Manifest | None = None, cases_per_commit: int = CASES_PER_COMMIT,
                chunk_size: int | None = None, incident: int | None = None) -> BatchReport:
    """Issue every approved case (see the module docstring). ``progress(done, total)``
    after each case is decided; setting ``cancel`` stops the run cleanly (cases being
    rendered are still stored, the rest are left approved and reported not attempted).
    Rows go to ``manifest`` as cases are decided; the caller closes it with the report.
    A setting the documents refuse (``SettingInvalid``) stops the run before any case.
    ``incident``: issue the approved cases of that incident only."""
    cancel = cancel or threading.Event()
    selection = selected_cases(cf, incident)
    report = BatchReport(selected=len(selection))
    values = settings_values(cf)
    settings = document_settings(values)
    decided: set[str] = set()
    waiting: dict[str, tuple[CaseRef, CaseRecord, DocumentInput]] = {}

    def tick() -> None:
        if progress:
            progress(len(decided), report.selected)

    def refuse(ref: CaseRef, reason: str) -> None:
        decided.add(ref.case_number)
        report.refused.append(Refusal(ref, reason))
        if manifest:
            manifest.refused(ref, reason)
        tick()

    def issued(ref: CaseRef, issue: Issue) -> None:
        decided.add(ref.case_number)
        report.issued_cases += 1
        report.new_cases += issue.created
        report.documents += len(issue.documents)
        if manifest:
            manifest.issued(ref, issue.documents, new=issue.created, entry=issue.entry)

    def inputs():
        for summary in selection:
            if cancel.is_set():
                return
            ref = CaseRef(summary.case_number, summary.account_number, summary.customer_name)
            try:
                record = cf.cases.load(summary.id)
                if record.status is not CaseStatus.APPROVED:
                    stored = issued_documents(cf, record)  # issued by another window since
                    if not stored:
                        raise NotApproved(record)
                    issued(ref, Issue(record, stored, created=False))
                    tick()
                    continue
                case = checked_case(record)
                # the head as this case's memos are made (the batch's earlier cases in it)
                inp = document_input(record, signoffs_for(cf, record, case),
                                     issue_date=issue_date, settings=settings, case=case,
                                     history_head=cf.history_head())
            except (StoreError, TransitionRefused, CaseInvalid, DocumentError) as e:
                refuse(ref, str(e))
                continue
            waiting[record.case_number] = (ref, record, inp)
            yield inp

    group: list[tuple[CaseRef, CaseRecord, DocumentInput, Prepared]] = []
    group_started = 0.0

    def flush() -> None:
        if not group:
            return
        requests = [issue_request(record, inp, prepared.documents, prepared.determination,
                                  values) for _, record, inp, prepared in group]
        outcomes = cf.issues.issue_many(requests, actor=actor)
        for (ref, *_), outcome in zip(group, outcomes):
            if isinstance(outcome, Issue):
                issued(ref, outcome)
            else:
                refuse(ref, str(outcome))
        group.clear()
        tick()

    batch_options = {} if chunk_size is None else {"chunk_size": chunk_size}
    try:
        for result in prepare_batch(inputs(), workers=workers, cancel=cancel,
                                    total=report.selected, **batch_options):
            ref, record, inp = waiting.pop(result.case_number)
            if isinstance(result, Refused):
                refuse(ref, result.reason)
                continue
            if not group:
                group_started = time.monotonic()
            group.append((ref, record, inp, result))
            if (len(group) >= cases_per_commit
                    or time.monotonic() - group_started >= MAX_GROUP_SECONDS):
                flush()
        flush()
    except BatchInterrupted as e:
        flush()
        report.stopped = str(e)
    except StoreError as e:  # the file failed (disk full, busy): the group in hand is undone
        report.stopped = f"The case file stopped the batch: {e}"
    if cancel.is_set() and report.stopped is None:
        report.stopped = "The batch was cancelled."
    report.not_attempted = [CaseRef(s.case_number, s.account_number, s.customer_name)
                            for s in selection if s.case_number not in decided]
    try:
        report.history_head = cf.history_head()
    except StoreError:
        pass  # the file failed: the report says why the run stopped; no head to give
    return report
