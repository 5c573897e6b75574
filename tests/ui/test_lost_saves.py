"""Saved work survives other programs using the case file (issue 23, item 1), driven
through the real windows and dialogs with a real second process.

Both sequences lost the new case or its later edits before: the app read the case file
outside SQLite (the header check of a second open at sign-in, a file dialog guessing the
type of the files in the folder), which dropped the process's locks, and the second
process then deleted the write-ahead log that the app went on saving into.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QLabel

from billing_desk.demo import DEMO_USERS
from billing_desk.store.sqlite.files import open_case_file
from billing_desk.store.demo_file import create_demo_file
from billing_desk.store.errors import LocksLost
from billing_desk.store.sqlite.openfiles import held_lock_inodes
from billing_desk.ui.app import build_main_window
from billing_desk.ui.main_window import MainWindow
from billing_desk.ui.session import CaseSession
from tests.store.test_open_files import (
    holds_locks_on,
    numbers_seen_by_another_program,
    other_program_uses,
)
from tests.ui.typing import enter_text

pytestmark = pytest.mark.skipif(held_lock_inodes() is None, reason="needs /proc/locks (Linux)")

AKIM = next(u for u in DEMO_USERS if u.login == "akim")


@pytest.fixture
def demo(tmp_path) -> Path:
    path = tmp_path / "demo.bdesk"
    create_demo_file(path, 8).close()
    return path


def signed_in_as_akim(gate):
    return gate.sign_in(AKIM.login, AKIM.password, waited=True)


def akims_window(qtbot, demo: Path, tmp_path: Path) -> MainWindow:
    """The main window on the demo file, akim signed in, shown."""
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    w = MainWindow(CaseSession(sign_in=signed_in_as_akim), settings)
    qtbot.addWidget(w)
    w.open_path(demo)
    w.show()
    return w


def test_sign_out_sign_in_then_another_program_loses_nothing(qtbot, demo, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    first = build_main_window(None, settings, demo, sign_in=signed_in_as_akim)
    qtbot.addWidget(first)
    first.show()
    first.workflow.sign_out_act.trigger()  # the window closes; the app asks who is next
    assert first.workflow.signed_out and not first.isVisible()

    w = build_main_window(None, settings, None, sign_in=signed_in_as_akim)  # as run_app does
    qtbot.addWidget(w)
    w.show()
    assert w.session.path == demo and w.session.actor == "akim"
    w.new_case()
    enter_text(w.editor.customer_name, "Nadia Before")
    assert "Saved" in w.statusBar().currentMessage()
    other_program_uses(demo)  # billing-desk search, opened and closed
    enter_text(w.editor.service_address, "410 Later Edit Ln")
    assert "Saved" in w.statusBar().currentMessage()
    number = w.record.case_number
    w.close()

    assert f"{number} Nadia Before" in numbers_seen_by_another_program(demo)

    with open_case_file(demo) as cf:
        assert cf.cases.find(number).draft.account.service_address == "410 Later Edit Ln"
        assert cf.verify().ok


def close_the_file_dialog_once_it_has_listed_the_folder(seen: list[str]) -> None:
    """When the modal dialog is up: wait until it has listed the folder, and some more
    for the icons and types of its files, as a clerk looking at it would; then cancel."""
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog.directory().absolutePath())
        model = dialog.findChild(QFileSystemModel)
        model.directoryLoaded.connect(lambda _folder: QTimer.singleShot(700, dialog.reject))
        QTimer.singleShot(5000, dialog.reject)  # (listed already, or never: do not hang)

    QTimer.singleShot(0, poll)


def test_the_save_as_pdf_dialog_in_the_folder_then_another_program_loses_nothing(qtbot, demo, tmp_path):
    w = akims_window(qtbot, demo, tmp_path)
    w.new_case()
    enter_text(w.editor.customer_name, "Olga Before")
    w.tabs.setCurrentWidget(w.documents)

    seen: list[str] = []
    close_the_file_dialog_once_it_has_listed_the_folder(seen)
    w.documents.save_kind("letter")  # File dialog, in the case file's folder
    assert seen == [str(demo.parent)]
    assert holds_locks_on(demo)  # the dialog read none of the case file's parts

    other_program_uses(demo)
    w.tabs.setCurrentWidget(w.editor_scroll)
    enter_text(w.editor.service_address, "12 After Dialog Rd")
    number = w.record.case_number
    w.close()
    with open_case_file(demo) as cf:
        record = cf.cases.find(number)
        assert record.draft.account.customer_name == "Olga Before"
        assert record.draft.account.service_address == "12 After Dialog Rd"


def test_lost_locks_stop_saving_loudly_and_keep_the_change(qtbot, demo, tmp_path, monkeypatch):
    """If the locks ever go all the same, the window refuses to save, says so, keeps
    what was typed on screen and in a file of its own, and nothing reaches the file."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    w = akims_window(qtbot, demo, tmp_path)
    w.new_case()
    enter_text(w.editor.customer_name, "Pia Saved")
    with open(demo, "rb") as f:  # anything reading the file outside SQLite
        f.read(100)
    w.editor.customer_name.selectAll()
    enter_text(w.editor.customer_name, "Pia Never Saved")
    box = w.last_error_box
    assert box.objectName() == "locks_lost_dialog"
    assert "lost its lock" in box.text() and "NOT saved" in box.text()
    kept = next((tmp_path / "data" / "billing-desk" / "unsaved").glob(f"{w.record.case_number}-*.json"))
    assert '"customer_name": "Pia Never Saved"' in kept.read_text()
    assert str(kept) in box.text()
    assert w.editor.customer_name.text() == "Pia Never Saved"  # still on screen
    assert not w.editor.isEnabled()
    banner = w.findChild(QLabel, "locks_lost_banner")
    assert banner is not None and "NOT SAVING" in banner.text()
    with pytest.raises(LocksLost):
        w.session.load(w.record.id)
    box.close()
    number = w.record.case_number
    w.close()
    assert f"{number} Pia Saved" in numbers_seen_by_another_program(demo)


