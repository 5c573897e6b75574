"""A report as a PDF (ReportLab, embedded DejaVu, US Letter landscape): its title, the
dates it covers and how it counts, the billing accuracy chart drawn with ReportLab's
own graphics (bars per year against the benchmark line, each bar labelled with its
rate as the table prints it), and every table, split across pages with its header
repeated; "Page n of m" on each page.

Before the bytes are handed back they are read back (pdfium, as every issued document
is) and every row of every table must be found in the text, in order: a report that
would not print what the tables hold is refused (:class:`ReportMismatch`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, PageTemplate, Spacer

from ..domain.reports import AccuracyReport, Kind, Report, Table
from .errors import DocumentError
from .flowables import Grid, GridStyle, TextBlock, TextStyle, TextWriter, fit_cell, stringWidth
from .fonts import BOLD, REGULAR
from .reportlab_setup import prepare_reportlab
from .readback import normalise, page_texts
from .report_format import REPORT_LOCALE, benchmark_text, cell_text, is_number

PAGE_WIDTH, PAGE_HEIGHT = landscape(LETTER)
MARGIN = 48.0
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
FOOTER_BASELINE = 28.0
GREY = colors.Color(0.35, 0.35, 0.35)
BAR = colors.Color(0.16, 0.38, 0.62)
BENCHMARK = colors.Color(0.78, 0.2, 0.12)
#: a text column is at most this wide; longer texts wrap in their cell
TEXT_COLUMN_MAX = 170.0

_TITLE = TextStyle(size=16, leading=20, space_after=2, bold=True)
_SUBTITLE = TextStyle(size=9, leading=12, space_after=6, color=GREY)
_NOTE = TextStyle(size=8, leading=10.5, space_after=3)
_HEADING = TextStyle(size=10.5, leading=13, space_before=8, space_after=4, bold=True)
_TABLE_NOTE = TextStyle(size=7.5, leading=9.5, space_after=3, color=GREY)
_GRID = GridStyle(size=7.5, header_size=7, leading=9.0, pad=1.8, side_pad=3, total_row=True)


class ReportMismatch(DocumentError):
    """The PDF of a report does not read back as its tables: it is not handed out."""

    def __init__(self, title: str, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"The PDF of the report “{title}” does not read back as its "
                         f"tables ({'; '.join(problems[:3])}); it was not saved. Report this "
                         "to support.")


@dataclass(frozen=True, slots=True)
class RenderedReport:
    pdf: bytes
    pages: int


class _NumberedCanvas(Canvas):
    """Holds its pages until the report is complete, then writes the footer with
    "Page n of m" on each (the page count is known only then)."""

    def __init__(self, *args, footer: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict] = []
        self.page_count = 0

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        count = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            text = TextWriter(self)
            text.fill(GREY)
            text.font(REGULAR, 7.5)
            text.line(MARGIN, FOOTER_BASELINE, self._footer)
            text.right(PAGE_WIDTH - MARGIN, FOOTER_BASELINE,
                       f"Page {number} of {count}")
            text.close()
            Canvas.showPage(self)
        Canvas.save(self)
        self.page_count = count


def _cells(table: Table) -> list[list[str]]:
    return [[cell_text(v, c.kind) for v, c in zip(row, table.columns)] for row in table.rows]


def _layout(table: Table, cells: list[list[str]]) -> tuple[list[float], list[str], list[list[str]]]:
    """Column widths that fit the page, the wrapped column titles, the cells with long
    texts wrapped in their column."""
    pad = 2 * _GRID.side_pad
    widths = []
    for i, column in enumerate(table.columns):
        content = max((stringWidth(row[i], BOLD, _GRID.size) for row in cells), default=0.0)
        words = max(stringWidth(w, BOLD, _GRID.header_size) for w in column.title.split())
        whole = stringWidth(column.title, BOLD, _GRID.header_size)
        width = max(content, words, min(whole, 64.0)) + pad
        if column.kind is Kind.TEXT:
            width = min(width, TEXT_COLUMN_MAX)
        widths.append(width)
    if sum(widths) > BODY_WIDTH:
        widths = [w * BODY_WIDTH / sum(widths) for w in widths]
    header = [fit_cell(c.title, w - pad, BOLD, _GRID.header_size)
              for c, w in zip(table.columns, widths)]
    body = [[fit_cell(text, w - pad, REGULAR, _GRID.size) if c.kind is Kind.TEXT else text
             for text, w, c in zip(row, widths, table.columns)] for row in cells]
    return widths, header, body


def _grid(table: Table) -> Grid:
    widths, header, body = _layout(table, _cells(table))
    aligns = "".join("R" if is_number(c.kind) else "L" for c in table.columns)
    style = _GRID if table.totals else GridStyle(**{**{k: getattr(_GRID, k)
                                                       for k in GridStyle.__slots__},
                                                    "total_row": False})
    return Grid(header, body, widths, aligns, style)


def _axis_top(highest: Decimal) -> tuple[Decimal, Decimal]:
    """A round top for the value axis above ``highest``, and its step (five steps)."""
    for step in (Decimal("0.5"), Decimal(1), Decimal(2), Decimal(5), Decimal(10), Decimal(20),
                 Decimal(25), Decimal(50), Decimal(100), Decimal(200), Decimal(500),
                 Decimal(1000), Decimal(2000)):
        if step * 5 >= highest * Decimal("1.08"):
            return step * 5, step
    return Decimal(10_000), Decimal(2000)


def accuracy_chart(report: AccuracyReport, width: float = BODY_WIDTH,
                   height: float = 190.0) -> Drawing:
    """Bars of each year's adjusted bills per 10,000 (all services), the benchmark as a
    line across them. Floats only place the drawing; every figure printed on it is the
    report's own text (the bars' labels, the benchmark's, the axis steps)."""
    rows = report.all_services()
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 44, 40, width - 60, height - 66
    values = [r.per_10000 for r in rows]
    known = [v for v in values if v is not None]
    top, step = _axis_top(max(known + [report.benchmark, Decimal(1)]))
    chart.data = [[float(v) if v is not None else 0.0 for v in values] or [0.0]]
    chart.categoryAxis.categoryNames = [str(r.year) for r in rows] or [""]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0.0, float(top)
    ticks = [step * k for k in range(6)]
    chart.valueAxis.valueSteps = [float(t) for t in ticks]
    tick_text = {float(t): cell_text(t, Kind.RATE) for t in ticks}
    chart.valueAxis.labelTextFormat = lambda v: tick_text.get(v, "")
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.88, 0.88, 0.88)
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "values"
    chart.barLabelArray = [[cell_text(v, Kind.RATE) if v is not None else "no figure"
                            for v in values] or [""]]
    chart.barLabels.fontName = BOLD
    chart.barLabels.fontSize = 7.5
    chart.barLabels.nudge = 6
    drawing.add(chart)
    y = chart.y + chart.height * float(report.benchmark / top)
    drawing.add(Line(chart.x, y, chart.x + chart.width, y, strokeColor=BENCHMARK,
                     strokeWidth=1.4, strokeDashArray=[5, 3]))
    # the legend, under the years: what the bars are, what the line is
    legend_y = 8
    drawing.add(Rect(chart.x, legend_y - 1, 14, 7, fillColor=BAR, strokeColor=None))
    drawing.add(String(chart.x + 18, legend_y, "All services, per 10,000 bills issued",
                       fontName=REGULAR, fontSize=7.5))
    x = chart.x + 30 + stringWidth("All services, per 10,000 bills issued", REGULAR, 7.5)
    drawing.add(Line(x, legend_y + 2.5, x + 18, legend_y + 2.5, strokeColor=BENCHMARK,
                     strokeWidth=1.4, strokeDashArray=[5, 3]))
    drawing.add(String(x + 22, legend_y, f"Benchmark: {benchmark_text(report.benchmark)} "
                       "per 10,000", fontName=REGULAR, fontSize=7.5, fillColor=BENCHMARK))
    drawing.add(String(chart.x - 36, chart.y + chart.height + 14,
                       "Bills adjusted per 10,000 bills issued, all services",
                       fontName=BOLD, fontSize=8.5, fillColor=colors.black))
    return drawing


