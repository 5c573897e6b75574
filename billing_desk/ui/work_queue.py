"""The work queues, side by side: cases waiting for approval (oldest submission first,
with totals and flags) and the cases returned to the signed-in clerk with the reason.
Enter or a double-click on a waiting case opens the approval view (for a user who can
approve; others open the case); on a returned case it opens the case to fix it."""

from __future__ import annotations

from .qt import (
    QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QModelIndex, QVBoxLayout, QWidget,
    Signal,
)

from .a11y import identify
from .case_list import CaseTable
from .queue_model import RETURNED_COLUMNS, WAITING_COLUMNS, QueueModel
from .session import CaseSession


def _table(identifier: str, name: str, model: QueueModel) -> CaseTable:
    """A read-only table of cases where Enter, like a double-click, opens the row."""
    table = CaseTable()
    identify(table, identifier, name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    # sized to the first rows once per refresh: sizing to every row on every change is
    # what made a long queue slow
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setResizeContentsPrecision(40)
    # a column's width is sized over the rows the *vertical* header allows (Qt's
    # sizeHintForColumn): without this every row of the queue is measured
    table.verticalHeader().setResizeContentsPrecision(40)
    header.setStretchLastSection(True)
    return table


class WorkQueue(QWidget):
    reviewRequested = Signal(int)  # case id: open the approval view
    openRequested = Signal(int)  # case id: open the case in the editor

    def __init__(self, session: CaseSession, parent=None) -> None:
        super().__init__(parent)
        identify(self, "work_queue", "Work queues")
        self.session = session
        self.waiting = QueueModel(WAITING_COLUMNS, self)
        self.returned = QueueModel(RETURNED_COLUMNS, self)
        self.waiting_table = _table("approval_queue", "Cases waiting for approval", self.waiting)
        self.returned_table = _table("returned_queue", "Cases returned to me", self.returned)
        self.waiting_box = QGroupBox()
        identify(self.waiting_box, "approval_queue_group", "Waiting for approval")
        QVBoxLayout(self.waiting_box).addWidget(self.waiting_table)
        self.returned_box = QGroupBox()
        identify(self.returned_box, "returned_queue_group", "Returned to me")
        QVBoxLayout(self.returned_box).addWidget(self.returned_table)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.waiting_box, 3)
        lay.addWidget(self.returned_box, 2)

        for table, slot in ((self.waiting_table, self._waiting_activated),
                            (self.returned_table, self._returned_activated)):
            table.activatedRow.connect(slot)
            table.doubleClicked.connect(lambda index, slot=slot: slot(index.row()))
        # filled by refresh(), which its owner calls once the window is set up
        # (workflow_actions.py): filling it here as well read and sized both queues twice

    def refresh(self) -> None:
        self.waiting.set_items(self.session.waiting_for_approval())
        self.returned.set_items(self.session.returned_to_me())
        for table in (self.waiting_table, self.returned_table):
            table.resizeColumnsToContents()
        n, m = self.waiting.rowCount(), self.returned.rowCount()
        total = self.session.waiting_count()
        shown = f"{n:,}" if n == total else f"the oldest {n:,} of {total:,}"
        for box, title in ((self.waiting_box, f"Waiting for approval, oldest first ({shown})"),
                           (self.returned_box, f"Returned to me ({m})")):
            box.setTitle(title)
            box.setToolTip(title)  # (a narrow dock cuts a group's title)

    def shows(self, case_id: int) -> bool:
        return any(i.case_id == case_id for i in self.waiting.items + self.returned.items)

    def _waiting_activated(self, row: int) -> None:
        item = self.waiting.item(row)
        if item is not None:
            (self.reviewRequested if self.session.can_approve else self.openRequested).emit(item.case_id)

    def _returned_activated(self, row: int) -> None:
        item = self.returned.item(row)
        if item is not None:
            self.openRequested.emit(item.case_id)

    def current_index(self) -> QModelIndex:
        return self.waiting_table.currentIndex()
