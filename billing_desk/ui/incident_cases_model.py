"""The cases of an incident as a table model, read from the case file a page at a time
(like the case list): 100,000 cases open as fast as seventy-four. The store filters and
sorts (amounts compared in whole cents, never floats); this model only holds the pages
on screen and says how each cell reads. No SQL, no rule."""

from __future__ import annotations

from typing import Any, Callable

from .qt import QAbstractTableModel, QModelIndex, QPersistentModelIndex

from ..issuing.incidents import IncidentView
from ..store.incidents import ApprovalState, CaseFilter, CaseSort, IncidentCase, IncidentCaseQuery
from . import roles
from .periods_model import format_amount

Index = QModelIndex | QPersistentModelIndex
PAGE = 200
MAX_CACHED_PAGES = 50

APPROVAL_TEXT = {
    ApprovalState.NOT_COVERED: "",
    ApprovalState.COVERED: "approved with the incident",
    ApprovalState.DROPPED_OUT: "DROPPED OUT: edited after approval; needs its own",
    ApprovalState.OWN: "approved on its own",
}


def _money(c: IncidentCase, name: str, invalid: str = "") -> str:
    return invalid if c.figures is None else format_amount(getattr(c.figures, name))


#: (header, sort key, cell text)
COLUMNS: tuple[tuple[str, CaseSort, Callable[[IncidentCase], str]], ...] = (
    ("Case", CaseSort.CASE, lambda c: c.case_number),
    ("Account", CaseSort.ACCOUNT, lambda c: c.account_number),
    ("Customer", CaseSort.CUSTOMER, lambda c: c.customer_name),
    ("Status", CaseSort.STATUS, lambda c: c.status.value),
    ("Refund", CaseSort.REFUND, lambda c: _money(c, "refund", "invalid")),
    ("Back bill", CaseSort.BACK_BILL, lambda c: _money(c, "back_bill")),
    ("Six-year kept back", CaseSort.SIX_YEAR, lambda c: _money(c, "six_year")),
    ("Diverges", CaseSort.DIVERGES,
     lambda c: "yes" if c.figures is not None and c.figures.readings_differ else ""),
    ("Outlier", CaseSort.OUTLIER, lambda c: "yes" if c.outlier else ""),
    ("Sample", CaseSort.SAMPLE, lambda c: c.sampled.value if c.sampled else ""),
    ("Approval", CaseSort.APPROVAL, lambda c: APPROVAL_TEXT[c.approval]),
)
AMOUNT_COLUMNS = frozenset({4, 5, 6})
APPROVAL_COLUMN = 10

Pager = Callable[[IncidentCaseQuery, int, int], list[IncidentCase]]
Counter = Callable[[IncidentCaseQuery], int]


class IncidentCasesModel(QAbstractTableModel):
    def __init__(self, count: Counter, page: Pager, parent=None) -> None:
        """``count(query)`` and ``page(query, offset, limit)``: the incident's cases as the
        store lists them."""
        super().__init__(parent)
        self._count_of, self._page_of = count, page
        self.view: IncidentView | None = None
        self.filter = CaseFilter.ALL
        self.sort_key, self.descending = CaseSort.CASE, False
        self._count = 0
        self._pages: dict[int, list[IncidentCase]] = {}

    @property
    def query(self) -> IncidentCaseQuery | None:
        if self.view is None:
            return None
        return self.view.query(self.filter, self.sort_key, self.descending)

    def set_view(self, view: IncidentView) -> None:
        self.view = view
        self.refresh()

    def set_filter(self, which: CaseFilter) -> None:
        self.filter = CaseFilter(which)
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        if self.query is None:
            self._count = 0
        elif self.filter is CaseFilter.ALL:
            self._count = self.view.totals.cases  # (counted with the view already)
        else:
            self._count = self._count_of(self.query)
        self.endResetModel()

    def case_at(self, row: int) -> IncidentCase | None:
        if not 0 <= row < self._count or self.query is None:
            return None
        number = row // PAGE
        page = self._pages.get(number)
        if page is None:
            if len(self._pages) >= MAX_CACHED_PAGES:
                self._pages.pop(next(iter(self._pages)))
            page = self._pages[number] = self._page_of(self.query, number * PAGE, PAGE)
        k = row - number * PAGE
        return page[k] if k < len(page) else None

    def row_of(self, case_id: int) -> int | None:
        """The row showing ``case_id`` among the pages read so far."""
        for number, page in self._pages.items():
            for k, c in enumerate(page):
                if c.case_id == case_id:
                    return number * PAGE + k
        return None

    # -- Qt ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = roles.DISPLAY) -> Any:  # noqa: N802
        if role == roles.DISPLAY and orientation.value == 1 and 0 <= section < len(COLUMNS):
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = roles.DISPLAY) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if role == roles.ALIGNMENT:
            return roles.RIGHT_ALIGNED if column in AMOUNT_COLUMNS else None
        if role not in (roles.DISPLAY, roles.TOOLTIP):
            return None
        c = self.case_at(index.row())
        if c is None:
            return None
        if role == roles.DISPLAY:
            return COLUMNS[column][2](c)
        if column == APPROVAL_COLUMN and c.approval is ApprovalState.DROPPED_OUT:
            return ("This case was edited after the incident's approval: it is a draft again "
                    "and needs its own approval before its letter can be issued.")
        return None

    def sort(self, column: int, order=None) -> None:  # noqa: A003 - Qt's name
        if not 0 <= column < len(COLUMNS):
            return
        # a reset, not a layout change: the rows' new places are the store's to say (a
        # page at a time), so an index kept on a row could not follow its case -- a
        # selection would silently move to whichever case sorts into its place
        self.beginResetModel()
        self.sort_key = COLUMNS[column][1]
        self.descending = order is not None and order.value == 1
        self._pages.clear()
        self.endResetModel()
