"""The main window on a server: File > Connect to server…, the server's password when it
is asked for, and what happens to an edit when the connection drops.

An edit that cannot be saved because the server cannot be reached stays in the editor,
as typed; a red banner in the status bar says that it is not saved yet and why, and
the window saves it -- the same compare-and-set save, on the revision it was based on
-- as soon as the session says the server is back. If meanwhile someone else changed
the case (or the save had reached the server after all: the connection dropped during
the commit), the retry is refused as stale: when the server holds exactly this edit it
was saved, otherwise the window says plainly that it was not, keeps the edit in a file
(as for a lost case-file lock) and shows the server's version. Nothing is ever lost
silently, nothing is half-saved (each save is one transaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from .qt import QObject
from .qt import QAction, QKeySequence
from .qt import QLabel

from ..store.errors import StaleRevision, StoreError
from .session import CONNECTION_ERRORS

if TYPE_CHECKING:
    from ..domain.draft import CaseDraft
    from ..store.casefile import CaseFile
    from .main_window import MainWindow


@dataclass
class PendingSave:
    """An edit the server did not get: the case, the draft as typed, what was done."""

    case_id: int
    based_on: int
    draft: CaseDraft
    description: str


def ask_password(parent) -> Callable[[str], str | None]:
    """Asks for the server's password when libpq found none (never stored)."""

    def ask(where: str) -> str | None:
        from .qt import QInputDialog, QLineEdit

        text, ok = QInputDialog.getText(parent, "Server password — Billing Desk",
                                        f"The server {where} asks for a password:",
                                        QLineEdit.EchoMode.Password)
        return text if ok and text else None

    return ask


class ServerActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.pending: PendingSave | None = None
        self.connect_act = QAction("&Connect to server…", window)
        self.connect_act.setObjectName("connect_server")
        self.connect_act.setShortcuts([QKeySequence("Ctrl+Shift+O")])
        self.connect_act.setStatusTip("Open the cases of a Billing Desk database on a server")
        self.connect_act.triggered.connect(self.connect_dialog)
        self.banner = QLabel()
        self.banner.setObjectName("connection_banner")
        self.banner.setAccessibleIdentifier("connection_banner")
        self.banner.setStyleSheet("color: white; background: #b00020; padding: 2px 6px;")
        self.banner.setWordWrap(False)
        self.banner.hide()
        window.statusBar().addPermanentWidget(self.banner)
        self.session.connectionChanged.connect(self._connection_changed)
        self.dialog = None

    # -- connecting ----------------------------------------------------------------------

    def connect_dialog(self, target: str = "", note: str = ""):
        from .connect_dialog import ConnectDialog

        self.dialog = ConnectDialog(self.window, target=target, note=note)
        self.dialog.connected.connect(self._connected)
        self.dialog.open()
        return self.dialog

    def _connected(self, store: CaseFile, target: str) -> None:
        self.window.adopt_store(store, target)

    # -- the connection dropped ------------------------------------------------------------

    def not_saved(self, case_id: int, based_on: int, draft: CaseDraft, description: str,
                  error: StoreError) -> None:
        """The save of ``draft`` failed because the server cannot be used: keep it, say
        so, save it when the server is back."""
        self.pending = PendingSave(case_id, based_on, draft, description)
        self.session.connection_lost(error)
        self._show_banner(error)
        self.window.statusBar().showMessage(f"Not saved yet: {description}", 8000)

    def _show_banner(self, error: StoreError | None) -> None:
        where = self.session.file.where if self.session.file is not None else "the server"
        kept = " Your change is kept here and saved when it is back." if self.pending else ""
        self.banner.setText(f"NOT CONNECTED to {where}: trying again…{kept}")
        self.banner.setToolTip(str(error) if error else "")
        self.banner.show()

    def _connection_changed(self, error: StoreError | None) -> None:
        if error is not None:
            self._show_banner(error)
            return
        self.banner.hide()
        self.window.statusBar().showMessage(f"Connected again to {self.session.file.where}", 6000)
        self.save_pending()

    def save_pending(self) -> None:
        """The edit the server did not get, saved now: on the revision it was based on."""
        pending, self.pending = self.pending, None
        w = self.window
        if pending is None or w.record is None or w.record.id != pending.case_id:
            return
        try:
            record = self.session.save_draft(pending.case_id, pending.draft, pending.based_on)
        except CONNECTION_ERRORS as e:  # gone again
            self.not_saved(pending.case_id, pending.based_on, pending.draft, pending.description, e)
            return
        except StaleRevision as e:
            self._stale(pending, e)
            return
        except StoreError as e:
            w.error(f"Not saved: {pending.description}", e)
            w.reload_case()
            return
        w.record = record
        w.editor.header.setText(w._header(record))
        w.statusBar().showMessage(f"Saved: {pending.description} (the connection is back)", 6000)

    def _stale(self, pending: PendingSave, refused: StaleRevision) -> None:
        w = self.window
        try:
            stored = self.session.load(pending.case_id)
        except StoreError as e:
            w.error(f"Not saved: {pending.description}", e)
            return
        if stored.draft == pending.draft:  # it had reached the server before the drop
            w.record = stored
            w.editor.header.setText(w._header(stored))
            w.statusBar().showMessage(f"Saved: {pending.description}", 6000)
            return
        text = (f"Your change to {stored.case_number} ({pending.description}) was NOT saved: "
                f"while the connection was down, {refused.by} changed the case.")
        try:
            kept = self.session.keep_unsaved(stored, pending.draft)
            text += (f"\n\nYour version was written to {kept}; the case now shows theirs. "
                     "Type your change again, or import the file as a new case.")
        except OSError as oe:
            text += f"\n\nYour version could not be kept in a file either ({oe})."
        w.undo_stack.clear()
        w.open_case(stored.id)
        w.error("Not saved", StoreError(text))

    def keep_before_closing(self) -> None:
        """The window closes with an edit the server never got: keep it in a file and
        say where (the window is gone: the message has no parent)."""
        pending, self.pending = self.pending, None
        if pending is None or self.window.record is None:
            return
        from .errors import show_error

        try:
            kept = self.session.keep_unsaved(self.window.record, pending.draft)
            text = (f"Your change to {self.window.record.case_number} ({pending.description}) "
                    f"was NOT saved: the server could not be reached. It was written to {kept}; "
                    "import it, or type it again, once the server is back.")
        except OSError as oe:
            text = (f"Your change to {self.window.record.case_number} was NOT saved, and could "
                    f"not be kept in a file either ({oe}).")
        self.window.last_error_box = show_error(None, "Not saved", StoreError(text))
