"""A work queue (submitted cases, or the cases returned to a clerk) as a Qt table model:
a thin view over the store's :class:`QueueItem` values, which carry the totals and flags
of the determination recorded at submission."""

from __future__ import annotations

from typing import Callable, Sequence

from .qt import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ..domain.draft import DEFAULT_RULE_PACK
from ..domain.rulepacks import get_rule_pack
from ..store.records import QueueItem
from . import roles
from .formatting import money, time_text, utc_text

Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[QueueItem], str]]


def _when(item: QueueItem) -> str:
    return time_text(item.submitted.at) if item.submitted else "before version 2"


def _money(amount) -> str:
    return "—" if amount is None else money(amount)


def flag_words(flags: Sequence[str]) -> str:
    """``readings_differ`` -> ``readings differ``: short enough for a table cell."""
    return ", ".join(f.replace("_", " ") for f in flags)


WAITING_COLUMNS: tuple[Column, ...] = (
    ("Case", lambda q: q.case_number),
    ("Customer", lambda q: q.customer_name),
    ("Account", lambda q: q.account_number),
    ("Prepared by", lambda q: q.prepared_by),
    ("Submitted", _when),
    ("Refund", lambda q: _money(q.refund_total)),
    ("Back bill", lambda q: _money(q.back_bill_total)),
    ("Flags", lambda q: flag_words(q.flags)),
)
RETURNED_COLUMNS: tuple[Column, ...] = (
    ("Case", lambda q: q.case_number),
    ("Customer", lambda q: q.customer_name),
    ("Why it was returned", lambda q: q.status_reason or ""),
    ("Refund", lambda q: _money(q.refund_total)),
    ("Back bill", lambda q: _money(q.back_bill_total)),
)
_RIGHT = {"Refund", "Back bill"}


class QueueModel(QAbstractTableModel):
    def __init__(self, columns: tuple[Column, ...], parent=None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.items: list[QueueItem] = []

    def set_items(self, items: list[QueueItem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def item(self, row: int) -> QueueItem | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role in (roles.DISPLAY, roles.TOOLTIP):
            return self.columns[section][0]  # (the tooltip: the heading in full when elided)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        header, show = self.columns[index.column()]
        if role == roles.DISPLAY:
            return show(item)
        if role == roles.TOOLTIP:
            if header == "Flags" and item.flags:
                texts = get_rule_pack(DEFAULT_RULE_PACK).flag_texts
                return "\n".join(f"⚑ {texts.get(f, f)}" for f in item.flags)
            if header == "Submitted" and item.submitted:
                return f"{show(item)} (this computer's time); {utc_text(item.submitted.at)}"
            return show(item)
        if role == roles.ALIGNMENT and header in _RIGHT:
            return roles.RIGHT_ALIGNED
        if role == roles.USER:
            return item.case_id
        return None
