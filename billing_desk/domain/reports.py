"""The three reports -- billing accuracy, adjustments, workload -- as pure functions.

The store hands over rows it summed with plain SQL (counts and sums of integer cents
over the facts kept when each case was issued, :mod:`.report_facts`); here they become
the report: the rates, the roll-ups by year and for all services, the medians. Each
report gives its tables as :class:`Table` values (typed cells: ``int`` counts,
``Decimal`` money and rates, ``date``), which the app shows, the CLI prints, and the
documents layer writes as CSV and PDF, so every output says the same.

Definitions (docs/reports.md says the same for the clerk):

* A **bill adjusted** is a period of an issued case whose billed amount differs from
  the correct one (each period is one bill: an account's bill for a service and a
  service period). A bill adjusted by two issued cases counts once, in the year of the
  first of them to be issued. A case counts in the year (and month) of its issue date:
  the date its letter and memos carry.
* **Rate**: bills adjusted / bills issued, as a percentage rounded half up to two
  decimals (0.36%), and per 10,000 bills rounded half up to one decimal (36.5): the
  AWWA QualServe "billing accuracy" measure, compared with the benchmark setting
  (default: the 2005 QualServe median, 7.2 per 10,000). The all-services figure of a
  year is the one entered for all services, or else the sum of the services' figures
  when every service with adjusted bills has one; without a figure there is no rate.
* **Median** of a month's days from discovery to issue: the middle value, or the mean of
  the two middle values (so it may end in .5); **90th percentile**: the nearest-rank
  value, the smallest number of days within which 90% of the month's cases were issued.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext
from enum import StrEnum
from typing import Any, Callable, Iterable, Mapping, Sequence

from .bills_issued import ALL_SERVICES, SERVICES, BillsIssued, service_label
from .dates import MAX_YEAR, MIN_YEAR
from .money import from_cents, round_half_up
from .report_facts import READINGS, KeptBack
from .workflow import CaseStatus

#: the AWWA QualServe 2005 survey median, adjusted bills per 10,000 (the default benchmark)
QUALSERVE_2005_MEDIAN = Decimal("7.2")
#: decimals of a rate: a percentage to 0.01%, per 10,000 bills to 0.1
PERCENT_PLACES, PER_10000_PLACES = 2, 1
#: the statuses of a case still being worked on (not issued, closed or void)
OPEN_STATUSES = (CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.RETURNED,
                 CaseStatus.APPROVED)
OUTCOMES = ("credit", "back_bill", "credit_and_back_bill", "no_adjustment")
OUTCOME_LABELS = {"credit": "Credit", "back_bill": "Back bill",
                  "credit_and_back_bill": "Credit and back bill",
                  "no_adjustment": "No adjustment"}
READING_LABELS = {"ordinance": "Ordinance", "executive_summary": "Executive summary",
                  "staff_practice": "Staff practice"}
UNASSIGNED = "(unassigned)"


# --- tables ---------------------------------------------------------------------------

class Kind(StrEnum):
    """What a column holds, which says how each output shows it."""

    TEXT = "text"
    YEAR = "year"        # int, never grouped (2009, not 2,009); "All" in a total row
    COUNT = "count"      # int
    MONEY = "money"      # Decimal, two places
    PERCENT = "percent"  # Decimal, PERCENT_PLACES
    RATE = "rate"        # Decimal per 10,000, PER_10000_PLACES
    SIGNED_RATE = "signed_rate"  # Decimal per 10,000 with its sign (+29.3)
    DAYS = "days"        # int, or Decimal ending in .5 (a median)
    DATE = "date"        # date


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    kind: Kind


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table; ``None`` in a cell means "no figure". The last ``totals`` rows
    are totals (the PDF sets them in bold)."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""
    totals: int = 0

    def column(self, key: str) -> list[Any]:
        i = [c.key for c in self.columns].index(key)
        return [row[i] for row in self.rows]


def _table(key: str, title: str, columns: Sequence[tuple[str, str, Kind]],
           rows: Iterable[Sequence[Any]], note: str = "", totals: int = 0) -> Table:
    return Table(key, title, tuple(Column(*c) for c in columns),
                 tuple(tuple(r) for r in rows), note, totals)


@dataclass(frozen=True, slots=True)
class DateRange:
    """The dates a report covers, both included; ``None``: no limit."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"the end of the dates ({self.end}) is before their start "
                             f"({self.start})")

    @property
    def first(self) -> date:
        return self.start or date(MIN_YEAR, 1, 1)

    @property
    def last(self) -> date:
        return self.end or date(MAX_YEAR, 12, 31)

    def during(self) -> str:
        """The dates as part of a sentence: "issued from 2009-01-01 to 2009-11-05"."""
        if self.start is None and self.end is None:
            return "at any date"
        return self.label()

    def label(self) -> str:
        if self.start is None and self.end is None:
            return "all dates"
        if self.end is None:
            return f"from {self.start.isoformat()}"
        if self.start is None:
            return f"up to {self.end.isoformat()}"
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


