"""The case list as a Qt model over the case file, fetched page by page.

Only the row count and the pages the view actually shows are read, so a file of
100,000 cases opens as fast as one of a hundred. Sorting and filtering are done by the
store (indexed columns, FTS5 search), never by loading rows into widgets.
"""

from __future__ import annotations

from dataclasses import replace

from .qt import QAbstractTableModel, QModelIndex, QPersistentModelIndex

from ..store.listing import CaseQuery, SortKey
from ..store.summaries import CaseSummary
from . import roles
from .formatting import date_text, time_text
from .session import CaseSession

Index = QModelIndex | QPersistentModelIndex
PAGE = 200
MAX_CACHED_PAGES = 50

#: (header, sort key, how to show a summary)
COLUMNS = (
    ("Case", SortKey.CASE_NUMBER, lambda s: s.case_number),
    ("Status", SortKey.STATUS, lambda s: s.status.value),
    ("Account", SortKey.ACCOUNT_NUMBER, lambda s: s.account_number),
    ("Customer", SortKey.CUSTOMER_NAME, lambda s: s.customer_name),
    ("Service address", None, lambda s: (s.service_address or "").replace("\n", ", ")),
    ("Service", None, lambda s: s.service.value if s.service else ""),
    ("Discovered", SortKey.DISCOVERED_ON, lambda s: date_text(s.discovered_on)),
    ("Assignee", SortKey.ASSIGNEE, lambda s: s.assignee or ""),
    ("Updated", SortKey.UPDATED_AT, lambda s: time_text(s.updated_at)),
)


class CaseListModel(QAbstractTableModel):
    def __init__(self, session: CaseSession, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.query = CaseQuery()
        self._count = 0
        self._pages: dict[int, list[CaseSummary]] = {}

    # -- query ---------------------------------------------------------------------------

    def set_query(self, query: CaseQuery) -> None:
        self.query = query
        self.refresh()

    def refresh(self) -> None:
        """Re-read the count and drop cached pages (after a save, a filter change)."""
        self.beginResetModel()
        self._pages.clear()
        self._count = self._read_count()
        self.endResetModel()

    def _read_count(self) -> int:
        cf = self.session.file
        return cf.listing.count(self.query) if cf is not None else 0

    @property
    def capped(self) -> bool:
        """A search that lists only the newest matches (the store caps a search list)."""
        cf = self.session.file
        return cf is not None and cf.listing.is_capped(self.query)

    def refresh_rows(self) -> None:
        """Cheaper refresh when only row contents may have changed (same count)."""
        count = self._read_count()
        if count != self._count:
            self.refresh()
            return
        self._pages.clear()
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(COLUMNS) - 1))

    def summary(self, row: int) -> CaseSummary | None:
        if not 0 <= row < self._count:
            return None
        page_no = row // PAGE
        page = self._pages.get(page_no)
        if page is None:
            cf = self.session.file
            if cf is None:
                return None
            page = cf.listing.page(self.query, page_no * PAGE, PAGE)
            if len(self._pages) >= MAX_CACHED_PAGES:
                self._pages.pop(next(iter(self._pages)))
            self._pages[page_no] = page
        k = row % PAGE
        return page[k] if k < len(page) else None

    def row_of(self, case_id: int) -> int | None:
        """The row of a case among the pages already read, or on the first page (where a
        new or just-saved case sorts by default); None if not seen."""
        if 0 not in self._pages:
            self.summary(0)
        for page_no, page in self._pages.items():
            for k, s in enumerate(page):
                if s.id == case_id:
                    return page_no * PAGE + k
        return None

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = roles.DISPLAY):
        """The column headings (screen readers, tests; the list's header shows them from
        a model of its own: case_list.py)."""
        from .qt import Qt

        if orientation == Qt.Orientation.Horizontal and role == roles.DISPLAY:
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = roles.DISPLAY):
        if not index.isValid():
            return None
        s = self.summary(index.row())
        if s is None:
            return None
        if role in (roles.DISPLAY, roles.TOOLTIP):
            return COLUMNS[index.column()][2](s)
        if role == roles.USER:
            return s.id
        return None

    def sort(self, column: int, order=None) -> None:
        """Sort by ``column`` (ascending unless ``order`` is ``Qt.SortOrder.DescendingOrder``);
        the list already in that order is left as it is (not read again)."""
        from .qt import Qt

        key = COLUMNS[column][1]
        descending = order == Qt.SortOrder.DescendingOrder
        if key is None or (key, descending) == (self.query.sort, self.query.descending):
            return
        self.set_query(replace(self.query, sort=key, descending=descending))
