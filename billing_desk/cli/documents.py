"""CLI commands on documents: issue one approved case, issue-batch every approved case
with a manifest and a reconciliation line."""
# (issue 14: each case is checked against its history before it is rendered; --out is
# checked before anything is issued; --issue-date against the case and the settings)

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BillingDeskError
from ..store.errors import StoreError
from ..store.timestamps import utc_now
from .arguments import case_arguments, target_argument
from .exit_codes import (
    EXIT_BATCH_STOPPED,
    EXIT_BATCH_UNRECONCILED,
    EXIT_INVALID,
    EXIT_ISSUE_REFUSED,
    EXIT_OK,
    EXIT_REFUSED,
)
from .progress import ProgressDisplay
from .signin import acting_user_default_option, open_target, sign_in

if TYPE_CHECKING:
    from ..issuing import BatchReport

# (the documents and issuing layers, with ReportLab and PDFium, load when a command here
# runs, not when the command line starts: ``determine`` answers without them)


def writable_folder(text: str | None, command: str) -> Path | None:
    """The ``--out`` folder, checked before anything is issued: it must exist and be
    writable (else :class:`FolderRefused`: a message and exit 2, and nothing happens)."""
    if text is None:
        return None
    out = Path(text)
    if not out.is_dir():
        raise FolderRefused(f"{command}: --out {out} is not an existing folder; "
                            "nothing was issued")
    if not os.access(out, os.W_OK | os.X_OK):
        raise FolderRefused(f"{command}: --out {out} cannot be written; nothing "
                            "was issued")
    return out


class FolderRefused(BillingDeskError):
    """An ``--out`` folder that does not exist or cannot be written (exit 2)."""



def cmd_issue(args: argparse.Namespace) -> int:
    from ..documents.whole_file import write_whole
    from ..issuing import IssueDateRefused, export_copy, issue_documents, save_document

    out = writable_folder(args.out, "issue")
    written: list[tuple[str, Path]] = []
    with open_target(args.target) as cf:
        record = cf.cases.find(args.case_number)
        actor = sign_in(cf, args.as_)
        try:
            issue = issue_documents(cf, record.id, actor=actor, issue_date=args.issue_date)
        except StoreError:
            raise  # the case file's failure (busy, disk full...): its own exit code
        except IssueDateRefused as e:  # a usage error: nothing was issued
            sys.stderr.write(f"billing-desk: {e}\n")
            return EXIT_INVALID
        except BillingDeskError as e:  # the rules, the case or its documents said no
            sys.stderr.write(f"billing-desk: {e}\n")
            return EXIT_ISSUE_REFUSED
        if out is not None:
            for d in issue.documents:
                path = out / f"{record.case_number}-{d.kind.value}-{d.issue_number}.pdf"
                try:
                    if issue.created:  # the original, exported (recorded in the history)
                        save_document(cf, d.id, path, actor, write_whole)
                        written.append(("written to", path))
                    else:  # issued before: a copy stamped COPY, recorded as such
                        export_copy(cf, d.id, path.with_name(path.stem + "-COPY.pdf"), actor,
                                    write_whole)
                        written.append(("a copy stamped COPY written to",
                                        path.with_name(path.stem + "-COPY.pdf")))
                except StoreError:
                    raise  # the case file's failure: its own exit code
                except BillingDeskError as e:  # a copy the rules or the documents refuse
                    sys.stderr.write(f"billing-desk: {e}\n")
                    return EXIT_ISSUE_REFUSED
                except OSError as e:
                    sys.stderr.write(f"billing-desk issue: cannot write {path}: "
                                     f"{e.strerror or e} (the documents are issued and stored; "
                                     "run the command again to write copies)\n")
                    return EXIT_INVALID
    verb = "Issued" if issue.created else "Already issued (nothing new)"
    print(f"{verb}: case {record.case_number}, {len(issue.documents)} document(s)")
    if issue.entry is not None:
        print(f"History entry of the issue: {issue.entry.text()}")
    for i, d in enumerate(issue.documents):
        print(f"  {d.kind.value:<15} issue {d.issue_number:<6} {d.page_count} page(s)  {d.sha256}")
        if i < len(written):
            print(f"    {written[i][0]} {written[i][1]}")
    return EXIT_OK


def cmd_issue_batch(args: argparse.Namespace) -> int:
    from ..documents import DocumentError
    from ..issuing import BatchInProgress, IssueDateRefused, Manifest, issue_batch

    out = writable_folder(args.out, "issue-batch")
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

    with open_target(args.target) as cf:
        actor = sign_in(cf, args.as_)
        manifest = Manifest(out, case_file=cf.where, actor=actor, issue_date=args.issue_date,
                            started=utc_now(), selection=getattr(args, "selection", None))
        display = ProgressDisplay("issue-batch")
        previous = signal.signal(signal.SIGINT, on_interrupt)
        try:
            report = issue_batch(cf, actor=actor, issue_date=args.issue_date,
                                 workers=args.workers, cancel=cancel, progress=display,
                                 manifest=manifest, incident=getattr(args, "incident_id", None))
        except IssueDateRefused as e:  # the date: no case began
            manifest.discard()
            sys.stderr.write(f"billing-desk issue-batch: {e}\n")
            return EXIT_INVALID
        except DocumentError as e:  # a document setting of the file is invalid: no case began
            manifest.discard()
            sys.stderr.write(f"billing-desk issue-batch: {e}\n")
            return EXIT_INVALID
        except BatchInProgress as e:
            manifest.discard()
            sys.stderr.write(f"billing-desk issue-batch: {e}\n")
            return EXIT_REFUSED
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
    for line in report.recovered:
        print(f"An earlier run that did not finish: {line}")
    print(f"Reconciliation: {report.reconciliation()}")
    if report.history_head is not None:
        print(f"History head after the batch: {report.history_head.text()}")
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
    issue_date = dict(type=_date, default=date.today(), metavar="YYYY-MM-DD",
                      help="the date printed on the letters (default: today); not before the "
                           "case's discovery or its last period, nor more than the setting "
                           "issue.max_days_ahead days after today")
    p = sub.add_parser("issue", help="issue the letter and memos of one approved case",
                       description="Render the documents of an approved case, read each back "
                                   "against the case, store them and mark the case issued. "
                                   "Issuing again returns the stored documents. Exit "
                                   f"{EXIT_ISSUE_REFUSED} with the reason if refused.")
    case_arguments(p)
    p.add_argument("--issue-date", **issue_date)
    p.add_argument("--out", metavar="DIR", help="also write the PDFs into this folder (an "
                                                "existing one; for a case issued before, "
                                                "copies stamped COPY); recorded in the history")
    acting_user_default_option(p, "issues them")
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
    target_argument(p)
    p.add_argument("--out", metavar="DIR", default=".",
                   help="folder for the manifest (default: the current folder)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="worker processes (default: one per core)")
    p.add_argument("--issue-date", **issue_date)
    acting_user_default_option(p, "issues them")
    p.set_defaults(func=cmd_issue_batch)
