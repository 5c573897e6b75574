"""The reports' rows (``cf.reports``): counts and sums read with plain SQL from the
facts kept at each issue (``issue_facts``, :mod:`.issue_facts`), the bills issued and
the cases; what the rows mean is worked out by :mod:`billing_desk.domain.reports`.

The queries are standard SQL -- ``GROUP BY``, ``count``, ``sum`` and ``min`` over
integer and text columns, ``ORDER BY ... LIMIT ... OFFSET`` -- with no date function:
the year and month of an issue are columns of their own, money is integer cents. A
server backend runs them as they are. Each report reads one table (and the case
numbers of the cases it lists) along an order the table or an index keeps, so nothing
is sorted and no row is read twice, whatever the periods and snapshots the file holds:
the sums by month and the counts of days to issue that every issue keeps up to date
(``issue_sums``, ``issue_days``), and only for a month the dates cut through its own
cases; the cases listed along their own index, stopping at the limit
(bench/reports.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..domain.bills_issued import BillsIssued
from ..domain.workflow import CaseStatus
from ..domain.report_facts import KEPT_FIELDS, READINGS, KeptBack
from ..domain.reports import (
    OPEN_STATUSES, AccuracyReport, AdjustedBills, AdjustmentGroup, AdjustmentsReport, DateRange,
    DivergentCase, IssueTimes, OpenCase, OpenGroup, WorkloadReport,
    accuracy_report, adjusted_bills_of, adjustments_report, divergence_of, histogram_times,
    merge_counts, parse_benchmark, workload_report,
)
from .issue_facts import FACT_SUMS, SUM_COLUMNS, SUM_KEY
from .connection import Connection
from .settings import SettingsRepository
from .timestamps import parse_utc

#: the oldest open cases a workload report lists by default
OLDEST_SHOWN = 100
#: the cases whose readings differ most that an adjustments report lists by default
DIVERGENT_SHOWN = 100
_OPEN = ", ".join(f"'{s.value}'" for s in OPEN_STATUSES)
#: the same cases as "not closed": the condition of the index of open cases by discovery
_NOT_CLOSED = " AND ".join(f"status <> '{s.value}'" for s in CaseStatus
                           if s not in OPEN_STATUSES)


def _issued_within(period: DateRange, table: str = "") -> tuple[str, list[Any]]:
    """The condition on the issue date (and on its year, which the table is stored by,
    so that only those years are read), or none: without dates a report reads the whole
    table in one pass."""
    if period.start is None and period.end is None:
        return "", []
    return (f" WHERE {table}issued_year BETWEEN ? AND ? AND {table}issued_on BETWEEN ? AND ?",
            [period.first.year, period.last.year, period.first.isoformat(),
             period.last.isoformat()])


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _utc_day(text: str | None) -> date | None:
    return None if text is None else parse_utc(text).date()


def _by_reading(amounts: list[int]) -> dict[str, tuple[int, int]]:
    """(refund, back bill) per reading from their columns, in the order of READINGS."""
    return {r: (amounts[2 * i], amounts[2 * i + 1]) for i, r in enumerate(READINGS)}


def _month_number(year: int, month: int) -> int:
    return year * 12 + month - 1


def _group(row: tuple) -> AdjustmentGroup:
    """An ``issue_sums`` row (SUM_KEY, SUM_COLUMNS) as a group."""
    year, month, service, outcome, cases, new_bills, refund, back_bill, *rest = row
    kept, rest = rest[:len(KEPT_FIELDS)], rest[len(KEPT_FIELDS):]
    differ_cases, differ_refund, differ_back_bill, *by_reading = rest
    return AdjustmentGroup(year, month, service, outcome, cases, refund, back_bill,
                           KeptBack(**dict(zip(KEPT_FIELDS, kept))), new_bills, differ_cases,
                           differ_refund, differ_back_bill, _by_reading(by_reading))


class ReportQueries:
    """``cf.reports``: each method reads its rows and returns the report."""

    def __init__(self, connection: Connection, settings: SettingsRepository) -> None:
        self._c = connection
        self._settings = settings

    # -- settings of the reports -----------------------------------------------------------

    def benchmark(self) -> Decimal:
        """The accuracy benchmark, adjusted bills per 10,000 (setting accuracy_benchmark)."""
        return parse_benchmark(self._settings.get("accuracy_benchmark"))

    def set_benchmark(self, value: Decimal | str, *, actor: str) -> Decimal:
        """Set the benchmark (one transaction, one audit entry; InvalidSetting if it is
        not a number of adjusted bills per 10,000 with at most two decimals)."""
        text = value if isinstance(value, str) else f"{value:f}"
        self._settings.set("accuracy_benchmark", text.strip(), actor=actor)
        return self.benchmark()

    # -- the sums by month, service and outcome (both accuracy and adjustments) -------------

    def adjustment_groups(self, period: DateRange = DateRange()) -> list[AdjustmentGroup]:
        """The issued cases' sums per month of issue, service and outcome, for the dates
        of ``period``: the months wholly inside them from ``issue_sums`` (kept up to date
        by every issue), a month the dates cut through summed from its ``issue_facts``."""
        key, sums = ", ".join(SUM_KEY), ", ".join(SUM_COLUMNS)
        if period.start is None and period.end is None:
            return [_group(r) for r in self._c.rows(f"SELECT {key}, {sums} FROM issue_sums")]
        first, last = period.first, period.last
        start = (first.year, first.month)
        end = (last.year, last.month)
        whole_start = first.day == 1
        whole_end = (last + timedelta(days=1)).day == 1
        low = _month_number(*start) + (0 if whole_start else 1)
        high = _month_number(*end) - (0 if whole_end else 1)
        rows = []
        if low <= high:
            rows += self._c.rows(f"SELECT {key}, {sums} FROM issue_sums WHERE "
                                 "issued_year * 12 + issued_month - 1 BETWEEN ? AND ?",
                                 (low, high))
        for year, month in sorted({m for m, whole in ((start, whole_start), (end, whole_end))
                                   if not whole}):
            rows += self._c.rows(
                f"SELECT {key}, {', '.join(FACT_SUMS)} FROM issue_facts WHERE issued_year = ? "
                "AND issued_month = ? AND issued_on BETWEEN ? AND ? GROUP BY "
                f"{key}", (year, month, first.isoformat(), last.isoformat()))
        return [_group(r) for r in rows]

    # -- billing accuracy ------------------------------------------------------------------

    def adjusted_bills(self, period: DateRange = DateRange()) -> list[AdjustedBills]:
        return adjusted_bills_of(self.adjustment_groups(period))

    def accuracy(self, period: DateRange = DateRange(),
                 benchmark: Decimal | None = None) -> AccuracyReport:
        figures = [BillsIssued(y, s, n) for y, s, n in self._c.rows(
            "SELECT year, service, bills FROM bills_issued WHERE year BETWEEN ? AND ?",
            (period.first.year, period.last.year))]
        return accuracy_report(figures, self.adjusted_bills(period), period=period,
                               benchmark=self.benchmark() if benchmark is None else benchmark)

    # -- adjustments -----------------------------------------------------------------------

    def divergent_cases(self, period: DateRange = DateRange(),
                        limit: int = DIVERGENT_SHOWN) -> list[DivergentCase]:
        """The cases whose readings differ most (the largest spread between the readings'
        back bills first), at most ``limit``: read along their index, never sorted."""
        where, params = _issued_within(period, "f.")
        condition = (where + " AND" if where else " WHERE") + " f.readings_differ = 1"
        by_reading = ", ".join(f"f.{r}_refund_cents, f.{r}_back_bill_cents" for r in READINGS)
        cases = []
        for row in self._c.rows(
                "SELECT c.case_number, f.issued_on, f.service, f.reading, f.refund_cents, "
                f"f.back_bill_cents, {by_reading} FROM issue_facts AS f JOIN cases AS c ON "
                f"c.id = f.case_id{condition} ORDER BY f.readings_spread_cents DESC, "
                "f.issued_on DESC LIMIT ?", (*params, limit)):
            number, issued_on, service, reading, refund, back_bill, *amounts = row
            cases.append(DivergentCase(number, date.fromisoformat(issued_on), service, reading,
                                       refund, back_bill, _by_reading(amounts)))
        return cases

    def adjustments(self, period: DateRange = DateRange(),
                    divergent: int = DIVERGENT_SHOWN) -> AdjustmentsReport:
        groups = self.adjustment_groups(period)
        return adjustments_report(groups, divergence_of(groups),
                                  self.divergent_cases(period, divergent), period=period)

    # -- workload --------------------------------------------------------------------------

    def open_groups(self) -> list[OpenGroup]:
        return [OpenGroup(status, assignee, cases, _date(discovered), _utc_day(submitted))
                for status, assignee, cases, discovered, submitted in self._c.rows(
                    "SELECT status, assignee, count(*), min(discovered_on), min(submitted_at) "
                    f"FROM cases WHERE status IN ({_OPEN}) GROUP BY status, assignee")]

    def oldest_open(self, limit: int = OLDEST_SHOWN) -> list[OpenCase]:
        """The open cases discovered longest ago (a case with no discovery date yet has
        no age and is not listed)."""
        return [OpenCase(number, status, assignee, _date(discovered), _utc_day(submitted))
                for number, status, assignee, discovered, submitted in self._c.rows(
                    "SELECT case_number, status, assignee, discovered_on, submitted_at FROM "
                    f"cases WHERE {_NOT_CLOSED} AND discovered_on IS NOT NULL "
                    "ORDER BY discovered_on, id LIMIT ?", (limit,))]

    def issue_times(self, period: DateRange = DateRange()) -> tuple[list[IssueTimes], IssueTimes]:
        """Days from discovery to issue per month of issue, and over every month, from
        the counts of each month's days (``issue_days``, kept up to date by every issue);
        a month the dates cut through is counted from its cases of those dates."""
        by_month: dict[tuple[int, int], list[tuple[int, int]]] = {}
        if period.start is None and period.end is None:
            rows = self._c.rows("SELECT issued_year, issued_month, days_to_issue, cases FROM "
                                "issue_days ORDER BY issued_year, issued_month, days_to_issue")
        else:
            first, last = period.first, period.last
            low, high = _month_number(first.year, first.month), _month_number(last.year, last.month)
            cut = [(d.year, d.month) for d, whole in ((first, first.day == 1),
                                                     (last, (last + timedelta(days=1)).day == 1))
                   if not whole]
            rows = [r for r in self._c.rows(
                "SELECT issued_year, issued_month, days_to_issue, cases FROM issue_days WHERE "
                "issued_year * 12 + issued_month - 1 BETWEEN ? AND ? ORDER BY issued_year, "
                "issued_month, days_to_issue", (low, high)) if (r[0], r[1]) not in cut]
            for year, month in sorted(set(cut)):
                rows += self._c.rows(
                    "SELECT issued_year, issued_month, days_to_issue, count(*) FROM issue_facts "
                    "WHERE issued_year = ? AND issued_month = ? AND issued_on BETWEEN ? AND ? "
                    "GROUP BY issued_year, issued_month, days_to_issue ORDER BY days_to_issue",
                    (year, month, first.isoformat(), last.isoformat()))
        for year, month, days, n in rows:
            by_month.setdefault((year, month), []).append((days, n))
        months = [histogram_times(year, month, counts)
                  for (year, month), counts in sorted(by_month.items())]
        overall = histogram_times(None, None, merge_counts(by_month.values()))
        return months, overall

    def workload(self, today: date, period: DateRange = DateRange(),
                 oldest: int = OLDEST_SHOWN) -> WorkloadReport:
        months, overall = self.issue_times(period)
        return workload_report(self.open_groups(), self.oldest_open(oldest), months, overall,
                               today=today, period=period)
