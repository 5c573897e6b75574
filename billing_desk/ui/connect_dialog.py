"""File > Connect to server…: a department's Billing Desk database on a PostgreSQL server.

The server is a ``postgresql://`` URL, a libpq connection string (``host=db dbname=billing``)
or the name of a section of the libpq service file (``office``: IT's ``pg_service.conf``
holds host, database, user and TLS settings). The user is the person's own login on
the server (on a database whose people sign in as themselves: made by IT for the first
administrator, by an administrator in File > Users… for everyone else), and connecting
is signing in: the server checks the password, and the app asks for nothing more. The
password field is optional -- libpq looks in ``~/.pgpass`` first -- and what is typed in
it is used for this connection only: never stored, never put in the recent list.

Connecting runs on a thread of its own (a server that does not answer makes the dialog
wait, not the window); each failure is said in the dialog, next to what to change: a
server that cannot be reached, a password that is wanted or wrong, a database that is
not Billing Desk's or needs ``billing-desk upgrade``.
"""

from __future__ import annotations


from .qt import Signal
from .qt import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from ..store.casefile import CaseFile
from ..store.errors import ServerSignInRefused, StoreError
from .a11y import identify


def server_target(typed: str) -> str:
    """What was typed in the Server field as a target: a URL or a connection string as
    it is, a bare name as a service of the libpq service file."""
    text = typed.strip()
    if "://" in text or "=" in text:
        return text
    return f"service={text}"


class ConnectDialog(QDialog):
    """``connected`` carries the open store and the target it was opened with (for the
    recent list: no password in it)."""

    connected = Signal(object, str)

    def __init__(self, parent: QWidget | None = None, *, target: str = "", user: str = "",
                 note: str = "") -> None:
        super().__init__(parent)
        identify(self, "connect_dialog", "Connect to server")
        self.setWindowTitle("Connect to server — Billing Desk")
        self.store: CaseFile | None = None
        lay = QVBoxLayout(self)
        intro = QLabel(note or "Connect to your department's Billing Desk database. Ask your IT "
                       "department for the server's address, or the name of its entry in "
                       "the service file.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.server = QLineEdit(target)
        identify(self.server, "connect_server", "Server",
                 "A postgresql:// address, or the name of a service (office)")
        self.server.setPlaceholderText("postgresql://db.example.org/billing  or  office")
        self.user = QLineEdit(user)
        identify(self.user, "connect_user", "User on the server")
        self.user.setPlaceholderText("(as the address or the service says)")
        self.password = QLineEdit()
        identify(self.password, "connect_password", "Password",
                 "Used for this connection only, never stored")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("(from ~/.pgpass if left empty)")
        form.addRow("&Server:", self.server)
        form.addRow("&User:", self.user)
        form.addRow("&Password:", self.password)
        lay.addLayout(form)
        self.message = QLabel()
        identify(self.message, "connect_message", description="Why the connection failed")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()
        lay.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = buttons.addButton("&Connect", QDialogButtonBox.ButtonRole.AcceptRole)
        identify(self.connect_button, "connect_button", "Connect")
        self.connect_button.setDefault(True)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self._busy = False
        (self.password if target else self.server).setFocus()
        self.resize(560, self.sizeHint().height())

    def target(self) -> str:
        return server_target(self.server.text())

    def start(self) -> None:
        """Connect on a thread of its own; the dialog stays live meanwhile."""
        if self._busy:
            return
        if not self.server.text().strip():
            self._say("Type the server's address, or the name of its service.", self.server)
            return
        from ..store.targets import open_store

        target, user, password = self.target(), self.user.text().strip(), self.password.text()
        self._busy = True
        self.connect_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText("Connecting…")
        self.message.show()

        from .background import run_in_background

        # (its own display: the message line says "Connecting…", no progress dialog)
        self.task = run_in_background(
            self, "Connect to server",
            lambda _progress: open_store(target, user=user or None, password=password or None),
            lambda store: self._finished(store, None),
            failed=lambda e: self._finished(None, e if isinstance(e, StoreError) else
                                            StoreError(f"{type(e).__name__}: {e}")),
            progressed=lambda *_: None)

    def _finished(self, store: CaseFile | None, error: StoreError | None) -> None:
        self._busy = False
        self.connect_button.setEnabled(True)
        if error is not None:
            wants_password = isinstance(error, ServerSignInRefused)
            self._say(str(error), self.password if wants_password else self.server)
            return
        self.store = store
        self.password.clear()
        self.message.hide()
        self.connected.emit(store, self.recent_target())
        self.accept()

    def recent_target(self) -> str:
        """The target as the recent list keeps it: what was typed, and the user."""
        from ..store.targets import server_conninfo

        user = self.user.text().strip()
        return server_conninfo(self.target(), user) if user else self.target()

    def _say(self, text: str, field: QLineEdit) -> None:
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(text)
        self.message.show()
        field.setFocus()
        field.selectAll()

    def reject(self) -> None:
        if not self._busy:
            super().reject()
