"""CLI commands on cases: determine (RULES.md §6), new, demo, import, export, search,
verify, and the workflow steps submit, approve, return and void. Each takes a TARGET:
a case file or a database on a server (billing_desk/store/targets.py)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..demo import DEFAULT_SEED
from ..domain.case import Case
from ..domain.caseformat import loads_case
from ..domain.determination import Determination
from ..domain.draft import CaseDraft
from ..domain.history import HeadSyntax, WrittenHead
from ..domain.problems import CaseInvalid
from ..domain.rulepacks import determine, get_rule_pack
from ..domain.workflow import Action
from ..store import NewCase, SchemaNeedsUpgrade, create_store, is_server_target
from ..store.demo_file import create_demo_file, fill_demo
from .arguments import case_arguments, target_argument
from .exit_codes import EXIT_INVALID, EXIT_OK, EXIT_VERIFY_FAILED
from .signin import (
    PASSWORD_ENV,
    acting_user_default_option,
    acting_user_option,
    ask,
    ask_server_password,
    open_target,
    login_name,
    read_password,
    sign_in,
)
from .text import format_problems, input_problem, print_json, read_input, table, write_summary

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


# --- case files ----------------------------------------------------------------------

def cmd_new(args: argparse.Namespace) -> int:
    """A new file gets its first administrator at once: without one nobody could add
    users, and a file without users accepts any login."""
    login = ask("Login of the first administrator: ", args.admin_login, "--admin-login")
    name = ask("Their full name: ", args.admin_name, "--admin-name")
    password = read_password(f"Password for {login.strip()}: ", confirm=True)
    with create_store(args.target, fill=lambda cf: cf.users.create_first_administrator(
            login, name, password), ask_password=ask_server_password,
            group=args.group) as cf:
        what = "database" if cf.is_server else "case file"
        print(f"Created {cf.where} (an empty {what}; administrator {login.strip()}).")
    return EXIT_OK


class Unprintable(CaseInvalid):
    """A valid case whose name or address a letter could not print (domain/printable.py)."""


def cmd_import(args: argparse.Namespace) -> int:
    from ..documents.typesetting import LETTER_TYPESETTING
    from ..domain.printable import printable_problems

    with open_target(args.target) as cf:
        outcomes: list[tuple[str, NewCase | CaseInvalid]] = []
        for name in args.cases:
            try:
                try:
                    raw = read_input(name)
                except OSError as e:
                    raise input_problem(name, e) from None
                case = loads_case(raw)
                # a name or address a letter could not print is refused here, not after
                # approval (domain/printable.py); the engine itself accepts it
                unprintable = printable_problems(case, LETTER_TYPESETTING)
                if unprintable:
                    raise Unprintable(unprintable)
                outcomes.append((name, NewCase(CaseDraft.from_case(case))))
            except CaseInvalid as e:
                outcomes.append((name, e))
        valid = [o for _, o in outcomes if isinstance(o, NewCase)]
        actor = sign_in(cf, args.as_)
        # all valid files in one transaction: reported imported only once committed
        numbers = iter(cf.cases.create_many(valid, actor=actor) if valid else [])
    for name, outcome in outcomes:
        if isinstance(outcome, Unprintable):
            print(f"Rejected {name}: " + format_problems(
                outcome.problems, "Its letter could not be printed as typed"), end="")
        elif isinstance(outcome, CaseInvalid):
            print(f"Rejected {name}: " + format_problems(outcome.problems), end="")
        else:
            print(f"Imported {name} as {next(numbers)}")
    rejected = len(outcomes) - len(valid)
    print(f"{len(valid)} imported, {rejected} rejected.")
    return EXIT_INVALID if rejected else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    if args.pdf is not None:
        return _export_summary(args)
    with open_target(args.target, reading=True) as cf:
        record = cf.cases.find(args.case_number)
    check = record.draft.check()
    sys.stdout.write(json.dumps(record.draft.to_json(), ensure_ascii=False, indent=2) + "\n")
    if check.case is None:
        sys.stderr.write(f"Note: case {record.case_number} is not complete yet; this JSON will "
                         "not import until these are fixed:\n" + format_problems(check.problems))
    return EXIT_OK


def _export_summary(args: argparse.Namespace) -> int:
    """The printable case summary (issue 23) written to ``--pdf``: an internal document,
    nothing is changed or recorded in the case file (so no sign-in)."""
    from ..issuing import save_case_summary

    out = Path(args.pdf)
    with open_target(args.target, reading=True) as cf:
        record = cf.cases.find(args.case_number)
        # (the command line has no sign-in for reading: it says who ran it, and where)
        return write_summary("export", out, lambda: save_case_summary(
            cf, record.id, out, printed_by=f"{login_name()} (command line)"),
            "the case summary of {summary.case_number}")


def cmd_search(args: argparse.Namespace) -> int:
    with open_target(args.target, reading=True) as cf:
        hits = cf.listing.search(args.query, limit=args.limit)
    if not hits:
        print(f"No case matches {args.query!r}.")
        return EXIT_OK
    rows = [[h.case_number, h.status.value, h.account_number, h.customer_name,
             h.service_address or ""] for h in hits]
    print("\n".join(table(["Case", "Status", "Account", "Customer", "Service address"], rows,
                          right=set())))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    with open_target(args.target, reading=True) as cf:
        report = cf.verify()
        now = {w.entry: cf.history_entry(w.entry) for w in args.expect}
        seen = cf.known_head_problem() if report.ok else None
    print(f"{cf.where}: {report.summary()}")
    if not report.ok:
        return EXIT_VERIFY_FAILED
    print(report.signing_summary())
    if seen is not None:  # (what this workstation saw of the file: store/known_heads.py)
        print(f"BROKEN: {seen}")
        return EXIT_VERIFY_FAILED
    if report.head is not None:
        # to be written down and compared later (an issued memo and a manifest carry one)
        print(f"History head: {report.head.text()}")
    rewritten = False
    for written in args.expect:
        held = now[written.entry]
        if held is None:
            rewritten = True
            print(f"BROKEN: the history has no entry #{written.entry} (written down as "
                  f"{written.text()}): entries were removed.")
        elif not written.matches(held):
            rewritten = True
            print(f"BROKEN: history entry #{written.entry} was written down as "
                  f"{written.text()}; the file now holds {held.text()}: the history up to "
                  "it was rewritten since.")
        else:
            print(f"History entry #{written.entry} matches what was written down "
                  f"({written.text()}).")
    return EXIT_VERIFY_FAILED if rewritten else EXIT_OK


def _written_head(text: str) -> WrittenHead:
    try:
        return WrittenHead.parse(text)
    except HeadSyntax as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def cmd_demo(args: argparse.Namespace) -> int:
    if args.cases < 1:
        sys.stderr.write("billing-desk demo: --cases must be at least 1\n")
        return EXIT_INVALID
    existing = None
    if is_server_target(args.target):
        try:
            existing = open_target(args.target)
        except SchemaNeedsUpgrade as e:
            if e.found:  # (an older schema: not a new demo database, not ours to upgrade)
                raise
    elif Path(args.target).exists():
        existing = open_target(args.target)
    if existing is not None:
        with existing as cf:
            if cf.users.needs_first_administrator():
                fill_demo(cf, args.cases, args.seed)  # an empty file becomes a demo file
            else:
                fill_demo(cf, args.cases, args.seed, actor=sign_in(cf, args.as_))
            total = cf.listing.count()
    else:
        with create_demo_file(args.target, args.cases, args.seed,
                              ask_password=ask_server_password) as cf:
            total = cf.listing.count()
    where = "database" if cf.is_server else "file"
    print(f"{cf.where}: {args.cases} demo cases added ({total} cases in the {where}).")
    return EXIT_OK


# --- the workflow ----------------------------------------------------------------------

_DONE = {Action.SUBMIT: "submitted for approval", Action.APPROVE: "approved",
         Action.RETURN: "returned to the clerk", Action.VOID: "voided"}


def cmd_workflow(args: argparse.Namespace) -> int:
    from ..documents.typesetting import LETTER_TYPESETTING

    action = Action(args.action)
    with open_target(args.target) as cf:
        case = cf.cases.find(args.case_number)
        actor = sign_in(cf, args.as_)
        # (submit and approve: the letter's fonts and envelope window are asked too)
        record = cf.workflow.act(case.id, action, actor=actor, reason=getattr(args, "reason", None),
                                 acknowledge_divergence=getattr(args, "acknowledge_divergence", False),
                                 typesetting=LETTER_TYPESETTING)
    signature = record.approved if action is Action.APPROVE else record.submitted
    bound = f" (fingerprint {signature.fingerprint[:12]})" if action in (
        Action.SUBMIT, Action.APPROVE) else ""
    print(f"{record.case_number} {_DONE[action]} by {actor}{bound}; it is now {record.status.value}.")
    return EXIT_OK


# --- wiring ----------------------------------------------------------------------------

def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("determine", help="compute the determination of a case@1 JSON file",
                       description="Compute the Sec. 26-721 determination of a case@1 JSON "
                                   "file. Exit 0 on success, 2 if the case is invalid.")
    p.add_argument("case", metavar="CASE.json", help="case file, or - for standard input")
    p.add_argument("--json", action="store_true",
                   help="print billing-desk/determination@1 (or error@1) JSON")
    p.set_defaults(func=cmd_determine)
    p = sub.add_parser("new", help="create an empty case file or server database, with its "
                                   "first administrator",
                       description="Create a new, empty case file (never over an existing "
                                   "file), or Billing Desk's schema in an empty database on a "
                                   "server, and its first administrator. The login and name are "
                                   "asked for unless given; the password comes from "
                                   f"${PASSWORD_ENV} or is asked twice.")
    target_argument(p, "the case file to create (office.bdesk), or an empty database on a "
                       "server (postgresql://HOST/DATABASE, service=NAME)")
    p.add_argument("--group", action="store_true",
                   help="a case file readable and writable by its group too (an office "
                        "sharing one machine); without it, by its owner only")
    p.add_argument("--admin-login", metavar="LOGIN", help="the first administrator's login")
    p.add_argument("--admin-name", metavar="NAME", help="the first administrator's full name")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("import", help="add case@1 JSON files to a case file",
                       description="Import case@1 JSON files as new draft cases. Each rejected "
                                   "file is reported with its problems; the valid ones are "
                                   "imported together (exit 2 if any file was rejected).")
    target_argument(p)
    p.add_argument("cases", metavar="CASE.json", nargs="+", help="case files (- for standard input)")
    acting_user_default_option(p, "imports them; they are prepared by this user")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="print one case as case@1 JSON, or its summary as PDF",
                       description="Print a case as case@1 JSON (what import reads back), or "
                                   "with --pdf write its printable case summary (the case, its "
                                   "periods, the determination, the history; an internal "
                                   "document, not issued and not stored in the case file).")
    case_arguments(p)
    p.add_argument("--pdf", metavar="OUT.pdf", help="write the case summary to this PDF file "
                                                    "(replaced whole if it exists)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("search", help="find cases as the search box does",
                       description="Find cases by case number, account number, customer name, "
                                   "service or mailing address (word prefixes, any case, "
                                   "accents ignored), newest first.")
    target_argument(p)
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=int, default=20, help="at most this many cases (default 20)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("verify", help="check the file and its tamper-evident history",
                       description="Check the case file: SQLite integrity, the audit hash "
                                   "chain, and every case against its history, then print the "
                                   "history's head (its newest entry and hash) to write down. "
                                   f"Exit {EXIT_VERIFY_FAILED} with the first broken entry if "
                                   "not, or if an --expect head no longer matches.")
    target_argument(p)
    p.add_argument("--expect", action="append", default=[], type=_written_head,
                   metavar="N:HASH",
                   help="a head written down earlier (from verify, an issued memo or a batch "
                        "manifest): entry N must still have that hash (16 or more of its hex "
                        "digits); may be repeated")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("demo", help="fill a case file with realistic demo cases",
                       description="Add deterministic demo cases (the same seed gives the same "
                                   "file). Creates TARGET if it does not exist (a server: "
                                   "if its database is empty).")
    target_argument(p)
    p.add_argument("--cases", type=int, default=200, metavar="N", help="how many (default 200)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="SEED",
                   help=f"random seed (default {DEFAULT_SEED}, the standard demo set)")
    acting_user_default_option(p, "adds them to an existing demo file")
    p.set_defaults(func=cmd_demo)

    for action, help_text in ((Action.SUBMIT, "submit a case for approval"),
                              (Action.APPROVE, "approve a submitted case"),
                              (Action.RETURN, "return a submitted case to its clerk"),
                              (Action.VOID, "void a case that is not issued yet")):
        p = sub.add_parser(action.value, help=help_text,
                           description=help_text.capitalize() + ", under the workflow rules "
                                       "(refusals exit 15 with the reason).")
        case_arguments(p)
        acting_user_option(p, None, "acts")
        if action is Action.APPROVE:
            p.add_argument("--acknowledge-divergence", action="store_true",
                           help="I reviewed the divergence between the readings of 26-721(a)(2)")
        if action in (Action.RETURN, Action.VOID):
            p.add_argument("--reason", default="", help="why (required: the clerk and the "
                                                        "history see it)")
        p.set_defaults(func=cmd_workflow, action=action.value)
