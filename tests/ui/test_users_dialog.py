"""File > Users…: an administrator adds a user, changes their role and limit, disables
them and sets a password, as they would with the mouse and the keyboard; everyone else
sees the list and sets only their own password. On a case file (app-level users) and on
a server whose people sign in as themselves (each change creates or alters their
PostgreSQL login role, and the new person then connects with the password typed)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from billing_desk.domain.workflow import Role
from billing_desk.store import create_store, open_store
from billing_desk.ui.session import CaseSession
from billing_desk.ui.users_dialog import UsersDialog
from tests.backends import Raw
from tests.people import office  # noqa: F401 (the fixture, for the server)
from tests.staff import PASSWORD, add_staff
from tests.ui.typing import type_text

NEW_PASSWORD = "a long new password"


class Place:
    """Where the test works: a store, who its administrator and a clerk are, and how
    to open it as one of them."""

    def __init__(self, request, backend: str, tmp_path) -> None:
        self.backend = backend
        self.dropped: list[str] = []
        if backend == "file":
            self.target = tmp_path / "office.bdesk"
            with create_store(self.target) as cf:
                add_staff(cf)
            self.admin, self.clerk, self.newcomer = "root", "alice", "nina"
            return
        self.office = request.getfixturevalue("office")
        self.server = self.office.server
        self.admin, self.clerk = self.office.login["admin"], self.office.login["clerk"]
        self.newcomer = f"nina{self.clerk}"
        self.dropped.append(self.newcomer)

    def session(self, login: str, password: str = PASSWORD) -> CaseSession:
        session = CaseSession(login)
        if self.backend == "file":
            assert session.open(self.target)
        else:  # the person connects as themselves: the server checks the password
            assert session.open(self.server.conninfo(self.office.dbname, user=login),
                                password=password)
        return session

    def drop(self) -> None:
        for login in self.dropped:
            self.server.admin(f'DROP ROLE IF EXISTS "{login}"')


@pytest.fixture
def place(request, backend, tmp_path):
    p = Place(request, backend, tmp_path)
    yield p
    p.drop()


def shown(dialog: UsersDialog) -> list[list[str]]:
    m = dialog.model
    return [[m.data(m.index(r, c)) for c in range(m.columnCount())] for r in range(m.rowCount())]


def row_of(dialog: UsersDialog, login: str) -> list[str]:
    return next(r for r in shown(dialog) if r[0].lower() == login.lower())


def select(dialog: UsersDialog, login: str) -> None:
    dialog.table.selectRow(dialog.model.row_of(login))


def test_an_administrator_adds_re_roles_and_disables_a_user(qtbot, place):
    session = place.session(place.admin)
    assert session.user.role is Role.ADMINISTRATOR  # (on a server: no second sign-in)
    dialog = UsersDialog(session)
    qtbot.addWidget(dialog)
    assert row_of(dialog, place.clerk)[2:] == ["Clerk", "—", "Enabled"]
    assert dialog.add_button.isEnabled()

    # the passwords typed differ: refused, the form stays open, nobody is added
    form = dialog.ask_add()
    type_text(form.login, place.newcomer)
    type_text(form.name, "Nina Novak")
    form.role.setCurrentIndex(form.role.findData(Role.SUPERVISOR))
    assert form.limit.isEnabled()
    type_text(form.limit, "2,500.00")
    type_text(form.password, NEW_PASSWORD)
    type_text(form.again, NEW_PASSWORD + "x")
    form.ok_button.click()
    assert form.isVisible() and "two passwords typed differ" in form.last_error_box.text()
    assert session.user_named(place.newcomer) is None

    form.again.clear()
    type_text(form.again, NEW_PASSWORD)
    form.ok_button.click()
    assert not form.isVisible()
    assert row_of(dialog, place.newcomer) == [place.newcomer, "Nina Novak", "Supervisor",
                                              "$2,500.00", "Enabled"]
    assert dialog.selected().login == place.newcomer
    added = session.user_named(place.newcomer)
    assert (added.role, added.approval_limit) == (Role.SUPERVISOR, Decimal("2500.00"))
    # the new user signs in with the password typed
    with _signed_in(place, place.newcomer, NEW_PASSWORD) as other:
        assert other.user.name == "Nina Novak"

    # a clerk approves nothing: the role change removes the limit
    form = dialog.ask_role()
    form.role.setCurrentIndex(form.role.findData(Role.CLERK))
    form.ok_button.click()
    assert row_of(dialog, place.newcomer)[2:4] == ["Clerk", "—"]
    assert not dialog.limit_button.isEnabled()

    assert dialog.active_button.text() == "&Disable"
    dialog.active_button.click()
    assert row_of(dialog, place.newcomer)[4] == "Disabled"
    assert dialog.active_button.text() == "&Enable"
    with pytest.raises(Exception, match="disabled|not permitted to log in"):
        _signed_in(place, place.newcomer, NEW_PASSWORD)

    # the last administrator stays: refused with the store's words, nothing changed
    select(dialog, place.admin)
    assert not dialog.active_button.click() and dialog.last_error_box is not None
    assert "last active administrator" in dialog.last_error_box.text()
    assert row_of(dialog, place.admin)[4] == "Enabled"

    if place.backend == "server":  # the login role follows: in the clerks' group, no login
        with Raw(place.office.it) as it:
            groups = dict(it.execute("SELECT role, name FROM server_roles").fetchall())
            assert it.value("SELECT pg_has_role(?, ?, 'MEMBER')",
                            (place.newcomer, groups["clerk"]))
            assert not it.value("SELECT pg_has_role(?, ?, 'MEMBER')",
                                (place.newcomer, groups["supervisor"]))
            assert not it.value("SELECT rolcanlogin FROM pg_roles WHERE rolname = ?",
                                (place.newcomer,))
    actions = [e.action for e in session.file.audit_log() if e.entity == "user"
               and e.entity_id.lower() == place.newcomer.lower()]
    assert actions == ["add", "set_role", "disable"]
    assert session.file.verify().ok
    session.close()


def test_a_clerk_sees_the_users_and_sets_only_their_own_password(qtbot, place):
    session = place.session(place.clerk)
    dialog = UsersDialog(session)
    qtbot.addWidget(dialog)
    assert "Only an administrator can change users" in dialog.note.text()
    assert dialog.selected().login == place.clerk  # (oneself, selected when it opens)
    assert not any(b.isEnabled() for b in (dialog.add_button, dialog.role_button,
                                           dialog.limit_button, dialog.active_button))
    assert dialog.password_button.isEnabled()
    select(dialog, place.admin)
    assert not dialog.password_button.isEnabled()

    select(dialog, place.clerk)
    form = dialog.ask_password()
    type_text(form.password, NEW_PASSWORD)
    type_text(form.again, NEW_PASSWORD)
    qtbot.keyClick(form.again, Qt.Key.Key_Return)
    assert not form.isVisible()
    session.close()
    with _signed_in(place, place.clerk, NEW_PASSWORD) as again:
        assert again.user.login.lower() == place.clerk.lower()
    if place.backend == "server":  # the old password no longer opens the server
        with pytest.raises(Exception, match="password"):
            _signed_in(place, place.clerk, PASSWORD)


class _signed_in:
    """A session of ``login`` with ``password`` (on a file: checked by the file's users;
    on a server: by PostgreSQL), closed afterwards."""

    def __init__(self, place: Place, login: str, password: str) -> None:
        if place.backend == "file":
            self.store = open_store(place.target)
            user = self.store.users.authenticate(login, password)
        else:
            self.store = open_store(place.server.conninfo(place.office.dbname, user=login),
                                    password=password)
            user = self.store.users.authenticate(login, None)
        self.user = user

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.store.close()


def test_the_buttons_say_what_they_do(qtbot, place):
    session = place.session(place.admin)
    dialog = UsersDialog(session)
    qtbot.addWidget(dialog)
    names = {b.accessibleName() for b in dialog.findChildren(type(dialog.add_button))}
    assert {"Add user", "Change role", "Approval limit", "Disable", "Set password"} <= names
    assert dialog.findChild(QDialogButtonBox) is not None
    session.close()


def test_a_person_connected_to_the_server_is_signed_in_and_finds_users_in_the_file_menu(
        qtbot, office, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from billing_desk.ui.main_window import MainWindow

    def no_second_sign_in(gate):
        raise AssertionError("the server checked the password: no sign-in dialog")

    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    window = MainWindow(CaseSession(sign_in=no_second_sign_in),
                        QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.open_path(office.server.url(office.dbname, office.login["admin"]))
    assert window.user_label.text() == f"Signed in: Rita Root ({office.login['admin']}, administrator)"
    assert window.users_act.isEnabled()
    window.users_act.trigger()
    dialog = window.users_dialog
    assert dialog.isVisible()
    assert "sign in to the server as themselves" in dialog.note.text()
    assert [r[0] for r in shown(dialog)] == sorted(office.login.values(), key=str.lower)
    window.session.close()
