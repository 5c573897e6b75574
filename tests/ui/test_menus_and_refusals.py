"""The menus by keyboard: every menu's Alt-letters unique; an action not available now
says why -- in its tooltip, and in the status bar when its shortcut is pressed (a clerk
pressing Ctrl+Shift+A used to get nothing); Ctrl+4 goes to the work queues (it used to
hide them when they were shown) and F8 to the problems to fix."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from tests.ui.helpers import mnemonic, open_demo_case
from tests.ui.helpers import type_case


CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def menus(menu: QMenu):
    yield menu
    for action in menu.actions():
        if action.menu() is not None:
            yield from menus(action.menu())


def test_every_menus_alt_letters_are_unique(make_window, case_file):
    w = make_window(case_file)
    open_demo_case(w)
    checked = 0
    for top in w.menuBar().actions():
        for menu in menus(top.menu()):
            letters = Counter(m for a in menu.actions() if not a.isSeparator()
                              if (m := mnemonic(a.text())))
            twice = {k: n for k, n in letters.items() if n > 1}
            assert not twice, f"{menu.title()!r}: Alt+{twice} names more than one item"
            checked += 1
    assert checked >= 7
    file_menu = [a.text() for a in w.file_menu.actions() if not a.isSeparator()]
    assert "&Sign out / switch user…" in file_menu and "&Open case file…" in file_menu


def test_approve_pressed_by_a_clerk_says_why_in_the_status_bar(make_window, office, activate):
    w = make_window(office, "alice")
    w.open_case(1)  # submitted, waiting for approval
    review = w.workflow.review_act
    assert not review.isEnabled()
    assert "Not available: you (alice, a clerk) have no approval authority" in review.toolTip()
    assert review.whatsThis() == review.toolTip() == review.statusTip()
    activate(w)
    w.editor.customer_name.setFocus()
    QTest.keyClick(w.editor.customer_name, Qt.Key.Key_A, CTRL_SHIFT)
    assert w.statusBar().currentMessage() == (
        "Review and approve: not available — you (alice, a clerk) have no approval authority: a "
        "supervisor or an administrator with an approval limit approves cases.")
    assert w.workflow.dialog is None


def test_issue_and_submit_refused_by_the_case_s_status_say_so(make_window, office, activate):
    w = make_window(office, "sup")
    w.open_case(1)  # submitted: neither submitted again nor issued
    activate(w)
    QTest.keyClick(w.case_list.table, Qt.Key.Key_I, CTRL_SHIFT)
    assert w.statusBar().currentMessage() == (
        "Issue documents: not available — A case that is submitted cannot be issued.")
    QTest.keyClick(w.case_list.table, Qt.Key.Key_Return, CTRL_SHIFT)
    assert w.statusBar().currentMessage() == (
        "Submit for approval: not available — A case that is submitted cannot be submitted.")
    assert w.session.load(1).status.value == "submitted"
    assert "Not available: A case that is submitted cannot be issued." in w.document_actions.issue_act.toolTip()


def test_ctrl_4_goes_to_the_work_queues_and_never_hides_them(make_window, office, activate):
    w = make_window(office, "sup")
    activate(w)
    queue = w.workflow.queue
    w.case_list.search.setFocus()
    assert w.queue_dock.isVisible()
    QTest.keyClick(w.case_list.search, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert w.queue_dock.isVisible() and QApplication.focusWidget() is queue.waiting_table
    assert queue.waiting_table.currentIndex().row() == 0
    QTest.keyClick(queue.waiting_table, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert w.queue_dock.isVisible() and QApplication.focusWidget() is queue.returned_table
    w.queue_dock.close()
    w.case_list.search.setFocus()
    QTest.keyClick(w.case_list.search, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert w.queue_dock.isVisible() and QApplication.focusWidget() is queue.waiting_table
    w.workflow.show_queues_act.trigger()  # View > Show work queues: the toggle
    assert not w.queue_dock.isVisible()


def test_f8_goes_to_the_problems_to_fix(make_window, case_file, activate):
    w = make_window(case_file)
    w.new_case()  # empty: every required field is a problem
    activate(w)
    w.editor.customer_name.setFocus()
    QTest.keyClick(w.editor.customer_name, Qt.Key.Key_F8)
    problems = w.panel.problems
    assert QApplication.focusWidget() is problems and problems.currentRow() == 0
    assert "View" in [a.text().replace("&", "") for a in w.menuBar().actions()]
    assert w.focus_problems_act in w.view_menu.actions() and w.focus_problems_act.shortcut().toString() == "F8"
    first = problems.item(0).data(Qt.ItemDataRole.UserRole)
    QTest.keyClick(problems, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is w.editor._field_widgets[first]  # the problem's field
    type_case(w)
    QTest.keyClick(w.editor.customer_name, Qt.Key.Key_F8)
    assert w.statusBar().currentMessage().startswith("No problems to fix")
