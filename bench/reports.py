"""Reports benchmark (issue 19): billing accuracy, adjustments and workload on a
1,000,000-case file, each printed next to its 2 s target and a bare SQL baseline over
the same table measured in the same run.

    .venv/bin/python bench/reports.py                                 # 1,000,000 cases, temp file
    .venv/bin/python bench/reports.py --keep /var/tmp/bd-reports.bdesk  # generate once, reuse
    .venv/bin/python bench/reports.py --cases 50000                   # quicker

The file: the demo set's cases (``billing_desk.demo.demo_case``: the same drafts,
periods, evidence, assignees as ``billing-desk demo``), most of them carried through to
issue as an office's file would be after years of use -- 55% issued, 10% closed, 5%
void, the rest open (8% submitted, 5% approved, 4% returned, the others drafts; a demo
case without dates stays a draft). For every issued case the engine determines it, and
its issue facts are written by the store's own :func:`~billing_desk.store.issue_facts.
write_facts` (the row an issue writes, and its adjusted bills), dated 5-400 days after
the discovery. Bills issued per year and service are entered for every year. The rows
are written with ``executemany``, 20,000 cases a transaction: the cases (all columns, as
``insert_record`` writes them; the search index fills through its triggers), their
periods, the facts, the adjusted bills. Not written: the audit history, the
determination snapshots and the documents, which no report reads (``verify`` would
refuse such a file; it is a benchmark file, never an office's).

What is timed, as ``billing-desk report`` and the reports window do it:

* accuracy: ``cf.reports.accuracy()`` over all dates, and for one year (``--from``/
  ``--to``); bare: ``SELECT count(*) FROM issue_facts``;
* adjustments: ``cf.reports.adjustments()`` (the groups by month, service and outcome;
  the cases whose readings differ, with their case numbers); bare: the same count;
* workload: ``cf.reports.workload(today)`` (open cases by status and assignee, the 100
  oldest, days to issue per month); bare: ``SELECT count(*) FROM cases``.

Each is run ``--repeat`` times after one warm-up run (the OS page cache warm, as on an
office machine that has the file open); median and slowest. The CSV of each report is
timed too (not part of the target).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from billing_desk.demo import SUPERVISORS, demo_case  # noqa: E402
from billing_desk.documents.report_csv import report_csv  # noqa: E402
from billing_desk.domain.bills_issued import BillsIssued  # noqa: E402
from billing_desk.domain.fingerprint import case_fingerprint  # noqa: E402
from billing_desk.domain.kinds import Service  # noqa: E402
from billing_desk.domain.report_facts import issue_facts  # noqa: E402
from billing_desk.domain.reports import DateRange  # noqa: E402
from billing_desk.domain.rulepacks import get_rule_pack  # noqa: E402
from billing_desk.domain.workflow import CaseStatus  # noqa: E402
from billing_desk.store import CaseRecord, create_case_file, open_case_file  # noqa: E402
from billing_desk.store.caserows import INSERT_CASE, INSERT_PERIOD, record_values  # noqa: E402
from billing_desk.store.casecodec import period_rows  # noqa: E402
from billing_desk.store.cases import case_number_for  # noqa: E402
from billing_desk.store.demo_file import add_demo_office  # noqa: E402
from billing_desk.store.issue_facts import write_facts  # noqa: E402
from billing_desk.store.records import Signature  # noqa: E402
from billing_desk.store.timestamps import utc_now  # noqa: E402

TARGET_S = 2.0
CHUNK = 20_000
TODAY = date(2026, 3, 10)
#: (share of the cases, status) -- the rest are drafts
STATUSES = ((0.55, CaseStatus.ISSUED), (0.10, CaseStatus.CLOSED), (0.05, CaseStatus.VOID),
            (0.08, CaseStatus.SUBMITTED), (0.05, CaseStatus.APPROVED),
            (0.04, CaseStatus.RETURNED))


def status_of(i: int) -> CaseStatus:
    roll = random.Random(f"bench-reports:{i}").random()
    for share, status in STATUSES:
        if roll < share:
            return status
        roll -= share
    return CaseStatus.DRAFT


def chunk_rows(first: int, count: int) -> tuple[list, list, list, set, float]:
    """The rows of cases ``first`` .. ``first + count - 1`` (a worker process makes them):
    case rows, period rows, (case id, fingerprint, facts) of the issued ones, the years
    of issue, and the time spent on the facts (the engine and the domain's facts)."""
    pack = get_rule_pack("fort-collins-26-721")
    at = utc_now()
    cases, periods, issues, years = [], [], [], set()
    facts_time = 0.0
    for i in range(first, first + count):
        d = demo_case(i)
        case_id = i + 1
        status = status_of(i)
        if status not in (CaseStatus.DRAFT, CaseStatus.VOID):
            check = d.draft.check()  # (a case without dates stays a draft)
            status = status if check.case is not None else CaseStatus.DRAFT
        fingerprint = submitted = approved = None
        if status not in (CaseStatus.DRAFT, CaseStatus.VOID):
            fingerprint = case_fingerprint(check.case, pack.name, pack.version)
            submitted = Signature(d.prepared_by, at, fingerprint)
        if status in (CaseStatus.APPROVED, CaseStatus.ISSUED, CaseStatus.CLOSED):
            approved = Signature(SUPERVISORS[i % 2], at, fingerprint)
        assignee = d.assignee if status is not CaseStatus.SUBMITTED else SUPERVISORS[i % 2]
        record = CaseRecord(
            id=case_id, case_number=case_number_for(case_id), draft=d.draft, status=status,
            revision=1 + (status is not CaseStatus.DRAFT) * 3, created_at=at, updated_at=at,
            prepared_by=d.prepared_by, last_edited_by=d.prepared_by, assignee=assignee,
            notes=d.notes, submitted=submitted, approved=approved,
            status_reason="Returned for a check." if status is CaseStatus.RETURNED else None)
        cases.append(record_values(record))
        periods += period_rows(case_id, d.draft)
        if status in (CaseStatus.ISSUED, CaseStatus.CLOSED):
            case = check.case
            issued_on = min(case.discovered_on + timedelta(days=5 + i % 396),
                            TODAY - timedelta(days=1))
            years.add(issued_on.year)
            t = time.perf_counter()
            facts = issue_facts(pack.determine(case).to_json(), account_number=case.account.number,
                                service=case.service.value, discovered_on=case.discovered_on,
                                periods=[(p.start, p.end) for p in case.periods],
                                issued_on=issued_on)
            facts_time += time.perf_counter() - t
            issues.append((case_id, fingerprint, facts))
    return cases, periods, issues, years, facts_time


def _chunk(args: tuple[int, int]):
    return chunk_rows(*args)


def generate(path: Path, count: int, workers: int) -> None:
    started = time.perf_counter()
    print(f"generating {count:,} cases into {path} ({workers} worker process(es) make the "
          "rows, this one writes them)", flush=True)
    facts_time = write_time = 0.0
    issued = 0
    years: set[int] = set()
    chunks = [(first, min(CHUNK, count - first)) for first in range(0, count, CHUNK)]
    with create_case_file(path) as cf, multiprocessing.Pool(workers) as pool:
        add_demo_office(cf)
        conn = cf.db.conn
        conn.execute("PRAGMA synchronous = NORMAL")  # (generation only: a benchmark file)
        for (first, n), (cases, periods, issues, chunk_years, made) in zip(
                chunks, pool.imap(_chunk, chunks)):
            facts_time += made
            years |= chunk_years
            conn.execute("BEGIN")
            conn.executemany(INSERT_CASE, cases)
            conn.executemany(INSERT_PERIOD, periods)
            t = time.perf_counter()
            for case_id, fingerprint, facts in issues:  # (in issue order: ids ascending)
                write_facts(conn, case_id, fingerprint, facts)
            write_time += time.perf_counter() - t
            conn.execute("COMMIT")
            issued += len(issues)
            print(f"  {first + n:>10,} cases  {time.perf_counter() - started:7.0f} s  "
                  f"(load {load_average()})", flush=True)
        cf.bills_issued.import_figures(
            [BillsIssued(y, s.value, 40_000 + 10_000 * k) for y in sorted(years)
             for k, s in enumerate(Service)], actor="admin", source="bench")
    took = time.perf_counter() - started
    size = path.stat().st_size
    print(f"generated {count:,} cases ({issued:,} issued) in {took / 60:.1f} min; file "
          f"{size / 2**30:.2f} GiB; an issue's facts: {facts_time / max(1, issued) * 1e3:.3f} ms "
          f"to compute (engine included), {write_time / max(1, issued) * 1e3:.3f} ms to write "
          "(facts, adjusted bills, sums)", flush=True)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    fn()  # warm-up
    samples, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples), max(samples), result


