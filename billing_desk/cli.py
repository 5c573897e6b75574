"""Command line: the same capabilities as the app, headless (RULES.md §6).

Exit codes: 0 success; 2 invalid input or usage; 1 internal failure; case-file failures
have one code each (``cli_store.EXIT_CODES``, listed by ``billing-desk --help``). Input
problems never print a traceback: the error JSON (``--json``) or a readable list says
what is wrong and where.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, Sequence

from . import cli_store
from .cli_text import (
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_OK,
    format_problems,
    input_problem,
    print_json,
    read_input,
    table,
)
from .cli_users import NoTerminal
from .domain.accounts import UserInvalid
from .domain.case import Case
from .domain.caseformat import loads_case
from .domain.determination import Determination
from .domain.problems import CaseInvalid
from .domain.rulepacks import determine, get_rule_pack
from .domain.workflow import TransitionRefused
from .store.errors import StoreError


# --- determine -------------------------------------------------------------------------

def cmd_determine(args: argparse.Namespace) -> int:
    try:
        try:
            raw = read_input(args.case)
        except OSError as e:
            raise input_problem(args.case, e) from None
        case = loads_case(raw)
    except CaseInvalid as e:
        if args.json:
            print_json(e.to_json())
        else:
            sys.stdout.write(format_problems(e.problems))
        return EXIT_INVALID
    result = determine(case)
    if args.json:
        print_json(result.to_json())
    else:
        sys.stdout.write(format_determination(result, case))
    return EXIT_OK


def format_determination(d: Determination, case: Case) -> str:
    """A readable summary: periods, included/excluded, clause, reason, totals, readings."""
    pack = get_rule_pack(d.rule_pack)
    lines = [
        f"Determination for account {d.account_number} ({case.account.customer_name}), "
        f"{case.service.value}",
        f"Rules: {pack.title} [{d.rule_pack} {d.rule_pack_version}]",
        f"Reading: {d.reading}   Minimal threshold: {d.minimal_threshold}   "
        f"Occurred basis: {d.occurred_basis}",
        f"Six-year cutoffs: overcharges {d.cutoffs['overcharge'].isoformat()}, "
        f"undercharges {d.cutoffs['undercharge'].isoformat()}",
        "",
    ]
    rows = []
    for p, period in zip(d.periods, case.periods):
        din = "-" if p.days_in_window is None else str(p.days_in_window)
        rows.append([str(p.index), f"{period.start.isoformat()}..{period.end.isoformat()}",
                     p.direction.value, f"{p.difference}", str(p.days), din,
                     f"{p.included_amount}", f"{p.excluded_amount}", p.clause or "-",
                     p.reason.text])
    lines += table(["#", "Service period", "Direction", "Difference", "Days", "In window",
                     "Included", "Excluded", "Clause", "Reason"], rows, right={0, 3, 4, 5, 6, 7})
    lines += [
        "",
        f"Outcome:          {d.outcome.value}",
        f"Refund (credit):  {d.refund_total:>12}",
        f"Back bill:        {d.back_bill_total:>12}",
        f"Net:              {d.net:>12}   (back bill - refund; negative = owed to the customer)",
        f"Interest:         {d.interest:>12}",
        "",
        "Readings of 26-721(a)(2):",
    ]
    rrows = [[name, f"{r.refund_total}", f"{r.back_bill_total}", f"{r.net}", r.outcome.value,
              "<- used" if name == d.reading else ""]
             for name, r in d.readings.items()]
    lines += ["  " + s for s in table(["Reading", "Refund", "Back bill", "Net", "Outcome", ""],
                                       rrows, right={1, 2, 3})]
    lines.append("")
    lines.append("Readings differ: " + ("YES - supervisor must review" if d.readings_differ else "no"))
    if d.flags:
        lines.append("Flags:")
        lines += [f"  {f}: {pack.flag_texts.get(f, '')}" for f in d.flags]
    else:
        lines.append("Flags: none")
    return "\n".join(lines) + "\n"


# --- wiring ----------------------------------------------------------------------------

Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="billing-desk",
                     description="Billing Desk: billing-error cases under Fort Collins City "
                                 "Code Sec. 26-721. Without a command, opens the desktop app.",
                     epilog=cli_store.exit_codes_epilog(),
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("determine", help="compute the determination of a case@1 JSON file",
                       description="Compute the Sec. 26-721 determination of a case@1 JSON "
                                   "file. Exit 0 on success, 2 if the case is invalid.")
    p.add_argument("case", metavar="CASE.json", help="case file, or - for standard input")
    p.add_argument("--json", action="store_true",
                   help="print billing-desk/determination@1 (or error@1) JSON")
    p.set_defaults(func=cmd_determine)
    cli_store.add_commands(sub)
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
    except StoreError as e:  # a case-file failure the user can act on: its own exit code
        sys.stderr.write(f"billing-desk: {e}\n")
        return cli_store.exit_code(e)
    except TransitionRefused as e:  # the workflow or user rules said no, and why
        sys.stderr.write(f"billing-desk: refused: {e}\n")
        return cli_store.EXIT_REFUSED
    except (UserInvalid, NoTerminal) as e:  # nothing was changed
        sys.stderr.write(f"billing-desk: {e}\n")
        return EXIT_INVALID
    except Exception as e:  # an internal failure: say so, without a traceback by default
        if os.environ.get("BILLING_DESK_DEBUG"):
            raise
        sys.stderr.write(f"billing-desk: internal error: {type(e).__name__}: {e}\n"
                         "Set BILLING_DESK_DEBUG=1 to see the traceback.\n")
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
