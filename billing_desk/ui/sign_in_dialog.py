"""Signing in to a case file: login and password; on a file without users, the first
administrator instead; on a demo file, the demo office's public logins and passwords.

Enter signs in (Sign in is the default button, wherever the focus is but on Cancel); Esc or
Cancel closes the dialog and opens nothing, without a question: the window stays, at its
start screen (ui/start_screen.py). A refused sign-in says only what the store says
("Login or password is not correct.").
After repeated failures the store asks for a wait before the next answer; the dialog
waits on a timer, so the window stays responsive, and says how long.
"""

from __future__ import annotations

from .qt import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QTimer, QVBoxLayout, QWidget,
    Qt,
)

from ..domain.accounts import UserInvalid
from ..errors import BillingDeskError
from ..store.records import UserRecord
from .a11y import identify
from .demo_users_table import DemoUsersTable
from .session import SignInGate


def _line(identifier: str, name: str, *, secret: bool = False) -> QLineEdit:
    edit = QLineEdit()
    identify(edit, identifier, name)
    if secret:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class SignInDialog(QDialog):
    def __init__(self, gate: SignInGate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        identify(self, "sign_in_dialog", "Sign in")
        self.gate = gate
        self.user: UserRecord | None = None
        self.first_administrator = gate.needs_first_administrator
        self.setWindowTitle(f"Sign in — {gate.name} — Billing Desk")

        lay = QVBoxLayout(self)
        intro = QLabel()
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.login = _line("sign_in_login", "Login")
        self.name = _line("sign_in_name", "Full name")
        self.password = _line("sign_in_password", "Password", secret=True)
        self.password_again = _line("sign_in_password_again", "Password again", secret=True)
        form.addRow("&Login:", self.login)
        if self.first_administrator:
            intro.setText(f"<b>{gate.name}</b> has no users yet. Create its first "
                          "administrator: they add the clerks and supervisors and set the "
                          "approval limits.")
            form.addRow("Full &name:", self.name)
            form.addRow("&Password:", self.password)
            form.addRow("Password &again:", self.password_again)
        else:
            intro.setText(f"Sign in to <b>{gate.name}</b>.")
            form.addRow("&Password:", self.password)
        lay.addLayout(form)

        self.demo_table: DemoUsersTable | None = None
        demo = gate.demo_users
        if demo and not self.first_administrator:
            note = QLabel("This is a <b>demo file</b>: its users and their passwords are "
                          "public. Choose one (click it, or Enter on it) to fill in the form.")
            note.setWordWrap(True)
            lay.addWidget(note)
            self.demo_table = DemoUsersTable(demo)
            self.demo_table.chosen.connect(self._fill_from_demo)
            lay.addWidget(self.demo_table)

        self.message = QLabel()
        identify(self.message, "sign_in_message", description="Why the sign-in was refused")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a00000;")
        lay.addWidget(self.message)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(
            "Create administrator and sign in" if self.first_administrator else "Sign in",
            QDialogButtonBox.ButtonRole.AcceptRole)
        identify(self.ok, "sign_in_button")
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        identify(self.cancel, "sign_in_cancel", "Cancel: open no file")
        self.buttons.accepted.connect(self.attempt)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        # Enter signs in, from any field. Set once the button is in the dialog: a button
        # that does not know its dialog yet is not made the dialog's default, and on
        # showing, the dialog then makes the first button after the focus its default
        # (Cancel). Cancel never becomes the default on its own (only with the focus on it).
        self.ok.setDefault(True)
        self.cancel.setAutoDefault(False)
        self._wait = QTimer(self)
        self._wait.setSingleShot(True)
        self._wait.timeout.connect(lambda: self._try(waited=True))
        self.login.setFocus()
        self.setMinimumWidth(520)

    def _fill_from_demo(self, row: int) -> None:
        """A demo user chosen: their login and password in the form, and the focus on
        Sign in, so that the next Enter signs in as them."""
        if 0 <= row < len(self.gate.demo_users):
            user = self.gate.demo_users[row]
            self.login.setText(user.login)
            self.password.setText(user.password)
            self.message.setText("")
            self.ok.setFocus()

    def attempt(self) -> None:
        """Sign in now, or after the wait the store asks for after repeated failures."""
        if self.first_administrator:
            self._try(waited=False)
            return
        delay = self.gate.delay(self.login.text())
        if delay <= 0:
            self._try(waited=False)
            return
        self._set_busy(True)
        self.message.setText(f"Several sign-ins with this login failed: please wait "
                             f"{delay:.0f} second{'s' if delay != 1 else ''}…")
        self._wait.start(int(delay * 1000))

    def _try(self, *, waited: bool) -> None:
        self._set_busy(False)
        try:
            if self.first_administrator:
                if self.password.text() != self.password_again.text():
                    raise UserInvalid("password", "the two passwords typed differ")
                self.user = self.gate.create_first_administrator(
                    self.login.text(), self.name.text(), self.password.text())
            else:
                self.user = self.gate.sign_in(self.login.text(), self.password.text(), waited=waited)
        except BillingDeskError as e:
            self.message.setText(str(e))
            self.password.clear()
            self.password_again.clear()
            self.password.setFocus()
            return
        self.accept()

    def _set_busy(self, busy: bool) -> None:
        for w in (self.login, self.name, self.password, self.password_again, self.ok):
            w.setEnabled(not busy)


def ask_to_sign_in(gate: SignInGate, parent: QWidget | None = None) -> UserRecord | None:
    """The sign-in dialog, modal: the user who signed in, or None if cancelled."""
    dialog = SignInDialog(gate, parent)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None
