"""The billing accuracy chart (QtCharts): one bar a year, the adjusted bills per 10,000
bills issued for all services, and the benchmark as a line across the years. Loaded
with the reports window only (QtCharts is not part of the app's start).

The bars' heights are floats, for drawing only; the figures themselves are the report's
and are shown in the table beside the chart (and in each bar's tooltip, as the table
prints them), never a float's text."""

from __future__ import annotations

from decimal import Decimal

from .qt import (
    QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QColor, QLineSeries, QPainter,
    QPen, QPointF, QValueAxis, Qt,
)

from ..documents.report_format import benchmark_text, cell_text
from ..domain.reports import AccuracyReport, Kind
from .a11y import identify

BAR = QColor(41, 97, 158)
BENCHMARK = QColor(199, 51, 31)


def axis_top(highest: Decimal) -> Decimal:
    """A round top for the value axis above ``highest`` (five steps)."""
    for step in (Decimal("0.5"), Decimal(1), Decimal(2), Decimal(5), Decimal(10), Decimal(20),
                 Decimal(25), Decimal(50), Decimal(100), Decimal(200), Decimal(500),
                 Decimal(1000), Decimal(2000)):
        if step * 5 >= highest * Decimal("1.08"):
            return step * 5
    return Decimal(10_000)


class AccuracyChart(QChartView):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        identify(self, "accuracy_chart", "Billing accuracy chart",
                 "Bills adjusted per 10,000 bills issued, all services, by year, against the "
                 "benchmark")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(240)
        self.bars: QBarSet | None = None
        self.benchmark_line: QLineSeries | None = None
        self.years: list[str] = []
        self.labels: list[str] = []
        chart = QChart()
        chart.setTitle("Bills adjusted per 10,000 bills issued, all services")
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.setChart(chart)

    def show_report(self, report: AccuracyReport | None) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.bars, self.benchmark_line, self.years, self.labels = None, None, [], []
        if report is None:
            return
        rows = report.all_services()
        self.years = [str(r.year) for r in rows]
        self.labels = [cell_text(r.per_10000, Kind.RATE) if r.per_10000 is not None
                       else "no figure" for r in rows]
        bars = QBarSet("All services, per 10,000 bills issued")
        bars.setColor(BAR)
        bars.setBorderColor(BAR)
        for r in rows:
            bars.append(float(r.per_10000) if r.per_10000 is not None else 0.0)
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        line = QLineSeries()
        line.setName(f"Benchmark: {benchmark_text(report.benchmark)} per 10,000")
        pen = QPen(BENCHMARK)
        pen.setWidthF(2.0)
        pen.setStyle(Qt.PenStyle.DashLine)
        line.setPen(pen)
        # across the whole width of the categories (each year is one unit, centred on it)
        level = float(report.benchmark)
        line.append(QPointF(-0.5, level))
        line.append(QPointF(max(len(rows), 1) - 0.5, level))
        chart.addSeries(line)
        years = QBarCategoryAxis()
        years.append(self.years or [""])
        chart.addAxis(years, Qt.AlignmentFlag.AlignBottom)
        values = QValueAxis()
        known = [r.per_10000 for r in rows if r.per_10000 is not None]
        values.setRange(0.0, float(axis_top(max(known + [report.benchmark, Decimal(1)]))))
        values.setTickCount(6)
        values.setLabelFormat("%.1f")
        values.setTitleText("per 10,000 bills")
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(years)
        series.attachAxis(values)
        line.attachAxis(years)
        line.attachAxis(values)
        series.hovered.connect(self._hovered)
        self.bars, self.benchmark_line = bars, line

    def _hovered(self, state: bool, index: int, _bars: QBarSet) -> None:
        self.setToolTip(f"{self.years[index]}: {self.labels[index]} per 10,000 bills"
                        if state and 0 <= index < len(self.years) else "")
