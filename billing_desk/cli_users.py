"""CLI commands on users and the workflow, and signing in from a terminal or a script.

A password is never a command-line argument (it would show in ``ps`` and the shell
history): it comes from the environment variable ``BILLING_DESK_PASSWORD`` when set, or
else from a prompt on the terminal. A new user's password comes from
``BILLING_DESK_NEW_PASSWORD`` or a prompt asked twice. Without either (a script with no
terminal), the command stops with exit 2 before changing anything.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from decimal import Decimal

from .cli_text import EXIT_OK, table
from .domain.accounts import UserInvalid
from .domain.entry import EntryError, parse_amount_entry
from .domain.workflow import Action, Role
from .store import CaseFile, UserRecord, open_case_file

PASSWORD_ENV = "BILLING_DESK_PASSWORD"
NEW_PASSWORD_ENV = "BILLING_DESK_NEW_PASSWORD"


class NoTerminal(ValueError):
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
    if cf.users.needs_first_administrator():
        return login
    user: UserRecord = cf.users.authenticate(login, read_password(f"Password for {login}: "))
    return user.login


def parse_limit(text: str) -> Decimal | None:
    if text.strip().lower() in ("", "none"):
        return None
    try:
        return parse_amount_entry(text)
    except EntryError as e:
        raise UserInvalid("limit", str(e)) from None


# --- users -----------------------------------------------------------------------------

def cmd_user_add(args: argparse.Namespace) -> int:
    role = Role(args.role)
    limit = parse_limit(args.limit or "")
    with open_case_file(args.file) as cf:
        actor = sign_in(cf, args.as_)
        password = read_password(f"Password for the new user {args.login}: ",
                                 env=NEW_PASSWORD_ENV, confirm=True)
        user = cf.users.add(args.login, args.name, role, password, actor=actor,
                            approval_limit=limit)
    print(f"Added {user.login} ({user.name}), {user.role.value}"
          + (f", approval limit {user.approval_limit}" if user.approval_limit is not None else "")
          + ".")
    return EXIT_OK


def cmd_user_list(args: argparse.Namespace) -> int:
    with open_case_file(args.file) as cf:
        users = cf.users.list()
    if not users:
        print(f"{args.file} has no users yet.")
        return EXIT_OK
    rows = [[u.login, u.name, u.role.value,
             "" if u.approval_limit is None else f"{u.approval_limit:,}",
             "active" if u.active else "disabled"] for u in users]
    print("\n".join(table(["Login", "Name", "Role", "Approval limit", "Status"], rows, right={3})))
    return EXIT_OK


def _user_change(args: argparse.Namespace, verb: str, change) -> int:
    with open_case_file(args.file) as cf:
        actor = sign_in(cf, args.as_)
        user = change(cf, actor)
    print(f"{user.login}: {verb}.")
    return EXIT_OK


def cmd_user_disable(args: argparse.Namespace) -> int:
    return _user_change(args, "disabled", lambda cf, actor: cf.users.disable(args.login, actor=actor))


def cmd_user_enable(args: argparse.Namespace) -> int:
    return _user_change(args, "enabled", lambda cf, actor: cf.users.enable(args.login, actor=actor))


def cmd_user_set_role(args: argparse.Namespace) -> int:
    return _user_change(args, f"role {args.role}", lambda cf, actor: cf.users.set_role(
        args.login, Role(args.role), actor=actor))


def cmd_user_set_limit(args: argparse.Namespace) -> int:
    limit = parse_limit(args.limit)
    return _user_change(args, f"approval limit {'none' if limit is None else limit}",
                        lambda cf, actor: cf.users.set_limit(args.login, limit, actor=actor))


# --- the workflow ----------------------------------------------------------------------

_DONE = {Action.SUBMIT: "submitted for approval", Action.APPROVE: "approved",
         Action.RETURN: "returned to the clerk", Action.VOID: "voided"}


def cmd_workflow(args: argparse.Namespace) -> int:
    action = Action(args.action)
    with open_case_file(args.file) as cf:
        case = cf.cases.find(args.case_number)
        actor = sign_in(cf, args.as_)
        record = cf.workflow.act(case.id, action, actor=actor, reason=getattr(args, "reason", None),
                                 acknowledge_divergence=getattr(args, "acknowledge_divergence", False))
    signature = record.approved if action is Action.APPROVE else record.submitted
    bound = f" (fingerprint {signature.fingerprint[:12]})" if action in (
        Action.SUBMIT, Action.APPROVE) else ""
    print(f"{record.case_number} {_DONE[action]} by {actor}{bound}; it is now {record.status.value}.")
    return EXIT_OK


# --- wiring ----------------------------------------------------------------------------

def acting_user_option(p: argparse.ArgumentParser, default: str | None, what: str) -> None:
    p.add_argument("--as", dest="as_", metavar="LOGIN", default=default, required=default is None,
                   help=f"who {what} (password from ${PASSWORD_ENV} or a prompt)")


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("user", help="add, list, disable or change the users of a case file",
                       description="Users of a case file. Changes need an administrator "
                                   f"(--as; password from ${PASSWORD_ENV} or a prompt).")
    users = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)

    q = users.add_parser("add", help="add a user",
                         description="Add a user; their password comes from "
                                     f"${NEW_PASSWORD_ENV} or is asked twice.")
    q.add_argument("file", metavar="FILE", help="the case file")
    q.add_argument("--login", required=True, help="letters, digits, . _ -; any letter case")
    q.add_argument("--name", required=True, help="full name, as letters and memos show it")
    q.add_argument("--role", required=True, choices=[r.value for r in Role])
    q.add_argument("--limit", metavar="AMOUNT", help="approval limit, e.g. 2500.00 (supervisors)")
    acting_user_option(q, None, "adds the user (an administrator)")
    q.set_defaults(func=cmd_user_add)

    q = users.add_parser("list", help="list the users", description="List the users.")
    q.add_argument("file", metavar="FILE", help="the case file")
    q.set_defaults(func=cmd_user_list)

    for name, func, help_text in (("disable", cmd_user_disable, "disable a user (never deleted)"),
                                  ("enable", cmd_user_enable, "enable a disabled user")):
        q = users.add_parser(name, help=help_text, description=help_text.capitalize() + ".")
        q.add_argument("file", metavar="FILE", help="the case file")
        q.add_argument("login", metavar="LOGIN")
        acting_user_option(q, None, f"{name}s the user (an administrator)")
        q.set_defaults(func=func)

    q = users.add_parser("set-role", help="change a user's role",
                         description="Change a user's role (a clerk has no approval limit).")
    q.add_argument("file", metavar="FILE", help="the case file")
    q.add_argument("login", metavar="LOGIN")
    q.add_argument("role", choices=[r.value for r in Role])
    acting_user_option(q, None, "changes it (an administrator)")
    q.set_defaults(func=cmd_user_set_role)

    q = users.add_parser("set-limit", help="set a supervisor's approval limit",
                         description="Set the largest refund or back bill a user may approve.")
    q.add_argument("file", metavar="FILE", help="the case file")
    q.add_argument("login", metavar="LOGIN")
    q.add_argument("limit", metavar="AMOUNT", help="e.g. 2500.00, or none")
    acting_user_option(q, None, "sets it (an administrator)")
    q.set_defaults(func=cmd_user_set_limit)

    for action, help_text in ((Action.SUBMIT, "submit a case for approval"),
                              (Action.APPROVE, "approve a submitted case"),
                              (Action.RETURN, "return a submitted case to its clerk"),
                              (Action.VOID, "void a case that is not issued yet")):
        p = sub.add_parser(action.value, help=help_text,
                           description=help_text.capitalize() + ", under the workflow rules "
                                       "(refusals exit 15 with the reason).")
        p.add_argument("file", metavar="FILE", help="the case file")
        p.add_argument("case_number", metavar="CASE-NUMBER", help="e.g. BD-000123")
        acting_user_option(p, None, "acts")
        if action is Action.APPROVE:
            p.add_argument("--acknowledge-divergence", action="store_true",
                           help="I reviewed the divergence between the readings of 26-721(a)(2)")
        if action in (Action.RETURN, Action.VOID):
            p.add_argument("--reason", default="", help="why (required: the clerk and the "
                                                        "history see it)")
        p.set_defaults(func=cmd_workflow, action=action.value)
