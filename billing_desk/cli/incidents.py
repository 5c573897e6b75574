"""``billing-desk incident ...``: one billing error, many accounts (issue 18).

    incident create FILE --csv ROWS.csv --description ... --service ... --cause ...
                    --discovered-on DATE [evidence and rule options] [--accept-good-rows]
    incident list FILE
    incident show FILE INCIDENT [--cases] [--json]
    incident override FILE INCIDENT CASE [evidence options] --reason TEXT
    incident submit FILE INCIDENT
    incident sample FILE INCIDENT [--seed SEED]
    incident approve FILE INCIDENT [--review N] [--acknowledge-divergence]
    incident issue FILE INCIDENT [--out DIR] [--workers N] [--issue-date DATE]
    incident memo FILE INCIDENT --pdf OUT.pdf

``create`` checks every row first and creates nothing while any row is bad, unless
``--accept-good-rows`` is given: then the accounts whose rows are all good become
cases and the bad rows are listed (with line and column) as left out. A file that
cannot be read at all (not UTF-8, empty, wrong columns) is always refused. docs/cli.md
and docs/incidents.md describe every option and exit code.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..domain.case import Evidence, OccurredBasis, Options, Reading, Service
from ..domain.incident import OUTLIER_RULE, Incident, incident_problems
from ..domain.incident_csv import IncidentFileRefused, IncidentImport, parse_incident_csv
from ..domain.limits import INCIDENT_CSV_BYTES
from ..domain.money import money_text
from ..domain.sampling import SAMPLE_RULE
from ..store import IncidentCancelled
from ..store.sqlite.openfiles import read_outside_file
from .arguments import incident_arguments, target_argument
from .exit_codes import EXIT_BATCH_STOPPED, EXIT_INVALID, EXIT_OK
from .progress import ProgressDisplay
from .signin import acting_user_default_option, login_name, open_target, sign_in
from .text import print_json, table, write_summary

#: the most problems printed (all are counted); the app shows every one
SHOWN = 200
_YES_NO = {"yes": True, "no": False, "true": True, "false": False, "y": True, "n": False}


def _yes_no(text: str) -> bool:
    try:
        return _YES_NO[text.strip().lower()]
    except KeyError:
        raise argparse.ArgumentTypeError(f"{text!r}: write yes or no") from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _money(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount, e.g. 25.00") from None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount in dollars and cents")
    return value.quantize(Decimal("0.01"))


def _incident(args: argparse.Namespace) -> Incident:
    return Incident(
        description=args.description, service=Service(args.service), cause=args.cause,
        discovered_on=args.discovered_on, made_known_on=args.made_known_on,
        evidence=Evidence(args.could_have_discovered, args.documentation_available,
                          args.documentation_confirmed, args.concealed),
        options=Options(None if args.reading is None else Reading(args.reading),
                        args.minimal_threshold,
                        None if args.occurred_basis is None else OccurredBasis(args.occurred_basis)))


def print_import(imported: IncidentImport, shown: int = SHOWN) -> None:
    """The good and the bad of a checked file, as the app's preview shows them."""
    print(f"{imported.rows:,} rows read: {imported.good_rows:,} good rows make "
          f"{len(imported.accounts):,} account(s); {imported.bad_rows:,} row(s) of "
          f"{len(imported.rejected) + (1 if imported.orphan_lines else 0):,} account(s) "
          "left out.")
    for p in imported.problems[:shown]:
        print(f"  line {p.line}, {p.field}: {p.message}")
    if len(imported.problems) > shown:
        print(f"  ... and {len(imported.problems) - shown:,} more problem(s)")
    for r in imported.rejected[:shown]:
        lines = ", ".join(str(n) for n in r.lines[:12]) + (" ..." if len(r.lines) > 12 else "")
        print(f"  account {r.number} left out (lines {lines})")


