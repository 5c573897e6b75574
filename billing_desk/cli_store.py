"""CLI commands on case files: new, import, export, search, verify, demo, issue,
issue-batch (and, from :mod:`.cli_users`, user and the workflow steps).

Each failure a clerk can meet with a case file has its own exit code (``EXIT_CODES``,
shown by ``billing-desk --help`` and in docs/cli.md), so scripts can tell "read-only"
from "damaged" from "someone else saved first".

A file with users is changed only by one of them, signed in with their password
(``--as LOGIN``; see :mod:`.cli_users`). A file without users -- made by an older
Billing Desk or through the Python API -- keeps working as before: the login given
(default: yours) is recorded as it is, but nobody can submit or approve in it until its
first administrator exists.
"""

from __future__ import annotations

import argparse
import getpass
import json
import signal
import sys
import threading
from datetime import date
from pathlib import Path

from . import cli_users
from .cli_progress import ProgressDisplay
from .cli_text import EXIT_INVALID, EXIT_OK, format_problems, input_problem, read_input, table
from .cli_users import ask, read_password, sign_in
from .demo import DEFAULT_SEED
from .documents import DocumentError
from .domain.caseformat import loads_case
from .domain.draft import CaseDraft
from .domain.problems import CaseInvalid
from .domain.workflow import TransitionRefused
from .issuing import BatchReport, Manifest, issue_batch, issue_documents
from .store import (
    AttachmentTooLarge,
    CaseFileBusy,
    CaseFileExists,
    CaseFileNotFound,
    CorruptFile,
    DiskFull,
    NewCase,
    NewerVersion,
    NotACaseFile,
    NotAUser,
    NotSQLite,
    ReadOnlyFile,
    RecordNotFound,
    SignInRefused,
    StaleRevision,
    StoreError,
    create_case_file,
    open_case_file,
)
from .store.demo_file import create_demo_file, fill_demo
from .store.errors import NotADemoFile
from .store.timestamps import utc_now

EXIT_VERIFY_FAILED = 14
#: the workflow or user rules refused the action (own case, above limit, no reason...)
EXIT_REFUSED = 15
#: issue: the case was refused; issue-batch: at least one case was refused (the others
#: were issued; the manifest and the reconciliation line give each reason)
EXIT_ISSUE_REFUSED = 18
#: issue-batch: stopped before the end (Ctrl+C, a worker process died, the case file
#: failed part-way); the cases not attempted are still approved, the next run issues them
EXIT_BATCH_STOPPED = 19
#: issue-batch: the reconciliation does not add up (a defect: report it)
EXIT_BATCH_UNRECONCILED = 20

#: (exception, exit code, what it means) -- one code per failure, in --help and docs/cli.md
EXIT_CODES: tuple[tuple[type[StoreError], int, str], ...] = (
    (CaseFileNotFound, 3, "the case file, or the case named, does not exist"),
    (RecordNotFound, 3, ""),
    (NotSQLite, 4, "the file is not a case file (not an SQLite database at all)"),
    (NotACaseFile, 5, "the file is an SQLite database of another program"),
    (NewerVersion, 6, "the case file was written by a newer Billing Desk"),
    (CorruptFile, 7, "the case file is damaged or truncated"),
    (ReadOnlyFile, 8, "the case file (or its folder) cannot be written"),
    (DiskFull, 9, "the disk is full; the change was not saved (earlier ones are intact)"),
    (CaseFileBusy, 10, "another program kept the case file locked"),
    (CaseFileExists, 11, "new/demo: the file already exists (never overwritten)"),
    (StaleRevision, 12, "someone else saved the case first; nothing was overwritten"),
    (AttachmentTooLarge, 13, "the attachment is larger than the case file accepts"),
    (SignInRefused, 16, "sign-in refused (login or password not correct, or account disabled)"),
    (NotAUser, 16, ""),
    (NotADemoFile, 17, "demo: the file is not a demo file (demo users have public passwords)"),
)


def exit_code(error: StoreError) -> int:
    for kind, code, _ in EXIT_CODES:
        if isinstance(error, kind):
            return code
    return 1


