"""What the app loads to show its window: a clerk waits for every module imported before
the main window appears, so the parts used only later (documents, PDF reading, printing,
password hashing, the demo generator, the schema tools) must load when first used, and
the case workspace (editor, panel, tabs, work queues: no case is open yet) is built
right after the first frame, not before it.

Run in a fresh interpreter: this test process has long since imported everything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from billing_desk.store.demo_file import create_demo_file
from billing_desk.store.listing import CaseQuery
from billing_desk.ui.case_list import STATUS_FILTERS

ROOT = Path(__file__).resolve().parents[2]

SHOW_WINDOW = r"""
import enum, json, sys
created = []  # the enums PySide creates, by name, in order
_create = enum.EnumType._create_
def spy(cls, class_name, *args, **kwargs):
    created.append(class_name)
    return _create(cls, class_name, *args, **kwargs)
enum.EnumType._create_ = spy
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from billing_desk.ui.app import build_main_window, make_application
app = make_application()
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
window = build_main_window("akim", settings, Path(sys.argv[1]))
seen = {}

def look(when):
    seen[when] = {"rows": window.case_list.model.rowCount(), "built": window.workspace_built,
                  "modules": sorted(sys.modules), "enums": list(created)}
    if when == "first frame":
        QTimer.singleShot(0, lambda: look("after"))
    else:
        from PySide6.QtCore import Qt
        seen["header"] = window.editor.header.text()
        seen["dock"] = (window.dockWidgetArea(window.queue_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
                        and window.queue_dock.isVisible())
        seen["sort"] = (window.case_list.table.horizontalHeader().sortIndicatorSection(),
                        window.case_list.model.query.sort.value)
        window.close()  # as the clerk closes it: its layout is saved for the next start
        app.quit()

class FirstFrame(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.UpdateRequest and not seen:
            QTimer.singleShot(0, lambda: look("first frame"))  # once this frame is painted
        return False

watch = FirstFrame()
window.installEventFilter(watch)
window.show()
QTimer.singleShot(20_000, app.quit)
app.exec()
print(json.dumps(seen))
window.session.close()
"""

#: loaded on first use, never to show the window
LATER = ("reportlab", "pypdfium2", "PIL", "argon2", "sqlite_utils", "babel", "platformdirs",
         "PySide6.QtPrintSupport", "billing_desk.documents.render", "billing_desk.demo",
         "billing_desk.ui.printing", "smtplib", "email.mime", "email.parser",
         "billing_desk.issuing.outbox", "billing_desk.issuing.mail_sender",
         "billing_desk.issuing.notices", "billing_desk.store.outbox",
         "billing_desk.ui.outbox_window", "billing_desk.ui.outbox_worker",
         # incidents (issue 18): their windows, the histogram's QtCharts, their store,
         # service and memo load when an incident is first opened
         "PySide6.QtCharts", "billing_desk.ui.incident_window", "billing_desk.ui.incident_histogram",
         "billing_desk.ui.incident_cases_model", "billing_desk.ui.incident_import_dialog",
         "billing_desk.ui.incident_session", "billing_desk.domain.incident",
         "billing_desk.domain.incident_csv", "billing_desk.domain.sampling",
         "billing_desk.store.incidents", "billing_desk.issuing.incidents",
         "billing_desk.documents.incident_memo",
         # a case file never needs the server's driver (only a server is opened with it)
         "psycopg", "psycopg_binary", "psycopg_pool", "billing_desk.store.postgres")
#: loaded with the case workspace, after the first frame: the editor, the panel, the case
#: model and the engine, the stores of cases and documents, the PDF viewer
WORKSPACE = ("billing_desk.ui.case_editor", "billing_desk.ui.determination_panel",
             "billing_desk.ui.documents_tab", "billing_desk.ui.work_queue",
             "billing_desk.domain.case", "billing_desk.domain.draft",
             "billing_desk.domain.determination", "billing_desk.store.cases",
             "billing_desk.store.issues", "PySide6.QtPdf", "dateutil")


#: enums of PySide's ``Qt`` namespace (which creates all of them at once when first used)
QT_NAMESPACE_ENUMS = {"AlignmentFlag", "DockWidgetArea", "ItemDataRole", "SortOrder", "FocusPolicy",
                      "WidgetAttribute"}


def _show_window(path: Path, settings: Path) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", SHOW_WINDOW, str(path), str(settings)],
                         capture_output=True, text=True, env=env, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in modules if m in names or m.split(".")[0] in names]


def test_the_window_shows_without_loading_what_is_used_later(tmp_path):
    path = tmp_path / "office.bdesk"
    with create_demo_file(path, 30) as cf:
        open_cases = cf.listing.count(CaseQuery(statuses=STATUS_FILTERS[0][1]))
    seen = _show_window(path, tmp_path / "s.ini")
    first, after = seen["first frame"], seen["after"]
    # the first frame lists the file's cases, before the workspace and its modules exist
    assert first["rows"] == open_cases > 20
    assert first["built"] is False
    assert _loaded(first["modules"], WORKSPACE) == []
    # right after it the workspace is there, showing that no case is open
    assert after["built"] is True
    assert seen["header"].startswith("No case open")
    assert {"billing_desk.ui.case_editor", "billing_desk.ui.determination_panel",
            "billing_desk.domain.draft"} <= set(after["modules"])
    # and what only documents, sign-in and printing need is still not loaded
    assert _loaded(after["modules"], LATER) == []


def test_pyside_no_longer_reads_the_source_of_our_modules_but_qt_still_works():
    # the answer PySide6's feature scan gets for our modules (see billing_desk/ui/qt.py)
    import billing_desk.ui  # noqa: F401
    from shibokensupport import feature

    import billing_desk.store.listing as listing
    import billing_desk.ui.case_list as case_list

    assert feature._mod_uses_pyside(case_list) is True
    assert feature._mod_uses_pyside(listing) is False
    assert feature.pyside_feature_dict.get("billing_desk.ui.case_list") in (0, None)


def _window(qtbot, tmp_path, path):
    from PySide6.QtCore import QSettings

    from billing_desk.ui.main_window import MainWindow
    from billing_desk.ui.session import CaseSession

    w = MainWindow(CaseSession("akim"), QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    assert w.open_path(path)
    return w


def _menu_texts(menu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_the_workspace_follows_the_first_frame_with_every_action(qtbot, tmp_path):
    path = tmp_path / "office.bdesk"
    create_demo_file(path, 12).close()
    w = _window(qtbot, tmp_path, path)
    assert not w.workspace_built and w.case_list.model.rowCount() > 0
    assert _menu_texts(w.documents_menu) == []  # the menu is there, its actions come next
    w.show()
    qtbot.waitUntil(lambda: w.workspace_built, timeout=5000)
    assert w.tabs.isVisible() and w.panel.isVisible()
    assert w.editor.header.text().startswith("No case open")
    assert "&Issue documents…" in _menu_texts(w.documents_menu)
    assert "&Submit for approval…" in _menu_texts(w.case_menu)
    assert w.statusBar().isVisible() and w.user_label.text().startswith("Signed in: ")
    # and a case opens as before
    w.case_list.table.setCurrentIndex(w.case_list.model.index(0, 0))
    w.open_case(w.case_list.model.summary(0).id)
    assert w.record is not None and w.editor.number.text() == w.record.draft.account.number


def test_using_a_part_of_the_workspace_builds_it_at_once(qtbot, tmp_path):
    path = tmp_path / "office.bdesk"
    create_demo_file(path, 3).close()
    w = _window(qtbot, tmp_path, path)  # never shown
    assert not w.workspace_built
    assert w.document_actions.issue_act.isEnabled() is False  # built by this use
    assert w.workspace_built and w.editor.header.text().startswith("No case open")
    with pytest.raises(AttributeError):
        w.no_such_part  # noqa: B018 - anything else is still an error


def test_a_window_closed_before_its_workspace_keeps_its_layout(qtbot, tmp_path):
    path = tmp_path / "office.bdesk"
    create_demo_file(path, 3).close()
    w = _window(qtbot, tmp_path, path)
    w.close()
    assert w.settings.value("geometry") is not None and w.settings.value("splitter") is not None


def test_the_first_frame_does_without_the_qt_namespace_first_run_or_not(tmp_path):
    # neither a first start nor a later one (which restores the layout the first saved
    # when it closed) creates ``Qt``'s hundred enums before the first frame (see
    # billing_desk/ui/main_window.py); the workspace brings them
    path = tmp_path / "office.bdesk"
    create_demo_file(path, 10).close()
    settings = tmp_path / "clerk.ini"
    for start in ("first", "again"):
        seen = _show_window(path, settings)
        assert QT_NAMESPACE_ENUMS & set(seen["first frame"]["enums"]) == set(), start
        assert seen["first frame"]["rows"] > 0
        assert QT_NAMESPACE_ENUMS <= set(seen["after"]["enums"])
        # the dock along the bottom, the list newest first with its indicator on "Updated"
        assert seen["dock"] is True and seen["sort"] == [8, "updated_at"], start


def test_a_first_runs_layout_is_the_one_the_window_would_make_itself(qtbot, tmp_path):
    from PySide6.QtCore import QByteArray, QSettings, Qt
    from PySide6.QtWidgets import QToolBar

    from billing_desk.ui.main_window import FIRST_RUN_STATE, MainWindow
    from billing_desk.ui.session import CaseSession

    path = tmp_path / "office.bdesk"
    create_demo_file(path, 3).close()

    def window(name: str) -> MainWindow:
        w = MainWindow(CaseSession("akim"), QSettings(str(tmp_path / name), QSettings.Format.IniFormat))
        qtbot.addWidget(w)
        assert w.open_path(path)
        w.resize(1600, 950)
        w.show()
        qtbot.waitUntil(lambda: w.workspace_built)
        return w

    first = window("first.ini")  # nothing saved: FIRST_RUN_STATE
    made = window("made.ini")  # the same layout made the Qt way
    made.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, made.queue_dock)
    made.resizeDocks([made.queue_dock], [150], Qt.Orientation.Vertical)
    made.restoreState(made.saveState())
    qtbot.wait(50)
    for w in (first, made):
        assert w.dockWidgetArea(w.queue_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
        assert w.queue_dock.isVisible() and not w.queue_dock.isFloating()
        assert w.toolBarArea(w.findChild(QToolBar, "main_toolbar")) == Qt.ToolBarArea.TopToolBarArea
    assert abs(first.queue_dock.height() - made.queue_dock.height()) <= 2
    assert first.queue_dock.width() == made.queue_dock.width() == first.width()
    assert not QByteArray.fromBase64(FIRST_RUN_STATE).isEmpty()
    first.session.close()
    made.session.close()


def test_the_work_queues_stay_where_the_clerk_put_them(qtbot, tmp_path):
    from PySide6.QtCore import Qt

    path = tmp_path / "office.bdesk"
    create_demo_file(path, 3).close()
    w = _window(qtbot, tmp_path, path)
    w.show()
    qtbot.waitUntil(lambda: w.workspace_built)
    assert w.dockWidgetArea(w.queue_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, w.queue_dock)  # dragged to the right
    w.close()
    w.session.close()

    again = _window(qtbot, tmp_path, path)  # the same settings
    again.show()
    qtbot.waitUntil(lambda: again.workspace_built)
    assert again.dockWidgetArea(again.queue_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert again.queue_dock.isVisible() and again.queue_dock.widget() is again.workflow.queue
    again.queue_dock.close()  # closed: it stays closed, and View brings it back
    again.close()
    again.session.close()

    third = _window(qtbot, tmp_path, path)
    third.show()
    qtbot.waitUntil(lambda: third.workspace_built)
    assert not third.queue_dock.isVisible()
    third.workflow.queue_act.trigger()
    assert third.queue_dock.isVisible()
    third.session.close()