def cmd_create(args: argparse.Namespace) -> int:
    incident = _incident(args)
    problems = incident_problems(incident)
    if problems:
        sys.stderr.write("billing-desk incident create: the incident is not valid:\n"
                         + "".join(f"  {p.field}: {p.message}\n" for p in problems))
        return EXIT_INVALID
    with open_target(args.target) as cf:
        csv_path = Path(args.csv)
        try:
            data = read_outside_file(csv_path, INCIDENT_CSV_BYTES)
        except OSError as e:
            sys.stderr.write(f"billing-desk incident create: cannot read {csv_path}: "
                             f"{e.strerror or e}\n")
            return EXIT_INVALID
        try:
            imported = parse_incident_csv(data, incident)
        except IncidentFileRefused as e:
            print(f"{csv_path.name} is refused; nothing was created:")
            for p in e.problems:
                print(f"  line {p.line}, {p.field}: {p.message}")
            return EXIT_INVALID
        print_import(imported)
        if not imported.accounts:
            print("No account has only good rows; nothing was created.")
            return EXIT_INVALID
        if imported.problems and not args.accept_good_rows:
            print("Nothing was created. Fix the rows above, or run again with "
                  "--accept-good-rows to create the good accounts only.")
            return EXIT_INVALID
        actor = sign_in(cf, args.as_)
        from ..issuing.incidents import create_incident

        display = ProgressDisplay("incident create", unit="accounts")
        cancel = threading.Event()
        previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
        try:
            record = create_incident(cf, incident, imported, source_name=csv_path.name,
                                     source=data, actor=actor, progress=display,
                                     cancel=cancel)
        except IncidentCancelled as e:  # Ctrl+C: the transaction was rolled back
            display.finish()
            print(str(e))
            return EXIT_BATCH_STOPPED
        finally:
            signal.signal(signal.SIGINT, previous)
        display.finish()
        totals = cf.incidents.totals(record.id)
    print(f"Created incident {record.incident_number}: {totals.cases:,} case(s) from "
          f"{csv_path.name}; refunds {money_text(totals.refund)}, back bills "
          f"{money_text(totals.back_bill)}, kept back by the six-year limit "
          f"{money_text(totals.six_year)}.")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    with open_target(args.target, reading=True) as cf:
        listed = cf.incidents.list()
    if not listed:
        print("No incidents yet.")
        return EXIT_OK
    rows = [[x.record.incident_number, x.record.incident.service.value, f"{x.cases:,}",
             ", ".join(f"{s} {n:,}" for s, n in sorted(x.statuses.items())),
             x.record.incident.description] for x in listed]
    print("\n".join(table(["Incident", "Service", "Cases", "Statuses", "Description"], rows,
                          right={2})))
    return EXIT_OK


def _view(cf, number: str):
    from ..issuing.incidents import incident_view

    return incident_view(cf, cf.incidents.find(number).id)


def cmd_show(args: argparse.Namespace) -> int:
    with open_target(args.target, reading=True) as cf:
        view = _view(cf, args.incident)
        wanted = args.cases or args.json
        cases = list(cf.incidents.cases(view.record.id, view.query())) if wanted else []
    r = view.record
    if args.json:
        print_json(_view_json(view, cases))
        return EXIT_OK
    i = r.incident
    print(f"Incident {r.incident_number}: {i.description}")
    print(f"  cause: {i.cause}; service {i.service.value}; discovered {i.discovered_on}, made "
          f"known {i.made_known}; created {r.created_at:%Y-%m-%d %H:%M} UTC by {r.created_by} "
          f"from {r.source_name} ({r.source_rows:,} rows)")
    print("  cases: " + ", ".join(f"{s} {n:,}" for s, n in view.statuses))
    for label, value in _totals_rows(view):
        print(f"  {label:<48} {value:>16}")
    print(f"  outliers: {view.outliers:,}; readings diverge: {view.divergent:,}; "
          f"dropped out of the approval: {view.dropped_out:,}")
    if view.review is not None:
        rv = view.review
        print(f"  newest review #{rv.id}: {rv.listed:,} listed, sample of {len(rv.sample):,} "
              f"(size {rv.sample_size}) from seed {rv.seed}, by {rv.drawn_by}"
              + (" (approved)" if rv.approved else ""))
    for a in view.approvals:
        print(f"  approved by {a.approved_by} {a.approved_at:%Y-%m-%d %H:%M} UTC: {a.cases:,} "
              f"case(s), refunds {money_text(a.refund_total)}, back bills "
              f"{money_text(a.back_bill_total)}")
    if args.cases:
        rows = []
        for c in cases:
            f = c.figures
            marks = "".join(m for m, on in (("D", f is not None and f.readings_differ),
                                            ("O", c.outlier), ("S", c.sampled is not None)) if on)
            rows.append([c.case_number, c.account_number, c.customer_name, c.status.value,
                         "-" if f is None else money_text(f.refund),
                         "-" if f is None else money_text(f.back_bill),
                         "-" if f is None else money_text(f.six_year), marks, c.approval.value])
        print("\n".join(table(["Case", "Account", "Customer", "Status", "Refund", "Back bill",
                               "Six-year", "Marks", "Approval"], rows, right={4, 5, 6})))
    return EXIT_OK


