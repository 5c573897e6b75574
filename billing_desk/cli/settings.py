"""CLI commands on the office's settings: list them, set one, reset one to its default
(administrators only; every change one audited action). The settings printed on
letters are part of the history: ``verify`` and every issue check them against it."""

from __future__ import annotations

import argparse
import sys

from ..errors import BillingDeskError
from ..issuing import change_setting, office_settings
from .arguments import target_argument
from .exit_codes import EXIT_INVALID, EXIT_OK
from .signin import acting_user_option, open_target, sign_in
from .text import table


def cmd_settings_list(args: argparse.Namespace) -> int:
    with open_target(args.target, reading=True) as cf:
        views = office_settings(cf)
        problem = cf.settings.history_problem()
    rows = [[v.key, v.value, "" if v.is_default else "set"] for v in views]
    print("\n".join(table(["Setting", "Value", ""], rows, right=set())))
    if problem is None:
        print("The settings match their history.")
    else:
        print(f"BROKEN: {problem} Nothing is issued until an administrator sets it again.")
    return EXIT_OK


def _change(args: argparse.Namespace, value) -> tuple[str, str] | None:
    with open_target(args.target) as cf:
        actor = sign_in(cf, args.as_)
        try:
            change_setting(cf, args.key, value, actor=actor)
        except BillingDeskError as e:  # a value that cannot be: nothing was saved
            if e.exit_code != EXIT_INVALID:
                raise  # (not an administrator, the file failed: their own exit code)
            sys.stderr.write(f"billing-desk settings: {e}\n")
            return None
        return actor, next((v.value for v in office_settings(cf) if v.key == args.key), "")


def cmd_settings_set(args: argparse.Namespace) -> int:
    done = _change(args, args.value if len(args.value) > 1 else args.value[0])
    if done is None:
        return EXIT_INVALID
    print(f"{args.key} set to {done[1]} by {done[0]}.")
    return EXIT_OK


def cmd_settings_reset(args: argparse.Namespace) -> int:
    done = _change(args, None)
    if done is None:
        return EXIT_INVALID
    print(f"{args.key} is back to its default, {done[1]} (by {done[0]}).")
    return EXIT_OK


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("settings", help="the office's settings (letterhead, telephone, ...)",
                       description="List the office's settings, or (administrators) set one "
                                   "or reset it to its default. The letter settings are "
                                   "printed on every letter: each change is recorded in the "
                                   "history, and a letter is never issued with settings that "
                                   "disagree with it.")
    actions = p.add_subparsers(dest="settings_action", metavar="ACTION", required=True)
    q = actions.add_parser("list", help="every setting and its value")
    target_argument(q)
    q.set_defaults(func=cmd_settings_list)
    q = actions.add_parser("set", help="set one setting (administrators)",
                           description="Set KEY to VALUE. A per-language setting is named "
                                       "with its language (letterhead.hours.es_US); an "
                                       "address takes one VALUE per line.")
    target_argument(q)
    q.add_argument("key", metavar="KEY", help="e.g. letterhead.phone")
    q.add_argument("value", metavar="VALUE", nargs="+", help="the new value")
    acting_user_option(q, None, "changes it")
    q.set_defaults(func=cmd_settings_set)
    q = actions.add_parser("reset", help="put one setting back to its default (administrators)")
    target_argument(q)
    q.add_argument("key", metavar="KEY", help="e.g. letterhead.phone")
    acting_user_option(q, None, "changes it")
    q.set_defaults(func=cmd_settings_reset)
