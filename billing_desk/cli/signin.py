"""Signing in from a terminal or a script, and the ``--as LOGIN`` option; reaching a
store (a case file, or a server whose password libpq may need asked).

A password is never a command-line argument (it would show in ``ps`` and the shell
history): it comes from the environment variable ``BILLING_DESK_PASSWORD`` when set, or
else from a prompt on the terminal. A new user's password comes from
``BILLING_DESK_NEW_PASSWORD`` or a prompt asked twice. Without either (a script with no
terminal), the command stops with exit 2 before changing anything.

A file with users is changed only by one of them, signed in with their password. A file
without users -- made by an older Billing Desk or through the Python API -- keeps
working as before: the login given (default: yours) is recorded as it is, but nobody can
submit or approve in it until its first administrator exists.

On a server whose people sign in as login roles of their own (README: "People on a
server"), the server has checked the password when it was connected to: ``--as`` must
name that person, and no second password is asked.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from pathlib import Path

from ..domain.accounts import UserInvalid
from ..errors import BillingDeskError
from ..store import CaseFile, UserRecord
from ..store.targets import open_store

#: what every command's TARGET may be (billing_desk/store/targets.py)
PASSWORD_ENV = "BILLING_DESK_PASSWORD"
NEW_PASSWORD_ENV = "BILLING_DESK_NEW_PASSWORD"


class NoTerminal(BillingDeskError, ValueError):
    """Something to ask (a password, a login) with no terminal to ask on and nothing in
    the environment or the options (exit 2, nothing changed)."""


def read_password(prompt: str, *, env: str = PASSWORD_ENV, confirm: bool = False) -> str:
    """The password from ``env``, else typed at the terminal (twice with ``confirm``)."""
    if env in os.environ:
        return os.environ[env]
    if not sys.stdin.isatty():
        raise NoTerminal(f"{prompt.rstrip(': ')}: there is no terminal to ask on; set the "
                         f"environment variable {env}.")
    password = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again, to confirm: ") != password:
        raise UserInvalid("password", "the two passwords typed differ; nothing was changed")
    return password


def ask_server_password(where: str) -> str | None:
    """The server's password, typed at the terminal, when libpq found none (no ~/.pgpass
    entry, no PGPASSWORD); ``None`` without a terminal (the error then says where to put
    it for a script)."""
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(f"Password for the server ({where}): ")


def open_target(target: str | Path, *, reading: bool = False) -> CaseFile:
    """The store a command names (its server password asked for if needed). A command
    that only reads (``reading``: verify, search, export, list, the reports) opens a case
    file it cannot write -- a copy on an archive or a CD -- for reading only, and says so."""
    from ..store.errors import ReadOnlyCopy, ReadOnlyFile

    try:
        cf = open_store(target, ask_password=ask_server_password)
    except ReadOnlyCopy:
        raise
    except ReadOnlyFile:
        if not reading:
            raise
        cf = open_store(target, read_only=True)
        sys.stderr.write(f"Note: {target} cannot be written; it is open for reading only.\n")
    if (exposed := cf.exposure()) is not None:
        sys.stderr.write(f"Warning: {exposed}.\n")
    return cf


def ask(prompt: str, given: str | None, option: str) -> str:
    """An answer given as an option, or typed at the terminal."""
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise NoTerminal(f"give {option} (there is no terminal to ask on)")
    return input(prompt)


def sign_in(cf: CaseFile, login: str) -> str:
    """The acting login for a change: on a file with users, signed in with its password;
    on a file without users (made by an older Billing Desk, or through the API) the
    login given is recorded as it is, as before users existed."""
    if cf.users.person is not None:  # a server's person: PostgreSQL checked the password
        return cf.users.authenticate(login, None).login
    if cf.users.needs_first_administrator():
        return login
    user: UserRecord = cf.users.authenticate(login, read_password(f"Password for {login}: "))
    return user.login


def acting_user_option(p: argparse.ArgumentParser, default: str | None, what: str) -> None:
    p.add_argument("--as", dest="as_", metavar="LOGIN", default=default, required=default is None,
                   help=f"who {what} (password from ${PASSWORD_ENV} or a prompt)")



def acting_user_default_option(p: argparse.ArgumentParser, what: str) -> None:
    """``--as`` for commands that a file without users also accepts (default: your login)."""
    p.add_argument("--as", "--user", dest="as_", metavar="LOGIN", default=_user(),
                   help=f"who {what}: on a file with users, one of them, signed in with the "
                        f"password from ${PASSWORD_ENV} or a prompt (default: your login)")


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in this environment (a service, a container)
        return "clerk"


def login_name() -> str:
    """The operating system's login name of whoever runs the command."""
    return _user()
