"""Engine speed: the app recomputes the determination on every keystroke.

Run:  .venv/bin/python bench/engine.py

Times ``determine`` on a 72-period case (six years monthly) and a 600-period case and
prints the median per determination, with the ratio against ``json.loads`` of the same
case JSON measured in the same run (the bare baseline). Also times the whole path the
CLI and the editor take: validate (parse_case) + determine + to_json.
Target: < 1 ms per 72-period determination.

Figures. The engine in named steps and frozen records (issue 15), against the engine of
positional tuples and integer cents before it, on 2 cores shared with other work (load
4-9, so one run swings 2x either way): 16 runs of each, interleaved, median ratio to
json.loads -- determine 6.7x -> 5.7x at 72 periods, 6.8x -> 6.3x at 600;
validate+determine+to_json 27.6x -> 24.8x and 22.1x -> 24.4x (that path is mostly
parse_case and to_json, unchanged; its runs spread from 11x to 45x). Paired instead
(both engines imported side by side in one process, CPU time, the order alternating,
median of 11-21 per-round ratios): determine 0.79-0.92 of before at 72 periods and
0.96-1.01 at 600, the whole path 0.96-0.98 and 0.98-1.01. The new records cost about
1 us a period; not converting to and from cents, reading the enum members from module
constants and caching the six-year cutoff of a date pay for them.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from billing_desk.domain.caseformat import parse_case  # noqa: E402
from billing_desk.domain.rulepacks import determine  # noqa: E402


def make_case_json(n_periods: int) -> str:
    """Monthly periods ending at the discovery date, a mix of over- and undercharges,
    one straddling the six-year cutoff."""
    discovered = date(2012, 7, 16)
    first = date(2012, 7, 1) - relativedelta(months=n_periods - 1)
    periods = []
    for k in range(n_periods):
        start = first + relativedelta(months=k)
        end = start + relativedelta(months=1) - relativedelta(days=1)
        billed, correct = ("31.46", "19.65") if k % 3 else ("19.65", "31.46")
        periods.append({"start": start.isoformat(), "end": end.isoformat(),
                        "bill_date": (end + relativedelta(days=8)).isoformat(),
                        "billed": billed, "correct": correct})
    return json.dumps({
        "format": "billing-desk/case@1", "rule_pack": "fort-collins-26-721",
        "account": {"number": "300-4400-17", "customer_name": "Peña Müller",
                    "mailing_address": "1200 S College Ave, Fort Collins, CO 80524"},
        "service": "stormwater", "currency": "USD", "discovered_on": discovered.isoformat(),
        "evidence": {"customer_could_have_discovered": True, "documentation_available": True,
                     "documentation_confirmed": True, "customer_concealed_error": False},
        "periods": periods,
    })


def median_seconds(fn, min_time: float = 0.5, repeat: int = 15) -> tuple[float, float]:
    """Median and p95 per call over ``repeat`` batches sized to run ~min_time/repeat each."""
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t0
        if dt > min_time / repeat:
            break
        n *= 2
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        samples.append((time.perf_counter() - t0) / n)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    print(f"Python {sys.version.split()[0]}; times per call, median (p95) of 15 batches")
    print(f"{'periods':>7}  {'json.loads':>12}  {'determine':>12}  {'ratio':>6}  "
          f"{'validate+determine+to_json':>28}  {'ratio':>6}")
    for n in (72, 600):
        text = make_case_json(n)
        case = parse_case(json.loads(text))
        base, _ = median_seconds(lambda: json.loads(text))
        det, det95 = median_seconds(lambda: determine(case))
        full, full95 = median_seconds(lambda: determine(parse_case(json.loads(text))).to_json())
        print(f"{n:>7}  {base * 1e3:>9.3f} ms  {det * 1e3:>9.3f} ms  {det / base:>5.1f}x  "
              f"{full * 1e3:>13.3f} ms (p95 {full95 * 1e3:.3f})  {full / base:>5.1f}x")
        if n == 72:
            verdict = "OK" if det < 1e-3 else "OVER TARGET"
            print(f"         72-period determine p95 {det95 * 1e3:.3f} ms; target < 1 ms: {verdict}")


if __name__ == "__main__":
    main()
