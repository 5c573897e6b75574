"""The reports as PDF and CSV: the figures read back out of the PDF (pdfium), the chart
drawn with ReportLab's graphics, the CSV's plain values."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from billing_desk.documents.readback import extract_text, page_texts
from billing_desk.documents.report_csv import report_csv
from billing_desk.documents.report_format import cell_text
from billing_desk.documents.reports import (
    ReportMismatch, accuracy_chart, check_report_pdf, render_report,
)
from billing_desk.domain.bills_issued import ALL_SERVICES, BillsIssued
from billing_desk.domain.report_facts import KeptBack
from billing_desk.domain.reports import (
    AdjustedBills, AdjustmentGroup, DateRange, IssueTimes, Kind, OpenCase, OpenGroup,
    accuracy_report, adjustments_report, divergence_of, workload_report,
)
from tests.reports_data import MEMO, MEMO_PER_10000


def memo_report(**kw):
    figures = [BillsIssued(y, ALL_SERVICES, issued) for y, (issued, _, _) in MEMO.items()]
    adjusted = [AdjustedBills(y, "water", n // 3) for y, (_, n, _) in MEMO.items()]
    adjusted += [AdjustedBills(y, "electric", n - n // 3) for y, (_, n, _) in MEMO.items()]
    return accuracy_report(figures, adjusted, **kw)


def test_the_accuracy_pdf_reads_back_with_the_memo_figures():
    rendered = render_report(memo_report(), generated=date(2009, 11, 6),
                             organisation="City of Fort Collins Utilities")
    text = extract_text(rendered.pdf)
    assert rendered.pages == len(page_texts(rendered.pdf)) >= 1
    assert text.startswith("Billing accuracy City of Fort Collins Utilities")
    for year, (issued, adjusted, percent) in MEMO.items():
        row = (f"{year} All services {issued:,} {adjusted:,} {percent}% "
               f"{MEMO_PER_10000[year]}")
        assert row in text, row
    # the chart: its title, each bar's label, the benchmark in the legend
    assert "Bills adjusted per 10,000 bills issued, all services" in text
    assert "Benchmark: 7.2 per 10,000" in text
    assert f"Page 1 of {rendered.pages}" in text


def test_the_chart_is_reportlab_graphics_with_the_reports_labels():
    from reportlab.graphics.charts.barcharts import VerticalBarChart

    report = memo_report(benchmark=Decimal("3.96"))
    drawing = accuracy_chart(report)
    chart = next(c for c in drawing.contents if isinstance(c, VerticalBarChart))
    assert chart.categoryAxis.categoryNames == ["2001", "2004", "2007", "2009"]
    assert chart.barLabelArray == [list(MEMO_PER_10000.values())]
    # the bars are drawn at the rates (floats place the drawing only)
    assert chart.data == [[36.5, 50.2, 58.4, 17.4]]
    # the benchmark as it was set, never rounded for display
    assert "Benchmark: 3.96 per 10,000" in [getattr(c, "text", "") for c in drawing.contents]
    assert cell_text(Decimal("36.5") - Decimal("3.96"), Kind.SIGNED_RATE) == "+32.54"


def test_a_pdf_that_does_not_read_as_its_tables_is_refused():
    report = memo_report()
    other = render_report(memo_report(period=DateRange(date(2004, 1, 1), date(2007, 12, 31))),
                          generated=date(2009, 11, 6)).pdf
    with pytest.raises(ReportMismatch, match="2001 All services 1,020,894"):
        check_report_pdf(report, other)


def adjustments():
    groups = [
        AdjustmentGroup(2009, 3, "water", "credit", 2, 10_000, 0, KeptBack(six_year_refund=4321)),
        AdjustmentGroup(2009, 4, "electric", "back_bill", 1, 0, 2_550,
                        KeptBack(former_customer=99))]
    return adjustments_report(groups, divergence_of(groups), [])


def test_the_adjustments_pdf_reads_back_with_its_sums():
    text = extract_text(render_report(adjustments(), generated=date(2010, 1, 5)).pdf)
    assert "2009-03 Water Credit 1 $100.00 $0.00 -$100.00" not in text  # (2 cases)
    assert "2009-03 Water Credit 2 $100.00 $0.00 -$100.00" in text
    assert "All All services All 3 $100.00 $25.50 -$74.50" in text
    assert "What the code kept back, by year" in text and "$43.21" in text


def test_long_tables_continue_on_further_pages_with_their_header():
    oldest = [OpenCase(f"BD-{i:06d}", "draft", "akim", date(2010, 1, 1), None) for i in range(150)]
    report = workload_report([OpenGroup("draft", "akim", 150, date(2010, 1, 1), None)], oldest,
                             [IssueTimes(2025, 1, 1, Decimal(3), 3)],
                             IssueTimes(None, None, 1, Decimal(3), 3), today=date(2026, 3, 10))
    rendered = render_report(report, generated=date(2026, 3, 10))
    pages = page_texts(rendered.pdf)
    assert rendered.pages == len(pages) >= 3
    assert sum(p.count("Days since discovery") for p in pages) >= 2  # the header repeated
    assert all(f"BD-{i:06d}" in " ".join(pages) for i in range(150))


def test_csv_holds_plain_values_one_section_per_table():
    rows = list(csv.reader(io.StringIO(report_csv(memo_report()).decode("utf-8"))))
    assert rows[0] == ["Billing accuracy", "all dates"]
    header = rows.index(["Year", "Service", "Bills issued", "Bills adjusted", "Adjusted (%)",
                         "Per 10,000 bills", "Against benchmark", "Note"])
    body = [r for r in rows[header + 1:] if r and r[1] == "All services"]
    assert body[0] == ["2001", "All services", "1020894", "3726", "0.36", "36.5", "+29.3", ""]
    assert [r[5] for r in body] == list(MEMO_PER_10000.values())
    money = list(csv.reader(io.StringIO(report_csv(adjustments()).decode("utf-8"))))
    assert ["2009-03", "Water", "Credit", "2", "100.00", "0.00", "-100.00"] in money
    assert any(r and r[0] == "Credited and back-billed by year and service" for r in money)


def test_cells_are_formatted_for_readers():
    assert cell_text(1_020_894, Kind.COUNT) == "1,020,894"
    assert cell_text(Decimal("-1234.50"), Kind.MONEY) == "-$1,234.50"
    assert cell_text(Decimal("0.36"), Kind.PERCENT) == "0.36%"
    assert cell_text(Decimal("36.5"), Kind.RATE) == "36.5"
    assert cell_text(Decimal("29.3"), Kind.SIGNED_RATE) == "+29.3"
    assert cell_text(Decimal("12.5"), Kind.DAYS) == "12.5" and cell_text(7, Kind.DAYS) == "7"
    assert cell_text(date(2009, 11, 5), Kind.DATE) == "Nov 5, 2009"
    assert cell_text(2009, Kind.YEAR) == "2009" and cell_text(None, Kind.COUNT) == "—"
