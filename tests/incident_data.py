"""Incident CSVs for tests and benchmarks.

``stormwater_csv()`` is the Fort Collins example of issue 18, generated: an incorrect
stormwater run-off factor on seventy-four residential accounts, made known on
2009-07-01 (six-year cutoff 2003-07-01), monthly bills through June 2009, no billing
records before October 2000. The rows are built so that the refunds run from exactly
$42 to exactly $850 and add up to $43,041, and the fifty-five accounts with service
longer than six years had $26,085 more overcharged before the cutoff (kept back).

``synthetic_csv(n, ...)`` is a large incident of ``n`` accounts for the benchmark and the
crash test: mostly overcharges, some straddling the cutoff, a few undercharges (whose
readings diverge).
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from decimal import Decimal

from billing_desk.domain.case import Evidence, Service
from billing_desk.domain.incident import Incident

STORMWATER = Incident(
    description="Incorrect stormwater run-off factor applied to residential lots",
    service=Service.STORMWATER, cause="Run-off coefficient table entered wrong in 2000",
    discovered_on=date(2009, 7, 1),
    evidence=Evidence(customer_could_have_discovered=False, documentation_available=True,
                      documentation_confirmed=True, customer_concealed_error=False))

STORMWATER_ACCOUNTS = 74
STORMWATER_LONG_SERVICE = 55
STORMWATER_REFUND_TOTAL = Decimal("43041.00")
STORMWATER_SIX_YEAR_TOTAL = Decimal("26085.00")
STORMWATER_SMALLEST, STORMWATER_LARGEST = Decimal("42.00"), Decimal("850.00")

HEADER = ["account", "name", "service_address", "mailing_address", "locale", "period_start",
          "period_end", "bill_date", "billed", "correct"]

_FIRST = ("Pat", "Lee", "Sam", "Alex", "Jo", "Chris", "Dana", "Robin", "Terry", "Jamie",
          "María", "José", "Ngoc", "Ana", "Wei", "Kim")
_LAST = ("Example", "Rivera", "Okafor", "Nguyen", "Schmidt", "Jensen", "Peña", "Ito",
         "Baker", "Morales", "Larsen", "Kowalski", "Haddad", "Olsen")
_STREETS = ("Ridgeview Dr", "Mulberry St", "Laporte Ave", "Shields St", "Drake Rd",
            "Timberline Rd", "Harmony Rd", "Prospect Rd")


def _months(first: date, last: date) -> list[tuple[date, date]]:
    out = []
    d = first
    while d <= last:
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        out.append((d, nxt - timedelta(days=1)))
        d = nxt
    return out


def _fix_sum(values: list[int], target: int, low: int, high: int, keep: set[int]) -> None:
    """Nudge ``values`` (not the positions in ``keep``) one unit at a time, within
    [low, high], until they add up to ``target``."""
    k = 0
    while sum(values) != target:
        i = k % len(values)
        k += 1
        if i in keep:
            continue
        step = 1 if sum(values) < target else -1
        if low <= values[i] + step <= high:
            values[i] += step


def _spread(cents: int, n: int) -> list[int]:
    base, rest = divmod(cents, n)
    return [base + (1 if k < rest else 0) for k in range(n)]


def stormwater_rows(seed: int = 18) -> list[list[str]]:
    rng = random.Random(seed)
    n, long_n = STORMWATER_ACCOUNTS, STORMWATER_LONG_SERVICE
    # refunds in whole dollars: the largest a long-service account, the smallest a short one
    refunds = [rng.randint(300, 849) for _ in range(n)]
    refunds[0], refunds[n - 1] = 850, 42
    _fix_sum(refunds, int(STORMWATER_REFUND_TOTAL), 43, 849, {0, n - 1})
    kept = [rng.randint(120, 849) for _ in range(long_n)]
    _fix_sum(kept, int(STORMWATER_SIX_YEAR_TOTAL), 1, 2000, set())
    cutoff, last = date(2003, 7, 1), date(2009, 6, 30)
    rows = []
    for a in range(n):
        number = f"4100-{1000 + a * 7:04d}-01"
        name = f"{_FIRST[a % len(_FIRST)]} {_LAST[(a * 5) % len(_LAST)]}"
        address = f"{100 + a * 13} {_STREETS[a % len(_STREETS)]}, Fort Collins, CO 80521"
        mailing = address if a % 9 else f"PO Box {2000 + a}, Fort Collins, CO 80522"
        if a < long_n:  # service since October 2000 (the first billing records) or later
            first = 9 + rng.randrange(33)  # months since January 2000: 2000-10 .. 2003-06
        else:
            first = 42 + rng.randrange(60)  # 2003-07 .. 2008-06
        start = date(2000 + first // 12, first % 12 + 1, 1)
        if a == n - 1:  # the $42 refund: a customer of the last five months
            start = date(2009, 2, 1)
        months = _months(start, last)
        before = [m for m in months if m[0] < cutoff]
        within = [m for m in months if m[0] >= cutoff]
        over = _spread(refunds[a] * 100, len(within))
        if before:
            over = _spread(kept[a] * 100, len(before)) + over
        correct_fee = 725 + (a % 7) * 50  # cents: the fee with the right run-off factor
        locale = "es_US" if a % 11 == 3 else "en_US"
        for (s, e), extra in zip(months, over):
            billed = correct_fee + extra
            rows.append([number, name, address, mailing, locale, s.isoformat(), e.isoformat(),
                         (e + timedelta(days=6)).isoformat(), f"{billed // 100}.{billed % 100:02d}",
                         f"{correct_fee // 100}.{correct_fee % 100:02d}"])
    return rows


def to_csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def stormwater_csv(seed: int = 18) -> bytes:
    return to_csv(stormwater_rows(seed))


SYNTHETIC = Incident(
    description="Wrong water rate tier loaded for a billing cycle group",
    service=Service.WATER, cause="Rate table update applied to the wrong cycle group",
    discovered_on=date(2024, 3, 15),
    evidence=Evidence(customer_could_have_discovered=False, documentation_available=True,
                      documentation_confirmed=True, customer_concealed_error=False))


def synthetic_rows(accounts: int, periods: int = 4, seed: int = 7,
                   undercharged_every: int = 40) -> list[list[str]]:
    """``accounts`` accounts of ``periods`` consecutive two-month bills each, the last
    one ending before the discovery date; every ``undercharged_every``-th account was
    undercharged, the others overcharged; some periods straddle the six-year cutoff."""
    rng = random.Random(seed)
    rows = []
    for a in range(accounts):
        number = f"7{a:07d}"
        name = f"{_FIRST[a % len(_FIRST)]} {_LAST[(a * 7) % len(_LAST)]} {a}"
        address = f"{1 + a % 9000} {_STREETS[a % len(_STREETS)]}, Springfield"
        end = date(2024, 2, 28) - timedelta(days=rng.randrange(0, 40))
        spans = []
        for _ in range(periods):
            start = end - timedelta(days=59)
            spans.append((start, end))
            end = start - timedelta(days=1)
        if a % 10 == 3:  # an older account: its first bills straddle the 2018 cutoff
            shift = timedelta(days=(spans[-1][0] - date(2018, 3, 15)).days + 30)
            spans = [(s - shift, e - shift) for s, e in spans]
        under = undercharged_every and a % undercharged_every == 0
        for s, e in reversed(spans):
            correct = rng.randint(2000, 9000)
            diff = rng.randint(50, correct - 500 if under else 4000)
            billed = correct - diff if under else correct + diff
            rows.append([number, name, address, address, "en_US", s.isoformat(), e.isoformat(),
                         "", f"{billed // 100}.{billed % 100:02d}",
                         f"{correct // 100}.{correct % 100:02d}"])
    return rows


def synthetic_csv(accounts: int, periods: int = 4, seed: int = 7) -> bytes:
    return to_csv(synthetic_rows(accounts, periods, seed))


def email_of_account(number: str) -> str:
    return f"customer-{number}@example.org"


def stormwater_with_email_csv(every: int = 4) -> bytes:
    """The stormwater example with an ``email`` and a ``delivery`` column: every
    ``every``-th account's customer wants their notices by email (given on the account's
    first row only; the others are blank), the rest by paper."""
    rows, seen, out = stormwater_rows(), {}, []
    for row in rows:
        number = row[0]
        first = number not in seen
        k = seen.setdefault(number, len(seen))
        wants = k % every == 0
        out.append(row + ([email_of_account(number), "email"] if wants and first else ["", ""]))
    return to_csv(out, HEADER + ["email", "delivery"])