def exit_codes_epilog() -> str:
    codes = [(0, "success"), (1, "internal failure"),
             (2, "invalid input or usage (import: at least one file was rejected)")]
    codes += [(code, text) for _, code, text in EXIT_CODES if text]
    codes += [(EXIT_VERIFY_FAILED, "verify: the history is broken or does not match the cases"),
              (EXIT_REFUSED, "the workflow or user rules refused the action (the message says "
                             "which rule)"),
              (EXIT_ISSUE_REFUSED, "issue: the case was refused; issue-batch: at least one case "
                                   "was refused"),
              (EXIT_BATCH_STOPPED, "issue-batch: stopped before the end (Ctrl+C); the rest are "
                                   "still approved"),
              (EXIT_BATCH_UNRECONCILED, "issue-batch: the reconciliation does not add up")]
    return "\n".join(["exit codes:"] + [f"  {code:<3} {text}" for code, text in sorted(codes)])


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in this environment (a service, a container)
        return "clerk"


# --- commands --------------------------------------------------------------------------

def cmd_new(args: argparse.Namespace) -> int:
    """A new file gets its first administrator at once: without one nobody could add
    users, and a file without users accepts any login."""
    login = ask("Login of the first administrator: ", args.admin_login, "--admin-login")
    name = ask("Their full name: ", args.admin_name, "--admin-name")
    password = read_password(f"Password for {login.strip()}: ", confirm=True)
    create_case_file(args.file, fill=lambda cf: cf.users.create_first_administrator(
        login, name, password)).close()
    print(f"Created {args.file} (an empty case file; administrator {login.strip()}).")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    with open_case_file(args.file) as cf:
        outcomes: list[tuple[str, NewCase | CaseInvalid]] = []
        for name in args.cases:
            try:
                try:
                    raw = read_input(name)
                except OSError as e:
                    raise input_problem(name, e) from None
                outcomes.append((name, NewCase(CaseDraft.from_case(loads_case(raw)))))
            except CaseInvalid as e:
                outcomes.append((name, e))
        valid = [o for _, o in outcomes if isinstance(o, NewCase)]
        actor = sign_in(cf, args.as_)
        # all valid files in one transaction: reported imported only once committed
        numbers = iter(cf.cases.create_many(valid, actor=actor) if valid else [])
    for name, outcome in outcomes:
        if isinstance(outcome, CaseInvalid):
            print(f"Rejected {name}: " + format_problems(outcome.problems), end="")
        else:
            print(f"Imported {name} as {next(numbers)}")
    rejected = len(outcomes) - len(valid)
    print(f"{len(valid)} imported, {rejected} rejected.")
    return EXIT_INVALID if rejected else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    with open_case_file(args.file) as cf:
        record = cf.cases.find(args.case_number)
    check = record.draft.check()
    sys.stdout.write(json.dumps(record.draft.to_json(), ensure_ascii=False, indent=2) + "\n")
    if check.case is None:
        sys.stderr.write(f"Note: case {record.case_number} is not complete yet; this JSON will "
                         "not import until these are fixed:\n" + format_problems(check.problems))
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    with open_case_file(args.file) as cf:
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
    with open_case_file(args.file) as cf:
        report = cf.verify()
    print(f"{args.file}: {report.summary()}")
    return EXIT_OK if report.ok else EXIT_VERIFY_FAILED


def cmd_demo(args: argparse.Namespace) -> int:
    if args.cases < 1:
        sys.stderr.write("billing-desk demo: --cases must be at least 1\n")
        return EXIT_INVALID
    path = Path(args.file)
    if path.exists():
        with open_case_file(path) as cf:
            if cf.users.needs_first_administrator():
                fill_demo(cf, args.cases, args.seed)  # an empty file becomes a demo file
            else:
                fill_demo(cf, args.cases, args.seed, actor=sign_in(cf, args.as_))
            total = cf.listing.count()
    else:
        with create_demo_file(path, args.cases, args.seed) as cf:
            total = cf.listing.count()
    print(f"{path}: {args.cases} demo cases added ({total} cases in the file).")
    return EXIT_OK


