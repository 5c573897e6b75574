"""The UI tests' shared fixtures: case files to open (empty, the test office, an approved
case for the mail room), windows on them, making a window the active one, a time zone.
Helpers that are not fixtures (typing a case, a cell, waiting for background work) are in
tests/ui/helpers.py."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from billing_desk.domain.draft import CaseDraft
from billing_desk.domain.workflow import Action
from billing_desk.store import create_store
from billing_desk.store.sqlite.files import create_case_file
from billing_desk.ui.main_window import MainWindow
from billing_desk.ui.session import CaseSession
from tests.domain.builders import make_case, period
from tests.issuing.cases import CLERK, approved_case, draft_of
from tests.staff import add_staff

#: the undercharge whose readings of 26-721(a)(2) differ, and a 600.00 refund
UNDER = [period("2010-01-01", "2010-01-31", "40.00", "60.00")]
REFUND = [period("2010-01-01", "2010-01-31", "900.00", "300.00")]


@pytest.fixture
def case_file(tmp_path) -> Path:
    """An empty case file (no users: any login acts as it is)."""
    path = tmp_path / "cases.bdesk"
    create_case_file(path).close()
    return path


@pytest.fixture
def make_window(qtbot, tmp_path):
    """``make(path, actor)``: a shown main window on ``path``, acting as ``actor``, with
    settings of its own; its file closed at the end."""
    windows = []

    def make(path: Path, actor: str = "clerk1") -> MainWindow:
        settings = QSettings(str(tmp_path / f"settings-{len(windows)}.ini"), QSettings.Format.IniFormat)
        w = MainWindow(CaseSession(actor), settings)
        qtbot.addWidget(w)
        w.open_path(path)
        w.show()
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.session.close()


def fill_office(target: Path | str) -> Path | str:
    """The test office of tests/staff.py in a new store at ``target`` (a case file, or a
    database on the server) with BD-000001 (refund 10.00) and BD-000002 (readings differ)
    prepared and submitted by alice; BD-000003 prepared and submitted by sup; BD-000004 a
    draft of alice's with no periods; BD-000005 (refund 600.00) submitted by alice."""
    with create_store(target) as cf:
        add_staff(cf)
        for periods, who, submit in ((None, "alice", True), (UNDER, "alice", True),
                                     (None, "sup", True), ((), "alice", False),
                                     (REFUND, "alice", True)):
            draft = CaseDraft() if periods == () else CaseDraft.from_case(
                make_case(periods=periods) if periods else make_case())
            record = cf.cases.create(draft, actor=who)
            if submit:
                cf.workflow.submit(record.id, actor=who)
    return target


@pytest.fixture
def office(tmp_path) -> Path:
    """:func:`fill_office` in a case file."""
    return fill_office(tmp_path / "office.bdesk")


@pytest.fixture
def documents_file(tmp_path) -> Path:
    """BD-000001 approved (worked case 18, for María Peña Núñez), BD-000002 submitted."""
    path = tmp_path / "cases.bdesk"
    with create_case_file(path) as cf:
        approved_case(cf, "18", customer_name="María Peña Núñez")  # BD-000001
        record = cf.cases.create(draft_of("23"), actor=CLERK)  # BD-000002, submitted
        cf.cases.change_status(record.id, Action.SUBMIT, expected_revision=1, actor=CLERK)
    return path


@pytest.fixture
def activate(qtbot):
    """Make a window the active one (shortcuts reach the active window only); at the end
    let go of Ctrl and Shift, which the last key event leaves held (test_keyboard.py)."""
    active = []

    def make_active(w: MainWindow) -> None:
        qtbot.waitExposed(w)
        w.windowHandle().requestActivate()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
        active.append(w)

    yield make_active
    for w in active:
        for k in (Qt.Key.Key_Control, Qt.Key.Key_Shift):
            QTest.keyRelease(w, k)
    assert QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier


@pytest.fixture
def denver(monkeypatch):
    """Run in Denver's time zone (UTC-7/-6), where local time and UTC differ."""
    monkeypatch.setenv("TZ", "America/Denver")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
