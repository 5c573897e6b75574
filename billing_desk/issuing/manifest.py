"""The manifest of a batch run: what the mail room checks the printed letters against.

Two files with one stem, ``issue-batch-<UTC time>``: a CSV with one row per document to
mail (case, account, customer, kind, issue number, pages, sha256, and the audit entry of
its issue with that entry's hash) and one per refused or not attempted case (with the
reason); and a JSON with the same plus the run, its reconciliation and the case file's
history head when the run ended. An issue's entry is the history's head right after
that issue, and the run's head covers every issue of the run: they are what
``billing-desk verify FILE --expect N:HASH`` compares the file against later, so a
history rewritten after the batch disagrees with them (issue 23).

A run survives a crash (issue 14). The CSV is written as the run goes: each case's rows
are appended, flushed and synced to disk (fsync) as soon as its issue is committed, and
then the case file records those documents as mailed by this run (the mail ledger,
store/mailruns.py). The files are ``*.part`` until the run ends; then the JSON is made
from the CSV and both are renamed into place: a manifest without ``.part`` is complete.
A run that was killed leaves its ``.part`` files and an unfinished run in the ledger:
the next run finishes them (:func:`recover_runs`) -- the rows already on disk are
recorded, the JSON is written, the files are renamed, and the JSON says it was finished
later -- and then lists, in its own manifest, every document issued and not yet mailed
(a killed run's documents whose rows never reached the disk among them). So every
document a batch issues appears in exactly one manifest.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ..domain.history import HistoryHead
from ..domain.workflow import TransitionRefused
from ..store import CaseFile, DocumentRecord
from ..store.timestamps import format_utc

if TYPE_CHECKING:
    from .batch import BatchReport

MANIFEST_FORMAT = "billing-desk/issue-manifest@1"
CSV_COLUMNS = ("case", "account", "customer", "status", "kind", "issue_number", "pages",
               "sha256", "document_id", "issued_now", "reason", "history_entry", "history_hash")
#: the reason on the row of a document issued before this run and mailed by it
EARLIER = "issued before this run and not yet mailed"
NOT_ATTEMPTED = "not attempted: the batch stopped first; still approved"


class BatchInProgress(TransitionRefused):
    """Another issue-batch run on this case file is still running: one mail run at a
    time (two would list the same documents)."""


@dataclass(frozen=True, slots=True)
class CaseRef:
    """A case as the manifest names it."""

    case_number: str
    account_number: str
    customer_name: str


def _free_stem(folder: Path, stem: str) -> str:
    """``stem``, or ``stem-2``, ``stem-3``...: a second run in the same second never
    writes over the manifest of the first."""
    candidate, n = stem, 1
    while any((folder / f"{candidate}{ext}").exists()
              for ext in (".csv", ".json", ".csv.part", ".json.part")):
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # (a system that cannot open a folder: the files themselves are synced)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Manifest:
    """The manifest files of one run, in ``folder``. Rows are on disk when
    :meth:`issued` and :meth:`refused` return; :meth:`begin` records the run in the
    case file's mail ledger, :meth:`close` completes it."""

    def __init__(self, folder: Path, *, case_file: Path | str, actor: str, issue_date: date,
                 started: datetime, selection: str | None = None) -> None:
        """``selection``: what the run issues when it is not every approved case (an
        incident's: ``"incident IN-000001"``); it names the files and the JSON says it."""
        self.folder = Path(folder)
        name = "issue-batch" if selection is None else f"issue-{selection.replace(' ', '-')}"
        self.stem = _free_stem(self.folder, f"{name}-{started:%Y%m%dT%H%M%SZ}")
        self.csv_path = self.folder / f"{self.stem}.csv"
        self.json_path = self.folder / f"{self.stem}.json"
        self.head = {"format": MANIFEST_FORMAT, "case_file": str(case_file), "actor": actor,
                     "issue_date": issue_date.isoformat(), "started_at": format_utc(started)}
        if selection is not None:
            self.head["selection"] = selection
        self._part = self.csv_path.with_name(self.csv_path.name + ".part")
        self._file = open(self._part, "x", encoding="utf-8", newline="")
        # held while the run lives (the system drops it when the process ends, killed or
        # not): a later run finishes this manifest only once nobody holds it
        fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._csv = csv.writer(self._file)
        self._csv.writerow(CSV_COLUMNS)
        self._sync()
        _sync_folder(self.folder)
        self._cf: CaseFile | None = None
        self._actor = actor
        self._pending: list[int] = []  # rows on disk, not yet recorded in the ledger
        self.documents_written = 0

    # -- the run's rows ------------------------------------------------------------------

    def begin(self, cf: CaseFile, *, actor: str) -> None:
        """Record the run in the case file's mail ledger (before its first issue)."""
        cf.mail_runs.start(self.stem, {**self.head, "csv": str(self.csv_path.resolve()),
                                       "json": str(self.json_path.resolve())}, actor=actor)
        self._cf, self._actor = cf, actor

    def _sync(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())

    def issued(self, case: CaseRef, documents: Iterable[DocumentRecord], *, new: bool,
               entry: HistoryHead | None = None, reason: str = "") -> None:
        """Rows for the documents of one case (``entry``: the audit entry of their issue),
        on disk when this returns; :meth:`record` then records them as mailed by this
        run (once per commit of the batch: a crash in between leaves the rows, which the
        next run records)."""
        documents = tuple(documents)
        for d in documents:
            self._csv.writerow([case.case_number, case.account_number, case.customer_name,
                                "issued", d.kind.value, d.issue_number, d.page_count, d.sha256,
                                d.id, "yes" if new else "no", reason,
                                "" if entry is None else entry.entry,
                                "" if entry is None else entry.hash])
        self._sync()
        self.documents_written += len(documents)
        self._pending += [d.id for d in documents]

    def record(self) -> None:
        """Record the documents whose rows are on disk as mailed by this run."""
        if self._cf is not None and self._pending:
            self._cf.mail_runs.record(self.stem, self._pending, actor=self._actor)
        self._pending = []

    def refused(self, case: CaseRef, reason: str, status: str = "refused") -> None:
        self._csv.writerow([case.case_number, case.account_number, case.customer_name,
                            status, "", "", "", "", "", "", reason, "", ""])
        self._sync()

    # -- the end -----------------------------------------------------------------------

    def close(self, report: "BatchReport", finished: datetime) -> tuple[Path, Path]:
        """Write the cases not attempted and the reconciliation, then put both files in
        place and record the run finished; returns their paths."""
        for case in report.not_attempted:
            self.refused(case, NOT_ATTEMPTED, status="not_attempted")
        self.record()
        tail = {
            "stopped": report.stopped,
            "finished_at": format_utc(finished),
            # the newest entry of the file's history once the run's issues were stored
            "history_head": None if report.history_head is None else report.history_head.to_json(),
            "reconciliation": {"selected": report.selected, "issued_cases": report.issued_cases,
                               "issued_now": report.new_cases, "documents": report.documents,
                               "earlier_documents": report.earlier_documents,
                               "refused": len(report.refused),
                               "not_attempted": len(report.not_attempted),
                               "adds_up": report.adds_up, "line": report.reconciliation()},
        }
        try:
            paths = complete(self._part, self.csv_path, self.json_path, self.head, tail)
            if self._cf is not None:
                self._cf.mail_runs.finish(self.stem, {"documents": self.documents_written,
                                                      "recovered": False}, actor=self._actor)
        finally:
            self._file.close()  # (the lock goes with it, once the run is finished)
        return paths

    def discard(self) -> None:
        """The run failed: remove its files if no document was listed in them (nothing
        to mail); otherwise leave them for the next run to finish (its rows are on disk
        and recorded, and the documents were issued)."""
        if not self._file.closed:
            self._file.close()
        try:
            self.record()
        except Exception:  # noqa: BLE001 - the file failed: the next run records the rows
            pass
        if self.documents_written == 0:
            self._part.unlink(missing_ok=True)
            if self._cf is not None:
                self._cf.mail_runs.finish(self.stem, {"documents": 0, "discarded": True},
                                          actor=self._actor)


