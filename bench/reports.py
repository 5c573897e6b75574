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
case without dates stays a draft). For every issued case the engine determines it and
the domain computes its issue facts, dated 5-400 days after the discovery. Making a
demo case and determining it takes a few milliseconds, so a million of them would take
hours on a shared machine: ``--distinct`` demo cases (default 50,000) are made, by
worker processes, and each is written again under its own case number and, from its
second copy on, its own account number (so its bills are other bills), until the file
holds ``--cases``. Every copy is written as the store writes it: the case row (all
columns, as ``insert_record`` writes it; the search index fills through its triggers),
its periods, and for an issued case the store's own :func:`~billing_desk.store.
issue_facts.write_facts` (the facts row, the bills it adjusted first, the sums of its
month) -- ``executemany``, 20,000 cases a transaction. Bills issued are entered for
every year and service. Not written: the audit history, the determination snapshots
and the documents, which no report reads (``verify`` would refuse such a file; it is a
benchmark file, never an office's).

What is timed, as ``billing-desk report`` and the reports window do it:

* accuracy: ``cf.reports.accuracy()`` over all dates, and for one year (``--from``/
  ``--to``); bare: ``SELECT count(*) FROM issue_facts`` (and, printed beside it, one sum
  over every row of that table: what a report summing the facts themselves would pay
  at the least);
* adjustments: ``cf.reports.adjustments()`` (the groups by month, service and outcome;
  the cases whose readings differ, with their case numbers); bare: the same count;
* workload: ``cf.reports.workload(today)`` (open cases by status and assignee, the 100
  oldest, days to issue per month); bare: ``SELECT count(*) FROM cases``.

Each is run ``--repeat`` times after one warm-up run (the OS page cache warm, as on an
office machine that has the file open); median and slowest. The CSV of each report is
timed too (not part of the target).

Figures of a full run on the 2-core development machine, shared with other sessions
(load average 13 while the demo cases were made, 5.6 while the reports were timed):

    .venv/bin/python bench/reports.py --keep /tmp/g-bench/1m.bdesk
    generated 1,000,000 cases (614,720 issued) in 25.7 min; file 3.73 GiB; an issue's
    facts: 4.458 ms to compute (engine included), 0.385 ms to write (facts, adjusted
    bills, sums)
    file: 1,000,000 cases, 19,398,680 periods, 614,720 issued, 11,953,080 bills adjusted
      bare: SELECT sum(refund_cents), sum(back_bill_cents) FROM issue_facts  median 235.2 ms
      bare: SELECT count(*) FROM issue_facts   median   13.4 ms  slowest   17.4 ms
      accuracy, all dates                      median   60.8 ms  slowest   85.7 ms   4.5x bare  OK
      accuracy, 2015                           median    1.7 ms  slowest    2.0 ms   0.1x bare  OK
      adjustments, all dates                   median  102.4 ms  slowest  155.5 ms   7.6x bare  OK
      adjustments, 2015                        median   98.0 ms  slowest  149.0 ms   7.3x bare  OK
      bare: SELECT count(*) FROM cases         median   10.9 ms  slowest   18.0 ms
      workload, as of today                    median  202.0 ms  slowest  284.7 ms  18.5x bare  OK
      workload, issued in 2015                 median  133.1 ms  slowest  168.5 ms  12.2x bare  OK

Before the sums and counts kept at each issue (issue_sums, issue_days), summing the
facts of 614,720 issued cases at report time took a sum over every row (235 ms above) and
more: the adjustments report's GROUP BY alone was about 40 ms per 12,000 cases on this
loaded machine, and the workload report, reading medians along an index of days and the
oldest open cases after sorting them all (SQLite's planner chose the status index over
the partial index), took 1.1 s median, 1.7 s slowest at a million cases.
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
from dataclasses import dataclass, replace
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
from billing_desk.store.casecodec import RECORD_COLUMNS, period_rows  # noqa: E402
from billing_desk.store.caserows import INSERT_CASE, INSERT_PERIOD, record_values  # noqa: E402
from billing_desk.store.cases import case_number_for  # noqa: E402
from billing_desk.store.demo_file import add_demo_office  # noqa: E402
from billing_desk.store.issue_facts import write_facts  # noqa: E402
from billing_desk.store.records import Signature  # noqa: E402
from billing_desk.store.timestamps import utc_now  # noqa: E402

TARGET_S = 2.0
CHUNK = 20_000
#: demo cases a worker makes at a time
TEMPLATE_CHUNK = 2_500
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


@dataclass(frozen=True, slots=True)
class Template:
    """One demo case as rows: its case row, its period rows and, if issued, its fingerprint
    and facts (written again for each copy, under the copy's own case and account)."""

    case: tuple
    periods: list[tuple]
    fingerprint: str | None
    facts: object | None


def make_templates(first: int, count: int) -> tuple[list[Template], float]:
    """Demo cases ``first`` .. ``first + count - 1`` as templates (a worker process makes
    them), and the time spent computing the issued ones' facts (engine included)."""
    pack = get_rule_pack("fort-collins-26-721")
    at = utc_now()
    out: list[Template] = []
    facts_time = 0.0
    for i in range(first, first + count):
        d = demo_case(i)
        status = status_of(i)
        check = None
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
            id=0, case_number="", draft=d.draft, status=status,
            revision=1 + (status is not CaseStatus.DRAFT) * 3, created_at=at, updated_at=at,
            prepared_by=d.prepared_by, last_edited_by=d.prepared_by, assignee=assignee,
            notes=d.notes, submitted=submitted, approved=approved,
            status_reason="Returned for a check." if status is CaseStatus.RETURNED else None)
        facts = None
        if status in (CaseStatus.ISSUED, CaseStatus.CLOSED):
            case = check.case
            issued_on = min(case.discovered_on + timedelta(days=5 + i % 396),
                            TODAY - timedelta(days=1))
            t = time.perf_counter()
            facts = issue_facts(pack.determine(case).to_json(), account_number=case.account.number,
                                service=case.service.value, discovered_on=case.discovered_on,
                                periods=[(p.start, p.end) for p in case.periods],
                                issued_on=issued_on)
            facts_time += time.perf_counter() - t
        out.append(Template(record_values(record), period_rows(0, d.draft), fingerprint, facts))
    return out, facts_time


def _templates(args: tuple[int, int]):
    return make_templates(*args)


_ACCOUNT = RECORD_COLUMNS.index("account_number")


def copy_of(template: Template, case_id: int, copy: int) -> tuple[tuple, list[tuple], object]:
    """The rows of case ``case_id``: ``template`` under its own case number and, from the
    second copy on, its own account (so its bills are bills of their own)."""
    case = list(template.case)
    case[0], case[1] = case_id, case_number_for(case_id)
    account = case[_ACCOUNT] if copy == 0 else f"{case[_ACCOUNT]}/{copy}"
    case[_ACCOUNT] = account
    periods = [(case_id, *row[1:]) for row in template.periods]
    facts = template.facts
    if facts is not None and copy:
        facts = replace(facts, bills=tuple(replace(b, account_number=account)
                                           for b in facts.bills))
    return tuple(case), periods, facts


def generate(path: Path, count: int, workers: int, distinct: int) -> None:
    started = time.perf_counter()
    distinct = min(distinct, count)
    print(f"generating {count:,} cases into {path}: {distinct:,} distinct demo cases made by "
          f"{workers} worker process(es), each written {count / distinct:,.0f} times", flush=True)
    chunks = [(first, min(TEMPLATE_CHUNK, distinct - first))
              for first in range(0, distinct, TEMPLATE_CHUNK)]
    templates: list[Template] = []
    facts_time = 0.0
    with multiprocessing.Pool(workers) as pool:
        for made, took in pool.imap(_templates, chunks):
            templates += made
            facts_time += took
    print(f"  {len(templates):,} demo cases made in {time.perf_counter() - started:.0f} s "
          f"(load {load_average()})", flush=True)
    write_time = 0.0
    issued = 0
    years: set[int] = set()
    with create_case_file(path) as cf:
        add_demo_office(cf)
        conn = cf.db.conn
        conn.execute("PRAGMA synchronous = NORMAL")  # (generation only: a benchmark file)
        for first in range(0, count, CHUNK):
            cases, periods, issues = [], [], []
            for i in range(first, min(count, first + CHUNK)):
                case, rows, facts = copy_of(templates[i % distinct], i + 1, i // distinct)
                cases.append(case)
                periods += rows
                if facts is not None:
                    issues.append((i + 1, templates[i % distinct].fingerprint, facts))
                    years.add(facts.issued_on.year)
            conn.execute("BEGIN")
            conn.executemany(INSERT_CASE, cases)
            conn.executemany(INSERT_PERIOD, periods)
            t = time.perf_counter()
            for case_id, fingerprint, facts in issues:  # (in issue order: ids ascending)
                write_facts(conn, case_id, fingerprint, facts)
            write_time += time.perf_counter() - t
            conn.execute("COMMIT")
            issued += len(issues)
            if (first // CHUNK) % 5 == 4 or first + CHUNK >= count:
                print(f"  {min(count, first + CHUNK):>10,} cases  "
                      f"{time.perf_counter() - started:7.0f} s  (load {load_average()})",
                      flush=True)
        cf.bills_issued.import_figures(
            [BillsIssued(y, s.value, 400_000 + 100_000 * k) for y in sorted(years)
             for k, s in enumerate(Service)], actor="admin", source="bench")
    took = time.perf_counter() - started
    size = path.stat().st_size
    made = sum(1 for t in templates if t.facts is not None)
    print(f"generated {count:,} cases ({issued:,} issued) in {took / 60:.1f} min; file "
          f"{size / 2**30:.2f} GiB; an issue's facts: {facts_time / max(1, made) * 1e3:.3f} ms "
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
        scan = "SELECT sum(refund_cents), sum(back_bill_cents) FROM issue_facts"
        scan_bare = bare(scan)
        print(line(f"bare: {scan}", scan_bare[0], scan_bare[1]))
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
                        help="processes making the demo cases of a new file (default 2)")
    parser.add_argument("--distinct", type=int, default=50_000, metavar="N",
                        help="distinct demo cases in a new file, each written again under "
                             "other case and account numbers up to --cases (default 50,000)")
    args = parser.parse_args()
    if args.keep is not None:
        path = args.keep
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            generate(path, args.cases, args.workers, args.distinct)
        return 0 if run(path, args.repeat) else 1
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as folder:
        path = Path(folder) / "reports.bdesk"
        generate(path, args.cases, args.workers, args.distinct)
        return 0 if run(path, args.repeat) else 1


if __name__ == "__main__":
    sys.exit(main())
