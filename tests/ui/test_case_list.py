"""The case list over a real case file: search as you type, status / assignee / age
filters, sortable columns, pages read only as they are shown."""

from __future__ import annotations

from PySide6.QtCore import Qt

from billing_desk.demo import DEMO_USERS
from billing_desk.domain.workflow import Role
from billing_desk.store.demo_file import create_demo_file, fill_demo
from billing_desk.store.listing import SortKey
from billing_desk.ui import case_list_model

from tests.ui.typing import press, type_text


def shown(w, column: int) -> list[str]:
    model = w.case_list.model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


#: a demo file has the demo office as its users: the window acts as its clerk
CLERK = next(u.login for u in DEMO_USERS if u.role is Role.CLERK)


def demo_window(make_window, case_file, count: int = 60):
    w = make_window(case_file, actor=CLERK)
    fill_demo(w.session.file, count)
    w.session.fileOpened.emit(w.session.path)  # as on opening it: assignees, list
    return w


def test_search_as_you_type_narrows_the_list(make_window, case_file, qtbot):
    w = demo_window(make_window, case_file)
    w.case_list.status.setCurrentIndex(1)  # all statuses
    everyone = w.case_list.model.rowCount()
    target = w.case_list.model.summary(7)
    search = w.case_list.search
    search.setFocus()
    type_text(search, target.customer_name.split()[0][:3])
    qtbot.waitUntil(lambda: w.case_list.model.rowCount() < everyone)
    assert target.customer_name in shown(w, 3)
    search.clear()
    type_text(search, target.account_number)
    qtbot.waitUntil(lambda: w.case_list.model.rowCount() == 1)
    press(search, Qt.Key.Key_Return)  # Enter opens the (first) match
    assert w.record.id == target.id
    assert w.case_list.count.text() == "1 case"


def test_filters_by_status_assignee_and_age(make_window, case_file):
    w = demo_window(make_window, case_file)
    cl = w.case_list
    cl.status.setCurrentIndex(cl.status.findText("Submitted"))
    assert cl.model.rowCount() > 0 and set(shown(w, 1)) == {"submitted"}

    cl.status.setCurrentIndex(1)
    people = [cl.assignee.itemData(i) for i in range(cl.assignee.count()) if cl.assignee.itemData(i)]
    assert "akim" in people and people == sorted(people)
    cl.assignee.setCurrentIndex(cl.assignee.findData("akim"))
    assert cl.model.rowCount() > 0 and set(shown(w, 7)) == {"akim"}
    cl.assignee.setCurrentIndex(cl.assignee.findText("Unassigned"))
    assert set(shown(w, 7)) <= {""}
    cl.assignee.setCurrentIndex(cl.assignee.findText("Assigned to me"))
    assert cl.model.rowCount() > 0 and set(shown(w, 7)) == {CLERK}  # the window's clerk


def test_age_filter_leaves_out_recent_cases(make_window, tmp_path):
    path = tmp_path / "demo.bdesk"
    create_demo_file(path, 20).close()  # cases dated January 2025 by the demo clock
    w = make_window(path, actor=CLERK)
    cl = w.case_list
    cl.status.setCurrentIndex(1)
    w.new_case()  # today
    cl.age.setCurrentIndex(cl.age.findText("Older than 30 days"))
    assert cl.model.rowCount() == 20 and w.record.case_number not in shown(w, 0)
    cl.age.setCurrentIndex(0)
    assert cl.model.rowCount() == 21


