"""One table of a report as a Qt table model: a thin view over the domain's
:class:`~billing_desk.domain.reports.Table`, each cell shown as the PDF prints it
(:func:`~billing_desk.documents.report_format.cell_text`), numbers right-aligned, the
total rows in bold. The raw value (an ``int``, a ``Decimal``, a ``date``) is the
cell's ``UserRole``."""

from __future__ import annotations

from .qt import QAbstractTableModel, QFont, QModelIndex, QPersistentModelIndex, Qt

from ..documents.report_format import NO_FIGURE, cell_text, is_number
from ..domain.reports import Table
from . import roles

Index = QModelIndex | QPersistentModelIndex


class ReportTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.table: Table | None = None
        self._cells: list[list[str]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_table(self, table: Table | None) -> None:
        self.beginResetModel()
        self.table = table
        self._cells = [] if table is None else [
            [cell_text(v, c.kind) for v, c in zip(row, table.columns)] for row in table.rows]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if self.table is None or orientation != Qt.Orientation.Horizontal:
            return None
        if role == roles.DISPLAY:
            return self.table.columns[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if self.table is None or not index.isValid() or not 0 <= index.row() < len(self._cells):
            return None
        row, column = index.row(), index.column()
        if role == roles.DISPLAY:
            return self._cells[row][column]
        if role == roles.TOOLTIP:
            text = self._cells[row][column]
            return "no figure" if text == NO_FIGURE else text
        if role == roles.ALIGNMENT and is_number(self.table.columns[column].kind):
            return roles.RIGHT_ALIGNED
        if role == roles.FONT and row >= len(self._cells) - self.table.totals:
            return self._bold
        if role == roles.USER:
            return self.table.rows[row][column]
        return None
