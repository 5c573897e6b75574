"""The manifest of a batch run: what the mail room checks the printed letters against.

Two files with one stem, ``issue-batch-<UTC time>``: a CSV with one row per issued
document (case, account, customer, kind, issue number, pages, sha256) and one per
refused or not attempted case (with the reason), and a JSON with the same plus the run
and its reconciliation. Rows are written as cases are decided (a 30,000-case run never
holds its manifest in memory) to ``*.part`` files, renamed into place once the run's
report is written into them: a manifest that exists is complete.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from ..store import DocumentRecord
from ..store.timestamps import format_utc

if TYPE_CHECKING:
    from .batch import BatchReport

MANIFEST_FORMAT = "billing-desk/issue-manifest@1"
CSV_COLUMNS = ("case", "account", "customer", "status", "kind", "issue_number", "pages",
               "sha256", "document_id", "issued_now", "reason")


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


class Manifest:
    def __init__(self, folder: Path, *, case_file: Path | str, actor: str, issue_date: date,
                 started: datetime) -> None:
        self.stem = _free_stem(folder, f"issue-batch-{started:%Y%m%dT%H%M%SZ}")
        self.csv_path = folder / f"{self.stem}.csv"
        self.json_path = folder / f"{self.stem}.json"
        self._parts = [p.with_name(p.name + ".part") for p in (self.csv_path, self.json_path)]
        self._csv_file = open(self._parts[0], "w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._csv_file)
        self._csv.writerow(CSV_COLUMNS)
        self._json = open(self._parts[1], "w", encoding="utf-8")
        head = {"format": MANIFEST_FORMAT, "case_file": str(case_file), "actor": actor,
                "issue_date": issue_date.isoformat(), "started_at": format_utc(started)}
        self._json.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2]
                         + ',\n "documents": [')
        self._first = True
        self._refused: list[dict] = []

    def issued(self, case: CaseRef, documents: Iterable[DocumentRecord], *, new: bool) -> None:
        for d in documents:
            row = {"case": case.case_number, "account": case.account_number,
                   "customer": case.customer_name, "kind": d.kind.value,
                   "issue_number": d.issue_number, "pages": d.page_count, "sha256": d.sha256,
                   "document_id": d.id, "issued_now": new}
            self._csv.writerow([case.case_number, case.account_number, case.customer_name,
                                "issued", d.kind.value, d.issue_number, d.page_count, d.sha256,
                                d.id, "yes" if new else "no", ""])
            self._json.write(("\n  " if self._first else ",\n  ")
                             + json.dumps(row, ensure_ascii=False))
            self._first = False

    def refused(self, case: CaseRef, reason: str) -> None:
        self._csv.writerow([case.case_number, case.account_number, case.customer_name,
                            "refused", "", "", "", "", "", "", reason])
        self._refused.append({"case": case.case_number, "account": case.account_number,
                              "customer": case.customer_name, "reason": reason})

    def close(self, report: "BatchReport", finished: datetime) -> tuple[Path, Path]:
        """Write the cases not attempted and the reconciliation, then put both files in
        place; returns their paths."""
        for case in report.not_attempted:
            self._csv.writerow([case.case_number, case.account_number, case.customer_name,
                                "not_attempted", "", "", "", "", "", "",
                                "not attempted: the batch stopped first; still approved"])
        tail = {
            "refused": self._refused,
            "not_attempted": [{"case": c.case_number, "account": c.account_number,
                               "customer": c.customer_name} for c in report.not_attempted],
            "stopped": report.stopped,
            "finished_at": format_utc(finished),
            "reconciliation": {"selected": report.selected, "issued_cases": report.issued_cases,
                               "issued_now": report.new_cases, "documents": report.documents,
                               "refused": len(report.refused),
                               "not_attempted": len(report.not_attempted),
                               "adds_up": report.adds_up, "line": report.reconciliation()},
        }
        self._json.write("\n ],\n" + json.dumps(tail, ensure_ascii=False, indent=1)[2:] + "\n")
        for f in (self._csv_file, self._json):
            f.flush()
            os.fsync(f.fileno())
            f.close()
        for part, final in zip(self._parts, (self.csv_path, self.json_path)):
            os.replace(part, final)
        return self.csv_path, self.json_path

    def discard(self) -> None:
        """Remove the unfinished files (the run failed before it had a report)."""
        for f in (self._csv_file, self._json):
            f.close()
        for part in self._parts:
            part.unlink(missing_ok=True)
