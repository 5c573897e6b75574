"""CLI commands on the users of a case file or server database: add, list, disable,
enable, set-role, set-limit (administrators only; see :mod:`.signin` for how they sign in)."""

from __future__ import annotations

import argparse

from ..domain.accounts import parse_limit
from ..domain.workflow import Role
from .arguments import target_argument
from .exit_codes import EXIT_OK
from .signin import (
    NEW_PASSWORD_ENV, PASSWORD_ENV, acting_user_option, open_target, read_password, sign_in,
)
from .text import table


# --- users -----------------------------------------------------------------------------

def cmd_user_add(args: argparse.Namespace) -> int:
    role = Role(args.role)
    limit = parse_limit(args.limit or "")
    with open_target(args.target) as cf:
        actor = sign_in(cf, args.as_)
        password = read_password(f"Password for the new user {args.login}: ",
                                 env=NEW_PASSWORD_ENV, confirm=True)
        user = cf.users.add(args.login, args.name, role, password, actor=actor,
                            approval_limit=limit)
    print(f"Added {user.login} ({user.name}), {user.role.value}"
          + (f", approval limit {user.approval_limit}" if user.approval_limit is not None else "")
          + ".")
    return EXIT_OK


def cmd_user_first_administrator(args: argparse.Namespace) -> int:
    with open_target(args.target) as cf:
        password = read_password(f"Password for the new administrator {args.login}: ",
                                 env=NEW_PASSWORD_ENV, confirm=True)
        user = cf.users.add_first_person(args.login, args.name, password)
    print(f"Added {user.login} ({user.name}), administrator, who signs in to the server as "
          f"{user.login}.")
    return EXIT_OK


def cmd_user_list(args: argparse.Namespace) -> int:
    with open_target(args.target, reading=True) as cf:
        users = cf.users.list()
    if not users:
        print(f"{cf.where} has no users yet.")
        return EXIT_OK
    rows = [[u.login, u.name, u.role.value,
             "" if u.approval_limit is None else f"{u.approval_limit:,}",
             "active" if u.active else "disabled"] for u in users]
    print("\n".join(table(["Login", "Name", "Role", "Approval limit", "Status"], rows, right={3})))
    return EXIT_OK


def _user_change(args: argparse.Namespace, verb: str, change) -> int:
    with open_target(args.target) as cf:
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


# --- wiring ----------------------------------------------------------------------------

def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("user", help="add, list, disable or change the users of a case file",
                       description="Users of a case file. Changes need an administrator "
                                   f"(--as; password from ${PASSWORD_ENV} or a prompt).")
    users = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)

    q = users.add_parser("add", help="add a user",
                         description="Add a user; their password comes from "
                                     f"${NEW_PASSWORD_ENV} or is asked twice.")
    target_argument(q)
    q.add_argument("--login", required=True, help="letters, digits, . _ -; any letter case")
    q.add_argument("--name", required=True, help="full name, as letters and memos show it")
    q.add_argument("--role", required=True, choices=[r.value for r in Role])
    q.add_argument("--limit", metavar="AMOUNT", help="approval limit, e.g. 2500.00 (supervisors)")
    acting_user_option(q, None, "adds the user (an administrator)")
    q.set_defaults(func=cmd_user_add)

    q = users.add_parser("first-administrator", help="a server's first person (IT)",
                         description="On a server: add its first person, an administrator "
                                     "who signs in to PostgreSQL as LOGIN (run by IT, "
                                     "connected as a superuser or the database's owner; "
                                     f"password from ${NEW_PASSWORD_ENV} or asked twice).")
    target_argument(q)
    q.add_argument("--login", required=True, help="letters, digits, . _ -")
    q.add_argument("--name", required=True, help="full name, as letters and memos show it")
    q.set_defaults(func=cmd_user_first_administrator)

    q = users.add_parser("list", help="list the users", description="List the users.")
    target_argument(q)
    q.set_defaults(func=cmd_user_list)

    for name, func, help_text in (("disable", cmd_user_disable, "disable a user (never deleted)"),
                                  ("enable", cmd_user_enable, "enable a disabled user")):
        q = users.add_parser(name, help=help_text, description=help_text.capitalize() + ".")
        target_argument(q)
        q.add_argument("login", metavar="LOGIN")
        acting_user_option(q, None, f"{name}s the user (an administrator)")
        q.set_defaults(func=func)

    q = users.add_parser("set-role", help="change a user's role",
                         description="Change a user's role (a clerk has no approval limit).")
    target_argument(q)
    q.add_argument("login", metavar="LOGIN")
    q.add_argument("role", choices=[r.value for r in Role])
    acting_user_option(q, None, "changes it (an administrator)")
    q.set_defaults(func=cmd_user_set_role)

    q = users.add_parser("set-limit", help="set a supervisor's approval limit",
                         description="Set the largest refund or back bill a user may approve.")
    target_argument(q)
    q.add_argument("login", metavar="LOGIN")
    q.add_argument("limit", metavar="AMOUNT", help="e.g. 2500.00, or none")
    acting_user_option(q, None, "sets it (an administrator)")
    q.set_defaults(func=cmd_user_set_limit)