@dataclass(frozen=True)
class Report:
    """What every report has: its kind, title, what it covers, how it counts, tables."""

    kind: str
    title: str
    period: DateRange
    notes: tuple[str, ...]
    tables: tuple[Table, ...]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def benchmark_problem(text: str) -> str | None:
    """Why ``text`` is not a benchmark (adjusted bills per 10,000, at most two decimals,
    like 7.2 or 3.96), or None."""
    t = text.strip()
    if not re.fullmatch(r"[0-9]{1,5}(\.[0-9]{1,2})?", t):
        return f"“{t}” is not a number of adjusted bills per 10,000, like 7.2 or 3.96"
    if Decimal(t) > 10_000:
        return "a benchmark cannot be more than 10,000 per 10,000 bills"
    return None


def parse_benchmark(text: str) -> Decimal:
    """The benchmark typed (``7.2``); ``ValueError`` with the reason if it is not one."""
    problem = benchmark_problem(text)
    if problem is not None:
        raise ValueError(problem)
    return Decimal(text.strip())


# --- rates ----------------------------------------------------------------------------

def _ratio(part: int, whole: int, scale: int, places: int) -> Decimal:
    # exact enough: the quotient of two counts below 10^12 at 40 digits, then the one
    # rounding, half up (docs/reports.md)
    with localcontext() as ctx:
        ctx.prec = 40
        return round_half_up(Decimal(part) * scale / Decimal(whole), places)


def adjusted_percent(adjusted: int, issued: int | None) -> Decimal | None:
    """Bills adjusted as a percentage of bills issued, half up to 0.01 (None: no rate)."""
    return None if not issued else _ratio(adjusted, issued, 100, PERCENT_PLACES)


def adjusted_per_10000(adjusted: int, issued: int | None) -> Decimal | None:
    """Bills adjusted per 10,000 bills issued, half up to 0.1 (None: no rate)."""
    return None if not issued else _ratio(adjusted, issued, 10_000, PER_10000_PLACES)


# --- billing accuracy -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AdjustedBills:
    """From the store: the bills first adjusted by cases issued in ``year`` for
    ``service``, and how many cases those were."""

    year: int
    service: str
    bills: int
    cases: int = 0


@dataclass(frozen=True, slots=True)
class AccuracyRow:
    year: int
    service: str  # a service, or ALL_SERVICES
    bills_issued: int | None
    bills_adjusted: int
    percent: Decimal | None
    per_10000: Decimal | None
    note: str = ""


@dataclass(frozen=True)
class AccuracyReport(Report):
    benchmark: Decimal = QUALSERVE_2005_MEDIAN
    rows: tuple[AccuracyRow, ...] = ()

    def all_services(self) -> tuple[AccuracyRow, ...]:
        """The all-services row of each year, oldest first (what the chart shows)."""
        return tuple(r for r in self.rows if r.service == ALL_SERVICES)


def _all_services_issued(year_figures: Mapping[str, int], adjusted: Mapping[str, int]
                         ) -> tuple[int | None, str]:
    if ALL_SERVICES in year_figures:
        return year_figures[ALL_SERVICES], ""
    services = {s: n for s, n in year_figures.items() if s != ALL_SERVICES}
    missing = [s for s, n in adjusted.items() if n and s not in services]
    if not services:
        return None, "no bills-issued figure for this year"
    if missing:
        return None, ("no bills-issued figure for " + ", ".join(missing)
                      + " (nor for all services)")
    return sum(services.values()), "bills issued: the sum of the services' figures"


