"""Incidents, joined up (issue 18): the case file's incidents with the engine on worker
processes, the view the app shows, the summary memo for finance, and the incident's
letters and memos issued through the same batch as every other case.

- :func:`create_incident` stores the good accounts of a checked CSV as an incident
  (``cf.incidents.create``: one transaction, each case determined as it is written).
- :func:`incident_view` is everything the incident window shows: the cases with their
  figures, the totals, the outliers (``domain.incident.OUTLIER_RULE``), the histogram,
  the review and the approvals.
- :func:`issue_incident` issues the approved cases of the incident through
  :func:`~.batch.issue_batch` -- the read-back check, idempotence, the manifest and the
  reconciliation of any batch; only the selection differs.
- :func:`incident_summary_pdf` / :func:`save_incident_summary`: the memo for finance.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..documents.whole_file import write_whole
from ..domain.incident import (
    OUTLIER_RULE, Bin, Fences, Incident, IncidentTotals, cents_bounds, count_outside,
    fences_of_sorted, histogram_of_sorted,
)
from ..domain.incident_csv import IncidentImport
from ..store import CaseFile
from ..store.incidents import (
    ApprovalRecord, ApprovalState, CaseFilter, CaseSort, IncidentCancelled, IncidentCaseQuery,
    IncidentRecord, IncidentSummary, ReviewRecord,
)
from ..store.timestamps import utc_now
from .batch import BatchReport, Progress, issue_batch
from .manifest import Manifest

# --- creating ------------------------------------------------------------------------------

def create_incident(cf: CaseFile, incident: Incident, imported: IncidentImport, *,
                    source_name: str, source: bytes, actor: str,
                    progress: Progress | None = None,
                    cancel: threading.Event | None = None) -> IncidentRecord:
    """The good accounts of ``imported`` (the clerk accepted them) as a new incident,
    in one transaction; the bad rows create nothing. ``IncidentCancelled`` when
    ``cancel`` is set before the commit (nothing is kept).

    The engine runs in this process, beside the writing: measured on the 2-core
    machine, determining on worker processes while the store writes was no quicker
    (bench/incidents.py) -- the writing (each case's rows, its search-index entry, its
    audit entry and hash, one after the other in the chain) is most of the time."""
    return cf.incidents.create(incident, imported.accounts, source_name=source_name,
                               source=source, rows=imported.rows, actor=actor,
                               progress=progress, cancel=cancel)


# --- the view --------------------------------------------------------------------------

@dataclass(frozen=True)
class IncidentView:
    """What the incident window shows when it opens or refreshes: everything but the
    rows of its table, which the window reads a page at a time (:meth:`query`)."""

    record: IncidentRecord
    summary: IncidentSummary
    fences: Fences | None
    outliers: int
    bins: tuple[Bin, ...]
    review: ReviewRecord | None  # the newest review
    approvals: tuple[ApprovalRecord, ...]
    overridden: frozenset[str] = field(default_factory=frozenset)  # case numbers
    outlier_rule: str = OUTLIER_RULE

    @property
    def totals(self) -> IncidentTotals:
        return self.summary.totals

    @property
    def statuses(self) -> tuple[tuple[str, int], ...]:
        return self.summary.statuses

    @property
    def divergent(self) -> int:
        return self.summary.totals.divergent

    @property
    def dropped_out(self) -> int:
        return self.summary.dropped_out

    @property
    def submitted(self) -> int:
        return dict(self.statuses).get("submitted", 0)

    def query(self, filter: CaseFilter = CaseFilter.ALL, sort: CaseSort = CaseSort.CASE,
              descending: bool = False) -> IncidentCaseQuery:
        """A list of the incident's cases that marks this view's outliers and sample."""
        return IncidentCaseQuery(filter, sort, descending,
                                 review=None if self.review is None else self.review.id,
                                 outside=None if self.fences is None else cents_bounds(self.fences))


def incident_view(cf: CaseFile, incident_id: int) -> IncidentView:
    record = cf.incidents.get(incident_id)
    summary = cf.incidents.summary(incident_id)
    fences = fences_of_sorted(summary.amounts)
    overridden = frozenset(e.after["details"]["case"] for e in cf.incidents.history(incident_id)
                           if e.action == "override")
    return IncidentView(record, summary, fences, count_outside(summary.amounts, fences),
                        histogram_of_sorted(summary.amounts),
                        cf.incidents.latest_review(incident_id),
                        tuple(cf.incidents.approvals(incident_id)), overridden)


# --- issuing ---------------------------------------------------------------------------

def issue_incident(cf: CaseFile, incident_id: int, *, actor: str, issue_date: date,
                   workers: int | None = None, cancel: threading.Event | None = None,
                   progress: Progress | None = None, manifest: Manifest | None = None
                   ) -> BatchReport:
    """Issue the letters and memos of the incident's approved cases (see the module
    docstring): a batch whose selection is "the approved cases of incident N"."""
    cf.incidents.get(incident_id)  # RecordNotFound before anything starts
    return issue_batch(cf, actor=actor, issue_date=issue_date, workers=workers, cancel=cancel,
                       progress=progress, manifest=manifest, incident=incident_id)


# --- the summary memo ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class IncidentSummaryPdf:
    incident_number: str
    pdf: bytes
    pages: int


def incident_memo_input(cf: CaseFile, incident_id: int, *, printed_by: str,
                        printed_at: datetime | None = None, view: IncidentView | None = None):
    from ..documents import document_settings
    from ..documents.incident_memo import IncidentMemoInput, MemoAccount, MemoApproval
    from .inputs import settings_values

    view = view or incident_view(cf, incident_id)
    settings = document_settings(settings_values(cf))
    names: dict[str, str] = {}

    def named(login: str) -> str:
        if login not in names:
            user = cf.users.find(login)
            names[login] = f"{user.name} ({user.login})" if user is not None else login
        return names[login]

    reviews = {r.id: r for r in cf.incidents.reviews(incident_id)}
    approvals = []
    for a in view.approvals:
        r = reviews[a.review_id]
        approvals.append(MemoApproval(named(a.approved_by), a.approved_at, a.cases, a.refund_total,
                                      a.back_bill_total, r.id, r.listed, len(r.sample),
                                      r.sample_size, r.seed, named(r.drawn_by), r.drawn_at))
    accounts = tuple(MemoAccount(
        c.case_number, c.account_number, c.customer_name, c.status.value,
        *((c.figures.refund, c.figures.back_bill, c.figures.six_year) if c.figures is not None
          else (None, None, None)),
        divergent=c.figures is not None and c.figures.readings_differ, outlier=c.outlier,
        sampled=c.sampled is not None, dropped_out=c.approval is ApprovalState.DROPPED_OUT)
        for c in cf.incidents.cases(incident_id, view.query()))
    record = view.record
    return IncidentMemoInput(
        incident_number=record.incident_number, incident=record.incident,
        source_name=record.source_name, source_rows=record.source_rows,
        source_sha256=record.source_sha256, created_at=record.created_at,
        created_by=named(record.created_by), totals=view.totals, accounts=accounts,
        statuses=view.statuses, approvals=tuple(approvals), outlier_rule=view.outlier_rule,
        overridden=len(view.overridden), printed_by=named(printed_by),
        printed_at=printed_at or utc_now(), history_head=cf.history_head(),
        letterhead=settings.letterhead.name, locale=settings.office_locale or "en_US")


def incident_summary_pdf(cf: CaseFile, incident_id: int, *, printed_by: str,
                         printed_at: datetime | None = None, view: IncidentView | None = None,
                         progress: Progress | None = None,
                         cancel: threading.Event | None = None) -> IncidentSummaryPdf:
    """The memo for finance as PDF, read back (``DocumentMismatch`` if it is not what
    was computed). Nothing is stored or recorded. ``progress(pages, pages in all)`` of
    the account list as it is laid out; ``IncidentCancelled`` when ``cancel`` is set."""
    from ..documents.incident_memo import render_incident_memo

    inp = incident_memo_input(cf, incident_id, printed_by=printed_by, printed_at=printed_at,
                              view=view)

    def report(done: int, total: int) -> None:
        if cancel is not None and cancel.is_set():
            raise IncidentCancelled("Writing the summary memo")
        if progress is not None:
            progress(done, total)

    pdf, pages = render_incident_memo(inp, progress=report)
    return IncidentSummaryPdf(inp.incident_number, pdf, pages)


def save_incident_summary(cf: CaseFile, incident_id: int, path: Path, *, printed_by: str,
                          view: IncidentView | None = None, progress: Progress | None = None,
                          cancel: threading.Event | None = None) -> IncidentSummaryPdf:
    """Write the memo to ``path`` whole or not at all (a temporary file, synced, renamed)."""
    summary = incident_summary_pdf(cf, incident_id, printed_by=printed_by, view=view,
                                   progress=progress, cancel=cancel)
    write_whole(summary.pdf, path)
    return summary

