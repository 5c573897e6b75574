"""The outbox as a Qt table model: a thin view over the store's :class:`NoticeRecord`
values (one row a notice), tested headless."""

from __future__ import annotations

from typing import Callable

from .qt import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ..store.outbox import NoticeRecord
from . import roles
from .formatting import time_text

Index = QModelIndex | QPersistentModelIndex


def _when(n: NoticeRecord) -> str:
    return time_text(n.sent_at or n.updated_at)


COLUMNS: tuple[tuple[str, Callable[[NoticeRecord], str]], ...] = (
    ("#", lambda n: str(n.id)),
    ("Case", lambda n: n.case_number),
    ("Customer", lambda n: n.customer_name),
    ("Account", lambda n: n.account_number),
    ("To", lambda n: n.to_address),
    ("State", lambda n: n.state.label + (" (copy)" if n.copy else "")),
    ("Tries", lambda n: str(n.attempts)),
    ("When", _when),
    ("Server's answer", lambda n: n.server_reply or ""),
)


class OutboxModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.notices: list[NoticeRecord] = []

    def set_notices(self, notices: list[NoticeRecord]) -> None:
        self.beginResetModel()
        self.notices = list(notices)
        self.endResetModel()

    def notice(self, row: int) -> NoticeRecord:
        return self.notices[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.notices)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = roles.DISPLAY):
        if not index.isValid() or not 0 <= index.row() < len(self.notices):
            return None
        notice = self.notices[index.row()]
        if role in (roles.DISPLAY, roles.TOOLTIP):
            return COLUMNS[index.column()][1](notice)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = roles.DISPLAY):
        if role == roles.DISPLAY and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][0]
        return None