def accuracy_report(figures: Iterable[BillsIssued], adjusted: Iterable[AdjustedBills], *,
                    period: DateRange = DateRange(),
                    benchmark: Decimal = QUALSERVE_2005_MEDIAN) -> AccuracyReport:
    """Per year, per service and for all services: bills issued (as entered), bills
    adjusted (by the cases issued in ``period``), the rates, against ``benchmark``.
    ``figures`` outside the years of ``period`` are left out."""
    issued: dict[int, dict[str, int]] = defaultdict(dict)
    for f in figures:
        if period.first.year <= f.year <= period.last.year:
            issued[f.year][f.service] = f.bills
    counted: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a in adjusted:
        counted[a.year][a.service] += a.bills
    rows: list[AccuracyRow] = []
    for year in sorted(issued.keys() | counted.keys()):
        year_figures, year_counts = issued.get(year, {}), counted.get(year, {})
        for service in SERVICES[:-1]:
            if service not in year_figures and not year_counts.get(service):
                continue
            n, bills = year_figures.get(service), year_counts.get(service, 0)
            rows.append(AccuracyRow(year, service, n, bills, adjusted_percent(bills, n),
                                    adjusted_per_10000(bills, n),
                                    "" if n else "no bills-issued figure for this service"))
        total = sum(year_counts.values())
        n, note = _all_services_issued(year_figures, year_counts)
        if n == 0:
            note = "no bills issued"
        rows.append(AccuracyRow(year, ALL_SERVICES, n, total, adjusted_percent(total, n),
                                adjusted_per_10000(total, n), note))
    table = _table(
        "accuracy", "By year and service", (
            ("year", "Year", Kind.YEAR), ("service", "Service", Kind.TEXT),
            ("bills_issued", "Bills issued", Kind.COUNT),
            ("bills_adjusted", "Bills adjusted", Kind.COUNT),
            ("percent", "Adjusted (%)", Kind.PERCENT),
            ("per_10000", "Per 10,000 bills", Kind.RATE),
            ("against_benchmark", "Against benchmark", Kind.SIGNED_RATE),
            ("note", "Note", Kind.TEXT)),
        ((r.year, service_label(r.service), r.bills_issued, r.bills_adjusted, r.percent,
          r.per_10000, None if r.per_10000 is None else r.per_10000 - benchmark, r.note)
         for r in rows))
    notes = (
        f"Bills adjusted: the bills (periods with a billing difference) of the cases issued "
        f"{period.during()}, each bill once, in the year it was first adjusted. Bills "
        "issued: as entered for each year (Reports > Bills issued).",
        f"Rates rounded half up: percentage to {PERCENT_PLACES} decimals, per 10,000 bills "
        f"to {PER_10000_PLACES} decimal. Benchmark: {benchmark} adjusted bills per 10,000 "
        "(default: AWWA QualServe 2005 median, 7.2).",
    )
    return AccuracyReport("accuracy", "Billing accuracy", period, notes, (table,),
                          benchmark=benchmark, rows=tuple(rows))


# --- adjustments ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AdjustmentGroup:
    """From the store: the cases issued in a month for a service with an outcome, and
    their sums in cents."""

    year: int
    month: int
    service: str
    outcome: str
    cases: int
    refund: int
    back_bill: int
    kept: KeptBack = field(default_factory=KeptBack)
    #: the bills these cases were the first to adjust
    new_bills: int = 0
    #: those of the cases whose readings differ: how many, their refund and back bill as
    #: issued, and per reading (refund, back bill); cents
    differ_cases: int = 0
    differ_refund: int = 0
    differ_back_bill: int = 0
    differ_by_reading: Mapping[str, tuple[int, int]] = field(
        default_factory=lambda: {r: (0, 0) for r in READINGS})


def adjusted_bills_of(groups: Iterable[AdjustmentGroup]) -> list[AdjustedBills]:
    """The bills adjusted per year and service, from the groups by month and outcome."""
    bills: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for g in groups:
        sums = bills[(g.year, g.service)]
        sums[0] += g.new_bills
        sums[1] += g.cases
    return [AdjustedBills(y, s, n, c) for (y, s), (n, c) in sorted(bills.items())]


