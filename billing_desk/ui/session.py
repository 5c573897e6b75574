"""The open case file and the signed-in user, as the windows see them.

All reads and writes of the app go through here (the store's repositories; never SQL).
After a change, one signal tells every view to refresh itself (``caseSaved``), and a
cheap poll of the file's change counter tells this window when *another* window or
another clerk saved something (``externalChange``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from .. import issuing
from ..documents import IssuedDocument
from ..domain.draft import CaseDraft
from ..domain.workflow import Action
from ..store import Issue
from ..store.audit import AuditEntry
from ..store.casefile import CaseFile, open_case_file
from ..store.records import AttachmentRecord, CaseRecord, DocumentRecord

POLL_MS = 1500


class CaseSession(QObject):
    caseSaved = Signal(object)  # CaseRecord, saved by this window
    externalChange = Signal(object)  # frozenset of case ids changed by someone else
    fileOpened = Signal(object)  # Path
    fileClosed = Signal()

    def __init__(self, actor: str, parent=None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.file: CaseFile | None = None
        self._counter = 0
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)

    # -- the file ------------------------------------------------------------------------

    def open(self, path: Path) -> CaseFile:
        """Open a case file (the store raises a typed, clerk-readable error if it can't)."""
        cf = open_case_file(path)
        self.close()
        self.file = cf
        self._counter = cf.listing.change_counter()
        self._timer.start()
        self.fileOpened.emit(cf.path)
        return cf

    def close(self) -> None:
        if self.file is not None:
            self._timer.stop()
            self.file.close()
            self.file = None
            self.fileClosed.emit()

    @property
    def path(self) -> Path | None:
        return None if self.file is None else self.file.path

    def _cf(self) -> CaseFile:
        if self.file is None:
            raise RuntimeError("no case file is open")
        return self.file

    # -- cases ---------------------------------------------------------------------------

    def load(self, case_id: int) -> CaseRecord:
        return self._cf().cases.load(case_id)

    def new_case(self) -> CaseRecord:
        record = self._cf().cases.create(CaseDraft(), actor=self.actor)
        self._saved(record)
        return record

    def save_draft(self, case_id: int, draft: CaseDraft, expected_revision: int) -> CaseRecord:
        """One user action: one transaction, one audit entry. A stale revision raises the
        store's conflict error; nothing is overwritten."""
        record = self._cf().cases.save(case_id, draft, expected_revision=expected_revision,
                                       actor=self.actor)
        self._saved(record)
        return record

    def save_notes(self, case_id: int, notes: str, expected_revision: int) -> CaseRecord:
        record = self._cf().cases.save(case_id, self.load(case_id).draft, notes=notes,
                                       expected_revision=expected_revision, actor=self.actor)
        self._saved(record)
        return record

    def change_status(self, case_id: int, action: Action, expected_revision: int,
                      reason: str | None = None) -> CaseRecord:
        record = self._cf().cases.change_status(case_id, action, expected_revision=expected_revision,
                                                actor=self.actor, reason=reason)
        self._saved(record)
        return record

    # -- attachments and history --------------------------------------------------------

    def attachments(self, case_id: int) -> list[AttachmentRecord]:
        return self._cf().attachments.list(case_id)

    def attach_file(self, case_id: int, path: Path) -> AttachmentRecord:
        record = self._cf().attachments.add_file(case_id, path, actor=self.actor)
        self._counter = self._cf().listing.change_counter()
        return record

    def attachment_bytes(self, attachment_id: int) -> bytes:
        return self._cf().attachments.data(attachment_id)

    def remove_attachment(self, attachment_id: int) -> None:
        self._cf().attachments.remove(attachment_id, actor=self.actor)
        self._counter = self._cf().listing.change_counter()

    def history(self, case_id: int) -> list[AuditEntry]:
        return self._cf().cases.history(case_id)

    # -- documents (the issuing service) -------------------------------------------------

    def issued_documents(self, record: CaseRecord) -> tuple[DocumentRecord, ...]:
        return issuing.issued_documents(self._cf(), record)

    def document_pdf(self, document_id: int) -> bytes:
        return self._cf().documents.pdf(document_id)

    def preview_documents(self, record: CaseRecord) -> tuple[IssuedDocument, ...]:
        """Watermarked previews of the case's documents as of today (nothing stored)."""
        return issuing.preview_documents(self._cf(), record, issue_date=date.today())

    def issue(self, case_id: int) -> Issue:
        """Issue the case's documents dated today (one transaction, one audit entry)."""
        issue = issuing.issue_documents(self._cf(), case_id, actor=self.actor,
                                        issue_date=date.today())
        if issue.created:
            self._saved(issue.case)
        return issue

    def print_document(self, document_id: int, send: Callable[[bytes], int]) -> issuing.Printout:
        """The original on the first print, a COPY after; recorded once ``send`` printed."""
        printout = issuing.print_document(self._cf(), document_id, self.actor, send)
        self._counter = self._cf().listing.change_counter()
        return printout

    def save_document(self, document_id: int, path: Path,
                      write: Callable[[bytes, Path], None]) -> None:
        issuing.save_document(self._cf(), document_id, path, self.actor, write)
        self._counter = self._cf().listing.change_counter()

    def issuable_count(self) -> int:
        """Approved cases waiting for their documents (what a batch would issue)."""
        return len(issuing.selected_cases(self._cf()))

    def _saved(self, record: CaseRecord) -> None:
        # our own change is not "external"; anything else saved since the last poll is
        listing = self._cf().listing
        others = listing.changed_since(self._counter) - {record.id}
        self._counter = listing.change_counter()
        self.caseSaved.emit(record)
        if others:
            self.externalChange.emit(others)

    # -- other windows -------------------------------------------------------------------

    def poll(self) -> None:
        if self.file is None:
            return
        counter = self.file.listing.change_counter()
        if counter != self._counter:
            changed = self.file.listing.changed_since(self._counter)
            self._counter = counter
            self.externalChange.emit(changed)
