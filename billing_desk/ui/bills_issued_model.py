"""The bills-issued table as typed: year, service, bills issued, one row a figure.

Each cell keeps exactly what was typed; every row is checked as it changes (the domain's
:func:`~billing_desk.domain.bills_issued.parse_entry`, and no year and service twice),
and a bad cell is marked -- tinted, its tooltip and accessible description saying why --
while the table as a whole can be saved only when every row is good. A row left empty
is ignored."""

from __future__ import annotations

from .qt import QAbstractTableModel, QBrush, QColor, QModelIndex, QPersistentModelIndex, Qt, Signal

from ..domain.bills_issued import (
    FIELDS, BillsIssued, RowProblem, duplicate_problems, parse_entry, service_label,
)
from . import roles

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Year", "Service", "Bills issued")
_INVALID = QBrush(QColor("#ffd6d6"))


def _texts(figure: BillsIssued) -> list[str]:
    return [str(figure.year), service_label(figure.service), f"{figure.bills:,}"]


class BillsIssuedModel(QAbstractTableModel):
    edited = Signal()  # a cell changed, a row was added or removed

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.original: list[BillsIssued] = []
        self.rows: list[list[str]] = []
        self._problems: dict[tuple[int, str], str] = {}
        self._figures: list[BillsIssued] | None = []

    # -- content -------------------------------------------------------------------------

    def load(self, figures: list[BillsIssued]) -> None:
        self.beginResetModel()
        self.original = list(figures)
        self.rows = [_texts(f) for f in figures]
        self._check()
        self.endResetModel()

    def add_row(self) -> int:
        row = len(self.rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.append(["", "", ""])
        self.endInsertRows()
        self._after_edit()
        return row

    def remove_rows(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self.rows):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.rows[row]
                self.endRemoveRows()
        self._after_edit()

    def problems(self) -> list[RowProblem]:
        """Every problem, by row (numbered from 1, as shown) and field."""
        return [RowProblem(row + 1, field, message)
                for (row, field), message in sorted(self._problems.items(),
                                                    key=lambda kv: (kv[0][0], FIELDS.index(kv[0][1])))]

    def figures(self) -> list[BillsIssued] | None:
        """The figures of the table, or None while a row is not good."""
        return None if self._figures is None else list(self._figures)

    def is_changed(self) -> bool:
        figures = self._figures
        return figures is None or sorted(figures) != sorted(self.original)

    def _check(self) -> None:
        self._problems = {}
        good: list[tuple[int, BillsIssued]] = []
        for row, (year, service, bills) in enumerate(self.rows):
            if not (year.strip() or service.strip() or bills.strip()):
                continue  # an empty row: nothing typed yet
            figure, problems = parse_entry(row, year, service, bills)
            for p in problems:
                self._problems[(row, p.field)] = p.message
            if figure is not None:
                good.append((row, figure))
        for p in duplicate_problems([(row + 1, f) for row, f in good]):
            self._problems[(p.row - 1, p.field)] = p.message
        self._figures = None if self._problems else [f for _, f in good]

    def _after_edit(self) -> None:
        before = dict(self._problems)
        self._check()
        if before != self._problems and self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 2))
        self.edited.emit()

    # -- Qt ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role == roles.DISPLAY:
            return HEADERS[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsEditable)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = index.row(), index.column()
        problem = self._problems.get((row, FIELDS[column]))
        if role in (roles.DISPLAY, roles.EDIT):
            return self.rows[row][column]
        if role == roles.BACKGROUND and problem:
            return _INVALID
        if role == roles.TOOLTIP:
            return f"Not saved: {problem}" if problem else None
        if role == roles.ACCESSIBLE_DESCRIPTION and problem:
            return f"invalid, not saved: {problem}"
        if role == roles.ALIGNMENT and column == 2:
            return roles.RIGHT_ALIGNED
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != roles.EDIT or not index.isValid():
            return False
        text = "" if value is None else str(value)
        if self.rows[index.row()][index.column()] == text:
            return False
        self.rows[index.row()][index.column()] = text
        self.dataChanged.emit(index, index)
        self._after_edit()
        return True