def divergence_of(groups: Iterable[AdjustmentGroup]) -> list["DivergenceYear"]:
    """The cases whose readings differ, summed by year of issue."""
    years: dict[int, list] = {}
    for g in groups:
        if not g.differ_cases:
            continue
        y = years.setdefault(g.year, [0, 0, 0, {r: (0, 0) for r in READINGS}])
        y[0] += g.differ_cases
        y[1] += g.differ_refund
        y[2] += g.differ_back_bill
        y[3] = {r: (y[3][r][0] + g.differ_by_reading[r][0], y[3][r][1] + g.differ_by_reading[r][1])
                for r in READINGS}
    return [DivergenceYear(year, *sums) for year, sums in sorted(years.items())]


@dataclass(frozen=True, slots=True)
class DivergenceYear:
    """From the store: the issued cases of a year whose readings differ, with their sums
    (cents): as issued, and ``by_reading``: reading -> (refund, back bill)."""

    year: int
    cases: int
    refund: int
    back_bill: int
    by_reading: Mapping[str, tuple[int, int]]


@dataclass(frozen=True, slots=True)
class DivergentCase:
    """From the store: an issued case whose readings of 26-721(a)(2) differ; amounts in
    cents; ``by_reading``: reading -> (refund, back bill)."""

    case_number: str
    issued_on: date
    service: str
    reading: str
    refund: int
    back_bill: int
    by_reading: Mapping[str, tuple[int, int]]


@dataclass(frozen=True)
class AdjustmentsReport(Report):
    groups: tuple[AdjustmentGroup, ...] = ()
    divergence: tuple[DivergenceYear, ...] = ()
    divergent: tuple[DivergentCase, ...] = ()

    @property
    def credited(self) -> Decimal:
        return from_cents(sum(g.refund for g in self.groups))

    @property
    def back_billed(self) -> Decimal:
        return from_cents(sum(g.back_bill for g in self.groups))

    @property
    def kept(self) -> KeptBack:
        total = KeptBack()
        for g in self.groups:
            total = total + g.kept
        return total


def _money(c: int) -> Decimal:
    return from_cents(c)


_SUMS = (("cases", "Cases", Kind.COUNT), ("credited", "Credited, 26-721(a)(1)", Kind.MONEY),
         ("back_billed", "Back-billed, 26-721(a)(2)", Kind.MONEY),
         ("net", "Net (back-billed less credited)", Kind.MONEY))
_KEPT_COLUMNS = (
    ("six_year_refund", "Refunds: older than six years, (a)(1)"),
    ("refund_conditions", "Refunds: (a)(1) conditions not met"),
    ("refund_a1_i", "of which (a)(1)(i) customer could have discovered"),
    ("refund_a1_ii", "of which (a)(1)(ii) no documentation"),
    ("refund_a1_iii", "of which (a)(1)(iii) documentation not confirmed"),
    ("six_year_back_bill", "Back bills: older than six years, (a)(2)"),
    ("back_bill_reading", "Back bills: not billed under the reading used, (a)(2)"),
    ("former_customer", "Back bills: former customers, not reached by (a)(2)"),
)


def _sums(groups: Iterable[AdjustmentGroup]) -> tuple[int, int, int]:
    cases = refund = back_bill = 0
    for g in groups:
        cases, refund, back_bill = cases + g.cases, refund + g.refund, back_bill + g.back_bill
    return cases, refund, back_bill


def _sum_cells(groups: Sequence[AdjustmentGroup]) -> tuple[int, Decimal, Decimal, Decimal]:
    cases, refund, back_bill = _sums(groups)
    return cases, _money(refund), _money(back_bill), _money(back_bill - refund)


def _order(service: str) -> int:
    return SERVICES.index(service) if service in SERVICES else len(SERVICES)


