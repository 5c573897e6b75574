"""The histogram of an incident's amounts (QtCharts): how many accounts are credited or
back-billed how much, in the round-width bins of ``domain.incident.histogram``, with
the outlier fences marked. QtCharts loads with this module, which loads with the
incident window only (never before the main window's first frame).

The bins and their edges are Decimal (the domain's); the bar heights are counts, and
a chart wants floats for drawing: that conversion happens here and nowhere else.
"""

from __future__ import annotations

from decimal import Decimal

from .qt import (
    QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QColor, QMargins, QPainter,
    QValueAxis, QWidget, Qt,
)

from ..domain.incident import Bin, Fences
from .a11y import identify


def _short(amount: Decimal) -> str:
    """A bin edge for the axis: $1,250 (cents only when the bins are that narrow)."""
    if amount == amount.to_integral_value():
        return f"${amount:,.0f}"
    return f"${amount:,.2f}"


class IncidentHistogram(QChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        identify(self, "incident_histogram", "Histogram of the amounts",
                 "How many accounts are credited or back-billed how much; outlier bins in red")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(200)
        self.bins: tuple[Bin, ...] = ()
        self.show_bins((), None)

    def show_bins(self, bins: tuple[Bin, ...], fences: Fences | None) -> None:
        self.bins = bins
        chart = QChart()
        chart.setTitle("Accounts by amount credited or back-billed")
        chart.legend().setVisible(False)
        chart.setMargins(QMargins(4, 4, 4, 4))
        inside, outside = QBarSet("accounts"), QBarSet("outlier bins")
        inside.setColor(QColor("#3a6ea5"))
        outside.setColor(QColor("#b00020"))
        labels = []
        for b in bins:
            far = fences is not None and (b.high <= fences.low or b.low > fences.high)
            # counts as the chart's floats: drawing only, never money
            (outside if far else inside).append(float(b.count))
            (inside if far else outside).append(0.0)
            labels.append(_short(b.low))  # each bar from its lower edge to the next's
        series = QBarSeries()
        series.setBarWidth(0.95)
        series.append(inside)
        series.append(outside)
        chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(labels or [""])
        x.setLabelsAngle(-90)
        x.setTitleText("amount (lower edge of each bar)")
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(x)
        y = QValueAxis()
        y.setLabelFormat("%d")
        y.setRange(0, max([b.count for b in bins] + [1]))
        y.applyNiceNumbers()
        y.setTitleText("accounts")
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(y)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()
        summary = ", ".join(f"{b.count} between {_short(b.low)} and {_short(b.high)}"
                            for b in bins if b.count)
        self.setAccessibleDescription(summary or "No account has an amount to credit or back-bill.")
