"""Issuing a case's documents, and everything done with them afterwards.

``issue_documents`` renders the letter and memos of an approved case and reads each
back against the case (the documents layer; slow, so outside any transaction), then
stores them and moves the case to issued in one transaction with one audit entry (the
store, which asks the file again, so two windows or processes issuing the same case
end with one set of documents). A mismatch found by the read-back check blocks the
issue with its message and nothing is stored.

Before anything is rendered (issue 14), the case is checked against its audit history
(``verify`` for that case) and the office settings against theirs: data changed in the
file behind the application's back is never printed (``CaseAltered``,
``SettingsAltered``); the store checks both again as it stores the issue. The letter's
date must not precede the case's discovery nor the end of its last period, nor lie
further ahead than the setting issue.max_days_ahead allows (``IssueDateRefused``).

After the issue the stored bytes are what is shown, printed and saved. The first print
of a document is the original; any later print is a reprint: the stored issue rendered
again from what it was rendered from, stamped COPY, read back against the case and
against the issued document, and audited (who, when, which document, the copy's
sha256). A reprint never creates an issue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from ..documents import (DocumentInput, DocumentKind, DocumentSettings, IssuedDocument,
                         RefundMethod, check_copy, document_settings, prepare_document,
                         prepare_issue)
from ..domain.case import Case
from ..domain.mailing import future_issue_date_problem, issue_date_problem
from ..domain.workflow import CaseStatus
from ..store import (CaseAltered, CaseFile, CaseRecord, DocumentRecord, Issue, IssueRefused,
                     IssueRequest, NewDocument)
from .errors import IssueDateRefused, NoIssueRecord, NotApproved
from .inputs import checked_case, document_input, recorded_input, rendered_from, verified_settings
from .signoffs import current_fingerprint, signoffs_for


def issued_documents(cf: CaseFile, record: CaseRecord) -> tuple[DocumentRecord, ...]:
    """The stored issue of the case as it is now (none: its documents are not issued):
    the documents of its approval, or of the case as it is when it has none."""
    fingerprint = (record.approved.fingerprint if record.approved is not None
                   else current_fingerprint(record))
    return () if fingerprint is None else cf.issues.issued(record.id, fingerprint)


def issue_request(record: CaseRecord, inp: DocumentInput, documents: tuple[IssuedDocument, ...],
                  determination: dict, values: dict) -> IssueRequest:
    """What the store is asked to keep for the checked documents of ``record``, rendered
    from ``inp`` (built from ``record``) with ``determination`` (its JSON values)."""
    if any(d.preview or d.copy for d in documents):
        raise IssueRefused(record.case_number, "a preview or a copy is never issued.")
    return IssueRequest(record, inp.fingerprint, determination,
                        tuple(NewDocument(d.kind, d.pdf, d.pages)
                              for d in documents),
                        rendered_from(inp, values), history_head=inp.history_head,
                        settings=values)


def require_history(cf: CaseFile, record: CaseRecord) -> None:
    """Refuse (``CaseAltered``) a case whose stored data disagrees with its audit history,
    the check of ``billing-desk verify`` for this one case."""
    report = cf.verify_case(record.id)
    if not report.ok:
        raise CaseAltered(record.case_number, report.problem or "")


def require_issue_date(record: CaseRecord, case: Case, issue_date: date,
                       settings: DocumentSettings, today: date | None = None) -> None:
    """Refuse (:class:`IssueDateRefused`) a letter dated before the case's discovery or
    the end of its last period, or more than issue.max_days_ahead days after today."""
    problem = issue_date_problem(case, issue_date, today=today or date.today(),
                                 max_days_ahead=settings.max_days_ahead)
    if problem is not None:
        raise IssueDateRefused(record.case_number, problem)


def require_issue_date_ahead(issue_date: date, settings: DocumentSettings,
                             today: date | None = None) -> None:
    """Refuse (:class:`IssueDateRefused`) a date further ahead than the setting allows."""
    problem = future_issue_date_problem(issue_date, today=today or date.today(),
                                        max_days_ahead=settings.max_days_ahead)
    if problem is not None:
        raise IssueDateRefused(None, problem)


def issue_documents(cf: CaseFile, case_id: int, *, actor: str, issue_date: date,
                    refund_method: RefundMethod | None = None,
                    today: date | None = None) -> Issue:
    """Issue the documents of an approved case (see the module docstring); if they are
    issued already for this determination, return them (``created`` False).

    Refusals, each with a message for the clerk: :class:`NotApproved`; ``CaseInvalid``;
    ``CaseAltered`` and ``SettingsAltered`` (the case or the settings disagree with
    their history); :class:`IssueDateRefused`; a ``DocumentError`` of the documents
    layer (``DocumentMismatch`` when the read-back check finds another case's data,
    ``MissingMailingAddress``, ...); the store's ``StaleRevision`` when the case changed
    while its documents were being rendered."""
    record = cf.cases.load(case_id)
    stored = issued_documents(cf, record)
    if stored:
        return Issue(record, stored, created=False)
    if record.status is not CaseStatus.APPROVED:
        raise NotApproved(record)
    require_history(cf, record)
    values = verified_settings(cf)
    settings = document_settings(values)
    case = checked_case(record)
    require_issue_date(record, case, issue_date, settings, today)
    # the memos carry the history's head as it is now, before the issue's own entry
    inp = document_input(record, signoffs_for(cf, record, case), issue_date=issue_date,
                         settings=settings, refund_method=refund_method, case=case,
                         history_head=cf.history_head())
    documents = prepare_issue(inp)  # checks inp.determination is what the case gives
    return cf.issues.issue(issue_request(record, inp, documents, inp.determination.to_json(),
                                         values), actor=actor)


def preview_documents(cf: CaseFile, record: CaseRecord, *,
                      issue_date: date) -> tuple[IssuedDocument, ...]:
    """The case's documents as they would be issued today, watermarked PREVIEW · NOT
    ISSUED on every page and read back like an issue; nothing is stored. Refused, as an
    issue, for a case or settings that disagree with their history."""
    require_history(cf, record)
    inp = document_input(record, signoffs_for(cf, record), issue_date=issue_date,
                         settings=document_settings(verified_settings(cf)), preview=True)
    return prepare_issue(inp)


@dataclass(frozen=True, slots=True)
class Printout:
    """The bytes to send to a printer for an issued document: the stored original, or a
    copy stamped COPY (``copy``), with the copy's own sha256."""

    document: DocumentRecord
    pdf: bytes
    sha256: str
    pages: int
    copy: bool