def _totals_rows(view) -> list[tuple[str, str]]:
    t = view.totals
    rows = [("credited (refunds)", money_text(t.refund)),
            ("back-billed", money_text(t.back_bill)),
            ("kept back by the six-year limit", money_text(t.six_year)),
            ("accounts with something kept back by it", f"{t.six_year_cases:,}"),
            ("kept back by (a)(1)(i) could have discovered", money_text(t.a1_i)),
            ("kept back by (a)(1)(ii) no documentation", money_text(t.a1_ii)),
            ("kept back by (a)(1)(iii) not confirmed", money_text(t.a1_iii)),
            ("forgiven, ordinance reading", money_text(t.forgiven[0])),
            ("forgiven, executive summary reading", money_text(t.forgiven[1])),
            ("forgiven, staff memo reading", money_text(t.forgiven[2]))]
    if t.smallest is not None:
        rows.append(("smallest / largest adjustment",
                     f"{money_text(t.smallest)} / {money_text(t.largest)}"))
    return rows


def _view_json(view, cases) -> dict:
    t = view.totals
    return {
        "format": "billing-desk/incident@1", "incident": view.record.incident_number,
        "description": view.record.incident.description, "case_count": t.cases,
        "statuses": dict(view.statuses),
        "totals": {"refund": money_text(t.refund), "back_bill": money_text(t.back_bill),
                   "six_year": money_text(t.six_year), "six_year_cases": t.six_year_cases,
                   "a1_i": money_text(t.a1_i), "a1_ii": money_text(t.a1_ii),
                   "a1_iii": money_text(t.a1_iii),
                   "forgiven": {"ordinance": money_text(t.forgiven[0]),
                                "executive_summary": money_text(t.forgiven[1]),
                                "staff_practice": money_text(t.forgiven[2])},
                   "smallest": None if t.smallest is None else money_text(t.smallest),
                   "largest": None if t.largest is None else money_text(t.largest),
                   "undetermined": t.undetermined},
        "outlier_rule": OUTLIER_RULE,
        "outliers": [c.case_number for c in cases if c.outlier],
        "divergent": [c.case_number for c in cases
                      if c.figures is not None and c.figures.readings_differ],
        "dropped_out": [c.case_number for c in cases if c.approval.value == "dropped_out"],
        "cases": [{"case": c.case_number, "account": c.account_number,
                   "customer": c.customer_name, "status": c.status.value, "line": c.line,
                   "refund": None if c.figures is None else money_text(c.figures.refund),
                   "back_bill": None if c.figures is None else money_text(c.figures.back_bill),
                   "six_year": None if c.figures is None else money_text(c.figures.six_year),
                   "approval": c.approval.value,
                   "sampled": None if c.sampled is None else c.sampled.value} for c in cases],
        "review": None if view.review is None else {
            "id": view.review.id, "seed": view.review.seed, "sample_size": view.review.sample_size,
            "listed": view.review.listed, "drawn_by": view.review.drawn_by,
            "approved": view.review.approved,
            "sample": {str(k): v.value for k, v in view.review.sample.items()}},
        "approvals": [{"id": a.id, "review": a.review_id, "approved_by": a.approved_by,
                       "cases": a.cases, "refund_total": money_text(a.refund_total),
                       "back_bill_total": money_text(a.back_bill_total)} for a in view.approvals],
    }


def cmd_override(args: argparse.Namespace) -> int:
    with open_target(args.target) as cf:
        record = cf.incidents.find(args.incident)
        case = cf.cases.find(args.case_number)
        ev = case.draft.evidence
        evidence = Evidence(*(ev_arg if ev_arg is not None else getattr(ev, name)
                              for name, ev_arg in (
                                  ("customer_could_have_discovered", args.could_have_discovered),
                                  ("documentation_available", args.documentation_available),
                                  ("documentation_confirmed", args.documentation_confirmed),
                                  ("customer_concealed_error", args.concealed))))
        actor = sign_in(cf, args.as_)
        new = cf.incidents.override(record.id, case.id, evidence, args.reason, actor=actor)
    if new.revision == case.revision:
        print(f"{case.case_number}: the evidence is already so; nothing changed.")
    else:
        print(f"{case.case_number} overridden by {actor}: it is now {new.status.value}"
              + (f" ({new.status_reason})" if new.status_reason else "") + ".")
    return EXIT_OK