def test_columns_sort_through_the_store(make_window, case_file):
    w = demo_window(make_window, case_file)
    header = w.case_list.table.horizontalHeader()
    w.case_list.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # customer
    assert w.case_list.model.query.sort is SortKey.CUSTOMER_NAME
    names = shown(w, 3)
    assert names == sorted(names, key=str.casefold)
    w.case_list.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    numbers = shown(w, 0)
    assert numbers == sorted(numbers, reverse=True)
    # the service address is not an indexed column: the indicator stays on the real sort
    header.setSortIndicator(4, Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == 0 and shown(w, 0) == numbers


def test_only_the_pages_shown_are_read(make_window, case_file, monkeypatch, qtbot):
    monkeypatch.setattr(case_list_model, "PAGE", 10)
    w = demo_window(make_window, case_file, 120)
    w.case_list.status.setCurrentIndex(1)
    reads = []
    listing = w.session.file.listing
    real_page = listing.page
    monkeypatch.setattr(listing, "page", lambda q, offset, limit: reads.append(offset) or real_page(q, offset, limit))
    w.case_list.refresh()
    w.case_list.table.scrollToBottom()
    qtbot.wait(50)
    assert w.case_list.model.rowCount() == 120
    assert 0 < len(reads) <= 4 and 110 in reads  # the first and the last page, not all twelve


def test_a_new_case_is_selected_in_the_list(make_window, case_file):
    w = demo_window(make_window, case_file, 5)
    w.new_case_act.trigger()
    assert w.case_list.model.summary(w.case_list.current_index().row()).id == w.record.id


def test_a_search_finding_very_many_cases_shows_the_newest_and_says_so(make_window, case_file, monkeypatch, qtbot):
    w = demo_window(make_window, case_file, 30)
    monkeypatch.setattr(w.session.file.listing, "search_limit", 5)
    w.case_list.status.setCurrentIndex(1)
    w.case_list.search.setText("fort")  # every demo address is in Fort Collins
    w.case_list.apply_filters()
    assert w.case_list.model.rowCount() == 5
    assert w.case_list.count.text() == "The newest 5 matching cases; type more to narrow the search"
    newest = sorted((w.case_list.model.summary(r).id for r in range(5)), reverse=True)
    assert newest == list(range(30, 25, -1))  # the highest case numbers
    w.case_list.search.setText("")
    w.case_list.apply_filters()
    assert w.case_list.count.text() == "30 cases"


def test_enter_or_a_double_click_in_the_list_opens_the_case(make_window, case_file, qtbot):
    w = demo_window(make_window, case_file, 5)
    table = w.case_list.table
    table.setFocus()
    table.setCurrentIndex(w.case_list.model.index(2, 0))
    press(table, Qt.Key.Key_Return)
    assert w.record.id == w.case_list.model.summary(2).id
    rect = table.visualRect(w.case_list.model.index(3, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # as a mouse does:
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # press, then double
    assert w.record.id == w.case_list.model.summary(3).id


def test_the_sort_and_the_column_widths_are_remembered(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from billing_desk.ui.main_window import MainWindow
    from billing_desk.ui.session import CaseSession

    path = tmp_path / "office.bdesk"
    create_demo_file(path, 40).close()
    settings = QSettings(str(tmp_path / "clerk.ini"), QSettings.Format.IniFormat)

    def window() -> MainWindow:
        w = MainWindow(CaseSession(CLERK), settings)
        qtbot.addWidget(w)
        assert w.open_path(path)
        w.show()
        qtbot.waitUntil(lambda: w.workspace_built)
        return w

    first = window()
    header = first.case_list.table.horizontalHeader()
    # a first run: newest first, the indicator on "Updated"
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (8, Qt.SortOrder.DescendingOrder)
    assert first.case_list.model.query.sort is SortKey.UPDATED_AT
    first.case_list.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # customer, A to Z
    header.resizeSection(3, 311)
    names = shown(first, 3)
    first.close()
    first.session.close()

    again = window()
    header = again.case_list.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (3, Qt.SortOrder.AscendingOrder)
    assert header.sectionSize(3) == 311
    assert again.case_list.model.query.sort is SortKey.CUSTOMER_NAME
    assert shown(again, 3) == names == sorted(names, key=str.casefold)
    # the headings are the columns' names, for the eye and for screen readers alike
    labels = [again.case_list.model.headerData(c, Qt.Orientation.Horizontal) for c in range(9)]
    assert [header.model().headerData(c, Qt.Orientation.Horizontal) for c in range(9)] == labels
    assert labels[:4] == ["Case", "Status", "Account", "Customer"]
    # and a click on a heading still sorts by it
    header.setSortIndicator(2, Qt.SortOrder.DescendingOrder)
    assert again.case_list.model.query.sort is SortKey.ACCOUNT_NUMBER
    accounts = shown(again, 2)
    assert accounts == sorted(accounts, reverse=True)
    again.session.close()


def test_a_layout_saved_for_other_columns_is_not_applied(qtbot, tmp_path):
    from PySide6.QtCore import QByteArray, QSettings

    from billing_desk.ui.main_window import MainWindow
    from billing_desk.ui.session import CaseSession

    path = tmp_path / "office.bdesk"
    create_demo_file(path, 5).close()
    settings = QSettings(str(tmp_path / "clerk.ini"), QSettings.Format.IniFormat)
    settings.setValue("case_list/columns", "Case|Status")
    settings.setValue("case_list/sort", "1 asc")
    settings.setValue("case_list/header", QByteArray(b"\x00\x00\x00\xff garbage"))
    w = MainWindow(CaseSession(CLERK), settings)
    qtbot.addWidget(w)
    assert w.open_path(path)
    header = w.case_list.table.horizontalHeader()
    # as on a first run: newest first, the indicator shown with the workspace
    assert w.case_list.model.query.sort is SortKey.UPDATED_AT and header.count() == 9
    assert not header.isSortIndicatorShown()
    w.build_workspace()
    assert header.isSortIndicatorShown()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (8, Qt.SortOrder.DescendingOrder)
    assert w.case_list.model.query.sort is SortKey.UPDATED_AT
    w.session.close()


def test_screen_readers_hear_the_column_headings(make_window, case_file):
    from PySide6.QtGui import QAccessible

    w = demo_window(make_window, case_file, 5)
    table = QAccessible.queryAccessibleInterface(w.case_list.table)
    headers = [table.child(i) for i in range(1, 10)]
    assert all(h.role() == QAccessible.Role.ColumnHeader for h in headers)
    assert [h.text(QAccessible.Text.Name) for h in headers] == [
        "Case", "Status", "Account", "Customer", "Service address", "Service", "Discovered",
        "Assignee", "Updated"]


def test_reset_layout_puts_everything_back_as_it_first_was(make_window, case_file, qtbot):
    from PySide6.QtCore import Qt

    w = demo_window(make_window, case_file, 20)
    qtbot.waitUntil(lambda: w.workspace_built)
    header = w.case_list.table.horizontalHeader()
    first_width = header.sectionSize(3)
    w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, w.queue_dock)
    w.queue_dock.close()
    w.case_list.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    header.resizeSection(3, first_width + 120)
    header.moveSection(header.visualIndex(3), 0)
    assert w.case_list.model.query.sort is SortKey.CUSTOMER_NAME

    assert w.reset_layout_act.text() == "&Reset layout"
    w.reset_layout_act.trigger()
    assert w.dockWidgetArea(w.queue_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert w.queue_dock.isVisible()
    assert header.sectionSize(3) == first_width and header.visualIndex(3) == 3
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (8, Qt.SortOrder.DescendingOrder)
    assert w.case_list.model.query.sort is SortKey.UPDATED_AT and w.case_list.model.query.descending
    assert w.statusBar().currentMessage() == "Layout reset"


def test_the_clerk_chooses_the_columns_from_the_header_and_they_are_remembered(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from billing_desk.ui.main_window import MainWindow
    from billing_desk.ui.session import CaseSession

    path = tmp_path / "office.bdesk"
    create_demo_file(path, 12).close()
    settings = QSettings(str(tmp_path / "clerk.ini"), QSettings.Format.IniFormat)

    def window() -> MainWindow:
        w = MainWindow(CaseSession(CLERK), settings)
        qtbot.addWidget(w)
        assert w.open_path(path)
        w.show()
        qtbot.waitUntil(lambda: w.workspace_built)
        return w

    first = window()
    cl = first.case_list
    header = cl.table.horizontalHeader()
    assert cl.shown_columns() == list(case_list_model.COLUMNS[i][0] for i in range(9))
    # a right-click on the header opens the menu of columns, each ticked if shown
    menu = cl.columns_menu
    from PySide6.QtCore import QPoint

    header.customContextMenuRequested.emit(QPoint(header.sectionViewportPosition(1) + 5, 5))
    qtbot.waitUntil(menu.isVisible)
    acts = {a.text(): a for a in menu.actions() if a.isCheckable()}
    assert list(acts) == [c[0] for c in case_list_model.COLUMNS]
    assert all(a.isChecked() for a in acts.values())
    assert not acts["Case"].isEnabled()  # a row of the list is a case: its number stays
    for heading in ("Status", "Service", "Assignee"):
        acts[heading].trigger()
    menu.close()
    # the address comes right after the customer, now in view
    assert cl.shown_columns() == ["Case", "Account", "Customer", "Service address", "Discovered",
                                  "Updated"]
    cl.show_column(0, False)
    assert cl.shown_columns()[0] == "Case"
    header.moveSection(header.visualIndex(4), 1)  # dragged next to the case number
    first.close()
    first.session.close()

    again = window()
    cl = again.case_list
    assert cl.shown_columns() == ["Case", "Service address", "Account", "Customer", "Discovered",
                                  "Updated"]
    # the same menu is under View, for the keyboard; it shows what is shown now
    view = next(a.menu() for a in again.menuBar().actions() if a.text() == "&View")
    assert cl.columns_menu in [a.menu() for a in view.actions()]
    cl.columns_menu.aboutToShow.emit()
    acts = {a.text(): a for a in cl.columns_menu.actions() if a.isCheckable()}
    assert [h for h, a in acts.items() if not a.isChecked()] == ["Status", "Service", "Assignee"]
    acts["Status"].trigger()
    assert "Status" in cl.shown_columns()
    assert cl.table.horizontalHeader().sectionSize(1) > 20
    next(a for a in cl.columns_menu.actions() if a.objectName() == "show_all_columns").trigger()
    assert len(cl.shown_columns()) == 9
    again.session.close()


def test_the_service_address_is_shown_whole_in_its_tooltip(make_window, case_file):
    w = demo_window(make_window, case_file, 5)
    model = w.case_list.model
    s = model.summary(0)
    assert s.service_address
    index = model.index(0, 4)
    assert model.data(index) == s.service_address.replace("\n", ", ")
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) == model.data(index)
