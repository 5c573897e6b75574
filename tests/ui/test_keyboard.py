"""Keyboard-first and accessible: every action reachable by a shortcut or mnemonic, each
Alt+letter going to one place only, Tab following the form, the periods table moving
like a spreadsheet, and every control with an accessible identifier."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QApplication, QComboBox, QHeaderView, QLabel, QLineEdit,
    QPlainTextEdit, QTabBar,
)

from billing_desk.ui.main_window import MainWindow
from tests.ui.helpers import enter_cell
from tests.ui.helpers import mnemonic, open_demo_case
from tests.ui.typing import press

FORM_ORDER = [
    "case_search", "status_filter", "assignee_filter", "age_filter", "case_table",
    "qt_tabwidget_tabbar",
    "account_number", "customer_name", "service_address", "mailing_address", "locale",
    "current_customer", "customer_email", "delivery", "service", "discovered_on", "made_known_on",
    "cause", "reading", "occurred_basis",
    "evidence_customer_could_have_discovered", "evidence_documentation_available",
    "evidence_documentation_confirmed", "evidence_customer_concealed_error",
    "add_period_row", "delete_period_rows", "paste_period_rows", "import_periods_csv",
    "periods_table",
]


def visible_mnemonics(w: MainWindow) -> Counter:
    letters: Counter = Counter()
    for action in w.menuBar().actions():
        if (m := mnemonic(action.text())):
            letters[m] += 1
    for bar in w.findChildren(QTabBar):
        for i in range(bar.count()):
            if (m := mnemonic(bar.tabText(i))):
                letters[m] += 1
    for widget in w.findChildren(QLabel) + w.findChildren(QAbstractButton):
        if widget.isVisibleTo(w) and (m := mnemonic(widget.text())):
            letters[m] += 1
    return letters


def test_each_alt_letter_goes_to_one_place_on_every_tab(make_window, case_file):
    w = make_window(case_file)
    open_demo_case(w)
    for tab in range(w.tabs.count()):
        w.tabs.setCurrentIndex(tab)
        letters = visible_mnemonics(w)
        assert len(letters) >= 8
        twice = {k: n for k, n in letters.items() if n > 1}
        assert not twice, f"tab {w.tabs.tabText(tab)!r}: Alt+{twice} reaches more than one control"


def test_every_menu_action_has_a_shortcut_or_a_mnemonic(make_window, case_file):
    w = make_window(case_file)
    actions = [a for menu in w.menuBar().actions() for a in menu.menu().actions()
               if not a.isSeparator()]
    assert len(actions) >= 12
    for a in actions:
        assert a.shortcut().toString() or mnemonic(a.text()), a.text()
    assert w.undo_act.shortcut().toString() and w.redo_act.shortcut().toString()


def test_tab_follows_the_form(make_window, case_file, qtbot):
    w = make_window(case_file)
    open_demo_case(w)
    w.activateWindow()
    w.case_list.search.setFocus()
    seen = []
    for _ in range(len(FORM_ORDER)):
        focus = w.focusWidget()
        seen.append(focus.objectName())
        press(focus, Qt.Key.Key_Tab)
    assert seen == FORM_ORDER


def test_ctrl_tab_leaves_the_periods_table_where_tab_moves_between_cells(make_window, case_file):
    w = make_window(case_file)
    open_demo_case(w)
    view = w.editor.periods_view
    view.setFocus()
    view.setCurrentIndex(w.editor.periods_model.index(0, 0))
    press(view, Qt.Key.Key_Tab)
    assert w.focusWidget() is view and view.currentIndex().column() == 1
    press(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert w.focusWidget() is not view
    view.setFocus()
    press(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert w.focusWidget() is w.editor.import_csv_button


def test_enter_moves_down_and_tab_past_the_last_cell_adds_a_row(make_window, case_file):
    w = make_window(case_file)
    w.new_case()
    view, model = w.editor.periods_view, w.editor.periods_model
    w.editor.add_row_button.click()
    w.editor.add_row_button.click()
    enter_cell(w, 0, 3, "10.00")  # typed, then Enter
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, 3)
    view.setCurrentIndex(model.index(1, 6))
    press(view, Qt.Key.Key_Tab)
    assert model.rowCount() == 3
    assert (view.currentIndex().row(), view.currentIndex().column()) == (2, 0)
    assert len(w.session.load(w.record.id).draft.periods) == 3  # the new row is saved too


def test_view_shortcuts_bring_the_editor_back_from_another_tab(make_window, case_file):
    w = make_window(case_file)
    open_demo_case(w)
    w.activateWindow()
    w.tabs.setCurrentWidget(w.notes)
    w.focus_editor_act.trigger()
    assert w.tabs.currentWidget() is w.editor_scroll
    assert w.focusWidget() is w.editor.number


def test_every_control_in_the_window_has_an_accessible_identifier(make_window, case_file):
    w = make_window(case_file)
    open_demo_case(w)
    kinds = (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QAbstractItemView)
    checked = 0
    for tab in range(w.tabs.count()):
        w.tabs.setCurrentIndex(tab)
        for kind in kinds:
            for control in w.findChildren(kind):
                # parts of a composite control (a table's headers, a combo's popup, the scroll
                # arrows of a tab bar too narrow for its tabs) are not controls
                if isinstance(control.parent(), (QAbstractItemView, QTabBar)) or isinstance(control, QHeaderView):
                    continue
                if not control.isVisibleTo(w) or control.objectName().startswith("qt_"):
                    continue
                assert control.accessibleIdentifier(), (
                    f"{type(control).__name__} {control.objectName()!r} on tab {w.tabs.tabText(tab)!r}")
                checked += 1
    assert checked > 30


def test_alt_letters_reach_their_field_and_tab(make_window, case_file, qtbot):
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest

    w = make_window(case_file)
    open_demo_case(w)
    qtbot.waitExposed(w)
    w.windowHandle().requestActivate()  # shortcuts reach the active window only
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    try:
        QTest.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is w.editor.customer_name
        QTest.keyClick(w, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is w.editor.made_known_on.edit
        QTest.keyClick(w, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
        assert w.tabs.currentWidget() is w.attachments
        QTest.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        assert w.tabs.currentWidget() is w.editor_scroll and QApplication.focusWidget() is w.editor.number
    finally:
        # the last key event leaves the application believing Ctrl is held, which would
        # turn later tests' clicks into Ctrl+clicks: let go of it
        QTest.keyRelease(w, Qt.Key.Key_Control)
    assert QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier


def test_every_menu_action_has_a_shortcut_and_no_two_share_one(make_window, case_file):
    """A key that two actions hold triggers neither (Qt calls it ambiguous), and an
    action a clerk can only reach by mouse is not keyboard-first."""
    from PySide6.QtGui import QAction

    w = make_window(case_file)
    open_demo_case(w)
    owners: dict[str, list[str]] = {}
    for action in w.findChildren(QAction):
        for key in action.shortcuts():
            owners.setdefault(key.toString(), []).append(action.text())
    twice = {k: v for k, v in owners.items() if len(set(v)) > 1}
    assert not twice, f"shortcuts held by more than one action: {twice}"
    for menu_action in w.menuBar().actions():
        menu = menu_action.menu()
        for action in menu.actions():
            if action.isSeparator() or action.menu() is not None:
                continue
            assert action.shortcuts() or mnemonic(action.text()), (
                f"{menu_action.text()!r} > {action.text()!r} has no shortcut and no Alt-letter")