def cmd_submit(args: argparse.Namespace) -> int:
    with open_target(args.target) as cf:
        record = cf.incidents.find(args.incident)
        actor = sign_in(cf, args.as_)
        display = ProgressDisplay("incident submit")
        n = cf.incidents.submit(record.id, actor=actor, progress=display)
        display.finish()
    print(f"Incident {record.incident_number}: {n:,} case(s) submitted for approval by {actor}.")
    return EXIT_OK


def cmd_sample(args: argparse.Namespace) -> int:
    with open_target(args.target) as cf:
        record = cf.incidents.find(args.incident)
        actor = sign_in(cf, args.as_)
        review = cf.incidents.draw_sample(record.id, actor=actor, seed=args.seed)
        numbers = {c.case_id: c for c in cf.incidents.cases_by_id(record.id, review.sample)}
    print(f"Review #{review.id} of incident {record.incident_number}: {review.listed:,} submitted "
          f"case(s) listed; sample of {len(review.sample):,} (size {review.sample_size}) from "
          f"seed {review.seed}.")
    print(f"  {SAMPLE_RULE}")
    for case_id, why in review.sample.items():
        c = numbers[case_id]
        f = c.figures
        print(f"  {c.case_number}  {c.account_number:<16} {c.customer_name:<30} "
              f"{'-' if f is None else money_text(f.amount):>12}  {why.value}")
    print(f"Review them (billing-desk export FILE CASE --pdf ...), then: billing-desk incident "
          f"approve {args.target} {record.incident_number} --review {review.id}")
    return EXIT_OK


def cmd_approve(args: argparse.Namespace) -> int:
    with open_target(args.target) as cf:
        record = cf.incidents.find(args.incident)
        actor = sign_in(cf, args.as_)
        review_id = args.review
        if review_id is None:
            # the approver's own newest review; else the newest of all, which the store
            # refuses with the reason (no authority, not theirs)
            latest = (cf.incidents.latest_review(record.id, by=actor)
                      or cf.incidents.latest_review(record.id))
            if latest is None:
                sys.stderr.write(f"billing-desk incident approve: no sample of "
                                 f"{record.incident_number} was drawn; a supervisor runs "
                                 "incident sample first.\n")
                return EXIT_INVALID
            review_id = latest.id
        display = ProgressDisplay("incident approve")
        approval = cf.incidents.approve(record.id, review_id, actor=actor,
                                        acknowledge_divergence=args.acknowledge_divergence,
                                        progress=display)
        display.finish()
    print(f"Incident {record.incident_number} approved by {actor} (review #{review_id}): "
          f"{approval.cases:,} case(s), refunds {money_text(approval.refund_total)}, back bills "
          f"{money_text(approval.back_bill_total)}.")
    return EXIT_OK


def cmd_issue(args: argparse.Namespace) -> int:
    from .documents import cmd_issue_batch

    with open_target(args.target) as cf:
        args.incident_id = cf.incidents.find(args.incident).id
        args.selection = f"incident {cf.incidents.get(args.incident_id).incident_number}"
    return cmd_issue_batch(args)


def cmd_memo(args: argparse.Namespace) -> int:
    from ..issuing.incidents import save_incident_summary

    out = Path(args.pdf)
    with open_target(args.target) as cf:
        record = cf.incidents.find(args.incident)
        return write_summary("incident memo", out, lambda: save_incident_summary(
            cf, record.id, out, printed_by=f"{login_name()} (command line)"),
            "the summary of incident {summary.incident_number}")


# --- wiring ----------------------------------------------------------------------------

def _evidence_options(p: argparse.ArgumentParser, required: bool) -> None:
    for option, what in (("--could-have-discovered", "the customer could have discovered "
                                                     "the error (26-721(a)(1)(i), (a)(2)(ii))"),
                         ("--documentation-available", "documentation of the overcharge is "
                                                       "available (26-721(a)(1)(ii))"),
                         ("--documentation-confirmed", "the utility confirms it "
                                                       "(26-721(a)(1)(iii))"),
                         ("--concealed", "the customer concealed the error (26-721(b))")):
        p.add_argument(option, type=_yes_no, metavar="yes|no", required=required,
                       default=None, help=what)