def line(label: str, median: float, slowest: float, bare: float | None = None,
         target: bool = False) -> str:
    text = f"  {label:<44} median {median * 1e3:9.1f} ms  slowest {slowest * 1e3:9.1f} ms"
    if bare:
        text += f"  {median / bare:6.1f}x bare"
    if target:
        text += f"   target < {TARGET_S:.0f} s: {'OK' if slowest < TARGET_S else 'MISSED'}"
    return text


def run(path: Path, repeat: int) -> bool:
    ok = True
    with open_case_file(path) as cf:
        raw = sqlite3.connect(path)
        counts = {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("cases", "periods", "issue_facts", "adjusted_bills")}
        print(f"file: {counts['cases']:,} cases, {counts['periods']:,} periods, "
              f"{counts['issue_facts']:,} issued, {counts['adjusted_bills']:,} bills adjusted; "
              f"load {load_average()}")

        def bare(sql: str) -> tuple[float, float, object]:
            return timed(lambda: raw.execute(sql).fetchone(), repeat)

        facts_bare = bare("SELECT count(*) FROM issue_facts")
        cases_bare = bare("SELECT count(*) FROM cases")
        year = DateRange(date(2015, 1, 1), date(2015, 12, 31))
        for title, fn, baseline, what in (
                ("accuracy, all dates", lambda: cf.reports.accuracy(), facts_bare,
                 "SELECT count(*) FROM issue_facts"),
                ("accuracy, 2015", lambda: cf.reports.accuracy(year), facts_bare, None),
                ("adjustments, all dates", lambda: cf.reports.adjustments(), facts_bare, None),
                ("adjustments, 2015", lambda: cf.reports.adjustments(year), facts_bare, None),
                ("workload, as of today", lambda: cf.reports.workload(TODAY), cases_bare,
                 "SELECT count(*) FROM cases"),
                ("workload, issued in 2015", lambda: cf.reports.workload(TODAY, year),
                 cases_bare, None)):
            if what:
                print(line(f"bare: {what}", baseline[0], baseline[1]))
            median, slowest, report = timed(fn, repeat)
            ok &= slowest < TARGET_S
            print(line(title, median, slowest, baseline[0], target=True))
            rows = sum(len(t.rows) for t in report.tables)
            csv_median, csv_slowest, data = timed(lambda: report_csv(report), 3)
            print(f"    {rows:,} table rows; its CSV ({len(data) / 1024:,.0f} KiB): "
                  f"{csv_median * 1e3:.1f} ms")
        raw.close()
    print(f"load at the end {load_average()}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, metavar="N")
    parser.add_argument("--keep", type=Path, metavar="PATH",
                        help="generate the file here once and reuse it on later runs")
    parser.add_argument("--repeat", type=int, default=5, metavar="R")
    parser.add_argument("--workers", type=int, default=2, metavar="N",
                        help="processes making the rows of a new file (default 2)")
    args = parser.parse_args()
    if args.keep is not None:
        path = args.keep
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            generate(path, args.cases, args.workers)
        return 0 if run(path, args.repeat) else 1
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as folder:
        path = Path(folder) / "reports.bdesk"
        generate(path, args.cases, args.workers)
        return 0 if run(path, args.repeat) else 1


if __name__ == "__main__":
    sys.exit(main())
