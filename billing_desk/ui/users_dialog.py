"""File > Users…: the people of the open store, and an administrator's changes to them.

Everyone sees the list (login, name, role, approval limit, enabled) and may change their
own password. An administrator adds a user, changes a role or an approval limit,
disables and enables a user and sets anyone's password; each is one action and one
audit entry. On a server whose people sign in as themselves, the same actions create
and alter their login on the server (their password is the server's: it is never kept
by Billing Desk); on a case file, the password's argon2id hash is kept in the file.

No rules here: who may do what, what a login, a name, a limit and a password must be,
and that the last administrator stays, are the store's and the domain's (through the
session); a refusal is shown as they word it, and nothing changes.
"""

from __future__ import annotations

from typing import Callable

from .qt import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QTableView, QVBoxLayout, QWidget,
)

from ..domain.workflow import Role
from ..errors import BillingDeskError
from ..store.summaries import UserRecord
from .a11y import identify
from .errors import show_error
from .session import CaseSession
from .users_model import UsersModel

ROLES = (Role.CLERK, Role.SUPERVISOR, Role.ADMINISTRATOR)


def _password_field(identifier: str, name: str) -> QLineEdit:
    field = QLineEdit()
    identify(field, identifier, name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _role_box(identifier: str, current: Role = Role.CLERK) -> QComboBox:
    box = QComboBox()
    identify(box, identifier, "Role")
    for role in ROLES:
        box.addItem(role.value.capitalize(), role)
    box.setCurrentIndex(ROLES.index(current))
    return box


class _Form(QDialog):
    """A small form with OK and Cancel; OK runs ``apply`` (which raises the store's
    refusal, shown here: the form stays open, with what was typed)."""

    def __init__(self, parent: QWidget, identifier: str, title: str, intro: str) -> None:
        super().__init__(parent)
        identify(self, identifier, title)
        self.setWindowTitle(f"{title} — Billing Desk")
        self.last_error_box = None
        self.apply: Callable[[], object] = lambda: None
        lay = QVBoxLayout(self)
        note = QLabel(intro)
        note.setWordWrap(True)
        lay.addWidget(note)
        self.form = QFormLayout()
        lay.addLayout(self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        identify(self.ok_button, f"{identifier}_ok", "OK")
        buttons.accepted.connect(self.accept_if_applied)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.setMinimumWidth(440)

    def row(self, caption: str, field: QWidget) -> QWidget:
        label = QLabel(caption)
        label.setBuddy(field)
        self.form.addRow(label, field)
        return field

    def accept_if_applied(self) -> bool:
        try:
            self.apply()
        except BillingDeskError as e:
            self.last_error_box = show_error(self, f"{self.windowTitle().split(' — ')[0]}: not "
                                             "done", e)
            return False
        self.accept()
        return True


class UsersDialog(QDialog):
    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        identify(self, "users_dialog", "Users")
        self.setWindowTitle("Users — Billing Desk")
        self.session = session
        self.form: _Form | None = None
        self.last_error_box = None
        lay = QVBoxLayout(self)
        self.note = QLabel()
        identify(self.note, "users_note", description="Who may change users, and where "
                 "passwords are kept")
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        self.model = UsersModel(self)
        self.table = QTableView()
        identify(self.table, "users_table", "Users")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.table, 1)

        row = QHBoxLayout()
        self.add_button = self._button(row, "&Add user…", "users_add", self.ask_add)
        self.role_button = self._button(row, "Change &role…", "users_role", self.ask_role)
        self.limit_button = self._button(row, "Approval &limit…", "users_limit", self.ask_limit)
        self.active_button = self._button(row, "&Disable", "users_active", self.toggle_active)
        self.password_button = self._button(row, "Set &password…", "users_password",
                                            self.ask_password)
        row.addStretch(1)
        lay.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.reload()
        self.resize(720, 420)

    def _button(self, row: QHBoxLayout, text: str, identifier: str, slot) -> QPushButton:
        button = QPushButton(text)
        identify(button, identifier, text.replace("&", "").rstrip("…"))
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    # -- what is shown -------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        selected = select or (self.selected().login if self.selected() else None)
        self.model.load(self.session.users())
        self.table.resizeColumnsToContents()
        row = self.model.row_of(selected) if selected else -1
        if row < 0 and self.session.user is not None:
            row = self.model.row_of(self.session.user.login)
        if row >= 0:
            self.table.selectRow(row)
        self._update()

    def selected(self) -> UserRecord | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.user(rows[0].row()) if rows else None

    def _update(self) -> None:
        admin = self.session.is_administrator
        people = self.session.people_sign_in_to_the_server
        where = ("People sign in to the server as themselves: adding a user here creates "
                 "their login on the server, disabling one stops them signing in, and "
                 "their password is the server's." if people else
                 "People sign in to this case file with the passwords set here (kept in "
                 "it as argon2id hashes)." if not self.session.file.is_server else
                 "People sign in to this database with the passwords set here.")
        self.note.setText(where + (" Each change is recorded in the history." if admin else
                                   " Only an administrator can change users; you can set "
                                   "your own password."))
        user = self.selected()
        mine = user is not None and self.session.user is not None and \
            user.login.lower() == self.session.user.login.lower()
        self.add_button.setEnabled(admin)
        for button in (self.role_button, self.limit_button, self.active_button):
            button.setEnabled(admin and user is not None)
        self.limit_button.setEnabled(admin and user is not None and user.role is not Role.CLERK)
        self.password_button.setEnabled(user is not None and (admin or mine))
        self.active_button.setText("&Enable" if user is not None and not user.active
                                   else "&Disable")
        self.active_button.setAccessibleName(self.active_button.text().replace("&", ""))

    # -- changes -------------------------------------------------------------------------

    def _open(self, form: _Form, apply: Callable[[], object],
              select: Callable[[], str | None]) -> _Form:
        """Open ``form``; its OK applies the change, then the list shows it selected."""
        def done() -> None:
            apply()
            self.reload(select())

        form.apply = done
        self.form = form
        form.open()
        return form

    def ask_add(self) -> _Form:
        form = _Form(self, "user_add_dialog", "Add user",
                     "The new user signs in with this login and password"
                     + (" (on the server)." if self.session.people_sign_in_to_the_server else "."))
        login = form.row("&Login:", identify(QLineEdit(), "user_login", "Login"))
        name = form.row("&Name:", identify(QLineEdit(), "user_name", "Name"))
        role = form.row("&Role:", _role_box("user_role"))
        limit = form.row("Approval li&mit:", identify(QLineEdit(), "user_limit",
                                                     "Approval limit",
                                                     "The largest refund or back bill this "
                                                     "user may approve; empty: none"))
        limit.setPlaceholderText("e.g. 2,500.00 (supervisors and administrators)")
        password = form.row("&Password:", _password_field("user_password", "Password"))
        again = form.row("A&gain:", _password_field("user_password_again", "Password again"))
        role.currentIndexChanged.connect(
            lambda _i: limit.setEnabled(role.currentData() is not Role.CLERK))
        limit.setEnabled(False)
        form.login, form.name, form.role, form.limit = login, name, role, limit
        form.password, form.again = password, again

        def add() -> None:
            _same_twice(password, again)
            self.session.add_user(login.text(), name.text(), role.currentData(),
                                  password.text(), limit.text() if limit.isEnabled() else "")

        return self._open(form, add, lambda: login.text().strip())

    def ask_role(self) -> _Form | None:
        user = self.selected()
        if user is None:
            return None
        form = _Form(self, "user_role_dialog", "Change role",
                     f"{user.name} ({user.login}) is a {user.role.value}. A clerk approves "
                     "nothing, so making someone a clerk removes their approval limit.")
        role = form.row("&Role:", _role_box("user_new_role", user.role))
        form.role = role
        return self._open(form, lambda: self.session.set_user_role(user.login, role.currentData()),
                          lambda: user.login)

    def ask_limit(self) -> _Form | None:
        user = self.selected()
        if user is None:
            return None
        form = _Form(self, "user_limit_dialog", "Approval limit",
                     f"The largest refund or back bill {user.name} ({user.login}) may "
                     "approve. Leave it empty for none.")
        limit = form.row("Approval &limit:", identify(QLineEdit(
            "" if user.approval_limit is None else f"{user.approval_limit:,.2f}"),
            "user_new_limit", "Approval limit"))
        form.limit = limit
        return self._open(form, lambda: self.session.set_user_limit(user.login, limit.text()),
                          lambda: user.login)

    def ask_password(self) -> _Form | None:
        user = self.selected()
        if user is None:
            return None
        where = (" on the server" if self.session.people_sign_in_to_the_server else "")
        form = _Form(self, "user_password_dialog", "Set password",
                     f"A new password for {user.name} ({user.login}){where}. Tell them "
                     "in person; it is not shown again.")
        password = form.row("&Password:", _password_field("user_new_password", "New password"))
        again = form.row("A&gain:", _password_field("user_new_password_again",
                                                     "New password again"))
        form.password, form.again = password, again

        def set_password() -> None:
            _same_twice(password, again)
            self.session.set_user_password(user.login, password.text())

        return self._open(form, set_password, lambda: user.login)

    def toggle_active(self) -> bool:
        """Disable the selected user (or enable a disabled one): one action, refused as
        the store says (the last administrator stays)."""
        user = self.selected()
        if user is None:
            return False
        try:
            self.session.set_user_active(user.login, not user.active)
        except BillingDeskError as e:
            self.last_error_box = show_error(self, "User not changed", e)
            return False
        self.reload(user.login)
        return True


def _same_twice(password: QLineEdit, again: QLineEdit) -> None:
    from ..domain.accounts import UserInvalid

    if password.text() != again.text():
        raise UserInvalid("password", "the two passwords typed differ; nothing was changed")
