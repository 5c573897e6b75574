"""Users of a case file: who they are, their role and approval limit, their password
(an argon2id hash), and signing in.

Only an active administrator changes users; each change is one transaction with one
audit entry (entity ``user``: the fields that changed, never a password hash). A user is
disabled, never deleted. A new file gets its first administrator from
:meth:`UserRepository.create_first_administrator`, which refuses once there is one.

Signing in: a wrong login and a wrong password give the same answer, checked in the same
time (an unknown login is checked against a hash nobody knows). After a correct password
a disabled account is told that it is disabled -- the password proved who is asking, and
telling them saves a call to the help desk. Failed attempts in a row are counted per
login typed (only a SHA-256 of it is kept) and each answer after the third failure waits
longer (1 s, 2 s, 4 s ... 30 s at most); a correct password resets the count.

On a server with people (schema version 8, postgres/schema.py) a person is a login role
of PostgreSQL: the connection signed in as them, with their password checked by the
server (:attr:`Connection.person`). There the users table keeps no password hash; adding,
disabling, enabling and re-roling go through the database's administrators' functions,
which create and alter the login roles with the row (the same checks here first, the
same audit entries); signing in is being that person (a password given is checked by the
server, on a second connection); nobody else can act through that connection.
"""

from __future__ import annotations

import time
from dataclasses import replace
from decimal import Decimal
from typing import Callable

from ..domain.accounts import (
    AccountRefused, check_administrators_remain, check_limit, check_login, check_manages_users,
    check_name, check_password,
)
from ..domain.money import money_text
from ..domain.workflow import Role
from .connection import Connection, Reader, Transaction
from .errors import RecordNotFound, SignInRefused
from .passwords import STRONG, UNKNOWN_LOGIN_HASH, Passwords
from .signing import KEYRING, KeyNotOpened, NotSignedIn, public_hex, seal, unseal
from .summaries import UserRecord

_COLUMNS = "login, name, role, active, approval_limit, public_key"
#: who a failed sign-in is recorded as: nobody is signed in
SIGN_IN_ACTOR = "(sign-in)"
#: failures allowed before answers are slowed down, and the longest wait, in seconds
FREE_FAILURES = 3
MAX_DELAY = 30.0

Sleep = Callable[[float], None]


def _record(row: tuple) -> UserRecord:
    login, name, role, active, limit, public = row
    return UserRecord(login, name, Role(role), bool(active),
                      None if limit is None else Decimal(limit), public)


def find_user(db: Reader, login: str) -> UserRecord | None:
    """The user with this login (any letter case), as the connection (or the write in
    progress) sees it."""
    row = db.row(f"SELECT {_COLUMNS} FROM users WHERE login = ?", (login.strip(),))
    return None if row is None else _record(row)


def person_of(db: Reader, login: str):
    """What the history says of the account ``login`` (domain ``Person``: its name, who
    made it, who gave it its role and its limit), or None for a login that is nobody's.
    Read from the account's own entries, which their makers signed."""
    import json

    from ..domain.workflow import Person

    user = find_user(db, login)
    if user is None:
        return None
    created_by = role_set_by = user.login
    limit_set_by = None
    for action, actor, after in db.rows(
            "SELECT action, actor, after FROM audit WHERE case_id IS NULL AND entity = 'user' "
            "AND entity_id = ? ORDER BY id", (user.login,)):  # (the index audit_file)
        state = json.loads(after) if after else {}
        if action == "add":
            created_by = role_set_by = actor
        if "role" in state:
            role_set_by = actor
        if "approval_limit" in state:
            limit_set_by = actor if state["approval_limit"] is not None else None
    return Person(user.name, created_by, role_set_by,
                  limit_set_by if user.approval_limit is not None else None)


def has_users(db: Reader) -> bool:
    return db.row("SELECT 1 FROM users LIMIT 1") is not None