def reprint_document(cf: CaseFile, document_id: int, actor: str) -> Printout:
    """The stored issue rendered again, stamped COPY, checked against the case and the
    issued document, and recorded in the history (who, when, which document, the
    copy's sha256); no issue is created."""
    printout = _copy_of(cf, cf.documents.find(document_id))
    _record(cf, printout, actor)
    return printout


def print_document(cf: CaseFile, document_id: int, actor: str,
                   send: Callable[[bytes], int]) -> Printout:
    """Print an issued document through ``send`` (it prints the bytes and returns the
    pages printed): the stored original the first time, a reprint stamped COPY every
    time after, so no customer is sent the same notice twice as if it were new. The
    print is recorded only once ``send`` has printed it."""
    document = cf.documents.find(document_id)
    # printed before, or mailed by a batch run: the paper original has gone already
    if (any(use.action == "print" for use in cf.documents.uses(document.id))
            or document.id in cf.mail_runs.recorded()):
        printout = _copy_of(cf, document)
    else:
        printout = Printout(document, cf.documents.pdf(document.id), document.sha256,
                            document.page_count, copy=False)
    if send(printout.pdf) > 0:
        _record(cf, printout, actor)
    return printout


def save_document(cf: CaseFile, document_id: int, path: Path, actor: str,
                  write: Callable[[bytes, Path], None]) -> DocumentRecord:
    """Save the stored bytes of an issued document as ``path`` through ``write`` (a
    whole-or-nothing file writer); the export is recorded once written."""
    document = cf.documents.find(document_id)
    write(cf.documents.pdf(document.id), Path(path))
    cf.documents.record_use(document.id, "save", {"file_name": Path(path).name}, actor=actor)
    return document


def export_copy(cf: CaseFile, document_id: int, path: Path, actor: str,
                write: Callable[[bytes, Path], None]) -> Printout:
    """Write a copy stamped COPY of an issued document to ``path`` (through ``write``, a
    whole-or-nothing writer) and record the export in the history (a reprint saved as a
    file: who, when, the file name, the copy's sha256); no issue is created."""
    printout = _copy_of(cf, cf.documents.find(document_id))
    write(printout.pdf, Path(path))
    cf.documents.add_copy(printout.document.id, "save", printout.pdf, printout.pages,
                          actor=actor, file_name=Path(path).name)
    return printout


def _copy_of(cf: CaseFile, document: DocumentRecord) -> Printout:
    record = cf.cases.load(document.case_id)
    require_history(cf, record)  # a copy is rendered from the case as stored
    recorded = cf.issues.rendered_from(document)
    if recorded is None:
        raise NoIssueRecord(document.id, record.case_number)
    inp = recorded_input(record, recorded, document.fingerprint, copy=True)
    copy = prepare_document(inp, document.kind)
    check_copy(inp, document.kind, cf.documents.pdf(document.id), copy.pdf)
    return Printout(document, copy.pdf, copy.sha256, copy.pages, copy=True)


def _record(cf: CaseFile, printout: Printout, actor: str) -> None:
    if printout.copy:
        cf.documents.add_copy(printout.document.id, "reprint", printout.pdf, printout.pages,
                              actor=actor)
    else:
        cf.documents.record_use(printout.document.id, "print", {}, actor=actor)