def _story(report: Report, generated: date, organisation: str) -> list[Any]:
    subtitle = (f"{organisation + ' · ' if organisation else ''}Dates: {report.period.label()} · "
                f"generated {cell_text(generated, Kind.DATE)} by Billing Desk")
    story: list[Any] = [TextBlock(report.title, _TITLE), TextBlock(subtitle, _SUBTITLE)]
    story += [TextBlock(note, _NOTE) for note in report.notes]
    if isinstance(report, AccuracyReport) and report.rows:
        story += [Spacer(1, 6), accuracy_chart(report), Spacer(1, 4)]
    for table in report.tables:
        head = [TextBlock(table.title, _HEADING)]
        if table.note:
            head.append(TextBlock(table.note, _TABLE_NOTE))
        if not table.rows:
            story += head + [TextBlock("Nothing to report for these dates.", _NOTE)]
            continue
        # a heading never ends a page without some of its table below it
        story += [CondPageBreak(_HEADING.leading * 2 + 70), *head, _grid(table)]
    return story


def render_report(report: Report, *, generated: date, organisation: str = "") -> RenderedReport:
    """The report as PDF bytes, read back and checked (:class:`ReportMismatch`)."""
    prepare_reportlab()
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN - 6, bottomMargin=MARGIN, invariant=1, title=report.title,
        author=organisation or "Billing Desk", subject=f"{report.title}, {report.period.label()}",
        creator="Billing Desk", lang=REPORT_LOCALE.replace("_", "-"), initialFontName=REGULAR)
    frame = Frame(MARGIN, MARGIN, BODY_WIDTH, PAGE_HEIGHT - 2 * MARGIN + 6, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    footer = f"Billing Desk · {report.title} · {report.period.label()}"
    made: list[_NumberedCanvas] = []

    def canvas(*args, **kwargs) -> _NumberedCanvas:
        made.append(_NumberedCanvas(*args, footer=footer, **kwargs))
        return made[-1]

    doc.build(_story(report, generated, organisation), canvasmaker=canvas)
    pdf = buf.getvalue()
    check_report_pdf(report, pdf)
    return RenderedReport(pdf, made[-1].page_count)


def check_report_pdf(report: Report, pdf: bytes) -> None:
    """Every row of every table, and the chart's bars, must read back from ``pdf`` in
    order (each row's cells one after another on one page)."""
    pages = page_texts(pdf)
    whole = " ".join(pages)
    problems = []
    for table in report.tables:
        at = 0  # rows come in order: each is looked for after the one before it
        page = 0
        for row in _cells(table):
            wanted = normalise(" ".join(row))
            while page < len(pages) and wanted not in pages[page][at:]:
                page, at = page + 1, 0
            if page == len(pages):
                problems.append(f"{table.title}: the row “{wanted}” is not printed")
                page, at = 0, 0
                continue
            at = pages[page].index(wanted, at) + len(wanted)
    if isinstance(report, AccuracyReport):
        for row in report.all_services():
            label = cell_text(row.per_10000, Kind.RATE) if row.per_10000 is not None else "no figure"
            if label not in whole:
                problems.append(f"the chart's bar for {row.year} ({label}) is not printed")
    if problems:
        raise ReportMismatch(report.title, problems)