def adjustments_report(groups: Iterable[AdjustmentGroup], divergence: Iterable[DivergenceYear],
                       divergent: Iterable[DivergentCase], *,
                       period: DateRange = DateRange()) -> AdjustmentsReport:
    """Credited and back-billed per month and year, by service, clause and outcome; what
    the code kept back, by cause; the cases whose readings differ, by year, and those
    (``divergent``, as many as the store chose to list, in its order: the largest
    difference first) where the reading chosen mattered most."""
    groups = tuple(sorted(groups, key=lambda g: (g.year, g.month, _order(g.service),
                                                 OUTCOMES.index(g.outcome))))
    divergent = tuple(divergent)
    by_month = _table(
        "by_month", "Credited and back-billed by month, service and outcome",
        (("month", "Month", Kind.TEXT), ("service", "Service", Kind.TEXT),
         ("outcome", "Outcome", Kind.TEXT)) + _SUMS,
        [(f"{g.year:04d}-{g.month:02d}", service_label(g.service), OUTCOME_LABELS[g.outcome],
          *_sum_cells([g])) for g in groups] + [("All", "All services", "All", *_sum_cells(groups))],
        totals=1)

    years = sorted({g.year for g in groups})
    year_rows = []
    for year in years:
        in_year = [g for g in groups if g.year == year]
        for service in sorted({g.service for g in in_year}, key=_order):
            year_rows.append((year, service_label(service),
                              *_sum_cells([g for g in in_year if g.service == service])))
        year_rows.append((year, service_label(ALL_SERVICES), *_sum_cells(in_year)))
    by_year = _table("by_year", "Credited and back-billed by year and service",
                     (("year", "Year", Kind.YEAR), ("service", "Service", Kind.TEXT)) + _SUMS,
                     year_rows + [("All", "All services", *_sum_cells(groups))],
                     totals=1)

    def kept_cells(kept: KeptBack) -> tuple:
        cost = kept.six_year_refund + kept.refund_conditions
        spared = kept.six_year_back_bill + kept.back_bill_reading + kept.former_customer
        return (*(_money(getattr(kept, k)) for k, _ in _KEPT_COLUMNS), _money(cost),
                _money(spared))

    kept_rows = []
    for year in years:
        total = KeptBack()
        for g in groups:
            if g.year == year:
                total = total + g.kept
        kept_rows.append((year, *kept_cells(total)))
    everything = KeptBack()
    for g in groups:
        everything = everything + g.kept
    kept = _table(
        "kept_back", "What the code kept back, by year",
        (("year", "Year", Kind.YEAR),) + tuple((k, t, Kind.MONEY) for k, t in _KEPT_COLUMNS)
        + (("cost", "Refunds not made (cost to customers)", Kind.MONEY),
           ("spared", "Back bills not made (spared customers)", Kind.MONEY)),
        kept_rows + [("All", *kept_cells(everything))], totals=1,
        note="Each excluded amount has one cause; the three (a)(1) conditions overlap (an "
             "amount held back by two failing conditions is under both), the conditions "
             "column counts it once.")

    reading_columns = tuple((f"{r}_back_bill", f"Back bill, {READING_LABELS[r].lower()}",
                             Kind.MONEY) for r in READINGS)
    divergence = tuple(sorted(divergence, key=lambda d: d.year))
    differing = sum(d.cases for d in divergence)

    def year_cells(cases: int, refund: int, back_bill: int, by_reading) -> tuple:
        return (cases, _money(refund), _money(back_bill),
                *(_money(by_reading[r][1]) for r in READINGS))

    sum_by_reading = {r: (sum(d.by_reading[r][0] for d in divergence),
                          sum(d.by_reading[r][1] for d in divergence)) for r in READINGS}
    differ_years = _table(
        "readings_differ_by_year", "Cases where the readings of 26-721(a)(2) differ, by year",
        (("year", "Year", Kind.YEAR), ("cases", "Cases", Kind.COUNT),
         ("credited", "Credited", Kind.MONEY), ("back_billed", "Back-billed", Kind.MONEY))
        + reading_columns,
        [(d.year, *year_cells(d.cases, d.refund, d.back_bill, d.by_reading)) for d in divergence]
        + [("All", *year_cells(differing, sum(d.refund for d in divergence),
                               sum(d.back_bill for d in divergence), sum_by_reading))],
        totals=1, note="Back-billed as issued (under the reading chosen for each case), and "
                       "what each reading would have back-billed; refunds are the same under "
                       "every reading (26-721(a)(1)).")
    shown = len(divergent)
    differ = _table(
        "readings_differ", "Where the reading mattered most",
        (("case", "Case", Kind.TEXT), ("issued_on", "Issued", Kind.DATE),
         ("service", "Service", Kind.TEXT), ("reading", "Reading used", Kind.TEXT),
         ("credited", "Credited", Kind.MONEY), ("back_billed", "Back-billed", Kind.MONEY))
        + reading_columns,
        [(d.case_number, d.issued_on, service_label(d.service), READING_LABELS[d.reading],
          _money(d.refund), _money(d.back_bill), *(_money(d.by_reading[r][1]) for r in READINGS))
         for d in divergent],
        note=(f"The {shown:,} of the {differing:,} cases whose readings differ with the largest "
              "difference between the readings' back bills, largest first."
              if shown < differing else
              f"Every case whose readings differ ({differing:,}), the largest difference "
              "between the readings' back bills first."))
    notes = (
        f"Cases issued {period.during()}, each in the month of its issue date, with the "
        "determination its documents were issued with (the reading chosen for the case).",
        "Kept back: every amount a determination excluded, by its cause: older than six years "
        "(26-721(a)(1) refunds, (a)(2) back bills), a condition of (a)(1) not met, not billed "
        "under the reading of (a)(2) used, or a former customer's undercharge.",
    )
    return AdjustmentsReport("adjustments", "Adjustments", period, notes,
                             (by_month, by_year, kept, differ_years, differ), groups=groups,
                             divergence=divergence,
                             divergent=divergent)


