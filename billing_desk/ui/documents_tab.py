"""The Documents tab of the open case: its issued letter and memos (the stored PDFs),
or, before issue, a preview rendered from the case as it is now and watermarked
PREVIEW · NOT ISSUED on every page, so that neither the screen nor a printout can be
taken for a notice. Print and Save as PDF act on the document shown.

No rules here: what is shown, whether a print is the original or a copy stamped COPY,
and what is recorded, are the issuing service's (through the session)."""

from __future__ import annotations

from pathlib import Path

from .qt import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget, Signal

from ..domain.kinds import DocumentKind
from ..domain.workflow import CaseStatus
from ..errors import BillingDeskError
from ..store import CaseRecord
from .a11y import identify
from .document_preview import DocumentPreview
from .background import BackgroundTask, Progress, run_in_background
from .errors import reported
from .formatting import KIND_LABELS, time_text
from .session import CaseSession

class DocumentsTab(QWidget):
    issueRequested = Signal()

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        identify(self, "documents_tab", "Documents of the case")
        self.session = session
        self.record: CaseRecord | None = None
        self.stored: dict[str, int] = {}  # kind -> document id, when issued
        self.last_error_box = None
        self.task: BackgroundTask | None = None  # the preview being rendered, if one is
        self._stale = False
        self.status = QLabel()
        identify(self.status, "documents_status", description="What the documents shown are")
        self.status.setWordWrap(True)
        self.issue_button = QPushButton("&Issue documents")
        identify(self.issue_button, "documents_issue", "Issue the documents of this case",
                 "Render, check and store the letter and memos (Ctrl+Shift+I)")
        self.preview = DocumentPreview()
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.issue_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        self.delivery = QLabel()  # how the notice goes out (ui/outbox_actions.py fills it)
        layout.addWidget(self.delivery)
        layout.addWidget(self.preview, 1)
        self.issue_button.clicked.connect(self.issueRequested)
        self.preview.printRequested.connect(self.print_kind)
        self.preview.saveRequested.connect(self.save_kind)
        session.fileOpened.connect(lambda _path: self.show_case(None))
        self.show_case(None)

    # -- what is shown ---------------------------------------------------------------------

    def show_case(self, record: CaseRecord | None) -> None:
        """Show ``record``'s documents; rendered only while the tab is visible (a preview
        is rendered from the case, which takes a moment)."""
        self.record = record
        self._stale = True
        self.issue_button.setEnabled(record is not None and record.status is CaseStatus.APPROVED)
        if record is None or self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        self.stored = {}
        record = self.record
        if record is None or self.session.file is None:
            self.status.setText("No case open.")
            self.preview.set_documents([])
            return
        try:
            issued = self.session.issued_documents(record)
            if issued:
                self.stored = {d.kind: d.id for d in issued}
                self.preview.set_documents([
                    (d.kind.value, f"{KIND_LABELS[d.kind]} · issue {d.issue_number}",
                     self.session.document_pdf(d.id)) for d in issued])
                first = issued[0]
                self.status.setText(
                    f"Issued {time_text(first.created_at)} by {first.created_by}: the "
                    "stored documents. Printing one again prints a copy stamped COPY.")
                return
        except BillingDeskError as e:
            self._no_preview(e)
            return
        self._render_preview(record)

    def _render_preview(self, record: CaseRecord) -> None:
        """Render the watermarked previews on a worker thread (a moment for a long case):
        the tab says so meanwhile, and shows them if the case is still the one shown."""
        self.preview.set_documents([])
        self.status.setText(f"Rendering the preview of {record.case_number}…")
        work = self.session.preview_work(record)

        def render(progress: Progress):
            with self.session.reopened() as cf:
                return work(cf)

        def rendered(previews) -> None:
            if self.record is None or (self.record.id, self.record.revision) != (record.id, record.revision):
                return  # another case (or a newer revision) is shown by now
            self.preview.set_documents([(d.kind.value, f"{KIND_LABELS[d.kind]} · preview",
                                         d.pdf) for d in previews])
            next_step = ("Issue them to store and send them." if record.status is CaseStatus.APPROVED
                         else f"The case is {record.status.value}; they can be issued once it is "
                              "approved.")
            self.status.setText(f"PREVIEW — not issued. {next_step}")

        def failed(error: BaseException) -> None:
            if self.record is not None and self.record.id == record.id:
                self._no_preview(error)

        self.task = run_in_background(self, "Preview", render, rendered,
                                      text=f"Rendering the preview of {record.case_number}…",
                                      failed=failed)

    def _no_preview(self, error: BaseException) -> None:
        self.preview.set_documents([])
        self.status.setText(f"No preview: {error}")

    def current_pdf(self) -> bytes | None:
        index = self.preview.chooser.currentIndex()
        documents = self.preview.documents()
        return documents[index][2] if 0 <= index < len(documents) else None

    # -- print and save ---------------------------------------------------------------------

    def print_kind(self, kind: str) -> None:
        kind = DocumentKind(kind)  # (the preview's signal carries the value)
        from . import (
            printing,  # Qt's print support loads when first used, not at start-up
        )

        printer = printing.choose_printer(self)
        if printer is None:
            return
        with reported(self, "Not printed") as outcome:
            if kind in self.stored:  # the original the first time, then a COPY (audited)
                printout = self.session.print_document(
                    self.stored[kind], lambda pdf: printing.print_pdf(pdf, printer))
                if printout.copy:
                    self.status.setText(f"Printed a copy stamped COPY of the "
                                        f"{KIND_LABELS[kind].lower()} (recorded in the history).")
            elif (pdf := self.current_pdf()) is not None:
                printing.print_pdf(pdf, printer)  # a preview: watermarked, nothing issued
        self.last_error_box = outcome.box or self.last_error_box

    def save_kind(self, kind: str) -> None:
        kind = DocumentKind(kind)
        suffix = "" if kind in self.stored else "-preview"
        name = (f"{self.record.case_number}-{kind.value}{suffix}.pdf" if self.record
                else f"{kind.value}.pdf")
        folder = self.session.path.parent if self.session.path else Path.home()
        from .file_dialogs import save_file

        path = save_file(self, "Save as PDF", folder / name, "PDF files (*.pdf)")
        if path:
            self.save_to(kind, path)

    def save_to(self, kind: DocumentKind | str, path: Path) -> None:
        kind = DocumentKind(kind)
        from . import printing

        with reported(self, "Not saved") as outcome:
            if kind in self.stored:
                self.session.save_document(self.stored[kind], path, printing.save_pdf_as)
            elif (pdf := self.current_pdf()) is not None:
                printing.save_pdf_as(pdf, path)
        self.last_error_box = outcome.box or self.last_error_box
