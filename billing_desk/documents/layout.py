"""Page geometry and type: where the fixed fields of each document are drawn, shared
by the renderer (which draws them there) and the read-back check (which reads exactly
those places back out of the PDF). US Letter, points, origin at the bottom left.

The fields that identify a customer — the envelope window, the account and case
numbers, the footer of every page — are drawn at fixed places on the canvas rather
than flowed, so the check can compare what is printed in each place, not merely find
the right words somewhere on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

from .fitting import (MARGIN, MEMO_FIELDS, MEMO_LABEL_X, MEMO_SIZES, MEMO_VALUE_X,  # noqa: F401
                      PAGE_WIDTH, REF_VALUE_SIZES, REF_X0, REF_X1, WINDOW_LEADING,
                      WINDOW_LINES_MAX, WINDOW_SIZES, WINDOW_X0, WINDOW_X1, fit_lines)
from .flowables import TextStyle, TextWriter, stringWidth
from .fonts import BOLD, REGULAR, preassign_characters

PAGE_HEIGHT = LETTER[1]
assert LETTER[0] == PAGE_WIDTH
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
BODY_BOTTOM = 58.0
#: non-ASCII characters the layout draws itself (bullets, separators, signs)
LAYOUT_CHARACTERS = "•−·—"
GREY = colors.Color(0.35, 0.35, 0.35)
RULE_GREY = colors.Color(0.7, 0.7, 0.7)
STAMP_RED = colors.Color(0.75, 0.1, 0.1)


@dataclass(frozen=True, slots=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def value_rect(x0: float, x1: float, top_baseline: float, bottom_baseline: float,
               size: float) -> Rect:
    """The box around text lines from ``top_baseline`` down to ``bottom_baseline``: from a
    little below the lowest baseline to just under a cap height above the top one, so a
    line 12 points away is outside it."""
    return Rect(x0 - 4, bottom_baseline - 4, x1 + 4, top_baseline + size - 1)


# --- every page ---------------------------------------------------------------------------
FOOTER_BASELINE = 40.0
FOOTER_SIZE = 8.0
FOOTER_SPLIT = 430.0
FOOTER_RECT = value_rect(MARGIN, FOOTER_SPLIT - 10, FOOTER_BASELINE, FOOTER_BASELINE, FOOTER_SIZE)
PAGE_NUMBER_RECT = value_rect(FOOTER_SPLIT, PAGE_WIDTH - MARGIN, FOOTER_BASELINE,
                              FOOTER_BASELINE, FOOTER_SIZE)
COPY_BOX = Rect(PAGE_WIDTH - MARGIN - 96, PAGE_HEIGHT - 40, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 14)
#: The preview watermark: one diagonal line across the middle of every page, clear of
#: every place the read-back check reads (envelope window, reference and identity
#: blocks above y 570, the footer below y 50), so a preview is checked like an issue.
WATERMARK_CENTRE = (PAGE_WIDTH / 2, 330.0)
WATERMARK_ANGLE = 30.0
WATERMARK_LENGTH = 500.0
WATERMARK_MAX_SIZE = 46.0
WATERMARK_ALPHA = 0.22
LATER_PAGE_TOP = PAGE_HEIGHT - 60.0

# --- letter, first page -------------------------------------------------------------------
LETTERHEAD_NAME_BASELINE = PAGE_HEIGHT - 52
LETTERHEAD_LINE_BASELINES = (PAGE_HEIGHT - 66, PAGE_HEIGHT - 77)
LETTERHEAD_RULE_Y = PAGE_HEIGHT - 86
#: The recipient block (its width and sizes in fitting.py, which the editor's checks
#: share): what shows through the window of a #10 window envelope.
WINDOW_TOP_BASELINE = PAGE_HEIGHT - 150
WINDOW_RECT = value_rect(WINDOW_X0, WINDOW_X1, WINDOW_TOP_BASELINE,
                         WINDOW_TOP_BASELINE - WINDOW_LEADING * (WINDOW_LINES_MAX - 1),
                         WINDOW_SIZES[0])
REF_LABEL_SIZE, REF_VALUE_SIZE = 7.5, 10.0
#: (label baseline, value baseline) of the reference block: date, account, case
REF_DATE, REF_ACCOUNT, REF_CASE = ((648.0, 636.0), (620.0, 608.0), (592.0, 580.0))
LETTER_ACCOUNT_RECT = value_rect(REF_X0, REF_X1, REF_ACCOUNT[1], REF_ACCOUNT[1], REF_VALUE_SIZE)
LETTER_CASE_RECT = value_rect(REF_X0, REF_X1, REF_CASE[1], REF_CASE[1], REF_VALUE_SIZE)
LETTER_FIRST_TOP = 560.0

# --- memo, first page ---------------------------------------------------------------------
MEMO_HEAD_BASELINE = PAGE_HEIGHT - 48
MEMO_TITLE_BASELINE = PAGE_HEIGHT - 72
MEMO_LEADING = 11.0
MEMO_RECTS = {name: value_rect(MEMO_VALUE_X, PAGE_WIDTH - MARGIN, top,
                               top - MEMO_LEADING * (lines - 1), MEMO_SIZES[0])
              for name, top, lines in MEMO_FIELDS}
MEMO_FIRST_TOP = 590.0


def draw_internal_head(text: TextWriter, letterhead: str, internal: str, title: str, *,
                       stamped: bool) -> None:
    """The head of an internal document's first page (a memo, a case or incident
    summary): the office at the left, the internal marking at the right -- ``stamped``
    in the stamp's bold red (the summaries), else in the head's grey (the memos) -- and
    the title below them."""
    text.fill(GREY)
    text.font(REGULAR, 8)
    text.line(MARGIN, MEMO_HEAD_BASELINE, letterhead)
    if stamped:
        text.fill(STAMP_RED)
        text.font(BOLD, 8)
    text.right(PAGE_WIDTH - MARGIN, MEMO_HEAD_BASELINE, internal)
    text.fill(colors.black)
    text.font(BOLD, 16)
    text.line(MARGIN, MEMO_TITLE_BASELINE, title)


@dataclass(slots=True)
class PageDecor:
    """What goes on every page at save time (when the page count is known), and the
    page count once saved."""

    footer: str
    page_of: str  # template with {page} and {pages}
    copy_stamp: str | None
    preview_stamp: str | None = None
    characters: str = ""  # non-ASCII characters to pre-assign in the fonts (fonts.py)
    pages: int = 0


def draw_lines(text: TextWriter, x: float, top_baseline: float, leading: float, font: str,
               size: float, lines: list[str]) -> None:
    text.font(font, size)
    for i, line in enumerate(lines):
        text.line(x, top_baseline - i * leading, line)


class DecoratedCanvas(Canvas):
    """A canvas that holds its pages until the document is complete, then draws on
    each the footer (identity, "Page n of m"), on a reprint the COPY stamp and on a
    preview the PREVIEW · NOT ISSUED watermark. Text at fixed places (here and on the
    first pages) is written with :class:`~.flowables.TextWriter`, not ``drawString``,
    which makes a text object for every string (a tenth of a letter's rendering)."""

    def __init__(self, *args, decor: PageDecor, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._decor = decor
        self._pages: list[dict] = []
        preassign_characters(self._doc, decor.characters + LAYOUT_CHARACTERS)

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        decor = self._decor
        decor.pages = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(number, decor)
            Canvas.showPage(self)
        Canvas.save(self)

    def _decorate(self, number: int, decor: PageDecor) -> None:
        self.saveState()
        text = TextWriter(self)
        text.fill(GREY)
        text.font(REGULAR, FOOTER_SIZE)
        text.line(MARGIN, FOOTER_BASELINE, decor.footer)
        text.right(PAGE_WIDTH - MARGIN, FOOTER_BASELINE,
                   decor.page_of.format(page=number, pages=decor.pages))
        text.close()
        if decor.copy_stamp:
            box = COPY_BOX
            self.setStrokeColor(STAMP_RED)
            self.setFillColor(STAMP_RED)
            self.setLineWidth(1.5)
            self.rect(box.x0 + 2, box.y0 + 2, box.width - 4, box.y1 - box.y0 - 4)
            self.setFont(BOLD, 15)
            self.drawCentredString((box.x0 + box.x1) / 2, box.y0 + 8, decor.copy_stamp)
        if decor.preview_stamp:
            self._watermark(decor.preview_stamp)
        self.restoreState()

    def _watermark(self, text: str) -> None:
        size = min(WATERMARK_MAX_SIZE, WATERMARK_LENGTH / stringWidth(text, BOLD, 1))
        self.saveState()
        self.setFillColor(STAMP_RED)
        self.setFillAlpha(WATERMARK_ALPHA)
        self.translate(*WATERMARK_CENTRE)
        self.rotate(WATERMARK_ANGLE)
        self.setFont(BOLD, size)
        self.drawCentredString(0, -size / 3, text)
        self.restoreState()


@dataclass(frozen=True)
class Styles:
    body: TextStyle
    tight: TextStyle
    small: TextStyle
    subject: TextStyle
    heading: TextStyle
    bullet: TextStyle
    memo_heading: TextStyle


@cache
def styles() -> Styles:
    """Text styles, built once per process."""
    return Styles(
        body=TextStyle(size=9.5, leading=12.8, space_after=6),
        tight=TextStyle(size=9.5, leading=12.8, space_after=0),
        small=TextStyle(size=8, leading=10.5, space_after=3),
        subject=TextStyle(size=11, leading=14, space_after=4, bold=True),
        heading=TextStyle(size=10, leading=13, space_before=6, space_after=5, bold=True),
        bullet=TextStyle(size=9.5, leading=12.8, space_after=4, indent=14),
        memo_heading=TextStyle(size=9.5, leading=12, space_before=5, space_after=3, bold=True),
    )
