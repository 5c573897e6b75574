"""A case's history: every audit entry (who, when, what changed), oldest first; whether
the chain verifies for this case (each of its entries hashes to itself and links to the
entries beside it, and the case matches its entries: checked each time a case is shown),
and a button that verifies the file's whole chain (on demand: on a large file it reads
every entry). The history is read when the view is shown, not on every save made while
another tab is in front (a long history of a 72-period case takes tens of milliseconds).

Each entry reads as sentences (ui/history_text.py): what happened and who did it, then
what changed, one line each ("Period 3: billed $131.00 → $100.00"); its time in local
time (the tooltip gives it in UTC, as ``billing-desk verify`` prints it, with the entry's
number and action)."""

from __future__ import annotations

from .qt import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QShowEvent, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from .a11y import identify
from .formatting import utc_text
from .history_text import describe_entry, entry_time
from .session import CaseSession

HEADERS = ("When", "Who", "What", "Changes")


class HistoryView(QWidget):
    def __init__(self, session: CaseSession, parent=None) -> None:
        super().__init__(parent)
        identify(self, "history", "Case history")
        self.session = session
        self._case_id: int | None = None
        self._stale = False
        self.chain = QLabel()
        identify(self.chain, "history_chain", description="Verification of this case's history")
        self.chain.setWordWrap(True)
        self.file_chain = QLabel()
        identify(self.file_chain, "history_file_chain", description="Verification of the whole file")
        self.file_chain.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        identify(self.table, "history_table", "Case history")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)  # what: wraps
        header.setStretchLastSection(True)
        self.verify_button = QPushButton("Ver&ify history")
        identify(self.verify_button, "verify_history", "Verify the tamper-evident history")
        self.verify_button.clicked.connect(self.verify)
        top = QHBoxLayout()
        top.addWidget(self.verify_button)
        top.addWidget(self.file_chain, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.chain)
        lay.addLayout(top)
        lay.addWidget(self.table)

    def show_case(self, case_id: int | None) -> None:
        self._case_id, self._stale = case_id, True
        self.verify_button.setEnabled(case_id is not None)
        if self.isVisible():
            self._fill()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._fill()

    def _fill(self) -> None:
        self._stale = False
        case_id = self._case_id
        entries = self.session.history(case_id) if case_id is not None else []
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            line = describe_entry(e.action, e.entity, e.actor, e.before, e.after, e.entity_id)
            changes = "\n".join(line.changes)
            cells = ((entry_time(e.at), f"{utc_text(e.at)}; audit entry {e.id}"),
                     (e.actor, e.actor),
                     (line.what, f"{line.what}\n(audit entry {e.id}: {e.action}, {e.entity})"),
                     (changes, changes))
            for col, (text, tip) in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                self.table.setItem(row, col, item)
        if entries:
            self.table.setColumnWidth(2, max(240, min(420, self.table.columnWidth(2))))
            self.table.resizeRowsToContents()
        self.verify_button.setEnabled(case_id is not None)
        self.file_chain.setText("")
        if case_id is None:
            self.chain.setText("")
            return
        report = self.session.verify_case(case_id)
        n = report.entries
        self.chain.setText(
            f"✔ History verified: the {n} entr{'y' if n == 1 else 'ies'} of this case are "
            "intact, linked into the file's chain, and the case matches them."
            if report.ok else f"✖ History does not verify: {report.problem}")
        self.chain.setStyleSheet("" if report.ok else "color: #a00000; font-weight: bold;")

    def verify(self) -> None:
        if self.session.file is None:
            return
        report = self.session.verify_file()
        self.file_chain.setText(("✔ " if report.ok else "✖ ") + report.summary())
