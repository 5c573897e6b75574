"""The case list: search as you type, filters by status, assignee and age, sortable
columns; Enter or a double-click opens a case, Ctrl+N makes a new one. The clerk chooses
the columns shown (the header's context menu, or View > Case list columns) and drags them
into the order wanted; the columns, their widths and order and the sort are remembered
(QSettings).

It is part of the window's first frame, which does without PySide's ``Qt`` namespace
(see ui/main_window.py): the column headings are shown from a C++ model of their own,
so the header never asks the Python model (whose ``headerData`` answers screen readers)
and never converts a ``Qt.Orientation``; and the view sorts (``setSortingEnabled``,
which passes a ``Qt.SortOrder`` to the model) only once the workspace is built."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from .qt import (
    QAbstractItemView, QByteArray, QComboBox, QHBoxLayout, QHeaderView, QKeyEvent, QLabel,
    QLineEdit, QMenu, QModelIndex, QSettings, QStandardItemModel, QTableView, QTimer,
    QVBoxLayout, QWidget, Signal,
)

from ..domain.workflow import CaseStatus
from ..store.listing import CaseQuery
from .a11y import identify
from .case_list_model import COLUMNS, CaseListModel
from .session import CaseSession

STATUS_FILTERS = (
    ("Open cases", frozenset({CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.RETURNED,
                              CaseStatus.APPROVED, CaseStatus.ISSUED})),
    ("All statuses", frozenset()),
) + tuple((s.value.capitalize(), frozenset({s})) for s in CaseStatus)
AGE_FILTERS = (("Any age", None), ("Older than 30 days", 30), ("Older than 90 days", 90),
               ("Older than a year", 365))
#: the assignee filter's fixed choices; the people cases are assigned to follow them
ANYONE, MINE, UNASSIGNED = range(3)
ASSIGNEE_CHOICES = ("Anyone", "Assigned to me", "Unassigned")
SEARCH_DELAY_MS = 120
REFRESH_DELAY_MS = 400
#: the list starts newest first (updated, descending) until the clerk sorts it otherwise
DEFAULT_SORT_COLUMN = 8
HEADINGS = tuple(heading for heading, _key, _show in COLUMNS)
#: each heading in full (the cells show theirs in full as tooltips: case_list_model.py)
HEADING_TIPS = tuple(f"{h} (click to sort)" if key is not None else h for h, key, _show in COLUMNS)
#: the columns a saved header state is for (a state saved for other columns is ignored)
_COLUMNS_KEY = "|".join(HEADINGS)


def _sort_order(descending: bool):
    """The ``Qt.SortOrder`` (imported here: see the module's note)."""
    from .qt import Qt

    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder


class CaseTable(QTableView):
    activatedRow = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        from .qt import Qt

        # Enter alone opens the row; with Ctrl or Shift it is a shortcut's (submit), which
        # the window answers even when the action is not available (ui/availability.py)
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain and self.currentIndex().isValid():
            self.activatedRow.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class CaseList(QWidget):
    caseActivated = Signal(int)  # case id
    newCaseRequested = Signal()

    def __init__(self, session: CaseSession, parent=None) -> None:
        super().__init__(parent)
        identify(self, "case_list", "Case list")
        self.session = session
        self.model = CaseListModel(session, self)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search case, account, name, address…")
        self.search.setClearButtonEnabled(True)
        identify(self.search, "case_search", "Search cases")
        self.status = QComboBox()
        for label, _ in STATUS_FILTERS:
            self.status.addItem(label)
        identify(self.status, "status_filter", "Filter by status")
        self.assignee = QComboBox()
        identify(self.assignee, "assignee_filter", "Filter by assignee")
        self._fill_assignees()
        self.age = QComboBox()
        for label, _ in AGE_FILTERS:
            self.age.addItem(label)
        identify(self.age, "age_filter", "Filter by age")
        for combo in (self.status, self.assignee, self.age):
            # the popup shows the whole text; the closed box must not widen the list
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(7)
        self.count = QLabel()
        identify(self.count, "case_count", description="Number of cases shown")
        self.count.setWordWrap(True)  # (never cut off in a narrow list)

        self.table = CaseTable()
        identify(self.table, "case_table", "Cases")
        header = self.table.horizontalHeader()
        # hidden while the model is set, or the header would size itself from the model's
        # headings; then it shows them from a model of its own (see the module's note)
        header.hide()
        self.table.verticalHeader().hide()
        self.table.setModel(self.model)
        self.headings = QStandardItemModel(0, len(COLUMNS), self)
        self.headings.setHorizontalHeaderLabels(list(HEADINGS))
        for column, tip in enumerate(HEADING_TIPS):  # a narrow column elides its heading
            self.headings.horizontalHeaderItem(column).setToolTip(tip)
        header.setModel(self.headings)
        header.setHighlightSections(False)
        header.show()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # a read-only list: Tab leaves it for the editor (arrows move between rows)
        self.table.setTabKeyNavigation(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionsMovable(True)  # the clerk's order, kept with the widths
        self._default_widths()
        # which columns are shown: filled each time it opens, so it shows what is shown
        self.columns_menu = QMenu("Case list &columns", self)
        identify(self.columns_menu, "case_list_columns_menu", "Case list columns")
        self.columns_menu.aboutToShow.connect(self._fill_columns_menu)
        self._sorted = (DEFAULT_SORT_COLUMN, True)  # (column, descending) the list is in
        self._indicator_pending = False  # shown with the workspace (a first run)
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.search)
        filters = QHBoxLayout()
        for w in (self.status, self.assignee, self.age):
            filters.addWidget(w)
        lay.addLayout(filters)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.count)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self.search.returnPressed.connect(self._open_first)
        for combo in (self.status, self.assignee, self.age):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        session.fileOpened.connect(lambda _path: self._fill_assignees())
        self.table.doubleClicked.connect(lambda index: self._activate(index.row()))
        self.table.activatedRow.connect(self._activate)
        self.model.modelReset.connect(self._update_count)

    def apply_filters(self) -> None:
        self._timer.stop()
        q = self.model.query
        age_days = AGE_FILTERS[self.age.currentIndex()][1]
        before = (datetime.now(timezone.utc) - timedelta(days=age_days)) if age_days else None
        who = self.assignee.currentIndex()
        assignee = self.session.actor if who == MINE else self.assignee.currentData() if who > UNASSIGNED else None
        q = replace(q, text=self.search.text(), statuses=STATUS_FILTERS[self.status.currentIndex()][1],
                    assignee=assignee, unassigned=who == UNASSIGNED, created_before=before)
        self.model.set_query(q)

    def _fill_assignees(self) -> None:
        """Anyone, me, unassigned, then everyone the open file assigns cases to."""
        chosen = self.assignee.currentData() if self.assignee.currentIndex() > UNASSIGNED else None
        keep = self.assignee.currentIndex() if ANYONE <= self.assignee.currentIndex() <= UNASSIGNED else ANYONE
        people = self.session.assignees() if self.session.file is not None else []
        self.assignee.blockSignals(True)
        self.assignee.clear()
        for label in ASSIGNEE_CHOICES:
            self.assignee.addItem(label)
        if people:
            self.assignee.insertSeparator(len(ASSIGNEE_CHOICES))
        for login in people:
            self.assignee.addItem(f"Assigned to {login}", login)
        found = self.assignee.findData(chosen) if chosen is not None else -1
        self.assignee.setCurrentIndex(found if found >= 0 else keep)
        self.assignee.blockSignals(False)

    def _sort_changed(self, column: int, order) -> None:
        """A column the store cannot sort by keeps the indicator where the sort is."""
        if COLUMNS[column][1] is None:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self._sorted[0], _sort_order(self._sorted[1]))
            header.blockSignals(False)
        else:
            self._sorted = (column, order == _sort_order(True))

    # -- columns ---------------------------------------------------------------------------

    def _fill_columns_menu(self) -> None:
        menu, header = self.columns_menu, self.table.horizontalHeader()
        menu.clear()
        for column, heading in enumerate(HEADINGS):
            act = menu.addAction(heading)
            act.setObjectName(f"show_column_{column}")
            act.setCheckable(True)
            act.setChecked(not header.isSectionHidden(column))
            # the case number stays: it is what a row of the list is
            act.setEnabled(column != 0)
            act.toggled.connect(lambda shown, column=column: self.show_column(column, shown))
        menu.addSeparator()
        menu.addAction("Show &all columns", self.show_all_columns).setObjectName("show_all_columns")

    def show_column(self, column: int, shown: bool = True) -> None:
        """Show or hide a column (the case number is always shown)."""
        if column == 0 and not shown:
            return
        header = self.table.horizontalHeader()
        header.setSectionHidden(column, not shown)
        if shown and header.sectionSize(column) == 0:
            self.table.setColumnWidth(column, self._default_width(column))

    def show_all_columns(self) -> None:
        for column in range(len(COLUMNS)):
            self.show_column(column)

    def shown_columns(self) -> list[str]:
        """The headings of the columns shown, left to right."""
        header = self.table.horizontalHeader()
        logical = (header.logicalIndex(v) for v in range(header.count()))
        return [HEADINGS[c] for c in logical if not header.isSectionHidden(c)]

    # -- layout ----------------------------------------------------------------------------

    def restore_layout(self, settings: QSettings) -> None:
        """The column widths and the sort the clerk left (before the file's rows are
        read), saved by :meth:`save_layout`; the newest first on a first run."""
        state, sort = settings.value("case_list/header"), str(settings.value("case_list/sort", ""))
        column, _, order = sort.partition(" ")
        header = self.table.horizontalHeader()
        restored = False
        if (settings.value("case_list/columns") == _COLUMNS_KEY and column.isdigit()
                and int(column) < len(COLUMNS) and COLUMNS[int(column)][1] is not None
                and order in ("asc", "desc") and isinstance(state, QByteArray)):
            # (its sortIndicatorChanged would carry a Qt.SortOrder, which PySide cannot
            # convert before ``Qt`` exists; the sort is taken from the setting instead)
            header.blockSignals(True)
            restored = header.restoreState(state)
            header.blockSignals(False)
        if restored:
            self._sorted = (int(column), order == "desc")
            header.setSortIndicatorShown(True)
        else:  # a first run: the indicator needs a Qt.SortOrder, so it comes with sorting
            self._sorted = (DEFAULT_SORT_COLUMN, True)
            self._indicator_pending = True
        column, descending = self._sorted
        self.model.query = replace(self.model.query, sort=COLUMNS[column][1], descending=descending)

    _WIDTH_SAMPLES = ("BD-000000", "submitted", "000-0000-00", "Customer name here",
                      "0000 Riverside Ave, Fort Collins", "stormwater", "00/00/0000", "assignee",
                      "0000-00-00 00:00")

    def _default_width(self, column: int) -> int:
        return self.fontMetrics().horizontalAdvance(self._WIDTH_SAMPLES[column]) + 16

    def _default_widths(self) -> None:
        for column in range(len(COLUMNS)):
            self.table.setColumnWidth(column, self._default_width(column))

    def reset_layout(self) -> None:
        """The columns at their first widths and order, the list newest first."""
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.moveSection(header.visualIndex(column), column)
            header.showSection(column)
        self._default_widths()
        self.table.sortByColumn(DEFAULT_SORT_COLUMN, _sort_order(True))

    def save_layout(self, settings: QSettings) -> None:
        settings.setValue("case_list/header", self.table.horizontalHeader().saveState())
        settings.setValue("case_list/sort", f"{self._sorted[0]} {'desc' if self._sorted[1] else 'asc'}")
        settings.setValue("case_list/columns", _COLUMNS_KEY)

    def enable_sorting(self) -> None:
        """Clicking a heading sorts by it, right-clicking it chooses the columns shown
        (once the workspace is built: both need ``Qt``, see the module's note); the list is
        already in the order its indicator shows."""
        from .qt import Qt

        header = self.table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(
            lambda pos: self.columns_menu.popup(header.mapToGlobal(pos)))
        if self._indicator_pending:
            self.table.horizontalHeader().setSortIndicator(self._sorted[0],
                                                           _sort_order(self._sorted[1]))
            self._indicator_pending = False
        self.table.setSortingEnabled(True)

    def query(self) -> CaseQuery:
        return self.model.query

    def refresh(self) -> None:
        self._refresh_timer.stop()
        self.model.refresh_rows()
        self._update_count()

    def refresh_soon(self) -> None:
        """Refresh once the clerk pauses: a save on every keystroke must not re-read and
        repaint the list each time (the editor and the panel come first)."""
        self._refresh_timer.start()

    def _update_count(self) -> None:
        n = self.model.rowCount()
        if self.model.capped:
            self.count.setText(f"The newest {n:,} matching cases; type more to narrow the search")
        else:
            self.count.setText(f"{n:,} case{'s' if n != 1 else ''}")

    def _activate(self, row: int) -> None:
        s = self.model.summary(row)
        if s is not None:
            self.caseActivated.emit(s.id)

    def _open_first(self) -> None:
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
            self._activate(0)

    def select_case(self, case_id: int) -> None:
        row = self.model.row_of(case_id)
        if row is not None:
            self.table.setCurrentIndex(self.model.index(row, 0))

    def current_index(self) -> QModelIndex:
        return self.table.currentIndex()