def test_the_poll_notices_lost_locks_while_the_clerk_is_idle(qtbot, demo, tmp_path):
    w = akims_window(qtbot, demo, tmp_path)
    with open(f"{demo}-shm", "rb") as f:
        f.read(100)
    w.session.poll()  # (every 1.5 s)
    assert w.last_error_box.objectName() == "locks_lost_dialog"
    assert w.findChild(QLabel, "locks_lost_banner").text().startswith("NOT SAVING")
    w.last_error_box.close()
    w.close()


def _io_error(*_args):
    import sqlite3

    e = sqlite3.OperationalError("disk I/O error")
    e.sqlite_errorname = "SQLITE_IOERR_SHORT_READ"
    raise e


def test_a_disk_io_error_at_start_up_is_a_message_not_a_traceback(qtbot, demo, tmp_path, monkeypatch):
    monkeypatch.setattr("billing_desk.store.sqlite.files.connect", _io_error)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    w = build_main_window("akim", settings, demo)
    qtbot.addWidget(w)
    box = w.last_error_box
    assert box.windowTitle() == "Cannot open the case file"
    assert "could not be read or written (disk I/O error" in box.text()
    assert box.detailedText() == ""  # no traceback for the clerk
    assert w.session.file is None


def test_a_failure_closing_the_file_at_sign_out_is_a_message(qtbot, demo, tmp_path, monkeypatch):
    from billing_desk.store.casefile import CaseFile
    from billing_desk.store.errors import CaseFileIOError

    w = akims_window(qtbot, demo, tmp_path)
    real_close = CaseFile.close

    def failing_close(cf):
        real_close(cf)
        raise CaseFileIOError(cf.path, "disk I/O error, SQLITE_IOERR_CLOSE")

    monkeypatch.setattr(CaseFile, "close", failing_close)
    w.workflow.sign_out_act.trigger()
    assert not w.isVisible() and w.session.file is None
    box = w.last_error_box
    assert box.windowTitle() == "The case file was not closed cleanly"
    assert "SQLITE_IOERR_CLOSE" in box.text() and box.detailedText() == ""
    box.close()
