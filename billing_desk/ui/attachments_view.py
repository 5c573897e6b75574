"""A case's attachments: add (size-checked by the store), open, remove — each audited.
The sha256 shown is the content address the file keeps them under."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .qt import (
    QAbstractItemView, QDesktopServices, QHBoxLayout, QHeaderView, QMessageBox, QPushButton,
    QTableWidget, QTableWidgetItem, QUrl, QVBoxLayout, QWidget, Signal,
)

from ..store.errors import StoreError
from .a11y import identify
from .errors import expected_errors
from .formatting import time_text
from .session import CaseSession


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


class AttachmentsView(QWidget):
    changed = Signal()
    failed = Signal(object)  # the exception

    def __init__(self, session: CaseSession, parent=None) -> None:
        super().__init__(parent)
        identify(self, "attachments", "Attachments")
        self.session = session
        self.case_id: int | None = None
        self._records: list = []
        self.table = QTableWidget(0, 5)
        identify(self.table, "attachments_table", "Attachments")
        self.table.setHorizontalHeaderLabels(["Name", "Type", "Size", "Added", "SHA-256"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton("&Add file…")
        identify(self.add_button, "attachment_add", "Add an attachment")
        self.open_button = QPushButton("O&pen")
        identify(self.open_button, "attachment_open", "Open the selected attachment")
        self.remove_button = QPushButton("&Remove…")
        identify(self.remove_button, "attachment_remove", "Remove the selected attachment")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.open_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(buttons)
        lay.addWidget(self.table)
        self.add_button.clicked.connect(self.add_dialog)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.show_case(None)

    def show_case(self, case_id: int | None) -> None:
        self.case_id = case_id
        self._records = self.session.attachments(case_id) if case_id is not None else []
        self.table.setRowCount(len(self._records))
        for row, a in enumerate(self._records):
            cells = [a.original_name, a.media_type, human_size(a.size),
                     f"{time_text(a.added_at)} by {a.added_by}", a.sha256]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        for b in (self.add_button, self.open_button, self.remove_button):
            b.setEnabled(case_id is not None)

    def add_dialog(self) -> None:
        from .file_dialogs import open_files

        for p in open_files(self, "Attach files", Path.home()):
            self.add_path(p)

    def add_path(self, path: Path) -> bool:
        if self.case_id is None:
            return False
        try:
            self.session.attach_file(self.case_id, path)
        except expected_errors() as e:
            self.failed.emit(e)
            return False
        self.show_case(self.case_id)
        self.changed.emit()
        return True

    def _selected(self):
        row = self.table.currentRow()
        return self._records[row] if 0 <= row < len(self._records) else None

    def open_selected(self) -> None:
        a = self._selected()
        if a is None:
            return
        folder = Path(tempfile.mkdtemp(prefix="billing-desk-"))
        target = folder / Path(a.original_name).name
        target.write_bytes(self.session.attachment_bytes(a.id))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def remove_selected(self, *, confirm: bool = True) -> None:
        a = self._selected()
        if a is None:
            return
        if confirm and QMessageBox.question(
                self, "Remove attachment",
                f"Remove {a.original_name} from this case? The removal is recorded in the "
                "case history.") != QMessageBox.StandardButton.Yes:
            return
        try:
            self.session.remove_attachment(a.id)
        except StoreError as e:
            self.failed.emit(e)
            return
        self.show_case(self.case_id)
        self.changed.emit()
