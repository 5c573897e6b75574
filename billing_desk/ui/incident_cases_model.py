"""The cases of an incident as a table model: a thin layer over the
``issuing.IncidentView`` (no SQL, no rule): which rows a filter shows and in what
order, and how each cell reads. Sorting compares Decimal amounts (never floats)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex

from ..issuing.incidents import IncidentView
from ..store.incidents import ApprovalState, IncidentCase
from . import roles
from .periods_model import format_amount

Index = QModelIndex | QPersistentModelIndex

APPROVAL_TEXT = {
    ApprovalState.NOT_COVERED: "",
    ApprovalState.COVERED: "approved with the incident",
    ApprovalState.DROPPED_OUT: "DROPPED OUT: edited after approval; needs its own",
    ApprovalState.OWN: "approved on its own",
}


class CaseFilter(StrEnum):
    ALL = "All cases"
    DIVERGENT = "Readings diverge"
    OUTLIERS = "Outliers"
    SAMPLE = "In the review sample"
    DROPPED_OUT = "Dropped out of the approval"
    NOT_APPROVED = "Not approved yet"


def _amount(c: IncidentCase, name: str) -> Decimal | None:
    return None if c.figures is None else getattr(c.figures, name)


class IncidentCasesModel(QAbstractTableModel):
    #: (header, cell text, sort key)
    COLUMNS: tuple[tuple[str, Callable[["IncidentCasesModel", IncidentCase], str],
                         Callable[["IncidentCasesModel", IncidentCase], Any]], ...] = (
        ("Case", lambda m, c: c.case_number, lambda m, c: c.case_id),
        ("Account", lambda m, c: c.account_number, lambda m, c: c.account_number),
        ("Customer", lambda m, c: c.customer_name, lambda m, c: c.customer_name.casefold()),
        ("Status", lambda m, c: c.status.value, lambda m, c: c.status.value),
        ("Refund", lambda m, c: format_amount(_amount(c, "refund")) or "invalid",
         lambda m, c: _amount(c, "refund") or Decimal(-1)),
        ("Back bill", lambda m, c: format_amount(_amount(c, "back_bill")),
         lambda m, c: _amount(c, "back_bill") or Decimal(-1)),
        ("Six-year kept back", lambda m, c: format_amount(_amount(c, "six_year")),
         lambda m, c: _amount(c, "six_year") or Decimal(-1)),
        ("Diverges", lambda m, c: "yes" if m.divergent(c) else "", lambda m, c: m.divergent(c)),
        ("Outlier", lambda m, c: "yes" if c.case_id in m.view.outliers else "",
         lambda m, c: c.case_id in m.view.outliers),
        ("Sample", lambda m, c: (m.view.sampled(c.case_id) or ""),
         lambda m, c: m.view.sampled(c.case_id) or ""),
        ("Approval", lambda m, c: APPROVAL_TEXT[c.approval], lambda m, c: c.approval.value),
    )
    AMOUNT_COLUMNS = frozenset({4, 5, 6})

    def __init__(self, view: IncidentView | None = None, parent=None) -> None:
        super().__init__(parent)
        self.view: IncidentView | None = None
        self._rows: list[IncidentCase] = []
        self._filter = CaseFilter.ALL
        self._sort: tuple[int, bool] = (0, False)
        if view is not None:
            self.set_view(view)

    # -- what is shown -------------------------------------------------------------------

    def set_view(self, view: IncidentView) -> None:
        self.beginResetModel()
        self.view = view
        self._rows = self._select()
        self.endResetModel()

    def set_filter(self, which: CaseFilter) -> None:
        self.beginResetModel()
        self._filter = CaseFilter(which)
        self._rows = self._select()
        self.endResetModel()

    def divergent(self, c: IncidentCase) -> bool:
        return c.figures is not None and c.figures.readings_differ

    def _keep(self, c: IncidentCase) -> bool:
        f, view = self._filter, self.view
        if f is CaseFilter.DIVERGENT:
            return self.divergent(c)
        if f is CaseFilter.OUTLIERS:
            return c.case_id in view.outliers
        if f is CaseFilter.SAMPLE:
            return view.sampled(c.case_id) is not None
        if f is CaseFilter.DROPPED_OUT:
            return c.approval is ApprovalState.DROPPED_OUT
        if f is CaseFilter.NOT_APPROVED:
            return c.approval in (ApprovalState.NOT_COVERED, ApprovalState.DROPPED_OUT)
        return True

    def _select(self) -> list[IncidentCase]:
        if self.view is None:
            return []
        rows = [c for c in self.view.cases if self._keep(c)] if self._filter is not CaseFilter.ALL \
            else list(self.view.cases)
        column, descending = self._sort
        if column or descending:
            key = self.COLUMNS[column][2]
            rows.sort(key=lambda c: key(self, c), reverse=descending)
        return rows

    def case_at(self, row: int) -> IncidentCase | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # -- Qt ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation, role: int = roles.DISPLAY) -> Any:  # noqa: N802
        if role == roles.DISPLAY and orientation.value == 1 and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = roles.DISPLAY) -> Any:
        if not index.isValid():
            return None
        c = self._rows[index.row()]
        column = index.column()
        if role == roles.DISPLAY:
            return self.COLUMNS[column][1](self, c)
        if role == roles.ALIGNMENT and column in self.AMOUNT_COLUMNS:
            return roles.RIGHT_ALIGNED
        if role == roles.TOOLTIP and column == 10 and c.approval is ApprovalState.DROPPED_OUT:
            return ("This case was edited after the incident's approval: it is a draft again "
                    "and needs its own approval before its letter can be issued.")
        return None

    def sort(self, column: int, order=None) -> None:  # noqa: A003 - Qt's name
        descending = order is not None and order.value == 1
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, descending)
        self._rows = self._select()
        self.layoutChanged.emit()