def delay_after(failures: int) -> float:
    """Seconds to wait before answering a sign-in after ``failures`` failures in a row."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(MAX_DELAY, 2.0 ** (failures - FREE_FAILURES))


def _login_key(login: str) -> str:
    import hashlib  # loaded at the first use (it loads OpenSSL)

    return hashlib.sha256(login.strip().casefold().encode("utf-8")).hexdigest()


class UserRepository:
    """``cf.users``. ``passwords`` makes new hashes (strong unless a test or the demo
    says otherwise); ``sleep`` waits before a slowed-down sign-in answer."""

    def __init__(self, connection: Connection, passwords: Passwords | None = None,
                 sleep: Sleep = time.sleep) -> None:
        self._c = connection
        self.passwords = passwords or STRONG
        self.sleep = sleep

    def using(self, *, passwords: Passwords | None = None, sleep: Sleep | None = None) -> "UserRepository":
        """The same users with another hasher or another way to wait (tests, the demo)."""
        return UserRepository(self._c, passwords or self.passwords, sleep or self.sleep)

    # -- reading -------------------------------------------------------------------------

    @property
    def person(self) -> str | None:
        """On a server with people, the person the connection signed in as."""
        return self._c.person

    def needs_first_administrator(self) -> bool:
        """True for a file with no users yet: the first sign-in creates the administrator."""
        return self._c.person is None and not has_users(self._c)

    def find(self, login: str) -> UserRecord | None:
        return find_user(self._c, login)

    def get(self, login: str) -> UserRecord:
        found = self.find(login)
        if found is None:
            raise RecordNotFound(f"User {login.strip()}", self._c.noun)
        return found

    def list(self) -> list[UserRecord]:
        """Every user, disabled ones too, by login."""
        return [_record(r) for r in self._c.rows(
            f"SELECT {_COLUMNS} FROM users ORDER BY login COLLATE NOCASE")]

    # -- changing ------------------------------------------------------------------------

    def create_first_administrator(self, login: str, name: str, password: str) -> UserRecord:
        """The first user of a new file: an administrator (with no approval limit).
        Refused once the file has any user."""
        user = UserRecord(check_login(login), check_name(name), Role.ADMINISTRATOR, True, None)
        check_password(password)
        private = self.passwords.new_signing_key(user.login)
        user = replace(user, public_key=public_hex(private))
        with self._c.write(user.login, as_user=False) as tx:  # nobody to sign in as yet
            if has_users(tx):
                raise AccountRefused("has_users", "This case file has users already; an "
                                     "administrator adds the others.")
            tx.signer = (user.login, private)  # (their record is signed by their own key)
            added = self._insert(tx, user, password, private=private)
        KEYRING.add(added.public_key, private)  # signed in: they are the one who made it
        return added

    def add_first_person(self, login: str, name: str, password: str) -> UserRecord:
        """On a server: its first person, an administrator, as a login role (IT, connected
        as a superuser or a member of the database's owner role; the database refuses
        anyone else). Refused once the database has any user."""
        user = UserRecord(check_login(login), check_name(name), Role.ADMINISTRATOR, True, None)
        check_password(password)
        if not self._c.is_server:
            raise AccountRefused("not_a_server", "A case file's first administrator is made "
                                 "when the file is created (billing-desk new).")
        with self._c.write(self._c.user, as_user=False) as tx:
            if has_users(tx):
                raise AccountRefused("has_users", "This database has users already; an "
                                     "administrator adds the others.")
            return self._insert(tx, user, password, login_role=True)

    def add(self, login: str, name: str, role: Role, password: str, *, actor: str,
            approval_limit: Decimal | None = None) -> UserRecord:
        """A new active user (administrators only)."""
        role = Role(role)
        user = UserRecord(check_login(login), check_name(name), role, True,
                          check_limit(role, approval_limit))
        check_password(password)
        private = None
        if self._c.person is None:  # (a server's people are signed in by PostgreSQL)
            private = self.passwords.new_signing_key(user.login)
            user = replace(user, public_key=public_hex(private))
        with self._c.write(actor) as tx:
            self._administrator(tx)
            existing = find_user(tx, user.login)
            if existing is not None:
                raise AccountRefused("login_taken", f"The login {user.login} is already used "
                                     f"by {existing.name}; choose another.")
            # the new user's key, sealed with their password; the administrator's own key
            # signs the record that names it (the private half is never kept open here)
            return self._insert(tx, user, password, private=private)

    def disable(self, login: str, *, actor: str) -> UserRecord:
        """The user can no longer sign in or change anything; their history stays."""
        return self._change(login, actor, "disable", lambda u: replace(u, active=False))

    def enable(self, login: str, *, actor: str) -> UserRecord:
        return self._change(login, actor, "enable", lambda u: replace(u, active=True))

    def set_role(self, login: str, role: Role, *, actor: str) -> UserRecord:
        """A clerk has no approval limit, so making someone a clerk removes theirs."""
        role = Role(role)
        return self._change(login, actor, "set_role", lambda u: replace(
            u, role=role, approval_limit=None if role is Role.CLERK else u.approval_limit))

    def set_limit(self, login: str, limit: Decimal | None, *, actor: str) -> UserRecord:
        """The largest refund or back bill the user may approve (``None``: none)."""
        return self._change(login, actor, "set_limit",
                            lambda u: replace(u, approval_limit=check_limit(u.role, limit)))

    def set_password(self, login: str, password: str, *, actor: str) -> None:
        """A user changes their own password; an administrator may set anyone's."""
        check_password(password)
        with self._c.write(actor) as tx:
            target = self._existing(tx, login)
            if target.login != tx.actor:
                self._administrator(tx)
            if self._c.person is not None:  # the server keeps a person's password
                tx.execute("SELECT person_password(?, ?)",
                           (target.login, self._c.password_verifier(target.login, password)))
                tx.audit("set_password", "user", target.login, None, None, None)
                return
            if target.login == tx.actor and target.public_key is not None:
                # one's own new password: the same key, sealed again with it
                private = KEYRING.get(target.public_key)
                if private is None:
                    raise NotSignedIn(self._c.where, target.login)
                tx.execute("UPDATE users SET password_hash = ?, sealed_key = ?, updated_at = ? "
                           "WHERE login = ?",
                           (self.passwords.hash(password, target.login),
                            seal(private, password, self.passwords, target.login), tx.at_text,
                            target.login))
                # the entry says that the password changed and by whom; nothing of the hash
                tx.audit("set_password", "user", target.login, None, None, None)
                return
            # set by an administrator (a forgotten password): a new key pair, which the
            # administrator's signature on this entry vouches for; what the old key
            # signed still verifies with it
            private = self.passwords.new_signing_key(target.login)
            public = public_hex(private)
            tx.execute("UPDATE users SET password_hash = ?, public_key = ?, sealed_key = ?, "
                       "updated_at = ? WHERE login = ?",
                       (self.passwords.hash(password, target.login), public,
                        seal(private, password, self.passwords, target.login), tx.at_text,
                        target.login))
            tx.audit("set_password", "user", target.login, None,
                     None if target.public_key is None else {"public_key": target.public_key},
                     {"public_key": public})

    def _insert(self, tx: Transaction, user: UserRecord, password: str, *,
                login_role: bool = False, private=None) -> UserRecord:
        if login_role or self._c.person is not None:
            tx.execute("SELECT person_add(?, ?, ?, ?, ?, ?)", (
                user.login, user.name, user.role.value,
                None if user.approval_limit is None else money_text(user.approval_limit),
                self._c.password_verifier(user.login, password), tx.at_text))
            tx.audit("add", "user", user.login, None, None, user.state())
            return user
        tx.execute(
            "INSERT INTO users (login, name, role, active, approval_limit, password_hash, "
            "public_key, sealed_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (user.login, user.name, user.role.value, user.active,
             None if user.approval_limit is None else money_text(user.approval_limit),
             self.passwords.hash(password, user.login), user.public_key,
             None if private is None else seal(private, password, self.passwords, user.login),
             tx.at_text, tx.at_text))
        tx.audit("add", "user", user.login, None, None, user.state())
        return user

    def _change(self, login: str, actor: str, action: str,
                change: Callable[[UserRecord], UserRecord]) -> UserRecord:
        with self._c.write(actor) as tx:
            self._administrator(tx)
            current = self._existing(tx, login)
            new = change(current)
            if new == current:
                tx.unchanged()
                return current
            admins = tx.execute("SELECT count(*) FROM users WHERE role = 'administrator' AND "
                                "active AND login != ?", (current.login,)).fetchone()[0]
            check_administrators_remain(admins + (new.active and new.role is Role.ADMINISTRATOR))
            if self._c.person is not None:
                tx.execute("SELECT person_change(?, ?, ?, ?, ?, ?)",
                           (current.login, new.name, new.role.value, new.active,
                            None if new.approval_limit is None else money_text(new.approval_limit),
                            tx.at_text))
            else:
                tx.execute("UPDATE users SET name = ?, role = ?, active = ?, approval_limit = ?, "
                       "updated_at = ? WHERE login = ?",
                           (new.name, new.role.value, new.active,
                            None if new.approval_limit is None else money_text(new.approval_limit),
                            tx.at_text, current.login))
            from .audit import changes

            before, after = changes(current.state(), new.state())
            tx.audit(action, "user", current.login, None, before, after)
            return new

    @staticmethod
    def _existing(tx: Transaction, login: str) -> UserRecord:
        found = find_user(tx, login)
        if found is None:
            raise RecordNotFound(f"User {login.strip()}", tx.noun)
        return found

    @staticmethod
    def _administrator(tx: Transaction) -> UserRecord:
        """The acting user, who must be an active administrator."""
        acting = find_user(tx, tx.actor)
        if acting is None:  # a file without users: nobody can be an administrator yet
            raise AccountRefused("no_users", "This case file has no users yet; create its "
                                 "first administrator.")
        check_manages_users(acting.actor())
        return acting

    # -- signing in ----------------------------------------------------------------------

    def failures(self, login: str) -> int:
        """Failed sign-ins in a row with this login (the server counts its own, for people)."""
        if self._c.person is not None:
            return 0
        return self._c.value("SELECT failures FROM sign_in_failures WHERE login_key = ?",
                             (_login_key(login),)) or 0

    def sign_in_delay(self, login: str) -> float:
        """How long the next sign-in with this login waits before it is answered."""
        return delay_after(self.failures(login))

    def authenticate(self, login: str, password: str, *, sleep: Sleep | None = None) -> UserRecord:
        """The user, if the password is theirs and the account is active; otherwise
        :class:`SignInRefused`. Waits first when the login has failed repeatedly (pass
        ``sleep`` when the caller has already waited, e.g. on a timer)."""
        if self._c.person is not None:
            return self._the_person(login, password)
        key = _login_key(login)
        failures = self.failures(login)
        delay = delay_after(failures)
        if delay:
            (sleep or self.sleep)(delay)
        row = self._c.row(f"SELECT {_COLUMNS}, sealed_key, password_hash FROM users "
                          "WHERE login = ?", (login.strip(),))
        if row is None:
            self.passwords.verify(UNKNOWN_LOGIN_HASH, password)  # the same time as a user's
            user = None
        else:
            user = _record(row[:-2]) if self.passwords.verify(row[-1], password) else None
        if user is None:
            self._count_failure(key, failures + 1, None if row is None else row[0])
            raise SignInRefused()
        if not user.active:
            raise SignInRefused(SignInRefused.DISABLED)
        user = self._open_key(user, row[-2], password)
        if failures:
            with self._c.write(user.login) as tx:
                tx.execute("DELETE FROM sign_in_failures WHERE login_key = ?", (key,))
                tx.audit("sign_in", "sign_in", user.login, None, {"failures": failures},
                         {"failures": 0})
        return user

    def _open_key(self, user: UserRecord, sealed: str | None, password: str) -> UserRecord:
        """Open the user's signing key with their password, for this program (signing in);
        a user from before keys were kept (a file made by an older Billing Desk) gets one
        now, with a signed entry that names it."""
        if user.public_key is not None:
            if sealed is None:
                raise KeyNotOpened(user.login)
            KEYRING.add(user.public_key, unseal(sealed, password, user.public_key, user.login))
            return user
        private = self.passwords.new_signing_key(user.login)
        public = public_hex(private)
        with self._c.write(user.login, as_user=False) as tx:
            tx.signer = (user.login, private)  # (the first key of a user made before keys)
            tx.execute("UPDATE users SET public_key = ?, sealed_key = ? WHERE login = ? AND "
                       "public_key IS NULL",
                       (public, seal(private, password, self.passwords, user.login), user.login))
            tx.audit("enrol_key", "user", user.login, None, None, {"public_key": public})
        KEYRING.add(public, private)
        return replace(user, public_key=public)

    def _the_person(self, login: str, password: str | None) -> UserRecord:
        """Signing in on a server with people: being the person connected (a password
        given is checked by the server itself)."""
        from ..domain.workflow import same_login

        person = self._c.person
        if not same_login(login.strip(), person):
            from .errors import NotThePersonConnected

            raise NotThePersonConnected(self._c.where, person, login.strip())
        if password is not None and not self._c.check_password(password):
            raise SignInRefused()
        user = self.get(person)
        if not user.active:
            raise SignInRefused(SignInRefused.DISABLED)
        return user

    def _count_failure(self, key: str, failures: int, login: str | None) -> None:
        with self._c.write(SIGN_IN_ACTOR, as_user=False) as tx:
            tx.execute("INSERT INTO sign_in_failures (login_key, failures, last_at) VALUES (?, ?, ?) "
                       "ON CONFLICT (login_key) DO UPDATE SET failures = excluded.failures, "
                       "last_at = excluded.last_at", (key, failures, tx.at_text))
            # what was typed as a login is not recorded unless it is a user's login
            tx.audit("sign_in_failed", "sign_in", login or "(unknown login)", None, None,
                     {"failures": failures})