def read_rows(path: Path) -> list[dict[str, str]]:
    """The complete rows of a manifest CSV as dictionaries (a last line cut short by a
    crash is left out: its case is listed again by the next run)."""
    text = path.read_text(encoding="utf-8")
    if text and not text.endswith("\n"):
        text = text[: text.rfind("\n") + 1]
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _json_row(row: dict[str, str]) -> dict[str, Any]:
    def number(text: str) -> int | None:
        return int(text) if text else None

    return {"case": row["case"], "account": row["account"], "customer": row["customer"],
            "kind": row["kind"], "issue_number": number(row["issue_number"]),
            "pages": number(row["pages"]), "sha256": row["sha256"],
            "document_id": number(row["document_id"]), "issued_now": row["issued_now"] == "yes",
            **({"reason": row["reason"]} if row["reason"] else {}),
            "history_entry": number(row["history_entry"]),
            "history_hash": row["history_hash"] or None}


def _json_lines(head: dict, rows: Iterator[dict[str, str]], tail: dict) -> Iterator[str]:
    yield json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "documents": ['
    refused, not_attempted, first = [], [], True
    for row in rows:
        if row["status"] == "issued":
            yield ("\n  " if first else ",\n  ") + json.dumps(_json_row(row), ensure_ascii=False)
            first = False
        elif row["status"] == "not_attempted":
            not_attempted.append({"case": row["case"], "account": row["account"],
                                  "customer": row["customer"]})
        else:
            refused.append({"case": row["case"], "account": row["account"],
                            "customer": row["customer"], "reason": row["reason"],
                            **({"status": row["status"]} if row["status"] != "refused" else {})})
    body = {"refused": refused, "not_attempted": not_attempted, **tail}
    yield "\n ],\n" + json.dumps(body, ensure_ascii=False, indent=1)[2:] + "\n"


def complete(part: Path, csv_path: Path, json_path: Path, head: dict,
             tail: dict) -> tuple[Path, Path]:
    """Make the JSON from the CSV's rows, sync both, rename the CSV into place."""
    json_part = json_path.with_name(json_path.name + ".part")
    with open(json_part, "w", encoding="utf-8") as out:
        for chunk in _json_lines(head, iter(read_rows(part)), tail):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    os.replace(part, csv_path)
    os.replace(json_part, json_path)
    _sync_folder(csv_path.parent)
    return csv_path, json_path


def remove_orphans(folder: Path) -> list[str]:
    """Remove the ``*.csv.part`` manifests in ``folder`` that no run holds and that list
    nothing (a run that stopped before its first case: nothing to finish). One that
    lists cases is left alone: it is a run of another case file, which its next run
    finishes."""
    removed = []
    for part in sorted(folder.glob("issue-*.csv.part")):  # (a batch, or an incident's)
        try:
            with open(part, "rb") as held:
                try:
                    fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a run in progress
                if read_rows(part):
                    continue
                part.unlink()
                removed.append(f"{part.name}: removed (the run stopped before its first case; "
                               "it listed nothing)")
        except FileNotFoundError:
            continue
    return removed


def recover_runs(cf: CaseFile, *, actor: str, finished: datetime,
                 folder: Path | None = None) -> list[str]:
    """Finish the runs that started and never finished (killed, or stopped by a failure):
    the rows their manifest holds on disk are recorded as mailed by them, the JSON is
    written and the files are renamed into place, saying the run was finished later. A
    run whose files are gone is recorded finished with nothing listed: its documents not
    recorded are listed by the next run. In ``folder``, a manifest left by a run that
    stopped before it began is removed (:func:`remove_orphans`). Returns what was done,
    a line per run. Refused (:class:`BatchInProgress`) while another run is running."""
    done = []
    for run in cf.mail_runs.unfinished():
        csv_path = Path(run.details["csv"])
        json_path = Path(run.details["json"])
        part = csv_path.with_name(csv_path.name + ".part")
        source = part if part.exists() else csv_path if csv_path.exists() else None
        if source is None:
            cf.mail_runs.finish(run.name, {"recovered": True, "missing": True,
                                           "documents": 0}, actor=actor)
            done.append(f"{run.name}: its manifest files are gone; its documents not listed "
                        "in it are listed in this run's manifest")
            continue
        with open(source, "rb") as held:
            try:
                fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BatchInProgress(
                    f"Another issue-batch run on this case file is still running (started "
                    f"{run.details.get('started_at', '')} by {run.actor}, manifest "
                    f"{csv_path.name}); wait until it has finished, then run it again.") from None
            done.append(_recover(cf, run, source, part, csv_path, json_path, actor=actor,
                                 finished=finished))
    if folder is not None:
        done += remove_orphans(folder)
    return done


def _recover(cf: CaseFile, run, source: Path, part: Path, csv_path: Path, json_path: Path, *,
             actor: str, finished: datetime) -> str:
    """Finish one run whose manifest nobody holds (see :func:`recover_runs`)."""
    rows = read_rows(source)
    listed = [int(r["document_id"]) for r in rows if r["status"] == "issued" and r["document_id"]]
    recorded = cf.mail_runs.recorded()
    cf.mail_runs.record(run.name, [d for d in listed if d not in recorded], actor=actor)
    if source == part:
        _cut_partial_line(part)  # (a row the crash cut short: its case is listed again)
        head = {k: run.details[k] for k in ("format", "case_file", "actor", "issue_date",
                                            "started_at") if k in run.details}
        tail = {"stopped": "the run ended before it finished (its process was stopped or "
                           "killed); this manifest was finished by the next run, which lists "
                           "the run's other documents",
                "finished_at": format_utc(finished), "recovered": True, "history_head": None,
                "reconciliation": {"documents": len(listed), "adds_up": None,
                                   "line": "not known: the run did not finish"}}
        complete(part, csv_path, json_path, head, tail)
    cf.mail_runs.finish(run.name, {"recovered": True, "documents": len(listed)}, actor=actor)
    return (f"{run.name}: finished its manifest ({len(listed):,} documents listed) in "
            f"{csv_path.parent}")


def _cut_partial_line(path: Path) -> None:
    """Cut the file after its last line break (in place, so it stays the file held)."""
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with open(path, "r+b") as f:
            f.truncate(data.rfind(b"\n") + 1)
            f.flush()
            os.fsync(f.fileno())
