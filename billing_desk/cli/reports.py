"""CLI commands for the reports and their figures: ``report accuracy|adjustments|workload``
(a readable table, or ``--csv``/``--pdf`` files) and ``bills-issued list|import|
set-benchmark``.

A report only reads the case file (no sign-in). Importing bills issued changes it: one
transaction and one audit entry, by a user of the file (``--as``). A CSV with a bad row
imports nothing unless ``--skip-bad`` is given; either way every bad row is listed with
its row number and field, and the exit code is 2.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..documents.exports import write_export
from ..documents.report_csv import report_csv
from ..documents.report_format import benchmark_text, cell_text, is_number
from ..domain.bills_issued import BillsIssued, parse_csv, service_label
from ..domain.limits import BILLS_CSV_BYTES
from ..domain.reports import DateRange, Report
from ..store.errors import IsTheCaseFile
from ..store.sqlite.openfiles import refuse_case_file_parts
from ..store.settings import InvalidSetting
from .arguments import target_argument
from .exit_codes import EXIT_INVALID, EXIT_OK, exit_code
from .signin import acting_user_default_option, open_target, sign_in
from .text import read_input, table

REPORTS = ("accuracy", "adjustments", "workload")


def format_report(report: Report) -> str:
    """The report as text tables, formatted as the app and the PDF show it."""
    lines = [f"{report.title}  ({report.period.label()})", ""]
    lines += [f"  {note}" for note in report.notes]
    for t in report.tables:
        lines += ["", t.title + (f"  ({t.note})" if t.note else "")]
        if not t.rows:
            lines.append("  nothing to report for these dates")
            continue
        cells = [[cell_text(v, c.kind) for v, c in zip(row, t.columns)] for row in t.rows]
        lines += table([c.title for c in t.columns], cells,
                       right={i for i, c in enumerate(t.columns) if is_number(c.kind)})
    return "\n".join(lines) + "\n"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def cmd_report(args: argparse.Namespace) -> int:
    try:
        period = DateRange(args.start, args.end)
    except ValueError as e:
        sys.stderr.write(f"billing-desk report: {e}\n")
        return EXIT_INVALID
    if args.limit < 1:
        sys.stderr.write("billing-desk report: --limit must be at least 1\n")
        return EXIT_INVALID
    out = args.csv or args.pdf
    with open_target(args.target, reading=True) as cf:
        if out:  # never over the case file (checked while it is open, by what it is)
            try:
                refuse_case_file_parts(Path(out))
            except IsTheCaseFile as e:
                sys.stderr.write(f"billing-desk report: {out} is the case file (or part of "
                                 "it); a report is never written over it. Nothing was "
                                 "written.\n")
                return exit_code(e)
        if args.report == "accuracy":
            report = cf.reports.accuracy(period)
        elif args.report == "adjustments":
            report = cf.reports.adjustments(period, divergent=args.limit)
        else:
            report = cf.reports.workload(date.today(), period, oldest=args.limit)
    if args.csv:
        data = report_csv(report)
    elif args.pdf:
        from ..documents.reports import render_report  # (ReportLab: only when asked)

        data = render_report(report, generated=date.today()).pdf
    else:
        sys.stdout.write(format_report(report))
        return EXIT_OK
    try:
        write_export(data, out)
    except OSError as e:
        sys.stderr.write(f"billing-desk report: cannot write {out}: {e.strerror or e}\n")
        return EXIT_INVALID
    print(f"{report.title} ({report.period.label()}) written to {out}")
    return EXIT_OK


def cmd_bills_list(args: argparse.Namespace) -> int:
    with open_target(args.target, reading=True) as cf:
        figures = cf.bills_issued.list()
        benchmark = cf.reports.benchmark()
    rows = [[str(f.year), service_label(f.service), f"{f.bills:,}"] for f in figures]
    if rows:
        print("\n".join(table(["Year", "Service", "Bills issued"], rows, right={2})))
    else:
        print("No bills-issued figures yet (billing-desk bills-issued import FILE CSV).")
    print(f"Benchmark: {benchmark_text(benchmark)} adjusted bills per 10,000 bills issued.")
    return EXIT_OK


def cmd_bills_import(args: argparse.Namespace) -> int:
    try:
        text = read_input(args.csv, BILLS_CSV_BYTES).decode("utf-8-sig")
    except OSError as e:
        sys.stderr.write(f"billing-desk bills-issued: cannot read {args.csv}: "
                         f"{e.strerror or e}\n")
        return EXIT_INVALID
    except UnicodeDecodeError:
        sys.stderr.write(f"billing-desk bills-issued: {args.csv} is not UTF-8 text; save it "
                         "as CSV UTF-8 and import it again. Nothing was imported.\n")
        return EXIT_INVALID
    parsed = parse_csv(text)
    for problem in parsed.problems:
        sys.stderr.write(f"{args.csv}: {problem}\n")
    refused = len(parsed.refused_rows)
    if parsed.problems and not args.skip_bad:
        sys.stderr.write(f"{refused} row(s) refused: nothing was imported. Correct them, or "
                         f"give --skip-bad to import the {len(parsed.rows)} good row(s).\n")
        return EXIT_INVALID
    if not parsed.rows:
        sys.stderr.write("No good rows: nothing was imported.\n")
        return EXIT_INVALID
    with open_target(args.target) as cf:
        actor = sign_in(cf, args.as_)
        change = cf.bills_issued.import_figures(parsed.figures, actor=actor,
                                                source=Path(args.csv).name, refused_rows=refused)
    print(f"Imported {len(parsed.rows)} row(s) from {args.csv}: {change.summary()}"
          + (f"; {refused} row(s) refused and left out." if refused else "."))
    return EXIT_INVALID if refused else EXIT_OK


def cmd_set_benchmark(args: argparse.Namespace) -> int:
    with open_target(args.target) as cf:
        actor = sign_in(cf, args.as_)
        try:
            value = cf.reports.set_benchmark(args.value, actor=actor)
        except InvalidSetting as e:
            sys.stderr.write(f"billing-desk bills-issued: {e}\n")
            return EXIT_INVALID
    print(f"Benchmark: {benchmark_text(value)} adjusted bills per 10,000 bills issued.")
    return EXIT_OK


# --- wiring ----------------------------------------------------------------------------

def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help="billing accuracy, adjustments or workload: a table, CSV or PDF",
        description="Print a report, or write it as CSV or PDF. accuracy: bills adjusted "
                    "per year and service against bills issued, per 10,000 and the "
                    "benchmark; adjustments: credited and back-billed per month, year, "
                    "service, clause and outcome, what the code kept back, the cases whose "
                    "readings differ; workload: open cases by status and assignee, the "
                    "oldest, days from discovery to issue per month. --from/--to select the "
                    "issue dates (docs/reports.md).")
    p.add_argument("report", choices=REPORTS, metavar="accuracy|adjustments|workload")
    target_argument(p)
    p.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD",
                   help="the first issue date counted (default: the earliest)")
    p.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD",
                   help="the last issue date counted (default: the latest)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="OUT", help="write the report as CSV to OUT")
    out.add_argument("--pdf", metavar="OUT", help="write the report as PDF to OUT")
    p.add_argument("--limit", type=int, default=100, metavar="N",
                   help="how many cases to list: workload, the oldest open cases; "
                        "adjustments, those whose readings differ most (default 100)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("bills-issued", help="bills issued per year and service (for the "
                       "accuracy report)",
                       description="The bills issued per year and service that the billing "
                                   "accuracy report divides by, and its benchmark.")
    bills = p.add_subparsers(dest="bills_command", metavar="list|import|set-benchmark")
    q = bills.add_parser("list", help="the figures and the benchmark")
    target_argument(q)
    q.set_defaults(func=cmd_bills_list)
    q = bills.add_parser("import", help="add figures from a CSV of year, service, bills issued",
                         description="Import a CSV of year, service, bills issued (a header "
                                     "row is allowed; service is electric, water, wastewater, "
                                     "stormwater or all). A figure for a year and service "
                                     "already there is replaced. Every bad row is listed by "
                                     "row and field; nothing is imported unless --skip-bad.")
    target_argument(q)
    q.add_argument("csv", metavar="FILE.csv", help="the figures (- reads standard input)")
    q.add_argument("--skip-bad", action="store_true",
                   help="import the good rows even if some are refused (exit 2 all the same)")
    acting_user_default_option(q, "imports them")
    q.set_defaults(func=cmd_bills_import)
    q = bills.add_parser("set-benchmark", help="the accuracy benchmark, per 10,000 bills",
                         description="Set the benchmark line of the accuracy report: adjusted "
                                     "bills per 10,000 bills issued (default 7.2, the AWWA "
                                     "QualServe 2005 median).")
    target_argument(q)
    q.add_argument("value", metavar="PER_10000", help="e.g. 7.2 or 3.96")
    acting_user_default_option(q, "sets it")
    q.set_defaults(func=cmd_set_benchmark)