# --- workload -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class OpenGroup:
    """From the store: the open cases in a status given to an assignee (None: nobody),
    the earliest discovery date and submission date among them."""

    status: str
    assignee: str | None
    cases: int
    oldest_discovered: date | None
    oldest_submitted: date | None


@dataclass(frozen=True, slots=True)
class OpenCase:
    case_number: str
    status: str
    assignee: str | None
    discovered_on: date | None
    submitted_on: date | None


@dataclass(frozen=True, slots=True)
class IssueTimes:
    """Days from discovery to issue of the cases issued in a month (``year``/``month``;
    None: every month): how many, the median and the 90th percentile."""

    year: int | None
    month: int | None
    cases: int
    median: Decimal | None
    p90: int | None


def median_ranks(n: int) -> tuple[int, int]:
    """The (0-based) ranks whose mean is the median of ``n`` ordered values (the same
    rank twice when ``n`` is odd)."""
    return (n // 2, n // 2) if n % 2 else (n // 2 - 1, n // 2)


def percentile_rank(n: int, percent: int) -> int:
    """The (0-based) rank of the ``percent``-th percentile of ``n`` ordered values,
    nearest-rank: the smallest value with at least ``percent``% of them at or below it."""
    return max(1, math.ceil(n * percent / 100)) - 1


def issue_times(year: int | None, month: int | None, n: int,
                value_at: Callable[[int], int]) -> IssueTimes:
    """The figures of ``n`` ordered values, ``value_at(rank)`` giving each value asked
    for (the store reads only those ranks; a list's ``__getitem__`` will do)."""
    if not n:
        return IssueTimes(year, month, 0, None, None)
    low, high = median_ranks(n)
    middle = (Decimal(value_at(low)) + Decimal(value_at(high))) / 2
    return IssueTimes(year, month, n, middle, value_at(percentile_rank(n, 90)))


def histogram_times(year: int | None, month: int | None,
                    counts: Sequence[tuple[int, int]]) -> IssueTimes:
    """The figures of values given as (value, how many) in ascending order of value."""
    values, ends = [], []
    total = 0
    for value, n in counts:
        total += n
        values.append(value)
        ends.append(total)  # the rank after the last of this value
    return issue_times(year, month, total, lambda rank: values[bisect_right(ends, rank)])


def merge_counts(histograms: Iterable[Sequence[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Several (value, how many) lists as one, in ascending order of value."""
    merged: dict[int, int] = defaultdict(int)
    for histogram in histograms:
        for value, n in histogram:
            merged[value] += n
    return sorted(merged.items())


def median(ordered: Sequence[int]) -> Decimal | None:
    """The middle value of ``ordered`` (sorted), or the mean of the two middle ones."""
    return issue_times(None, None, len(ordered), ordered.__getitem__).median


def nearest_rank(ordered: Sequence[int], percent: int) -> int | None:
    """The ``percent``-th percentile of ``ordered`` (sorted), nearest-rank."""
    return ordered[percentile_rank(len(ordered), percent)] if ordered else None


@dataclass(frozen=True)
class WorkloadReport(Report):
    today: date = date(2000, 1, 1)
    open_groups: tuple[OpenGroup, ...] = ()


def _age(today: date, since: date | None) -> int | None:
    return None if since is None else (today - since).days


def workload_report(groups: Iterable[OpenGroup], oldest: Iterable[OpenCase],
                    months: Iterable[IssueTimes], overall: IssueTimes, *, today: date,
                    period: DateRange = DateRange()) -> WorkloadReport:
    """Open cases by status and assignee (as of ``today``), the oldest of them, and the
    days from discovery to issue per month of issue in ``period``."""
    status_order = [s.value for s in OPEN_STATUSES]
    groups = tuple(sorted(groups, key=lambda g: (status_order.index(g.status),
                                                 g.assignee is None, g.assignee or "")))

    def oldest_of(values: Iterable[date | None]) -> date | None:
        known = [v for v in values if v is not None]
        return min(known) if known else None

    def group_cells(cases: int, discovered: date | None, submitted: date | None) -> tuple:
        return (cases, discovered, _age(today, discovered), submitted, _age(today, submitted))

    open_rows = []
    for status in status_order:
        in_status = [g for g in groups if g.status == status]
        open_rows += [(status.capitalize(), g.assignee or UNASSIGNED,
                       *group_cells(g.cases, g.oldest_discovered, g.oldest_submitted))
                      for g in in_status]
        if len(in_status) > 1:  # the status's subtotal, after its assignees
            open_rows.append((status.capitalize(), "All", *group_cells(
                sum(g.cases for g in in_status), oldest_of(g.oldest_discovered for g in in_status),
                oldest_of(g.oldest_submitted for g in in_status))))
    open_rows.append(("All open", "All", *group_cells(
        sum(g.cases for g in groups), oldest_of(g.oldest_discovered for g in groups),
        oldest_of(g.oldest_submitted for g in groups))))
    ages = (("cases", "Open cases", Kind.COUNT),
            ("oldest_discovered", "Oldest discovery", Kind.DATE),
            ("days_since_discovery", "Days since that discovery", Kind.DAYS),
            ("oldest_submitted", "Oldest submission", Kind.DATE),
            ("days_since_submission", "Days since that submission", Kind.DAYS))
    by_status = _table("open_by_status", f"Open cases by status and assignee, {today.isoformat()}",
                       (("status", "Status", Kind.TEXT), ("assignee", "Assignee", Kind.TEXT))
                       + ages, open_rows, totals=1)

    oldest_rows = [(c.case_number, c.status.capitalize(), c.assignee or UNASSIGNED,
                    c.discovered_on, _age(today, c.discovered_on), c.submitted_on,
                    _age(today, c.submitted_on)) for c in oldest]
    oldest_table = _table(
        "oldest_open", "Oldest open cases, by discovery date",
        (("case", "Case", Kind.TEXT), ("status", "Status", Kind.TEXT),
         ("assignee", "Assignee", Kind.TEXT), ("discovered_on", "Discovered", Kind.DATE),
         ("days_since_discovery", "Days since discovery", Kind.DAYS),
         ("submitted_on", "Submitted", Kind.DATE),
         ("days_since_submission", "Days since submission", Kind.DAYS)), oldest_rows)

    time_rows = [(f"{t.year:04d}-{t.month:02d}", t.cases, t.median, t.p90)
                 for t in sorted(months, key=lambda t: (t.year, t.month)) if t.cases]
    time_rows.append(("All", overall.cases, overall.median, overall.p90))
    time_table = _table(
        "time_to_issue", "Days from discovery to issue, by month of issue",
        (("month", "Month", Kind.TEXT), ("cases", "Cases issued", Kind.COUNT),
         ("median", "Median days", Kind.DAYS), ("p90", "90th percentile, days", Kind.DAYS)),
        time_rows, totals=1)
    notes = (
        f"Open cases (draft, submitted, returned, approved) as of {today.isoformat()}, "
        "whatever the dates chosen; ages in days since the discovery of the error and since "
        "the case was submitted.",
        f"Days from discovery to issue: the cases issued {period.during()}, by month of issue; "
        "median (the mean of the two middle values when their number is even) and 90th "
        "percentile (nearest rank).",
    )
    return WorkloadReport("workload", "Workload", period, notes,
                          (by_status, oldest_table, time_table), today=today, open_groups=groups)
