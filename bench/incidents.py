"""Incidents benchmark (issue 18): 100,000 accounts created, determined and summarised,
and the incident window opened on them.

    .venv/bin/python bench/incidents.py                            # 100,000 accounts, 4 bills each
    .venv/bin/python bench/incidents.py --accounts 20000           # quicker
    .venv/bin/python bench/incidents.py --keep /var/tmp/inc.bdesk  # keep the file; reuse it
                                                                   # (then only the view is timed)

What is timed, on a new case file, one step after the other as a clerk's import runs:

- check: ``parse_incident_csv`` reads and checks every row of the generated CSV (UTF-8,
  columns, each cell, each account against its other rows, each account's case as the
  case@1 validator checks it);
- create: ``issuing.create_incident`` -- the incident and one case per account in one
  transaction, an audit entry per case and one for the incident, each case's
  determination computed as it is written;
- summarise: ``issuing.incident_view`` -- the totals (credited, back-billed, six-year,
  each (a)(1) condition, forgiven per reading), the outlier fences, the histogram, the
  statuses: what the window shows.

The baseline, measured in the same run on the same cases: ``determine()`` alone over
every case in this process (the engine with no CSV, no store, no audit). The target
(issue 18): created, determined and summarised in under a minute on 2 cores; the window
open (its data shown) in under a second. Printed: each step's time, per account, and
the ratio of the whole to the baseline (which says what the machine's speed was).

Figures, Dec 2, `.venv/bin/python bench/incidents.py` (100,000 accounts, 4 bills each),
on the 2-core machine shared with other sessions' test suites and benchmarks (1-minute
load average 5.3 at the start, 5.6 at the end):

    baseline: determine() alone, this process       11.89 s (119 µs an account)
    check every row (parse_incident_csv)            25.05 s (251 µs an account)
    create + determine (one transaction)            82.64 s (826 µs an account)
    summarise (incident_view)                        0.89 s
    created, determined and summarised             108.58 s = 9.1x the baseline
    totals: 100,000 cases, refunds 7,796,801.46, back bills 254,569.20, six-year
      100,629.29 (10,000 accounts), 2,500 divergent, 487 outliers; case file 326 MiB
    incident_view alone (no Qt)                      1.07 s best, 1.16 s median of 3
    incident window open, data shown                 1.75 s best, 1.89 s median of 3

An earlier run under heavier load (load average 9-10): baseline 25.30 s, check 30.87 s,
create 213.75 s; the same 10x. Neither target is met on this machine as it is now: the
whole is 9-10x what the engine alone takes, and the engine alone took 12-25 s. Where
the time goes: creating is four fifths of it, and in it the writing -- each case's row
with its six indexes and its search-index entry, its periods, its audit entry (the
state as canonical JSON, SHA-256, chained) -- is about two thirds, the engine (each
case determined and fingerprinted) the rest. Determining on worker processes beside
the writing was tried (spawned and forked pools) and was no quicker here: with the
machine's two cores already busy, the workers only took time from the writer. The
check of the CSV (every cell, every account against its other rows, every case as the
case@1 validator checks it) is the other fifth. The view reads two passes over the
incident's rows (the totals grouped by status in whole cents, and the amounts sorted
as whole cents); the window adds its own connection and its first page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def load() -> str:
    try:
        return " / ".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "?"


def timed(label: str, fn, per: int | None = None):
    start = time.perf_counter()
    result = fn()
    took = time.perf_counter() - start
    each = f" ({took / per * 1e6:,.0f} µs an account)" if per else ""
    print(f"  {label:<44} {took:8.2f} s{each}", flush=True)
    return result, took


def create_part(path: Path, accounts: int, periods: int) -> float:
    from billing_desk.domain.incident_csv import parse_incident_csv
    from billing_desk.domain.rulepacks import determine
    from billing_desk.issuing.incidents import create_incident, incident_view
    from billing_desk.store import create_case_file
    from tests.incident_data import SYNTHETIC, synthetic_csv

    data = synthetic_csv(accounts, periods)
    print(f"CSV: {accounts:,} accounts x {periods} bills = {accounts * periods:,} rows, "
          f"{len(data) / 1e6:.1f} MB (generated, not timed); load average {load()}")
    # the baseline: the engine alone over the same cases (they come from a check run first)
    cases = [a.case for a in parse_incident_csv(data, SYNTHETIC).accounts]
    _, baseline = timed("baseline: determine() alone, this process",
                        lambda: [determine(c) for c in cases], accounts)
    del cases
    with create_case_file(path) as cf:
        imported, t_check = timed("check every row (parse_incident_csv)",
                                  lambda: parse_incident_csv(data, SYNTHETIC), accounts)
        assert imported.ok and len(imported.accounts) == accounts, imported.problems[:3]
        record, t_create = timed(
            "create + determine (one transaction)",
            lambda: create_incident(cf, SYNTHETIC, imported, source_name="bench.csv",
                                    source=data, actor="clerk"), accounts)
        view, t_view = timed("summarise (incident_view)", lambda: incident_view(cf, record.id))
    whole = t_check + t_create + t_view
    t = view.totals
    print(f"  {'created, determined and summarised':<44} {whole:8.2f} s = "
          f"{whole / baseline:.1f}x the baseline; target < 60 s "
          f"({'met' if whole < 60 else 'NOT met'} on this machine now)")
    print(f"  totals: {t.cases:,} cases, refunds {t.refund:,}, back bills {t.back_bill:,}, "
          f"six-year {t.six_year:,} ({t.six_year_cases:,} accounts), {t.divergent:,} divergent, "
          f"{view.outliers:,} outliers; case file {path.stat().st_size / 2**20:,.0f} MiB; "
          f"load average {load()}")
    return whole


def view_part(path: Path, repeat: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from billing_desk.issuing.incidents import incident_view
    from billing_desk.store import open_case_file
    from billing_desk.ui.incident_session import IncidentSession
    from billing_desk.ui.incident_window import IncidentWindow
    from billing_desk.ui.session import CaseSession

    app = QApplication.instance() or QApplication([])
    with open_case_file(path) as cf:
        incident_id = cf.incidents.list()[0].record.id
        bare = []
        for _ in range(repeat):
            start = time.perf_counter()
            incident_view(cf, incident_id)
            bare.append(time.perf_counter() - start)
    session = CaseSession("clerk")
    session.open(path)
    opened = []
    for _ in range(repeat):
        start = time.perf_counter()
        window = IncidentWindow(IncidentSession(session), incident_id)
        loop = QEventLoop()
        window.loaded.connect(lambda _v: loop.quit())
        QTimer.singleShot(120_000, loop.quit)
        window.show()
        loop.exec()
        app.processEvents()  # the first page of the table painted
        opened.append(time.perf_counter() - start)
        assert window.model.rowCount() > 0
        window.close()
        window.deleteLater()
        app.processEvents()
    session.close()
    print(f"  {'incident_view alone (no Qt)':<44} {min(bare):8.2f} s best, "
          f"{statistics.median(bare):.2f} s median of {repeat}")
    print(f"  {'incident window open, data shown':<44} {min(opened):8.2f} s best, "
          f"{statistics.median(opened):.2f} s median of {repeat}; target < 1 s "
          f"({'met' if statistics.median(opened) < 1 else 'NOT met'} on this machine now); "
          f"load average {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--periods", type=int, default=4, help="bills per account (default 4)")
    parser.add_argument("--keep", type=Path, metavar="PATH",
                        help="create the file at PATH and keep it; if it exists, time the view only")
    parser.add_argument("--repeat", type=int, default=3, help="times the window is opened")
    args = parser.parse_args()
    print(f"bench/incidents.py on {os.cpu_count()} cores; load average {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "incident.bdesk"
        if not path.exists():
            create_part(path, args.accounts, args.periods)
        view_part(path, args.repeat)


if __name__ == "__main__":
    main()
