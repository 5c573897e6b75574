"""Ctrl+Z and Ctrl+Y in a text field: the field's own edit first (typed, not yet saved),
else the case's last edit -- a saved action, as from the Edit menu. Qt's fields took the
keys for themselves even with nothing of their own to undo, so they did nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from billing_desk.ui.main_window import MainWindow
from tests.ui.helpers import commit, type_case
from tests.ui.typing import type_text

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def active(make_window, case_file, qtbot):
    """A window with a typed case, active (shortcuts reach the active window only)."""
    w = make_window(case_file)
    type_case(w)
    qtbot.waitExposed(w)
    w.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    yield w
    QTest.keyRelease(w, Qt.Key.Key_Control)  # (see test_keyboard.py: let go of Ctrl)
    assert QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier


def saved_name(w: MainWindow) -> str:
    return w.session.load(w.record.id).draft.account.customer_name


def test_ctrl_z_in_a_field_takes_back_what_was_typed_there_first(active):
    w = active
    name = w.editor.customer_name
    name.setFocus()
    name.end(False)
    type_text(name, " Jr")
    revision = w.record.revision
    QTest.keyClick(name, Qt.Key.Key_Z, CTRL)
    assert name.text() == "Peña Müller"  # the field's own edit, not saved in between
    assert w.record.revision == revision and saved_name(w) == "Peña Müller"


def test_ctrl_z_in_a_saved_field_undoes_the_case_edit_and_ctrl_y_redoes_it(active):
    w = active
    name = w.editor.customer_name
    name.setFocus()
    name.selectAll()
    type_text(name, "Ana Ruiz")
    commit(name)  # saved
    assert saved_name(w) == "Ana Ruiz"
    QTest.keyClick(name, Qt.Key.Key_Z, CTRL)  # nothing typed since: the case's edit
    assert saved_name(w) == "Peña Müller" and name.text() == "Peña Müller"
    QTest.keyClick(name, Qt.Key.Key_Y, CTRL)
    assert saved_name(w) == "Ana Ruiz" and name.text() == "Ana Ruiz"
    QTest.keyClick(name, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # nothing to redo
    assert saved_name(w) == "Ana Ruiz"
    QTest.keyClick(name, Qt.Key.Key_Z, CTRL)
    QTest.keyClick(name, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # the other redo key
    assert saved_name(w) == "Ana Ruiz"


def test_ctrl_z_in_a_field_never_edited_undoes_the_last_edit_elsewhere(active):
    w = active
    periods = w.session.load(w.record.id).draft.periods
    assert str(periods[0].correct) == "71.45"  # the last edit of type_case: a cell
    address = w.editor.service_address
    address.setFocus()
    QTest.keyClick(address, Qt.Key.Key_Z, CTRL)
    assert w.session.load(w.record.id).draft.periods[0].correct is None
    assert w.statusBar().currentMessage() == "Saved: Undo: Edit correct of period 1"


def test_ctrl_z_in_the_notes_and_a_date_field(active):
    w = active
    w.tabs.setCurrentWidget(w.notes)
    w.notes.setFocus()
    type_text(w.notes, "Called the customer")
    QTest.keyClick(w.notes, Qt.Key.Key_Z, CTRL)
    assert w.notes.toPlainText() == ""  # the typing, not the case
    assert w.session.load(w.record.id).draft.periods[0].correct is not None
    w.tabs.setCurrentWidget(w.editor_scroll)
    date = w.editor.discovered_on.edit
    date.setFocus()
    date.selectAll()
    type_text(date, "7/1/2010")
    commit(date)
    assert w.session.load(w.record.id).draft.discovered_on.month == 7
    QTest.keyClick(date, Qt.Key.Key_Z, CTRL)
    assert w.session.load(w.record.id).draft.discovered_on.month == 6 and date.text() == "06/15/2010"


def test_the_toolbar_undo_takes_back_the_typing_of_the_field_with_the_focus(active):
    w = active
    name = w.editor.customer_name
    name.setFocus()
    name.end(False)
    type_text(name, "x")
    w.undo_act.trigger()  # a click on Undo does not take the focus
    assert name.text() == "Peña Müller" and saved_name(w) == "Peña Müller"
    assert str(w.session.load(w.record.id).draft.periods[0].correct) == "71.45"  # the case untouched
    w.undo_act.trigger()
    assert w.session.load(w.record.id).draft.periods[0].correct is None