def cmd_issue(args: argparse.Namespace) -> int:
    with open_case_file(args.file) as cf:
        record = cf.cases.find(args.case_number)
        actor = sign_in(cf, args.as_)
        try:
            issue = issue_documents(cf, record.id, actor=actor, issue_date=args.issue_date)
        except (TransitionRefused, DocumentError, CaseInvalid) as e:
            sys.stderr.write(f"billing-desk: {e}\n")
            return EXIT_ISSUE_REFUSED
        pdfs = [cf.documents.pdf(d.id) for d in issue.documents] if args.out else []
    verb = "Issued" if issue.created else "Already issued (nothing new)"
    print(f"{verb}: case {record.case_number}, {len(issue.documents)} document(s)")
    for i, d in enumerate(issue.documents):
        print(f"  {d.kind.value:<15} issue {d.issue_number:<6} {d.page_count} page(s)  {d.sha256}")
        if args.out:
            path = Path(args.out) / f"{record.case_number}-{d.kind.value}-{d.issue_number}.pdf"
            path.write_bytes(pdfs[i])
            print(f"    written to {path}")
    return EXIT_OK


def cmd_issue_batch(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if not out.is_dir():
        sys.stderr.write(f"billing-desk issue-batch: --out {out} is not a folder\n")
        return EXIT_INVALID
    if args.workers is not None and args.workers < 1:
        sys.stderr.write("billing-desk issue-batch: --workers must be at least 1\n")
        return EXIT_INVALID
    cancel = threading.Event()

    def on_interrupt(signum, frame) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt  # a second Ctrl+C: stop now (committed cases stay)
        cancel.set()
        sys.stderr.write("\nissue-batch: cancelling: the cases being rendered are stored, "
                         "the rest stay approved (Ctrl+C again to stop at once)\n")

    with open_case_file(args.file) as cf:
        actor = sign_in(cf, args.as_)
        manifest = Manifest(out, case_file=cf.path, actor=actor, issue_date=args.issue_date,
                            started=utc_now())
        display = ProgressDisplay("issue-batch")
        previous = signal.signal(signal.SIGINT, on_interrupt)
        try:
            report = issue_batch(cf, actor=actor, issue_date=args.issue_date,
                                 workers=args.workers, cancel=cancel, progress=display,
                                 manifest=manifest)
        except DocumentError as e:  # a document setting of the file is invalid: no case began
            manifest.discard()
            sys.stderr.write(f"billing-desk issue-batch: {e}\n")
            return EXIT_INVALID
        except BaseException:
            manifest.discard()
            raise
        finally:
            signal.signal(signal.SIGINT, previous)
        display.finish()
        paths = manifest.close(report, utc_now())
    print_batch_report(report)
    print(f"Manifest: {paths[0]} and {paths[1]}")
    if not report.adds_up:
        return EXIT_BATCH_UNRECONCILED
    if report.stopped:
        return EXIT_BATCH_STOPPED
    return EXIT_ISSUE_REFUSED if report.refused else EXIT_OK


def print_batch_report(report: BatchReport, shown: int = 20) -> None:
    print(f"Reconciliation: {report.reconciliation()}")
    for r in report.refused:
        print(f"  refused {r.case.case_number} (account {r.case.account_number}, "
              f"{r.case.customer_name}): {r.reason}")
    if report.stopped:
        print(f"Stopped: {report.stopped}")
    if report.not_attempted:
        names = ", ".join(c.case_number for c in report.not_attempted[:shown])
        more = f" and {len(report.not_attempted) - shown:,} more" if len(report.not_attempted) > shown else ""
        print(f"  not attempted, still approved (run again to issue them): {names}{more}")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


# --- wiring ----------------------------------------------------------------------------

def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="create an empty case file with its first administrator",
                       description="Create a new, empty case file (never over an existing "
                                   "file) and its first administrator. The login and name are "
                                   "asked for unless given; the password comes from "
                                   f"${cli_users.PASSWORD_ENV} or is asked twice.")
    p.add_argument("file", metavar="FILE", help="the case file to create, e.g. office.bdesk")
    p.add_argument("--admin-login", metavar="LOGIN", help="the first administrator's login")
    p.add_argument("--admin-name", metavar="NAME", help="the first administrator's full name")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("import", help="add case@1 JSON files to a case file",
                       description="Import case@1 JSON files as new draft cases. Each rejected "
                                   "file is reported with its problems; the valid ones are "
                                   "imported together (exit 2 if any file was rejected).")
    p.add_argument("file", metavar="FILE", help="the case file")
    p.add_argument("cases", metavar="CASE.json", nargs="+", help="case files (- for standard input)")
    _acting_user(p, "imports them; they are prepared by this user")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="print one case as case@1 JSON",
                       description="Print a case as case@1 JSON (what import reads back).")
    p.add_argument("file", metavar="FILE", help="the case file")
    p.add_argument("case_number", metavar="CASE-NUMBER", help="e.g. BD-000123")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("search", help="find cases as the search box does",
                       description="Find cases by case number, account number, customer name, "
                                   "service or mailing address (word prefixes, any case, "
                                   "accents ignored), newest first.")
    p.add_argument("file", metavar="FILE", help="the case file")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=int, default=20, help="at most this many cases (default 20)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("verify", help="check the file and its tamper-evident history",
                       description="Check the case file: SQLite integrity, the audit hash "
                                   f"chain, and every case against its history. Exit "
                                   f"{EXIT_VERIFY_FAILED} with the first broken entry if not.")
    p.add_argument("file", metavar="FILE", help="the case file")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("demo", help="fill a case file with realistic demo cases",
                       description="Add deterministic demo cases (the same seed gives the same "
                                   "file). Creates FILE if it does not exist.")
    p.add_argument("file", metavar="FILE", help="the case file")
    p.add_argument("--cases", type=int, default=200, metavar="N", help="how many (default 200)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="SEED",
                   help=f"random seed (default {DEFAULT_SEED}, the standard demo set)")
    _acting_user(p, "adds them to an existing demo file")
    p.set_defaults(func=cmd_demo)

    issue_date = dict(type=_date, default=date.today(), metavar="YYYY-MM-DD",
                      help="the date printed on the letters (default: today)")
    p = sub.add_parser("issue", help="issue the letter and memos of one approved case",
                       description="Render the documents of an approved case, read each back "
                                   "against the case, store them and mark the case issued. "
                                   "Issuing again returns the stored documents. Exit "
                                   f"{EXIT_ISSUE_REFUSED} with the reason if refused.")
    p.add_argument("file", metavar="FILE", help="the case file")
    p.add_argument("case_number", metavar="CASE-NUMBER", help="e.g. BD-000123")
    p.add_argument("--issue-date", **issue_date)
    p.add_argument("--out", metavar="DIR", help="also write the PDFs into this folder")
    _acting_user(p, "issues them")
    p.set_defaults(func=cmd_issue)

    p = sub.add_parser("issue-batch", help="issue every approved case, with a manifest",
                       description="Issue the documents of every approved case, rendered on "
                                   "worker processes, each case stored as it is done. Writes "
                                   "a manifest (CSV and JSON) and prints the reconciliation "
                                   "(selected = issued + refused + not attempted). Ctrl+C "
                                   "cancels cleanly. Running it again issues nothing new. Exit "
                                   f"{EXIT_ISSUE_REFUSED} if a case was refused, "
                                   f"{EXIT_BATCH_STOPPED} if cancelled, "
                                   f"{EXIT_BATCH_UNRECONCILED} if it does not add up.")
    p.add_argument("file", metavar="FILE", help="the case file")
    p.add_argument("--out", metavar="DIR", default=".",
                   help="folder for the manifest (default: the current folder)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="worker processes (default: one per core)")
    p.add_argument("--issue-date", **issue_date)
    _acting_user(p, "issues them")
    p.set_defaults(func=cmd_issue_batch)
    cli_users.add_commands(sub)


def _acting_user(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--as", "--user", dest="as_", metavar="LOGIN", default=_user(),
                   help=f"who {what}: on a file with users, one of them, signed in with the "
                        f"password from ${cli_users.PASSWORD_ENV} or a prompt (default: your "
                        "login)")