def add_commands(sub: argparse._SubParsersAction) -> None:
    top = sub.add_parser("incident", help="one billing error, many accounts: create from a CSV, "
                                          "list, show, override, submit, sample, approve, issue",
                         description="Incidents: one billing error that hit many accounts, one "
                                     "case per account (docs/incidents.md).")
    isub = top.add_subparsers(dest="incident_command", metavar="ACTION")
    top.set_defaults(func=lambda args: (top.print_usage(sys.stderr), EXIT_INVALID)[1])

    p = isub.add_parser("create", help="create an incident and its cases from a CSV",
                        description="Check every row of the CSV (line and column of each "
                                    "problem), then create the incident and one draft case per "
                                    "account in one transaction. While any row is bad nothing "
                                    "is created, unless --accept-good-rows: then the accounts "
                                    "whose rows are all good are created and the others are "
                                    "listed as left out. Exit 2 if refused.")
    target_argument(p)
    p.add_argument("--csv", required=True, metavar="ROWS.csv",
                   help="the affected accounts and periods (UTF-8; columns in docs/incidents.md)")
    p.add_argument("--description", required=True, help="what went wrong")
    p.add_argument("--service", required=True, choices=[s.value for s in Service])
    p.add_argument("--cause", required=True, help="what caused it")
    p.add_argument("--discovered-on", required=True, type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--made-known-on", type=_date, metavar="YYYY-MM-DD",
                   help="the date the error was made known (default: discovered on)")
    _evidence_options(p, required=True)
    p.add_argument("--reading", choices=[r.value for r in Reading],
                   help="the reading of 26-721(a)(2) used (default: ordinance)")
    p.add_argument("--minimal-threshold", type=_money, metavar="AMOUNT",
                   help="26-721(a)(2)(i) minimal amount (default 25.00)")
    p.add_argument("--occurred-basis", choices=[b.value for b in OccurredBasis])
    p.add_argument("--accept-good-rows", action="store_true",
                   help="create the accounts whose rows are all good even if other rows are bad")
    acting_user_default_option(p, "creates it; its cases are prepared by this user")
    p.set_defaults(func=cmd_create)

    p = isub.add_parser("list", help="the incidents of a case file")
    target_argument(p)
    p.set_defaults(func=cmd_list)

    p = isub.add_parser("show", help="an incident's totals, outliers, review and approvals")
    incident_arguments(p)
    p.add_argument("--cases", action="store_true", help="also list every case")
    p.add_argument("--json", action="store_true", help="print billing-desk/incident@1 JSON")
    p.set_defaults(func=cmd_show)

    p = isub.add_parser("override", help="change one account's evidence (with a reason)")
    incident_arguments(p)
    p.add_argument("case_number", metavar="CASE-NUMBER")
    _evidence_options(p, required=False)
    p.add_argument("--reason", required=True, help="why this account differs (kept in the history)")
    acting_user_default_option(p, "overrides it")
    p.set_defaults(func=cmd_override)

    for name, func, text in (("submit", cmd_submit, "submit every draft case of the incident"),
                             ("sample", cmd_sample, "draw the review sample (supervisors)")):
        p = isub.add_parser(name, help=text)
        incident_arguments(p)
        if name == "sample":
            p.add_argument("--seed", help="the seed (default: a fresh random one; it is recorded)")
        acting_user_default_option(p, "acts")
        p.set_defaults(func=func)

    p = isub.add_parser("approve", help="approve exactly the cases of your review",
                        description="Approve the incident by sample: exactly the cases and "
                                    "fingerprints your review listed. Refused (exit 15) if any "
                                    "of them changed since, if you created the incident or "
                                    "prepared, edited or submitted any of its cases, or above "
                                    "your approval limit (the incident total and each case).")
    incident_arguments(p)
    p.add_argument("--review", type=int, metavar="N", help="the review (default: your newest)")
    p.add_argument("--acknowledge-divergence", action="store_true",
                   help="I reviewed the accounts where the readings of 26-721(a)(2) diverge")
    acting_user_default_option(p, "approves")
    p.set_defaults(func=cmd_approve)

    p = isub.add_parser("issue", help="issue the letters and memos of the incident's approved "
                                      "cases (a batch, with manifest)")
    incident_arguments(p)
    p.add_argument("--out", metavar="DIR", default=".", help="folder for the manifest")
    p.add_argument("--workers", type=int, metavar="N")
    p.add_argument("--issue-date", type=_date, default=date.today(), metavar="YYYY-MM-DD")
    acting_user_default_option(p, "issues them")
    p.set_defaults(func=cmd_issue)

    p = isub.add_parser("memo", help="write the incident summary memo for finance (PDF)")
    incident_arguments(p)
    p.add_argument("--pdf", required=True, metavar="OUT.pdf")
    p.set_defaults(func=cmd_memo)

