"""The determination's per-period lines as a table model for the panel.

Each period takes two rows: its amounts (period, included, excluded, clause), then its
direction and reason, which the view spans over the whole width so a reason can be read
in full in a narrow panel. One model reset per determination: the panel is refilled on
every keystroke, so it must not build a widget item per cell.
"""

from __future__ import annotations

from .qt import QAbstractTableModel, QFont, QModelIndex, QPersistentModelIndex, Qt

from ..domain.case import Case
from ..domain.determination import Determination
from ..domain.rulepacks import get_rule_pack
from . import roles
from .formatting import money, period_label, reason_text

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Period", "Included", "Excluded", "Clause")
DIRECTION_TEXT = {"overcharge": "Overcharge", "undercharge": "Undercharge", "none": "No difference"}
#: (the name this module gave it first; money is written by ui/formatting.py)
money_display = money


class DeterminationLinesModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._amounts: list[tuple[str, str, str, str]] = []
        self._reasons: list[str] = []
        self._italic = QFont()
        self._italic.setItalic(True)

    def show(self, case: Case | None, d: Determination | None) -> None:
        self.beginResetModel()
        self._amounts, self._reasons = [], []
        if case is not None and d is not None:
            templates = get_rule_pack(d.rule_pack).reason_texts
            for line, period in zip(d.periods, case.periods):
                self._amounts.append((period_label(period.start, period.end),
                                      money_display(line.included_amount),
                                      money_display(line.excluded_amount), line.clause or "—"))
                self._reasons.append(f"{DIRECTION_TEXT[line.direction.value]} — "
                                     f"{reason_text(line.reason, templates)}")
        self.endResetModel()

    def reason_rows(self) -> range:
        """The rows the view spans over the whole width."""
        return range(1, 2 * len(self._reasons), 2)

    def reason(self, row: int) -> str:
        return self._reasons[row // 2]

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 2 * len(self._amounts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != roles.DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return "" if section % 2 else str(section // 2 + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if row % 2:  # the reason row
            if col != 0:
                return None
            if role in (roles.DISPLAY, roles.TOOLTIP):
                return self._reasons[row // 2]
            if role == roles.FONT:
                return self._italic
            return None
        if role in (roles.DISPLAY, roles.TOOLTIP):  # (a narrow panel elides a period)
            return self._amounts[row // 2][col]
        if role == roles.ALIGNMENT and col in (1, 2):
            return roles.RIGHT_ALIGNED
        return None
