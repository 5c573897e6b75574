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

With a manifest (issue 14) the run is recorded in the case file's mail ledger
(store/mailruns.py): it first finishes any run that was killed before it finished
(manifest.recover_runs), then lists every document issued before it and not yet mailed
(a killed run's documents whose manifest rows never reached the disk, a case issued on
its own and not printed), then the documents it issues, each case's rows on disk as
soon as its issue is committed. Every document a batch issues thus appears in exactly
one manifest. Each case is checked against its history before it is rendered (and by
the store as it is stored), and its letter date against its discovery and periods.
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
from ..store import (CaseFile, CaseQuery, CaseRecord, CaseSummary, DocumentRecord, Issue,
                     SortKey, StoreError)
from ..store.timestamps import utc_now
from .errors import NotApproved
from .inputs import checked_case, document_input, verified_settings
from .manifest import EARLIER, CaseRef, Manifest, recover_runs
from .service import (issue_request, issued_documents, require_history, require_issue_date,
                      require_issue_date_ahead)
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
    #: documents issued before this run and not yet mailed, listed in its manifest
    earlier_documents: int = 0
    earlier_cases: int = 0
    #: documents issued before this run that are still not recorded as mailed when it
    #: ends (none, unless the case file failed): they would be in no manifest
    unlisted_after: int = 0
    #: runs killed before they finished whose manifests this run finished
    recovered: list[str] = field(default_factory=list)
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
        return self.accounted == self.selected and self.unlisted_after == 0

    def reconciliation(self) -> str:
        """``30,000 cases selected = documents issued for 29,990 cases (62,280 documents)
        + refused 10 + not attempted 0: adds up``."""
        earlier = self.issued_cases - self.new_cases
        found = f"; {earlier:,} of them issued before this run" if earlier else ""
        line = (f"{self.selected:,} cases selected = documents issued for "
                f"{self.issued_cases:,} cases ({self.documents:,} documents{found}) + refused "
                f"{len(self.refused):,} + not attempted {len(self.not_attempted):,}")
        if self.earlier_documents:
            line += (f"; and {self.earlier_documents:,} documents of {self.earlier_cases:,} "
                     "cases issued before this run and not yet mailed, listed")
        if self.adds_up:
            return f"{line}: adds up"
        if self.accounted != self.selected:
            return f"{line}: DOES NOT ADD UP ({self.selected - self.accounted:+,} unaccounted)"
        return (f"{line}: DOES NOT ADD UP ({self.unlisted_after:,} documents issued before "
                "this run are in no manifest)")


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
                chunk_size: int | None = None, today: date | None = None,
                incident: int | None = None) -> BatchReport:
    """Issue every approved case (see the module docstring). ``progress(done, total)``
    after each case is decided; setting ``cancel`` stops the run cleanly (cases being
    rendered are still stored, the rest are left approved and reported not attempted).
    Rows go to ``manifest`` as cases are decided; the caller closes it with the report.
    A setting the documents refuse (``SettingInvalid``), settings that disagree with
    their history (``SettingsAltered``) and an issue date too far ahead
    (``IssueDateRefused``) stop the run before any case. ``incident``: issue the approved
    cases of that incident only."""
    cancel = cancel or threading.Event()
    values = verified_settings(cf)  # (refused when the settings disagree with their history)
    settings = document_settings(values)
    require_issue_date_ahead(issue_date, settings, today)
    report = BatchReport()
    before_run: int | None = None
    if manifest is not None:
        report.recovered = recover_runs(cf, actor=actor, finished=utc_now(),
                                        folder=manifest.folder)
        manifest.begin(cf, actor=actor)
        earlier = cf.mail_runs.not_yet_mailed()
        before_run = earlier[-1].id if earlier else None
        _list_earlier(cf, manifest, earlier, report)
    selection = selected_cases(cf, incident)
    report.selected = len(selection)
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
            documents = issue.documents
            if not issue.created:  # issued since the run started: mailed already?
                mailed = cf.mail_runs.mailed([d.id for d in documents])
                documents = tuple(d for d in documents if d.id not in mailed)
                if not documents:
                    manifest.refused(ref, "issued and mailed before this run; not to be "
                                          "mailed again", status="mailed_before")
                    return
            manifest.issued(ref, documents, new=issue.created,
                            entry=issue.entry or cf.issues.entry_of(documents[0]))

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
                require_history(cf, record)  # (issue 14: never rendered from altered data)
                case = checked_case(record)
                require_issue_date(record, case, issue_date, settings, today)
                # the head as this case's memos are made (the batch's earlier cases in it)
                inp = document_input(record, signoffs_for(cf, record, case),
                                     issue_date=issue_date, settings=settings, case=case,
                                     history_head=cf.history_head())
            except (StoreError, TransitionRefused, CaseInvalid, DocumentError) as e:
                refuse(ref, str(e))  # (a case that disagrees with its history among them)
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
                issued(ref, outcome)  # (its rows on disk before the next case's)
            else:
                refuse(ref, str(outcome))
        if manifest:
            manifest.record()  # the group's documents are recorded as mailed by this run
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
        if manifest:
            manifest.record()
            if before_run is not None:
                # everything issued before the run is in a manifest now (this one)
                report.unlisted_after = len(cf.mail_runs.not_yet_mailed(before=before_run))
        report.history_head = cf.history_head()
    except StoreError:
        pass  # the file failed: the report says why the run stopped; no head to give
    return report


def _list_earlier(cf: CaseFile, manifest: Manifest, documents: list[DocumentRecord],
                  report: BatchReport) -> None:
    """List the documents issued before this run and not yet mailed, a case at a time,
    and record them as mailed by this run."""
    by_case: dict[int, list[DocumentRecord]] = {}
    for d in documents:
        by_case.setdefault(d.case_id, []).append(d)
    for case_id, docs in by_case.items():
        record = cf.cases.load(case_id)
        ref = CaseRef(record.case_number, record.draft.account.number,
                      record.draft.account.customer_name)
        manifest.issued(ref, docs, new=False, entry=cf.issues.entry_of(docs[0]), reason=EARLIER)
        report.earlier_documents += len(docs)
        report.earlier_cases += 1
    manifest.record()
