"""Command line: the same capabilities as the app, headless (RULES.md §6).

``billing-desk COMMAND ...``; the commands are grouped by what they act on:
:mod:`.cases` (determine, new, demo, import, export, search, verify, submit, approve,
return, void),
:mod:`.users` (user ...), :mod:`.settings` (settings list|set|reset),
:mod:`.documents` (issue, issue-batch), :mod:`.stores` (upgrade, copy),
:mod:`.incidents` (incident create, list, show, override, submit, sample, approve, issue,
memo), :mod:`.reports` (report, bills-issued) and :mod:`.outbox` (the email notices:
outbox list, queue, send, retry, mark, settings). Every command that takes a store
takes a case file or a database on a server (TARGET: billing_desk/store/targets.py;
:mod:`.arguments` names it the same way everywhere).
:mod:`.signin` asks for passwords, :mod:`.text` and :mod:`.progress` print.

Exit codes: 0 success; 2 invalid input or usage; 1 internal failure; case-file failures
have one code each (:mod:`.exit_codes`, listed by ``billing-desk --help``). Input
problems never print a traceback: the error JSON (``--json``) or a readable list says
what is wrong and where.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from ..errors import BillingDeskError
from . import cases, documents, incidents, outbox, reports, settings, stores, users
from .exit_codes import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, exit_codes_epilog


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="billing-desk",
                     description="Billing Desk: billing-error cases under Fort Collins City "
                                 "Code Sec. 26-721. Without a command, opens the desktop app.",
                     epilog=exit_codes_epilog(),
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    cases.add_commands(sub)
    documents.add_commands(sub)
    incidents.add_commands(sub)
    stores.add_commands(sub)
    reports.add_commands(sub)
    users.add_commands(sub)
    settings.add_commands(sub)
    outbox.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_usage(sys.stderr)
        return EXIT_INVALID
    try:
        return args.func(args)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except BillingDeskError as e:  # a failure with a message for the user: its own code
        sys.stderr.write(f"billing-desk: {e.prefix}{e}\n")
        return e.exit_code
    except Exception as e:  # an internal failure: say so, without a traceback by default
        if os.environ.get("BILLING_DESK_DEBUG"):
            raise
        sys.stderr.write(f"billing-desk: internal error: {type(e).__name__}: {e}\n"
                         "Set BILLING_DESK_DEBUG=1 to see the traceback.\n")
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
