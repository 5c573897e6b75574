"""The main window: case list | case editor | determination panel, menus, toolbar.

Every finished edit in the editor is pushed on the undo stack as one command whose redo
saves it (one transaction, one audit entry). A save refused because another window or
clerk changed the case first is reported and the case is reloaded — never overwritten.

The window is built in two steps, so that it shows quickly: first the frame the clerk
sees at once (menus, toolbar, the case list of the open file, the status bar), then --
as soon as that first frame is painted, or the moment any part of it is wanted -- the
case workspace: the editor, the determination panel, the tabs, the Documents menu's
actions, the workflow bar and the work queues (:meth:`MainWindow.build_workspace`).
Until then no case is open, so there is nothing else to show; the modules of those
parts (and the domain's case model, which they load) are imported only then.

The first frame also does without PySide's ``Qt`` namespace: importing it, or any call
that takes or returns one of its enums, creates all of its hundred enums at once (about
30 ms, a seventh of a bare window's start). So the modules of the first frame import
``Qt`` only inside the functions that run later, the models compare roles as ints
(ui/roles.py), shortcuts are set as lists, and the dock and the case list's sort come
from the state saved when the window last closed (QMainWindow/QHeaderView
``restoreState``; a first run restores ``FIRST_RUN_STATE`` and shows the sort's
indicator with the workspace).
tests/ui/test_startup.py checks that no ``Qt`` enum exists when the first frame is
painted.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .qt import (
    QAction, QByteArray, QDockWidget, QEvent, QKeySequence, QLabel,
    QMainWindow, QMenu, QObject, QSettings, QSplitter, QStackedWidget, QTimer, QToolBar,
    QUndoStack, QVBoxLayout, QWidget, Signal,
)

from .. import __version__
from .._startup import resume_collector
from ..domain.workflow import EDITABLE
from ..errors import BillingDeskError
from ..store.errors import LocksLost, StoreError
from .a11y import identify
from .case_list import CaseList
from .errors import reported
from .server_actions import ServerActions, ask_password
from .session import CONNECTION_ERRORS, CaseSession
from .signatures import user_label

if TYPE_CHECKING:
    from .attachments_view import AttachmentsView
    from .case_editor import CaseEditor
    from .determination_panel import DeterminationPanel
    from .document_actions import DocumentActions
    from .documents_tab import DocumentsTab
    from .editor_scroll import EditorScrollArea
    from .history_view import HistoryView
    from .incident_menu import IncidentActions
    from .outbox_actions import OutboxActions
    from .live_determination import LiveDetermination
    from .qt import QCloseEvent, QTabWidget
    from .text_fields import CommitPlainTextEdit
    from .undo import FieldFirstUndo
    from .workflow_actions import WorkflowActions
    from .workspace import Workspace

    from ..domain.draft import CaseDraft
    from ..store.records import CaseRecord
    from .start_screen import StartScreen

MAX_RECENT = 8

#: when the workspace is built if the window has not painted by then
WORKSPACE_AT_THE_LATEST_MS = 3000
#: how long after the workspace is built the history is compared with what this
#: workstation saw of the file (store/known_heads.py)
HISTORY_CHECK_AFTER_MS = 1000
#: A first run's layout: what ``saveState`` writes for this window with the work queues
#: docked along the bottom, 150 px high, and the toolbar at the top (on a 1600 x 950
#: window; restoring it fits it to any size). Restoring it places the dock without
#: ``Qt`` (see the module's note); tests/ui/test_startup.py checks that, with the Qt in
#: use, it lays the window out as placing the dock through ``Qt`` does.
FIRST_RUN_STATE = (
    b"AAAA/wAAAAD9AAAAAQAAAAMAAAZAAAAAlvwBAAAAAfsAAAAeAHcAbwByAGsAXwBxAHUAZQB1AGUAXwBkAG8A"
    b"YwBrAQAAAAAAAAZAAAACFgD///8AAAZAAAAC1AAAAAQAAAAEAAAACAAAAAj8AAAAAQAAAAIAAAABAAAAGABt"
    b"AGEAaQBuAF8AdABvAG8AbABiAGEAcgEAAAAA/////wAAAAAAAAAA")
#: the widths of the case list, the case and the panel on a first run
FIRST_RUN_SPLITTER = [420, 760, 420]


class MainWindow(QMainWindow):
    caseOpened = Signal(object)  # CaseRecord

    def __init__(self, session: CaseSession, settings: QSettings | None = None) -> None:
        super().__init__()
        identify(self, "main_window", "Billing Desk")
        self.session = session
        self.settings = settings or QSettings()
        self.record: CaseRecord | None = None
        self.undo_stack = QUndoStack(self)
        self.last_error_box = None
        self.open_error: StoreError | None = None  # why the last open_path failed
        self._discard_refused = False  # the clerk agreed to close without refused entries
        self._workspace: Workspace | None = None  # (see build_workspace)

        self.case_list = CaseList(session)
        self.splitter = QSplitter()  # (side by side)
        identify(self.splitter, "main_splitter", "Main areas")
        # the case pane (the workflow bar above the case tabs) and the panel's place: empty
        # until the workspace is built, with the sizes the clerk left them at
        self.case_pane = QWidget()
        self.case_pane_layout = QVBoxLayout(self.case_pane)
        self.case_pane_layout.setContentsMargins(0, 0, 0, 0)
        self.panel_pane = QWidget()
        self.panel_pane_layout = QVBoxLayout(self.panel_pane)
        self.panel_pane_layout.setContentsMargins(0, 0, 0, 0)
        self.splitter.addWidget(self.case_list)
        self.splitter.addWidget(self.case_pane)
        self.splitter.addWidget(self.panel_pane)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setChildrenCollapsible(False)
        # the splitter, or the start screen while no file is open (made when first wanted)
        self.central = QStackedWidget()
        identify(self.central, "main_area", "Main area")
        self.central.addWidget(self.splitter)
        self.setCentralWidget(self.central)
        self.start_screen: StartScreen | None = None

        # the work queues' dock, filled with the workspace (workflow_actions.py): placed now
        # so that the window keeps its layout when they come
        self.queue_dock = QDockWidget("Work queues", self)
        identify(self.queue_dock, "work_queue_dock", "Work queues")

        self.file_label = QLabel()
        identify(self.file_label, "status_file", description="Open case file")
        self.user_label = QLabel()
        identify(self.user_label, "status_user", description="Signed-in user")
        self.statusBar().addPermanentWidget(self.file_label)
        self.statusBar().addPermanentWidget(self.user_label)

        self._build_actions()
        self.case_list.caseActivated.connect(self.open_case)
        self.session.caseSaved.connect(self._after_save)
        self.session.externalChange.connect(self._external_change)
        self.session.fileOpened.connect(self._file_opened)
        self.session.userChanged.connect(lambda _user: self._show_user())
        self.session.locksLost.connect(lambda e: self._locks_lost(e))
        self._restore_layout()
        self._show_user()
        # the workspace follows the first paint (see the module's note); of the window, not
        # of the list: PySide takes ~20 ms to wrap a table's viewport the first time
        self._first_paint = _FirstPaint(self, self._build_soon)
        # and at the latest after a while, painted or not (a window started minimised)
        QTimer.singleShot(WORKSPACE_AT_THE_LATEST_MS, self.build_workspace)

    def _build_soon(self) -> None:
        QTimer.singleShot(0, self.build_workspace)

    # The case workspace: built by :meth:`build_workspace`, after the first frame or the
    # moment a part of it is wanted; each part below builds it when first used.

    def build_workspace(self) -> Workspace:
        """The editor, the panel, the tabs, the Documents menu's actions, the workflow bar
        and the work queues (ui/workspace.py): built once, after the window first shows,
        or now if a part of it is wanted before; returns it."""
        if self._workspace is None:
            from .workspace import Workspace

            self._workspace = Workspace(self)
            self._workspace.build()
            resume_collector()  # the start-up is over (see billing_desk/_startup.py)
            # (a moment later: what it reads, the user's data folder, is not the first
            # frame's nor the workspace's -- tests/ui/test_startup.py)
            QTimer.singleShot(HISTORY_CHECK_AFTER_MS, self._check_history_seen)
        return self._workspace

    def _check_history_seen(self) -> None:
        """The open file's history against the newest entry this workstation saw of it
        (store/known_heads.py): entries removed or rewritten since are said plainly."""
        seen = self.session.known_head_problem() if self.session.file is not None else None
        if seen is not None:
            from .errors import show_error

            self.last_error_box = show_error(self, "The history is not what this "
                                             "workstation saw", RuntimeError(
                                                 f"{seen[0].upper()}{seen[1:]} Ask your "
                                                 "administrator before going on."))

    @property
    def workspace_built(self) -> bool:
        return self._workspace is not None and self._workspace.built

    @property
    def editor(self) -> CaseEditor:
        return self.build_workspace().editor

    @property
    def panel(self) -> DeterminationPanel:
        return self.build_workspace().panel

    @property
    def live(self) -> LiveDetermination:
        return self.build_workspace().live

    @property
    def notes(self) -> CommitPlainTextEdit:
        return self.build_workspace().notes

    @property
    def attachments(self) -> AttachmentsView:
        return self.build_workspace().attachments

    @property
    def history(self) -> HistoryView:
        return self.build_workspace().history

    @property
    def tabs(self) -> QTabWidget:
        return self.build_workspace().tabs

    @property
    def editor_scroll(self) -> EditorScrollArea:
        return self.build_workspace().editor_scroll

    @property
    def documents(self) -> DocumentsTab:
        return self.build_workspace().documents

    @property
    def document_actions(self) -> DocumentActions:
        return self.build_workspace().document_actions

    @property
    def workflow(self) -> WorkflowActions:
        return self.build_workspace().workflow

    @property
    def field_undo(self) -> FieldFirstUndo:
        return self.build_workspace().field_undo

    @property
    def incident_actions(self) -> IncidentActions:
        return self.build_workspace().incident_actions

    @property
    def outbox_actions(self) -> OutboxActions:
        return self.build_workspace().outbox_actions

    # -- actions and menus ----------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, ident: str = "", tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcuts([QKeySequence(shortcut)])  # (setShortcut would import Qt)
        act.setObjectName(ident)
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(tip)
        act.triggered.connect(slot)
        return act

    def _build_actions(self) -> None:
        from .availability import set_reason

        self.new_file_act = self._action("&New case file…", self.new_file, "Ctrl+Shift+N", "new_file",
                                         "Create an empty case file")
        self.open_file_act = self._action("&Open case file…", self.open_file_dialog,
                                          QKeySequence.StandardKey.Open, "open_file", "Open a case file")
        self.quit_act = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit, "quit")
        self.new_case_act = self._action("&New case", self.new_case, QKeySequence.StandardKey.New,
                                         "new_case", "Start a new billing-error case (Ctrl+N)")
        self.reload_act = self._action("&Reload case", self.reload_case, QKeySequence.StandardKey.Refresh,
                                       "reload_case", "Read the case again from the file (F5)")
        self.find_act = self._action("&Find cases", self.focus_search, QKeySequence.StandardKey.Find,
                                     "find_cases", "Search cases (Ctrl+F)")
        self.import_csv_act = self._action("&Import periods from CSV…", self.import_periods_csv,
                                           "Ctrl+I", "import_csv", "Add billing periods from a CSV file")
        self.undo_act = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_act.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.undo_act.setObjectName("undo")
        set_reason(self.undo_act, "nothing to undo in this case yet.")
        self.redo_act = self.undo_stack.createRedoAction(self, "&Redo")
        # the platform's redo key first (the menu shows it), and both usual ones everywhere
        redo_keys = [QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Shift+Z"),
                     QKeySequence("Ctrl+Y")]
        self.redo_act.setShortcuts([k for n, k in enumerate(redo_keys) if k not in redo_keys[:n]])
        self.redo_act.setObjectName("redo")
        set_reason(self.redo_act, "nothing undone to redo.")
        self.focus_list_act = self._action("Case &list", lambda: self.case_list.table.setFocus(), "Ctrl+1",
                                           "focus_list")
        self.focus_editor_act = self._action("Case &editor", self.focus_editor, "Ctrl+2", "focus_editor")
        self.focus_panel_act = self._action("&Determination", lambda: self.panel.lines.setFocus(), "Ctrl+3",
                                            "focus_panel")
        self.focus_problems_act = self._action("&Problems to fix", self.focus_problems, "F8",
                                               "focus_problems",
                                               "Go to the determination's problems to fix (F8)")
        self.reset_layout_act = self._action(
            "&Reset layout", self.reset_layout, None, "reset_layout",
            "Put the panes, the work queues and the case list's columns back as they first were")
        self.about_act = self._action("&About Billing Desk", self.about, None, "about")
        self.server = ServerActions(self)  # Connect to server…, and a dropped connection
        self.reports_act = self._action("&Reports…", self.open_reports, "Ctrl+Shift+R", "reports",
                                        "Billing accuracy, adjustments and workload (Ctrl+Shift+R)")
        self.bills_issued_act = self._action("&Bills issued…", self.open_bills_issued, None,
                                             "bills_issued",
                                             "The bills issued per year and service, for the "
                                             "billing accuracy report")

        self.users_act = self._action("&Users…", self.open_users, None, "users",
                                      "The people who use this store: administrators add, "
                                      "disable and re-role them; anyone sets their own password")

        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.file_menu = file_menu
        file_menu.addAction(self.new_file_act)
        file_menu.addAction(self.open_file_act)
        file_menu.addAction(self.server.connect_act)
        self.recent_menu = QMenu("Open &recent", self)
        self.recent_menu.setObjectName("recent_menu")
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.users_act)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_act)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_act)
        edit_menu.addAction(self.redo_act)
        case_menu = bar.addMenu("&Case")
        for act in (self.new_case_act, self.find_act, self.reload_act, self.import_csv_act):
            case_menu.addAction(act)
        self.case_menu = case_menu
        view_menu = bar.addMenu("&View")
        self.view_menu = view_menu
        for act in (self.focus_list_act, self.focus_editor_act, self.focus_panel_act,
                    self.focus_problems_act):
            view_menu.addAction(act)
        view_menu.addSeparator()
        view_menu.addMenu(self.case_list.columns_menu)
        view_menu.addAction(self.reset_layout_act)
        # its actions come with the workspace (document_actions.py)
        self.documents_menu = bar.addMenu("Documents")
        self.documents_menu.setObjectName("documents_menu")
        # (every letter of "Reports" is some field's Alt-letter already: Ctrl+Shift+R opens it)
        reports_menu = bar.addMenu("Reports")
        reports_menu.setObjectName("reports_menu")
        reports_menu.addAction(self.reports_act)
        reports_menu.addAction(self.bills_issued_act)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_act)

        tools = QToolBar("Main toolbar")
        tools.setObjectName("main_toolbar")
        for act in (self.new_case_act, self.undo_act, self.redo_act, self.reload_act):
            tools.addAction(act)
            identify(tools.widgetForAction(act), f"toolbar_{act.objectName()}", act.text().replace("&", ""))
        self.addToolBar(tools)
        self._fill_recent()

    # -- files ---------------------------------------------------------------------------

    def open_path(self, target: Path | str, *, quiet: bool = False) -> bool:
        """Open a case file, or connect to a server (a target: store/targets.py; its
        password asked for when the server wants one and libpq has none)."""
        from ..store.targets import is_server_target

        if self.workspace_built:
            self.editor.flush()
        server = is_server_target(target)
        self.open_error = None
        try:
            if server:
                self.session.open(str(target), ask_password=ask_password(self))
            else:
                self.session.open(Path(target))
        except StoreError as e:
            self.open_error = e
            if not quiet:
                self.error("Cannot connect to the server" if server else "Cannot open the case file", e)
            if not server:  # (a server that is down today is there tomorrow)
                self._forget_recent(str(target))
            if not quiet:
                self._show_start_screen(target if server else Path(target), cancelled=False)
            return False
        # (if the sign-in was cancelled)
        self._show_start_screen(str(target) if server else Path(target), cancelled=True)
        return True

    def show_start_screen(self, failed: str, error: BaseException):
        """What could not be opened at start, and what to open instead (ui/start_dialog.py)."""
        from .start_dialog import CONNECT, DEMO, OPEN, OPEN_FILE, RETRY, StartDialog

        recent = [p for p in self._recent() if p != failed]
        dialog = StartDialog(failed, error, recent, self)

        def chosen(what: str, target: str) -> None:
            if what in (OPEN, RETRY):
                if not self.open_path(target, quiet=True):
                    QTimer.singleShot(0, lambda: self.show_start_screen(target, self.open_error))
            elif what == CONNECT:
                self.server.connect_dialog()
            elif what == OPEN_FILE:
                self.open_file_dialog()
            elif what == DEMO:
                from .app import demo_case_file

                self.open_path(demo_case_file())

        dialog.chosen.connect(chosen)
        self.start_dialog = dialog
        dialog.open()
        return dialog

    def adopt_store(self, store, target: str) -> bool:
        """Work on ``store``, connected already (File > Connect to server…)."""
        if self.workspace_built:
            self.editor.flush()
        try:
            self.session.adopt(store, target)
        except StoreError as e:
            self.error("Cannot open the cases of the server", e)
            return False
        return True

    def _show_start_screen(self, path: Path | str, *, cancelled: bool) -> None:
        """No file open after all (the sign-in cancelled, the file unreadable): the start
        screen says so and offers the ways on; the window stays (ui/start_screen.py)."""
        if self.session.file is not None:
            return
        if self.start_screen is None:
            from .start_screen import StartScreen

            self.start_screen = StartScreen(self.open_file_act, self.new_file_act)
            self.start_screen.retryRequested.connect(self.open_path)
            self.central.addWidget(self.start_screen)
        self.start_screen.show_reason(path, cancelled)
        self.central.setCurrentWidget(self.start_screen)
        self.file_label.setText("No case file open")
        self.setWindowTitle("Billing Desk")
        self._update_availability()

    def _file_opened(self, _path: Path | str) -> None:
        cf = self.session.file
        self.undo_stack.clear()
        self.record = None
        self.central.setCurrentWidget(self.splitter)
        if self.workspace_built:
            self._show_no_case()
        self.case_list.apply_filters()
        if cf.is_server:
            self.file_label.setText(f"Server: {cf.where}, as {cf.server_user}")
            self.setWindowTitle(f"{cf.name} (server) — Billing Desk")
        else:
            self.file_label.setText(str(cf.path))
            self.setWindowTitle(f"{cf.name} — Billing Desk")
            exposed = self.session.file_exposure()
            if exposed is not None:  # (said where the clerk looks, and kept on the label)
                self.file_label.setText(f"⚠ {cf.path} — readable by others")
                self.file_label.setToolTip(exposed)
                self.statusBar().showMessage(f"Warning: {exposed}", 30000)
            else:
                self.file_label.setToolTip("")
        self._update_availability()
        self._show_user()
        if self.workspace_built:  # (else once the first frame is shown: build_workspace)
            self._check_history_seen()
        target = str(self.session.target)
        self.settings.setValue("last_file", target)
        recent = [target] + [p for p in self._recent() if p != target]
        self.settings.setValue("recent_files", recent[:MAX_RECENT])
        self._fill_recent()

    def _show_user(self) -> None:
        user = self.session.user
        self.user_label.setText(f"Signed in: {user_label(user)}" if user
                                else f"Signed in: {self.session.actor}" if self.session.actor
                                else "Not signed in")

    def _recent(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _forget_recent(self, path: str) -> None:
        """A file that cannot be opened (moved, deleted, damaged) leaves the recent list."""
        recent = self._recent()
        if path in recent:
            self.settings.setValue("recent_files", [p for p in recent if p != path])
            self._fill_recent()

    def _fill_recent(self) -> None:
        from ..store.targets import target_label

        self.recent_menu.clear()
        for k, p in enumerate(self._recent()):
            label = target_label(p)
            act = self.recent_menu.addAction(f"&{k + 1} {label}")
            act.triggered.connect(lambda _checked=False, p=p: self.open_path(p))
        self.recent_menu.setEnabled(bool(self._recent()))

    def open_file_dialog(self) -> None:
        from .file_dialogs import open_file

        path = open_file(self, "Open case file", self._dialog_dir(),
                         "Case files (*.bdesk);;All files (*)")
        if path:
            self.open_path(path)

    def new_file(self) -> None:
        from ..store.sqlite.files import create_case_file

        from .file_dialogs import save_file

        path = save_file(self, "New case file", self._dialog_dir() / "cases.bdesk",
                         "Case files (*.bdesk)")
        if path is None:
            return
        if path.suffix != ".bdesk":
            path = path.with_name(path.name + ".bdesk")
        try:
            create_case_file(path).close()
        except StoreError as e:
            self.error("Cannot create the case file", e)
            return
        self.open_path(path)

    def _dialog_dir(self) -> Path:
        return self.session.path.parent if self.session.path else Path.home()

    # -- cases ---------------------------------------------------------------------------

    def new_case(self) -> None:
        if self.session.file is None:
            return
        self.editor.flush()
        try:
            record = self.session.new_case()
        except StoreError as e:
            self.error("Cannot create a case", e)
            return
        self.case_list.refresh()
        self._show_record(record)
        self.tabs.setCurrentWidget(self.editor_scroll)
        self.editor.number.setFocus()

    def open_case(self, case_id: int) -> None:
        self.editor.flush()
        try:
            record = self.session.load(case_id)
        except StoreError as e:
            self.error("Cannot open the case", e)
            return
        self.undo_stack.clear()
        self._show_record(record)

    def reload_case(self) -> None:
        if self.record is not None:
            self.open_case(self.record.id)

    def _show_record(self, record: CaseRecord, *, keep_undo: bool = False) -> None:
        self.record = record
        editable = record.status in EDITABLE
        self.editor.load(record.draft, header=self._header(record), editable=editable)
        self.notes.set_text_silently(record.notes)
        self.notes.setReadOnly(False)  # notes can be added in every status (store: save)
        self.attachments.show_case(record.id)
        self.history.show_case(record.id)
        self.live.recompute(record.draft)
        self.case_list.select_case(record.id)
        self._update_availability()
        self.caseOpened.emit(record)

    @staticmethod
    def _header(r: CaseRecord) -> str:
        reason = f" — {r.status_reason}" if r.status_reason else ""
        assignee = f", assigned to {r.assignee}" if r.assignee else ""
        return (f"<b>{r.case_number}</b> · {r.status.value}{reason} · revision {r.revision} · "
                f"prepared by {r.prepared_by}, last edited by {r.last_edited_by}{assignee}")

    def _show_no_case(self) -> None:
        from ..domain.draft import CaseDraft

        self.editor.load(CaseDraft(), header="No case open — choose one in the list or press Ctrl+N",
                         editable=False)
        self.live.clear()
        self.notes.set_text_silently("")
        self.notes.setReadOnly(True)
        self._update_availability()

    def _update_availability(self) -> None:
        """The window's own actions the open file and case allow, each refused with the
        reason otherwise (said when its shortcut is pressed: ui/availability.py)."""
        from ..domain.workflow import Action
        from .availability import refused_move, set_available

        no_file = None if self.session.file is not None else "no case file is open."
        set_available(self.new_case_act, no_file)
        set_available(self.users_act, no_file)
        set_available(self.reload_act, no_file or (None if self.record is not None else "no case is open."))
        set_available(self.import_csv_act, no_file or refused_move(self.record, Action.EDIT))

    # -- saving --------------------------------------------------------------------------

    def _edited(self, draft: CaseDraft, description: str) -> None:
        if self.record is None:
            return
        if self.session.lost is not None:  # nothing is saved any more (see _locks_lost)
            self._locks_lost(self.session.lost, draft)
            return
        from .undo import EditCaseCommand

        self.undo_stack.push(EditCaseCommand(self.record.id, self.record.draft, draft, description,
                                             self._save))

    def _save(self, case_id: int, draft: CaseDraft, description: str) -> bool:
        """Redo/undo of an edit: save it, or report why not and show what the file holds."""
        if self.record is None or self.record.id != case_id:
            return False
        try:
            record = self.session.save_draft(case_id, draft, self.record.revision)
        except LocksLost as e:
            self._locks_lost(e, draft)
            return False
        except CONNECTION_ERRORS as e:  # the server cannot be reached: kept, saved when back
            self.server.not_saved(case_id, self.record.revision, draft, description, e)
            return False
        except BillingDeskError as e:  # (someone saved first, the rules, the file)
            self.error(f"Not saved: {description}", e)
            # the stack is running this very command (an undo, a redo): clearing it now
            # would delete the command under its own feet, so reload once it has returned
            QTimer.singleShot(0, self._reload_after_refusal)
            return False
        self.record = record
        if self.editor.draft() != draft:  # an undo or redo: show the saved draft
            self.editor.load(draft, header=self._header(record), editable=record.status in EDITABLE)
            self.live.recompute(draft)
        else:
            self.editor.header.setText(self._header(record))
        self.statusBar().showMessage(f"Saved: {description}", 4000)
        return True

    def _reload_after_refusal(self) -> None:
        self.undo_stack.clear()
        self.reload_case()

    def _notes_edited(self) -> None:
        if self.record is None:
            return
        try:
            self.record = self.session.save_notes(self.record.id, self.notes.toPlainText(),
                                                  self.record.revision)
        except CONNECTION_ERRORS as e:  # (what was typed stays in the field)
            self.session.connection_lost(e)
            self.error("Notes not saved", e)
            return
        except StoreError as e:
            self.error("Notes not saved", e)
            self.reload_case()
            return
        self.editor.header.setText(self._header(self.record))
        self.statusBar().showMessage("Saved: notes", 4000)

    def _after_save(self, record: CaseRecord) -> None:
        self.case_list.refresh_soon()
        if self.workspace_built and self.record is not None and record.id == self.record.id:
            self.history.show_case(record.id)

    def _attachments_changed(self) -> None:
        if self.record is not None:
            self.record = self.session.load(self.record.id)
            self.editor.header.setText(self._header(self.record))
            self.history.show_case(self.record.id)

    def _external_change(self, case_ids: frozenset[int]) -> None:
        """Another window, workstation or clerk saved: show their changes. What is being
        typed in the case they changed is not committed on top of their version (it was
        based on the old one): it is put back, still being typed, over theirs."""
        self.case_list.refresh()
        if self.record is not None and self.record.id in case_ids:
            typing = self.editor.typing()
            try:
                record = self.session.load(self.record.id)
            except StoreError:
                return
            if record.revision != self.record.revision:
                self.undo_stack.clear()
                self._show_record(record)
                kept = ""
                if typing is not None and record.status in EDITABLE:
                    self.editor.resume_typing(typing)
                    kept = " (what you are typing is kept)"
                self.statusBar().showMessage(
                    f"{record.case_number} was changed by {record.last_edited_by}; showing "
                    f"their version{kept}", 8000)

    def import_periods_csv(self) -> None:
        if self.record is None or self.record.status not in EDITABLE:
            return
        from .file_dialogs import open_file

        path = open_file(self, "Import periods from CSV", self._dialog_dir(),
                         "CSV files (*.csv *.txt);;All files (*)")
        if path:
            self.import_periods_from(path)

    def import_periods_from(self, path: Path) -> None:
        from ..domain.limits import PERIODS_CSV_BYTES
        from ..store.sqlite.openfiles import read_outside_file

        with reported(self, "Cannot read the CSV file") as outcome:
            try:
                text = read_outside_file(path, PERIODS_CSV_BYTES).decode("utf-8-sig")
            except UnicodeDecodeError:
                raise OSError(f"{path} is not UTF-8 text") from None
        if outcome.failed:
            self.last_error_box = outcome.box
            return
        from ..domain.entry import TooManyRows, parse_csv_text

        try:
            parsed = parse_csv_text(text)
        except TooManyRows as e:
            self.error(f"Cannot import {path.name}", e)
            return
        model = self.editor.periods_model
        model.paste(parsed, model.rowCount(), ("start", "end", "bill_date", "billed", "correct", "note"))
        bad = len(parsed.problems)
        self.statusBar().showMessage(
            f"Imported {len(parsed.periods)} period(s) from {path.name}"
            + (f"; {bad} cell(s) refused and marked, not saved" if bad else ""), 10000)

    # -- misc ----------------------------------------------------------------------------

    def focus_editor(self) -> None:
        from .qt import Qt

        self.tabs.setCurrentWidget(self.editor_scroll)
        self.editor.number.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_problems(self) -> None:
        """The determination panel's problems to fix (Enter on one goes to its field)."""
        problems = self.panel.problems
        if not (self.panel.problems_box.isVisibleTo(self.panel) and problems.count()):
            self.say("No problems to fix: the case is complete and valid as far as it goes"
                     if self.record is not None else "No case is open")
            return
        from .qt import Qt

        problems.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if problems.currentRow() < 0:
            problems.setCurrentRow(0)
        n = problems.count()
        self.statusBar().showMessage(f"{n} problem{'s' if n != 1 else ''} to fix: Enter on one "
                                     "goes to its field", 6000)

    def say(self, message: str, timeout: int = 8000) -> None:
        """A message in the status bar, also announced to a screen reader."""
        from .a11y import announce

        self.statusBar().showMessage(message, timeout)
        announce(self.statusBar(), message)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        """The shortcut of an action not available now: say why (ui/availability.py)."""
        from .availability import refusal, refused_by_key

        action = refused_by_key(self.findChildren(QAction), event)
        if action is None:
            super().keyPressEvent(event)
            return
        event.accept()
        self.say(refusal(action))

    def focus_search(self) -> None:
        self.case_list.search.setFocus()
        self.case_list.search.selectAll()

    def open_reports(self):
        """The reports window (its modules, QtCharts and ReportLab load now, not at start)."""
        if self.session.file is None:
            return None
        window = self.__dict__.get("reports_window")
        if window is not None and window.isVisible() and window.service.path == self.session.path:
            window.raise_()
            window.activateWindow()
            window.refresh()
            return window
        from .reports_window import ReportsWindow

        self.reports_window = ReportsWindow(self.session, self)
        self.reports_window.show()
        return self.reports_window

    def open_users(self):
        """File > Users… (ui/users_dialog.py)."""
        if self.session.file is None:
            return None
        from .users_dialog import UsersDialog

        self.users_dialog = UsersDialog(self.session, self)
        self.users_dialog.open()
        return self.users_dialog

    def open_bills_issued(self):
        window = self.open_reports()
        return None if window is None else window.open_bills_issued()

    def about(self) -> None:
        from .qt import QMessageBox

        QMessageBox.about(self, "About Billing Desk",
                          f"Billing Desk {__version__}\nBilling-error cases under Fort Collins "
                          "City Code Sec. 26-721.")

    def confirm_discard(self, refused: list[str]) -> None:
        """Entries that were refused (a date that is no date, an amount with too many
        decimals) were never saved: closing would lose them, so ask first (window-modal,
        without blocking; Discard closes the window)."""
        from .qt import Qt
        from .qt import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, "Entries not saved",
                          "These entries are not valid and were not saved:\n\n"
                          + "\n".join(f"• {r}" for r in refused)
                          + "\n\nClose anyway and lose them?",
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("discard_dialog")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Discard:
                self._discard_refused = True
                self.close()

        box.buttonClicked.connect(answered)
        self.last_error_box = box
        box.open()

    def _locks_lost(self, e: LocksLost, unsaved: CaseDraft | None = None) -> None:
        """This process lost the file's locks (store/sqlite/openfiles.py): say so loudly, keep
        the change that could not be saved in a file of its own, and save nothing more
        from this window; the editor keeps showing what was typed, for reading."""
        from .qt import Qt
        from .qt import QLabel, QMessageBox

        first = self.session.lost is None
        if unsaved is None and self.workspace_built and self.record is not None:
            typed = self.editor.draft()
            unsaved = typed if typed != self.record.draft else None
        text = str(e)
        if unsaved is not None and self.record is not None:
            try:
                kept = self.session.keep_unsaved(self.record, unsaved)
                text += (f"\n\nYour unsaved version of {self.record.case_number} was written to "
                         f"{kept}. After restarting, import it (billing-desk import) or "
                         "type the change again.")
            except OSError as oe:
                text += f"\n\nYour unsaved change could not be kept in a file either ({oe})."
        elif not first:
            return  # said already, and nothing new to keep
        self.session.lose(e)
        if self.workspace_built:
            self.editor.setEnabled(False)  # (what was typed stays readable, and can be copied)
        self.case_list.apply_filters()
        if first:
            banner = QLabel("NOT SAVING: the case file's lock was lost. Restart Billing Desk.")
            banner.setObjectName("locks_lost_banner")
            banner.setAccessibleIdentifier("locks_lost_banner")
            banner.setStyleSheet("color: white; background: #b00020; padding: 2px 6px;")
            self.statusBar().addPermanentWidget(banner)
            self.setWindowTitle(f"{self.windowTitle()} — NOT SAVING")
        box = QMessageBox(QMessageBox.Icon.Critical, "The case file is no longer safe to save to",
                          text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("locks_lost_dialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_error_box = box
        box.open()

    def error(self, title: str, e: BaseException) -> None:
        from .errors import show_error

        self.last_error_box = show_error(self, title, e)

    def _restore_layout(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:  # first run: as large as is comfortable on this screen, never larger
            free = self.screen().availableGeometry()
            self.resize(min(1600, free.width() - 40), min(950, free.height() - 40))
        state = self.settings.value("window_state")
        # the work queues' dock (and the toolbar) where the clerk left them, placed by the
        # saved state alone (the dock is in every state this window saves); on a first
        # run where a first run puts them
        if not (isinstance(state, QByteArray) and not state.isEmpty() and self.restoreState(state)
                or self.restoreState(QByteArray.fromBase64(FIRST_RUN_STATE))):
            from .qt import Qt

            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.queue_dock)
            self.resizeDocks([self.queue_dock], [150], Qt.Orientation.Vertical)  # the case keeps the room
        self.case_list.restore_layout(self.settings)
        self._restore_splitter()

    def reset_layout(self) -> None:
        """The layout of a first run again: the panes' sizes, the work queues docked
        along the bottom and shown, the toolbar on top, the list's columns at their
        widths and newest first (saved as such when the window closes)."""
        self.build_workspace()
        self.restoreState(QByteArray.fromBase64(FIRST_RUN_STATE))
        self.queue_dock.show()
        self.splitter.setSizes(FIRST_RUN_SPLITTER)
        self.case_list.reset_layout()
        self.statusBar().showMessage("Layout reset", 4000)

    def _restore_splitter(self) -> None:
        # again once the workspace is built: the sizes are shared out by the panes' minimums
        state = self.settings.value("splitter")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes(FIRST_RUN_SPLITTER)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.build_workspace()  # (closed before it was built: nothing to flush, but the same path)
        # an edit still being typed is committed (saved) before the window goes
        self.editor.flush()
        self.notes.finish()
        self.server.keep_before_closing()  # an edit the server never got, kept in a file
        refused = self.editor.refused_entries()
        if refused and not self._discard_refused:
            event.ignore()
            self.confirm_discard(refused)
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("splitter", self.splitter.saveState())
        self.settings.setValue("window_state", self.saveState())
        self.case_list.save_layout(self.settings)
        self.settings.sync()
        super().closeEvent(event)
        batch = self.document_actions.batch_dialog
        reports = self.__dict__.get("reports_window")
        if reports is not None:
            reports.close()  # (waits for a report being read)
        for task in (self.documents.task, self.document_actions.task,
                     batch.task if batch is not None else None):
            if task is not None and task.running:  # (its thread must end before the window)
                task.cancel()
                task.wait()
        # the file is closed with its window: a sign-out opens it afresh for the next
        # person, and no second connection of this process is left holding it
        try:
            self.session.close()
        except StoreError as e:  # (the box outlives the window: the app ends when it is read)
            from .errors import show_error

            self.last_error_box = show_error(None, "The case file was not closed cleanly", e)


class _FirstPaint(QObject):
    """Calls ``then`` once, after ``widget`` first paints, and goes away."""

    def __init__(self, widget: QWidget, then) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self._then()
            self.deleteLater()
        return False
