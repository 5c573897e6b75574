"""What the reports window and the bills-issued table ask of the open case file: the
reports, the figures and the benchmark, through the store's API (no SQL, no rules
here). Every change is the store's: one transaction, one audit entry, by the signed-in
user."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from .session import CaseSession

if TYPE_CHECKING:
    from ..domain.bills_issued import BillsIssued
    from ..domain.reports import DateRange, Report
    from ..store.bills_issued import BillsChange
    from ..store.casefile import CaseFile


class ReportsService:
    def __init__(self, session: CaseSession) -> None:
        self.session = session

    def _cf(self) -> CaseFile:
        cf = self.session.file
        if cf is None:
            if self.session.lost is not None:
                raise self.session.lost
            raise RuntimeError("no case file is open")
        return cf

    @property
    def path(self):
        return self.session.path

    def read_report(self, kind: str, period: DateRange, today: date) -> Report:
        """:meth:`report` on a connection of its own, for a worker thread."""
        cf = self.session.reopened()
        try:
            return self._report(cf, kind, period, today)
        finally:
            cf.close()

    @staticmethod
    def _report(cf: CaseFile, kind: str, period: DateRange, today: date) -> Report:
        reports = cf.reports
        if kind == "accuracy":
            return reports.accuracy(period)
        if kind == "adjustments":
            return reports.adjustments(period)
        return reports.workload(today, period)

    def benchmark(self) -> Decimal:
        return self._cf().reports.benchmark()

    def may_change_settings(self) -> bool:
        """The benchmark is one of the office's settings: an administrator changes it."""
        return self.session.is_administrator

    def set_benchmark(self, text: str) -> Decimal:
        return self._cf().reports.set_benchmark(text, actor=self.session.actor)

    def bills_issued(self) -> list[BillsIssued]:
        return self._cf().bills_issued.list()

    def save_bills_issued(self, figures: list[BillsIssued],
                          expected: list[BillsIssued]) -> BillsChange:
        return self._cf().bills_issued.save(figures, actor=self.session.actor, expected=expected)

    def import_bills_issued(self, figures: list[BillsIssued], source: str,
                            refused_rows: int) -> BillsChange:
        return self._cf().bills_issued.import_figures(figures, actor=self.session.actor,
                                                      source=source, refused_rows=refused_rows)
