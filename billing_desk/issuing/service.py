"""Issuing a case's documents, and everything done with them afterwards.

``issue_documents`` renders the letter and memos of an approved case and reads each
back against the case (the documents layer; slow, so outside any transaction), then
stores them and moves the case to issued in one transaction with one audit entry (the
store, which asks the file again, so two windows or processes issuing the same case
end with one set of documents). A mismatch found by the read-back check blocks the
issue with its message and nothing is stored.

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

from ..documents import (DocumentInput, DocumentKind, IssuedDocument, RefundMethod, check_copy,
                         document_settings, prepare_document, prepare_issue)
from ..domain.workflow import CaseStatus
from ..store import (CaseFile, CaseRecord, DocumentRecord, Issue, IssueRefused, IssueRequest,
                     NewDocument)
from ..store import DocumentKind as StoredKind
from .errors import NoIssueRecord, NotApproved
from .inputs import document_input, recorded_input, rendered_from, settings_values
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
                        tuple(NewDocument(StoredKind(d.kind.value), d.pdf, d.pages)
                              for d in documents),
                        rendered_from(inp, values), history_head=inp.history_head)


def issue_documents(cf: CaseFile, case_id: int, *, actor: str, issue_date: date,
                    refund_method: RefundMethod | None = None) -> Issue:
    """Issue the documents of an approved case (see the module docstring); if they are
    issued already for this determination, return them (``created`` False).

    Refusals, each with a message for the clerk: :class:`NotApproved`; ``CaseInvalid``;
    a ``DocumentError`` of the documents layer (``DocumentMismatch`` when the read-back
    check finds another case's data, ``MissingMailingAddress``, ...); the store's
    ``StaleRevision`` when the case changed while its documents were being rendered."""
    record = cf.cases.load(case_id)
    stored = issued_documents(cf, record)
    if stored:
        return Issue(record, stored, created=False)
    if record.status is not CaseStatus.APPROVED:
        raise NotApproved(record)
    values = settings_values(cf)
    # the memos carry the history's head as it is now, before the issue's own entry
    inp = document_input(record, signoffs_for(cf, record), issue_date=issue_date,
                         settings=document_settings(values), refund_method=refund_method,
                         history_head=cf.history_head())
    documents = prepare_issue(inp)  # checks inp.determination is what the case gives
    return cf.issues.issue(issue_request(record, inp, documents, inp.determination.to_json(),
                                         values), actor=actor)


def preview_documents(cf: CaseFile, record: CaseRecord, *,
                      issue_date: date) -> tuple[IssuedDocument, ...]:
    """The case's documents as they would be issued today, watermarked PREVIEW · NOT
    ISSUED on every page and read back like an issue; nothing is stored."""
    inp = document_input(record, signoffs_for(cf, record), issue_date=issue_date,
                         settings=document_settings(settings_values(cf)), preview=True)
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
    if any(use.action == "print" for use in cf.documents.uses(document.id)):
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


def _copy_of(cf: CaseFile, document: DocumentRecord) -> Printout:
    record = cf.cases.load(document.case_id)
    recorded = cf.issues.rendered_from(document)
    if recorded is None:
        raise NoIssueRecord(document.id, record.case_number)
    inp = recorded_input(record, recorded, document.fingerprint, copy=True)
    kind = DocumentKind(document.kind.value)
    copy = prepare_document(inp, kind)
    check_copy(inp, kind, cf.documents.pdf(document.id), copy.pdf)
    return Printout(document, copy.pdf, copy.sha256, copy.pages, copy=True)


def _record(cf: CaseFile, printout: Printout, actor: str) -> None:
    if printout.copy:
        cf.documents.record_use(printout.document.id, "reprint",
                                {"copy_sha256": printout.sha256, "page_count": printout.pages},
                                actor=actor)
    else:
        cf.documents.record_use(printout.document.id, "print", {}, actor=actor)
