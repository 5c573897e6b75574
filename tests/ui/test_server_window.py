"""The app on a server (a real one: tests/pg_server.py): a window on a database, File >
Connect to server… with each failure said in the dialog, servers in the recent list,
another workstation's submission in the supervisor's queue within a second, a case
changed elsewhere reloaded without losing what is being typed, an edit kept while the
server is down and saved when it is back, and the start screen when the server used
last cannot be reached."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from datetime import date

import psycopg
import pytest
from PySide6.QtCore import QSettings

from billing_desk import __main__ as entry
from billing_desk.store import open_store
from billing_desk.ui import app as app_module
from billing_desk.ui.app import build_main_window
from billing_desk.ui.main_window import MainWindow
from billing_desk.ui.session import CaseSession
from tests.staff import add_staff
from tests.store.conftest import shared_draft
from tests.ui.test_main_window import commit
from tests.ui.typing import type_text


@pytest.fixture
def office(server_database):
    """The test office on a server database, with one case prepared by alice."""
    with open_store(server_database) as cf:
        add_staff(cf)
        cf.cases.create(shared_draft("01-"), actor="alice")
    return server_database


@pytest.fixture
def window(qtbot, tmp_path):
    windows = []

    def make(target, actor: str = "alice") -> MainWindow:
        settings = QSettings(str(tmp_path / f"w{len(windows)}.ini"), QSettings.Format.IniFormat)
        w = MainWindow(CaseSession(actor), settings)
        qtbot.addWidget(w)
        assert w.open_path(target), w.open_error
        w.show()
        qtbot.waitUntil(lambda: w.workspace_built)
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.session.close()


def dbname(conninfo: str) -> str:
    return psycopg.conninfo.conninfo_to_dict(conninfo)["dbname"]


def test_a_window_on_a_server_says_which_and_lists_it_in_the_recent_list(window, office):
    w = window(office)
    name = dbname(office)
    assert w.windowTitle().startswith(f"{name} on this computer:") and "(server)" in w.windowTitle()
    assert w.file_label.text().startswith(f"Server: {name} on ") and w.file_label.text().endswith(
        "as postgres")
    assert w.case_list.model.rowCount() == 1
    assert w.settings.value("recent_files") == [office]
    [entry] = [a.text() for a in w.recent_menu.actions()]
    assert entry.startswith(f"&1 {name} on this computer:") and entry.endswith(", as postgres (server)")
    w.open_case(1)
    assert w.editor.number.text() == "301-4411-02"


def test_another_workstations_submission_reaches_the_supervisors_queue_within_a_second(
        window, office, qtbot):
    supervisor = window(office, "sup")
    assert supervisor.workflow.queue.waiting.rowCount() == 0
    with open_store(office) as clerk:  # another workstation
        started = time.monotonic()
        clerk.workflow.submit(1, actor="alice")
    qtbot.waitUntil(lambda: supervisor.workflow.queue.waiting.rowCount() == 1, timeout=1000)
    assert time.monotonic() - started < 1.0
    assert supervisor.session._timer.interval() == 10_000  # (not the poll: the announcement)


def test_a_case_changed_elsewhere_is_reloaded_and_what_is_being_typed_is_kept(window, office, qtbot):
    w = window(office)
    w.open_case(1)
    w.editor.customer_name.setFocus()
    w.editor.customer_name.selectAll()
    type_text(w.editor.customer_name, "Typed here")  # not committed yet
    with open_store(office) as other:
        record = other.cases.load(1)
        other.cases.save(1, replace(record.draft, discovered_on=date(2010, 6, 30)),
                         expected_revision=record.revision, actor="bob")
    qtbot.waitUntil(lambda: w.record.revision == 2, timeout=2000)
    assert "changed by bob" in w.statusBar().currentMessage()
    assert "what you are typing is kept" in w.statusBar().currentMessage()
    assert w.editor.discovered_on.edit.text() != ""  # their change shows
    assert w.editor.customer_name.text() == "Typed here"  # and so does the typing
    commit(w.editor.customer_name)
    stored = w.session.load(1)
    assert stored.revision == 3 and stored.draft.account.customer_name == "Typed here"
    assert stored.draft.discovered_on == date(2010, 6, 30)  # theirs kept too
    assert w.last_error_box is None


def edit_while_down(w: MainWindow, qtbot, pg_server, number: str, then=lambda: None) -> None:
    """Stop the server, type ``number`` into the open case and commit it, wait until the
    window keeps it as not saved, ``then()``, start the server again."""
    pg_server.stop_for_now()
    try:
        w.editor.number.setFocus()
        w.editor.number.selectAll()
        type_text(w.editor.number, number)
        commit(w.editor.number)
        qtbot.waitUntil(lambda: w.server.pending is not None and w.server.banner.isVisible(),
                        timeout=20_000)
        then()
    finally:
        pg_server.start_again()


def test_an_edit_made_while_the_server_is_down_is_kept_and_saved_when_it_is_back(
        window, office, qtbot, pg_server):
    w = window(office)
    w.open_case(1)

    def still_there() -> None:
        assert "NOT CONNECTED" in w.server.banner.text() and "kept here" in w.server.banner.text()
        assert w.editor.number.text() == "999-0000-01"  # still in the window
        assert w.record.revision == 1

    edit_while_down(w, qtbot, pg_server, "999-0000-01", still_there)
    qtbot.waitUntil(lambda: not w.server.banner.isVisible(), timeout=20_000)
    assert w.server.pending is None and w.record.revision == 2
    with open_store(office) as cf:
        assert cf.cases.load(1).draft.account.number == "999-0000-01"
        assert cf.verify().ok


def test_an_edit_kept_while_down_that_someone_else_overtook_is_said_not_saved(
        window, office, qtbot, pg_server, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    w = window(office)
    w.open_case(1)
    # (the retry is held until the other save is in)
    edit_while_down(w, qtbot, pg_server, "mine", w.session._reconnect_timer.stop)
    with open_store(office) as other:
        record = other.cases.load(1)
        other.cases.save(1, replace(record.draft, why="theirs"), expected_revision=1, actor="bob")
    w.session._reconnect_timer.start()
    qtbot.waitUntil(lambda: w.last_error_box is not None, timeout=20_000)
    text = w.last_error_box.text()
    assert "was NOT saved" in text and "bob changed the case" in text
    kept = next((tmp_path / "data" / "billing-desk" / "unsaved").glob("BD-000001-*.json"))
    assert '"number": "mine"' in kept.read_text()
    assert w.record.revision == 2 and w.editor.number.text() == "301-4411-02"  # theirs shown


def test_the_connect_dialog_says_each_failure_then_connects(window, qtbot, pg_server, server_database,
                                                            tmp_path):
    with open_store(server_database) as cf:
        add_staff(cf)
    w = window(_a_file(tmp_path))
    role = f"desk{os.getpid()}"
    pg_server.add_role(role, "right pass")
    url = pg_server.url(dbname(server_database))
    dialog = w.server.connect_dialog()
    dialog.server.setText(url)
    dialog.user.setText(role)
    dialog.password.setText("wrong pass")
    dialog.start()
    qtbot.waitUntil(lambda: "is not correct" in dialog.message.text(), timeout=10_000)
    assert dialog.isVisible() and not w.session.is_server
    dialog.password.setText("right pass")
    dialog.start()
    qtbot.waitUntil(lambda: w.session.is_server, timeout=10_000)
    assert not dialog.isVisible() and dialog.password.text() == ""
    assert w.file_label.text().endswith(f"as {role}")
    recent = w.settings.value("recent_files")
    assert psycopg.conninfo.conninfo_to_dict(recent[0]) == {
        "host": "127.0.0.1", "port": str(pg_server.port), "dbname": dbname(server_database),
        "user": role}  # (what was typed, and the user: never a password)
    assert "right pass" not in repr(recent) and "right pass" not in (tmp_path / "w0.ini").read_text()


def test_connect_dialog_names_an_empty_database_and_a_server_that_is_down(window, qtbot, pg_server,
                                                                           tmp_path):
    from tests.pg_server import _free_port

    w = window(_a_file(tmp_path))
    name = pg_server.new_database(template=False)
    try:
        dialog = w.server.connect_dialog()
        dialog.server.setText(pg_server.conninfo(name))
        dialog.start()
        qtbot.waitUntil(lambda: "billing-desk upgrade" in dialog.message.text(), timeout=10_000)
        dialog.server.setText(f"postgresql://127.0.0.1:{_free_port()}/billing")
        dialog.start()
        qtbot.waitUntil(lambda: "Cannot reach" in dialog.message.text(), timeout=10_000)
        assert not w.session.is_server
        dialog.reject()
    finally:
        pg_server.drop_database(name)


def test_a_server_that_cannot_be_reached_at_start_opens_the_start_screen(qtbot, tmp_path):
    from tests.pg_server import _free_port

    down = f"postgresql://127.0.0.1:{_free_port()}/billing"
    local = _a_file(tmp_path)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("last_file", down)
    settings.setValue("recent_files", [down, str(local)])
    w = build_main_window("alice", settings)
    qtbot.addWidget(w)
    assert w.session.file is None and w.start_failure[0] == down
    w.show()
    dialog = w.show_start_screen(*w.start_failure)
    assert "Cannot reach the Billing Desk server" in dialog.reason.text()
    assert [dialog.recent.item(i).text() for i in range(dialog.recent.count())] == [str(local)]
    dialog.buttons["open"].click()
    assert w.session.path == local
    w.session.close()


def test_billing_desk_with_a_server_opens_the_app_on_it(monkeypatch):
    opened = []
    monkeypatch.setattr(app_module, "run_app", lambda path=None: opened.append(path) or 0)
    assert entry.main(["postgresql://db.example/billing"]) == 0
    assert entry.main(["service=office"]) == 0
    assert opened == ["postgresql://db.example/billing", "service=office"]


def _a_file(tmp_path):
    from billing_desk.store import create_case_file

    path = tmp_path / "local.bdesk"
    if not path.exists():
        create_case_file(path).close()
    return path
