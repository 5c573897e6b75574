"""The reports' rows (``cf.reports``): counts and sums read with plain SQL from the
facts kept at each issue (``issue_facts``, :mod:`.issue_facts`), the bills issued and
the cases; what the rows mean is worked out by :mod:`billing_desk.domain.reports`.

The queries are standard SQL -- ``GROUP BY``, ``count``, ``sum`` and ``min`` over
integer and text columns, ``LIMIT`` -- with no date function: the year and month of an
issue are columns of their own, money is integer cents. A server backend runs them as
they are. Each report reads one table (two for the cases whose readings differ, with
their case numbers), so it takes the same time whatever the periods and snapshots
the file holds (bench/reports.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ..domain.bills_issued import BillsIssued
from ..domain.report_facts import KEPT_FIELDS, READINGS, KeptBack
from ..domain.reports import (
    OPEN_STATUSES, AccuracyReport, AdjustedBills, AdjustmentGroup, AdjustmentsReport, DateRange,
    DivergentCase, IssueTime, OpenCase, OpenGroup, WorkloadReport, accuracy_report,
    adjustments_report, parse_benchmark, workload_report,
)
from .connection import Connection
from .settings import SettingsRepository
from .timestamps import parse_utc

#: the oldest open cases a workload report lists by default
OLDEST_SHOWN = 100
_OPEN = ", ".join(f"'{s.value}'" for s in OPEN_STATUSES)


def _issued_within(period: DateRange, column: str = "issued_on") -> tuple[str, list[Any]]:
    """The condition on the issue date, or none: without dates a report reads the whole
    table, which is quicker than walking its date index."""
    if period.start is None and period.end is None:
        return "", []
    return f" WHERE {column} BETWEEN ? AND ?", [period.first.isoformat(), period.last.isoformat()]


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _utc_day(text: str | None) -> date | None:
    return None if text is None else parse_utc(text).date()


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

    # -- billing accuracy ------------------------------------------------------------------

    def adjusted_bills(self, period: DateRange = DateRange()) -> list[AdjustedBills]:
        where, params = _issued_within(period)
        return [AdjustedBills(year, service, bills, cases) for year, service, bills, cases in
                self._c.rows("SELECT issued_year, service, sum(new_bills), count(*) FROM "
                             f"issue_facts{where} GROUP BY issued_year, service", params)]

    def accuracy(self, period: DateRange = DateRange(),
                 benchmark: Decimal | None = None) -> AccuracyReport:
        figures = [BillsIssued(y, s, n) for y, s, n in self._c.rows(
            "SELECT year, service, bills FROM bills_issued WHERE year BETWEEN ? AND ?",
            (period.first.year, period.last.year))]
        return accuracy_report(figures, self.adjusted_bills(period), period=period,
                               benchmark=self.benchmark() if benchmark is None else benchmark)

    # -- adjustments -----------------------------------------------------------------------

    def adjustment_groups(self, period: DateRange = DateRange()) -> list[AdjustmentGroup]:
        where, params = _issued_within(period)
        kept = ", ".join(f"sum({k}_cents)" for k in KEPT_FIELDS)
        groups = []
        for row in self._c.rows(
                "SELECT issued_year, issued_month, service, outcome, count(*), sum(refund_cents), "
                f"sum(back_bill_cents), {kept} FROM issue_facts{where} "
                "GROUP BY issued_year, issued_month, service, outcome", params):
            year, month, service, outcome, cases, refund, back_bill, *kept_sums = row
            groups.append(AdjustmentGroup(year, month, service, outcome, cases, refund,
                                          back_bill, KeptBack(**dict(zip(KEPT_FIELDS, kept_sums)))))
        return groups

    def divergent_cases(self, period: DateRange = DateRange()) -> list[DivergentCase]:
        where, params = _issued_within(period, "f.issued_on")
        condition = (where + " AND" if where else " WHERE") + " f.readings_differ = 1"
        by_reading = ", ".join(f"f.{r}_refund_cents, f.{r}_back_bill_cents" for r in READINGS)
        cases = []
        for row in self._c.rows(
                "SELECT c.case_number, f.issued_on, f.service, f.reading, f.refund_cents, "
                f"f.back_bill_cents, {by_reading} FROM issue_facts AS f JOIN cases AS c ON "
                f"c.id = f.case_id{condition} ORDER BY f.issued_on, f.case_id", params):
            number, issued_on, service, reading, refund, back_bill, *amounts = row
            cases.append(DivergentCase(
                number, date.fromisoformat(issued_on), service, reading, refund, back_bill,
                {r: (amounts[2 * i], amounts[2 * i + 1]) for i, r in enumerate(READINGS)}))
        return cases

    def adjustments(self, period: DateRange = DateRange()) -> AdjustmentsReport:
        return adjustments_report(self.adjustment_groups(period), self.divergent_cases(period),
                                  period=period)

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
                    f"cases WHERE status IN ({_OPEN}) AND discovered_on IS NOT NULL "
                    "ORDER BY discovered_on, id LIMIT ?", (limit,))]

    def issue_times(self, period: DateRange = DateRange()) -> list[IssueTime]:
        where, params = _issued_within(period)
        return [IssueTime(*row) for row in self._c.rows(
            f"SELECT issued_year, issued_month, days_to_issue FROM issue_facts{where}", params)]

    def workload(self, today: date, period: DateRange = DateRange(),
                 oldest: int = OLDEST_SHOWN) -> WorkloadReport:
        return workload_report(self.open_groups(), self.oldest_open(oldest),
                               self.issue_times(period), today=today, period=period)
