"""The reports' arithmetic, without a case file: rates and their rounding, the roll-ups,
the medians."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from billing_desk.domain.bills_issued import ALL_SERVICES, BillsIssued
from billing_desk.domain.report_facts import KeptBack
from billing_desk.domain.reports import (
    AdjustedBills, AdjustmentGroup, DateRange, DivergentCase, IssueTimes, OpenCase, OpenGroup,
    accuracy_report, adjusted_bills_of, adjusted_per_10000, adjusted_percent, adjustments_report,
    benchmark_problem, divergence_of, histogram_times, issue_times, median, merge_counts,
    nearest_rank, parse_benchmark,
    workload_report,
)
from tests.reports_data import MEMO, MEMO_PER_10000


def test_the_finance_memo_rates():
    figures = [BillsIssued(y, ALL_SERVICES, issued) for y, (issued, _, _) in MEMO.items()]
    adjusted = [AdjustedBills(y, "water", n) for y, (_, n, _) in MEMO.items()]
    report = accuracy_report(figures, adjusted)
    rows = report.all_services()
    assert [(r.year, r.bills_issued, r.bills_adjusted) for r in rows] == [
        (y, issued, n) for y, (issued, n, _) in MEMO.items()]
    assert [str(r.percent) for r in rows] == [pct for _, _, pct in MEMO.values()]
    assert [str(r.per_10000) for r in rows] == list(MEMO_PER_10000.values())
    table = report.table("accuracy")
    assert table.column("against_benchmark")[1::2] == [Decimal("29.3"), Decimal("43.0"),
                                                       Decimal("51.2"), Decimal("10.2")]


def test_rates_round_half_up_once():
    assert adjusted_percent(1, 800) == Decimal("0.13")          # 0.125
    assert adjusted_per_10000(1, 40_000) == Decimal("0.3")      # 0.25
    assert adjusted_per_10000(3726, 1_020_894) == Decimal("36.5")  # 36.497...
    assert adjusted_percent(0, 5) == Decimal("0.00")
    assert adjusted_percent(5, 0) is None and adjusted_per_10000(5, None) is None


def test_all_services_is_the_sum_of_the_services_only_when_each_has_a_figure():
    figures = [BillsIssued(2004, "water", 400_000), BillsIssued(2004, "electric", 600_000),
               BillsIssued(2005, "water", 400_000)]
    adjusted = [AdjustedBills(2004, "water", 40), AdjustedBills(2004, "electric", 60),
                AdjustedBills(2005, "water", 4), AdjustedBills(2005, "stormwater", 1)]
    rows = {(r.year, r.service): r for r in accuracy_report(figures, adjusted).rows}
    assert rows[2004, ALL_SERVICES].bills_issued == 1_000_000
    assert rows[2004, ALL_SERVICES].per_10000 == Decimal("1.0")
    assert rows[2004, "water"].per_10000 == Decimal("1.0")
    # stormwater had adjusted bills in 2005 but no figure: no all-services rate
    assert rows[2005, ALL_SERVICES].per_10000 is None
    assert "stormwater" in rows[2005, ALL_SERVICES].note
    assert rows[2005, "stormwater"].bills_issued is None and rows[2005, "stormwater"].bills_adjusted == 1


def test_the_years_shown_are_those_of_the_dates_chosen():
    figures = [BillsIssued(y, ALL_SERVICES, 1000) for y in (2001, 2004, 2007)]
    report = accuracy_report(figures, [AdjustedBills(2004, "water", 2)],
                             period=DateRange(date(2003, 6, 1), date(2005, 5, 31)),
                             benchmark=Decimal("3.96"))
    # (water has no figure of its own; all services has)
    assert [(r.year, r.service, r.per_10000) for r in report.rows] == [
        (2004, "water", None), (2004, ALL_SERVICES, Decimal("20.0"))]
    assert report.benchmark == Decimal("3.96") and "2003-06-01 to 2005-05-31" in report.notes[0]


def test_a_date_range_must_not_end_before_it_starts():
    with pytest.raises(ValueError, match="before their start"):
        DateRange(date(2009, 2, 1), date(2009, 1, 1))


@pytest.mark.parametrize("text,ok", [("7.2", True), ("3.96", True), ("0", True), ("12", True),
                                     ("7.222", False), ("-1", False), ("seven", False),
                                     ("20000", False), ("", False)])
def test_benchmark_values(text, ok):
    assert (benchmark_problem(text) is None) is ok
    if ok:
        assert parse_benchmark(text) == Decimal(text)


def group(year, month, service, outcome, cases, refund, back_bill, **kept):
    return AdjustmentGroup(year, month, service, outcome, cases, refund, back_bill, KeptBack(**kept))


def test_adjustments_roll_up_by_month_year_and_service():
    groups = [group(2009, 3, "water", "credit", 2, 10_000, 0, six_year_refund=500),
              group(2009, 3, "electric", "back_bill", 1, 0, 2_550, six_year_back_bill=125),
              group(2010, 1, "water", "credit_and_back_bill", 1, 100, 200, refund_conditions=7,
                    refund_a1_ii=7, refund_a1_iii=7)]
    report = adjustments_report(groups, divergence_of(groups), [])
    by_month = report.table("by_month")
    assert by_month.rows[0][:4] == ("2009-03", "Electric", "Back bill", 1)
    assert by_month.rows[-1] == ("All", "All services", "All", 4, Decimal("101.00"),
                                 Decimal("27.50"), Decimal("-73.50"))
    by_year = report.table("by_year")
    assert [(r[0], r[1], r[2]) for r in by_year.rows] == [
        (2009, "Electric", 1), (2009, "Water", 2), (2009, "All services", 3),
        (2010, "Water", 1), (2010, "All services", 1), ("All", "All services", 4)]
    kept = report.table("kept_back")
    assert kept.column("six_year_refund") == [Decimal("5.00"), Decimal("0.00"), Decimal("5.00")]
    assert kept.column("refund_a1_ii")[-1] == Decimal("0.07")
    assert kept.column("cost") == [Decimal("5.00"), Decimal("0.07"), Decimal("5.07")]
    assert kept.column("spared")[-1] == Decimal("1.25")
    assert (report.credited, report.back_billed) == (Decimal("101.00"), Decimal("27.50"))


def test_cases_whose_readings_differ_show_what_each_would_have_billed():
    by_reading = {"ordinance": (0, 60_000), "executive_summary": (0, 0),
                  "staff_practice": (0, 19_957)}
    case = DivergentCase("BD-000004", date(2026, 3, 4), "electric", "staff_practice", 0, 19_957,
                         by_reading)
    groups = [AdjustmentGroup(2026, 3, "electric", "back_bill", 3, 0, 30_000, new_bills=7,
                              differ_cases=1, differ_back_bill=19_957, differ_by_reading=by_reading),
              AdjustmentGroup(2026, 4, "water", "back_bill", 1, 0, 500, new_bills=2)]
    report = adjustments_report(groups, divergence_of(groups), [case])
    table = report.table("readings_differ")
    assert table.rows == (("BD-000004", date(2026, 3, 4), "Electric", "Staff practice",
                           Decimal("0.00"), Decimal("199.57"), Decimal("600.00"),
                           Decimal("0.00"), Decimal("199.57")),)
    assert "Every case whose readings differ (1)" in table.note
    years = report.table("readings_differ_by_year")
    assert years.rows[0] == (2026, 1, Decimal("0.00"), Decimal("199.57"), Decimal("600.00"),
                             Decimal("0.00"), Decimal("199.57"))
    # the bills adjusted first, per year and service, for the accuracy report
    assert adjusted_bills_of(groups) == [AdjustedBills(2026, "electric", 7, 3),
                                         AdjustedBills(2026, "water", 2, 1)]


def test_a_list_of_divergent_cases_cut_short_says_how_many_there_are():
    by_reading = {r: (0, 100) for r in ("ordinance", "executive_summary", "staff_practice")}
    groups = [AdjustmentGroup(2026, 3, "electric", "back_bill", 300, 0, 3, differ_cases=250,
                              differ_by_reading=by_reading)]
    case = DivergentCase("BD-000004", date(2026, 3, 4), "electric", "ordinance", 0, 1, by_reading)
    note = adjustments_report(groups, divergence_of(groups), [case]).table("readings_differ").note
    assert note.startswith("The 1 of the 250 cases whose readings differ")


def test_median_and_90th_percentile():
    assert median([]) is None and nearest_rank([], 90) is None
    asked = []
    values = [3, 5, 8, 13, 21, 34, 55, 89, 144, 233]
    times = issue_times(2026, 1, len(values), lambda rank: asked.append(rank) or values[rank])
    assert (times.median, times.p90) == (Decimal("27.5"), 144) and sorted(asked) == [4, 5, 8]


@pytest.mark.parametrize("values", [[7], [1, 1, 2], [5, 5, 5, 9, 9, 12, 40, 40, 40, 41, 300],
                                    list(range(100)) + [3] * 57])
def test_figures_from_counts_are_those_of_the_values(values):
    ordered = sorted(values)
    counts = sorted({v: ordered.count(v) for v in ordered}.items())
    times = histogram_times(2026, 1, counts)
    assert (times.cases, times.median, times.p90) == (len(ordered), median(ordered),
                                                      nearest_rank(ordered, 90))
    halves = merge_counts([[(v, n) for v, n in counts if v % 2], [(v, n) for v, n in counts
                                                                  if not v % 2]])
    assert halves == counts
    assert median([5]) == 5 and nearest_rank([5], 90) == 5
    assert median([1, 2, 10, 30]) == Decimal("6")
    assert median([1, 2, 3, 10]) == Decimal("2.5")
    ten = list(range(1, 11))
    assert nearest_rank(ten, 90) == 9 and nearest_rank(ten + [11], 90) == 10
    assert nearest_rank(list(range(1, 101)), 90) == 90


def test_workload_ages_and_time_to_issue():
    today = date(2026, 3, 10)
    groups = [OpenGroup("submitted", "mwhitfield", 3, date(2025, 3, 10), date(2026, 3, 1)),
              OpenGroup("draft", None, 5, date(2024, 3, 10), None),
              OpenGroup("draft", "akim", 2, None, None)]
    oldest = [OpenCase("BD-000007", "draft", None, date(2024, 3, 10), None)]
    january, february, every = sorted([30, 10, 20]), [50], sorted([30, 10, 20, 50])
    months = [issue_times(2026, 1, 3, january.__getitem__), issue_times(2026, 2, 1, february.__getitem__),
              IssueTimes(2026, 3, 0, None, None)]
    report = workload_report(groups, oldest, months, issue_times(None, None, 4, every.__getitem__),
                             today=today)
    rows = report.table("open_by_status").rows
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("Draft", "akim", 2), ("Draft", "(unassigned)", 5), ("Draft", "All", 7),
        ("Submitted", "mwhitfield", 3), ("All open", "All", 10)]
    assert rows[-1][3:] == (date(2024, 3, 10), 730, date(2026, 3, 1), 9)
    assert report.table("oldest_open").rows[0][4] == 730
    assert report.table("time_to_issue").rows == (
        ("2026-01", 3, Decimal(20), 30), ("2026-02", 1, Decimal(50), 50),
        ("All", 4, Decimal(25), 50))
