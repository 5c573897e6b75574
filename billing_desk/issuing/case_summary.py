"""The printable case summary of one case, built from the case file (issue 23): the
case as stored, its determination (or what it still lacks), its notes, and its history
as sentences with who and when, checked against the file's chain as the history view
checks it. An internal document: rendered on request, never stored, never audited as an
issue (see billing_desk/documents/case_summary.py). The app's Documents menu and
``billing-desk export FILE CASE --pdf OUT.pdf`` call :func:`case_summary_pdf`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..documents import document_settings
from ..documents.case_summary import CaseSummaryInput, HistoryLine, render_case_summary
from ..documents.whole_file import write_whole
from ..documents.wording import wording_for
from ..domain.rulepacks import get_rule_pack
from ..store import CaseFile, CaseRecord
from ..store.timestamps import utc_now
from .history_text import describe
from .inputs import settings_values
from .signoffs import signoffs_for

@dataclass(frozen=True, slots=True)
class CaseSummaryPdf:
    case_number: str
    pdf: bytes
    pages: int


def case_summary_pdf(cf: CaseFile, case_id: int, *, printed_by: str,
                     printed_at: datetime | None = None) -> CaseSummaryPdf:
    """The summary of case ``case_id`` as PDF. ``printed_by``: who asked for it (a login;
    shown with the user's name when the file knows them). Raises the store's
    ``RecordNotFound`` for a case that does not exist."""
    record = cf.cases.load(case_id)
    return CaseSummaryPdf(record.case_number,
                          *render_case_summary(summary_input(cf, record, printed_by=printed_by,
                                                             printed_at=printed_at)))


def save_case_summary(cf: CaseFile, case_id: int, path: Path, *,
                      printed_by: str) -> CaseSummaryPdf:
    """Render the summary and write it to ``path`` whole or not at all (a temporary file
    beside it, synced, then renamed over it): a failed write never leaves half a PDF.
    Raises ``OSError`` when the file cannot be written."""
    summary = case_summary_pdf(cf, case_id, printed_by=printed_by)
    write_whole(summary.pdf, path)
    return summary


def summary_input(cf: CaseFile, record: CaseRecord, *, printed_by: str,
                  printed_at: datetime | None = None) -> CaseSummaryInput:
    settings = document_settings(settings_values(cf))
    # an internal document: in the office's language and date format
    locale = settings.office_locale
    w = wording_for(locale, settings.date_format)
    names: dict[str, str] = {}

    def named(login: str) -> str:
        if login not in names:
            user = cf.users.find(login)
            names[login] = f"{user.name} ({user.login})" if user is not None else login
        return names[login]

    check = record.draft.check()
    determination = (get_rule_pack(check.case.rule_pack).determine(check.case)
                     if check.case is not None else None)
    signoffs = signoffs_for(cf, record, check.case)
    report = cf.verify_case(record.id)
    history = tuple(HistoryLine(e.id, e.at, named(e.actor), describe(e, w, named))
                    for e in cf.cases.history(record.id))
    return CaseSummaryInput(
        case_number=record.case_number, status=record.status.value, draft=record.draft,
        determination=determination, problems=tuple(check.problems), notes=record.notes,
        assignee=named(record.assignee) if record.assignee else None,
        prepared_by=named(record.prepared_by), last_edited_by=named(record.last_edited_by),
        created_at=record.created_at, updated_at=record.updated_at, revision=record.revision,
        submitted=signoffs.prepared, approved=signoffs.approved,
        history=history, history_verified=report.ok, history_problem=report.problem,
        printed_by=named(printed_by), printed_at=printed_at or utc_now(),
        history_head=cf.history_head(), letterhead=settings.letterhead.name, locale=locale,
        date_format=settings.date_format)
