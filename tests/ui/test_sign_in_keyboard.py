"""Signing in by keyboard, through the real dialog: Enter signs in, Tab into the demo
users' table does not replace the login typed, only a choice (a click, Enter or Space on
a row) fills the form; Cancel opens nothing, asks nothing and leaves the window up at its
start screen -- in the app too, which used to end when a sign-in was cancelled."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from billing_desk.store.sqlite.files import open_case_file
from billing_desk.store.demo_file import create_demo_file
from billing_desk.ui import app as app_module
from billing_desk.ui import sign_in_dialog
from billing_desk.ui.app import build_main_window
from billing_desk.ui.main_window import MainWindow
from billing_desk.ui.session import SignInGate
from billing_desk.ui.sign_in_dialog import SignInDialog
from tests.staff import FAST, PASSWORD


@pytest.fixture
def demo_file(tmp_path) -> Path:
    path = tmp_path / "demo.bdesk"
    create_demo_file(path, 3).close()
    return path


@pytest.fixture
def dialog_on(qtbot):
    files = []

    def make(path: Path) -> SignInDialog:
        cf = open_case_file(path)
        cf.users = cf.users.using(passwords=FAST)
        files.append(cf)
        dialog = SignInDialog(SignInGate(cf))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.login)
        return dialog

    yield make
    for cf in files:
        cf.close()


def keys(text: str) -> None:
    """Typed into whatever has the focus, one key event per character."""
    for ch in text:
        QTest.keyClick(QApplication.focusWidget(), ch)


def key(k: Qt.Key) -> None:
    QTest.keyClick(QApplication.focusWidget(), k)


def test_enter_in_the_password_signs_in(dialog_on, demo_file):
    dialog = dialog_on(demo_file)
    keys("akim")
    key(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.password
    keys("akim-demo")
    key(Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user is not None and dialog.user.login == "akim"


def test_enter_in_the_login_of_an_office_file_signs_in_and_a_refusal_keeps_the_dialog(dialog_on, office):
    dialog = dialog_on(office)
    keys("alice")
    key(Qt.Key.Key_Tab)
    keys("wrong")
    key(Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.message.text() == "Login or password is not correct."
    assert QApplication.focusWidget() is dialog.password
    for ch in PASSWORD:
        QTest.keyClick(dialog.password, Qt.Key.Key_Space if ch == " " else ch)
    dialog.login.setFocus()
    key(Qt.Key.Key_Enter)  # the keypad's Enter, from the login field
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.user.login == "alice"


def test_tabbing_into_the_demo_users_keeps_the_login_being_typed(dialog_on, demo_file):
    dialog = dialog_on(demo_file)
    keys("mwhitfield")
    key(Qt.Key.Key_Tab)
    keys("mwhitfield-demo")
    key(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.demo_table
    key(Qt.Key.Key_Down)  # looking through the table chooses nobody
    assert (dialog.login.text(), dialog.password.text()) == ("mwhitfield", "mwhitfield-demo")
    QTest.keyClick(dialog.demo_table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is dialog.password
    key(Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.user.login == "mwhitfield"


def test_space_or_enter_on_a_demo_user_fills_the_form_and_enter_then_signs_in(dialog_on, demo_file):
    dialog = dialog_on(demo_file)
    keys("someone")
    dialog.demo_table.setFocus()
    table = dialog.demo_table
    logins = [table.item(r, 0).text() for r in range(table.rowCount())]
    table.setCurrentCell(logins.index("akim"), 0)
    assert dialog.login.text() == "someone"  # moving to a row is not choosing it
    key(Qt.Key.Key_Space)
    assert (dialog.login.text(), dialog.password.text()) == ("akim", "akim-demo")
    assert dialog.result() != QDialog.DialogCode.Accepted  # chosen, not yet signed in
    assert QApplication.focusWidget() is dialog.ok
    table.setFocus()
    table.setCurrentCell(logins.index("mwhitfield"), 0)
    key(Qt.Key.Key_Return)
    assert dialog.login.text() == "mwhitfield" and dialog.isVisible()
    key(Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.user.login == "mwhitfield"


def test_a_click_on_a_demo_user_fills_the_form(dialog_on, demo_file, qtbot):
    dialog = dialog_on(demo_file)
    table = dialog.demo_table
    row = [table.item(r, 0).text() for r in range(table.rowCount())].index("akim")
    rect = table.visualItemRect(table.item(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert (dialog.login.text(), dialog.password.text()) == ("akim", "akim-demo")


def test_escape_cancels_without_a_question(dialog_on, demo_file):
    dialog = dialog_on(demo_file)
    keys("akim")
    key(Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()
    assert QApplication.activeModalWidget() is None


def settings_in(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)


def test_a_cancelled_sign_in_leaves_the_window_at_its_start_screen(qtbot, office, tmp_path):
    answers = [None, "alice"]

    def sign_in(g: SignInGate):
        login = answers.pop(0)
        return None if login is None else g.sign_in(login, PASSWORD)

    w = build_main_window(None, settings_in(tmp_path), office, sign_in=sign_in)
    assert isinstance(w, MainWindow)
    qtbot.addWidget(w)
    w.show()
    assert w.session.file is None
    start = w.start_screen
    assert start is not None and start.isVisible() and not w.splitter.isVisible()
    assert "sign-in to <b>office.bdesk</b> was cancelled" in start.text.text()
    assert start.retry.text() == "&Sign in to office.bdesk…"
    assert w.file_label.text() == "No case file open" and w.user_label.text() == "Not signed in"
    start.retry.click()  # signed in after all
    assert w.session.actor == "alice" and w.session.path == office
    assert w.splitter.isVisible() and not start.isVisible()
    assert w.case_list.model.rowCount() == 5
    w.session.close()


def test_cancelling_the_real_sign_in_dialog_keeps_the_app_running(qtbot, office, tmp_path, monkeypatch):
    """run_app on a file, Cancel pressed in the sign-in dialog: the app does not end;
    its window is up at the start screen until it is closed."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # (run_app installs its own)
    monkeypatch.setattr(app_module, "QSettings", lambda: settings_in(tmp_path))
    seen: dict = {}

    def press_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, SignInDialog):
            seen["dialog"] = dialog.windowTitle()
            QTest.keyClick(dialog, Qt.Key.Key_Escape)  # cancelled, by keyboard
        else:
            QTimer.singleShot(20, press_cancel)

    def look() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows:
            QTimer.singleShot(20, look)
            return
        w = windows[0]
        seen["window"] = (w.session.file, w.start_screen is not None and w.start_screen.isVisible(),
                          QApplication.activeModalWidget())
        w.close()
        w.deleteLater()

    real = sign_in_dialog.ask_to_sign_in

    def ask(gate, parent=None):
        gate._cf.users = gate._cf.users.using(passwords=FAST)
        QTimer.singleShot(20, press_cancel)
        return real(gate, parent)

    monkeypatch.setattr(sign_in_dialog, "ask_to_sign_in", ask)
    QTimer.singleShot(20, look)
    assert app_module.run_app(path=office) == 0
    assert seen["dialog"].startswith("Sign in — office.bdesk")
    assert seen["window"] == (None, True, None)  # up, nothing open, no question asked
