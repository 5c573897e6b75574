"""Lean platypus flowables for the documents' text and tables.

ReportLab's ``Paragraph`` parses markup with an HTML parser and ``Table`` resolves a
general style language for every cell; for letters made by the ten thousand that was
most of the rendering time. The documents need much less: text in one font with bold
runs, wrapped at spaces, and tables of one-line (or explicitly broken) cells. These two
flowables do that and nothing else; both split across pages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color, black
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth as _string_width
from reportlab.platypus import Flowable

from .fonts import BOLD, REGULAR

Run = tuple[str, bool]  # (text, bold)

#: Words, amounts and dates recur from document to document: measure each once.
stringWidth = lru_cache(maxsize=1 << 16)(_string_width)


@dataclass(frozen=True, slots=True)
class TextStyle:
    size: float = 9.5
    leading: float = 13.2
    space_before: float = 0.0
    space_after: float = 7.0
    indent: float = 0.0  # left indent of every line (the bullet hangs in it)
    bold: bool = False  # the whole block bold
    color: Color = black


def _words(runs: list[Run], bold_all: bool) -> list[tuple[str, str, bool]]:
    """Runs cut into (word, font, space_before) pieces; breaks only at ASCII spaces, so
    Babel's no-break and thin spaces keep an amount or a date range on one line."""
    out: list[tuple[str, str, bool]] = []
    pending_space = False
    for text, bold in runs:
        font = BOLD if bold or bold_all else REGULAR
        parts = text.split(" ")
        for i, part in enumerate(parts):
            if i > 0:
                pending_space = True
            if part:
                if out and not pending_space and out[-1][1] == font:
                    word, _, sp = out[-1]
                    out[-1] = (word + part, font, sp)
                else:
                    out.append((part, font, pending_space))
                pending_space = False
    return out


def _wrap(words: list[tuple[str, str, bool]], size: float, width: float) -> list[list]:
    """Greedy lines of [(text, font)] segments, each line at most ``width`` wide (a single
    word wider than the line stands alone on its line)."""
    lines: list[list] = []
    line: list[list] = []
    x = 0.0
    space_w = {REGULAR: stringWidth(" ", REGULAR, size), BOLD: stringWidth(" ", BOLD, size)}
    for word, font, space in words:
        w = stringWidth(word, font, size)
        gap = space_w[font] if (space and line) else 0.0
        if line and x + gap + w > width:
            lines.append(line)
            line, x, gap = [], 0.0, 0.0
        if line and line[-1][1] == font:
            line[-1][0] += (" " if gap else "") + word
        else:
            line.append([(" " if gap else "") + word, font])
        x += gap + w
    if line:
        lines.append(line)
    return lines


@lru_cache(maxsize=4096)
def _lines_of(runs: tuple[Run, ...], bold_all: bool, size: float,
              width: float) -> tuple[tuple[tuple[str, str], ...], ...]:
    """The wrapped lines of a paragraph: most paragraphs recur word for word from letter
    to letter (the same wording, the same clause reasons), so each is wrapped once."""
    return tuple(tuple((text, font) for text, font in line)
                 for line in _wrap(_words(list(runs), bold_all), size, width))


@lru_cache(maxsize=1 << 14)
def _text_matrix(x: float, y: float) -> str:
    """The operator that starts a line at (x, y): lines fall at the same places from
    document to document."""
    return f"1 0 0 1 {fp_str(x, y)} Tm"


class TextWriter:
    """Text operators written straight into a canvas page: one BT..ET block for a whole
    paragraph or table, fonts switched only when they change. Does what ReportLab's
    text object does for a TrueType font (subset codes from ``splitString``, the
    subset's font resource, escaped strings) without its per-call bookkeeping, which was
    a quarter of the rendering time. The read-back check of every issued document
    verifies the result."""

    __slots__ = ("_canvas", "_doc", "_ops", "_font", "_size", "_current")

    def __init__(self, canvas) -> None:
        self._canvas = canvas
        self._doc = canvas._doc
        self._ops = ["BT"]
        self._font = pdfmetrics.getFont(REGULAR)
        self._size = 10.0
        self._current: tuple | None = None

    def font(self, name: str, size: float) -> None:
        self._font = pdfmetrics.getFont(name)
        self._size = size

    def fill(self, color: Color) -> None:
        self._ops.append(f"{fp_str(color.red, color.green, color.blue)} rg")

    def at(self, x: float, y: float) -> None:
        self._ops.append(_text_matrix(x, y))

    def line(self, x: float, y: float, text: str) -> None:
        """``text`` with its baseline starting at (x, y)."""
        self.at(x, y)
        self.show(text)

    def right(self, x: float, y: float, text: str) -> None:
        """``text`` ending at x (as ``Canvas.drawRightString`` places it)."""
        self.line(x - stringWidth(text, self._font.fontName, self._size), y, text)

    def show(self, text: str) -> None:
        font, doc, ops = self._font, self._doc, self._ops
        for subset, data in font.splitString(text, doc):
            key = (font.fontName, subset, self._size)
            if key != self._current:
                ops.append(f"{font.getSubsetInternalName(subset, doc)} {fp_str(self._size)} Tf")
                self._current = key
            ops.append(f"({self._canvas._escape(data)}) Tj")

    def close(self) -> None:
        self._ops.append("ET")
        self._canvas._code.append("\n".join(self._ops))


class TextBlock(Flowable):
    """A paragraph: runs of regular and bold text, wrapped to the frame width, with an
    optional hanging bullet."""

    def __init__(self, runs: list[Run] | str, style: TextStyle, bullet: str = "",
                 _lines: tuple[tuple, float] | None = None) -> None:
        super().__init__()
        self.runs = [(runs, False)] if isinstance(runs, str) else runs
        self.style = style
        self.bullet = bullet
        # a part of a split paragraph keeps its lines, wrapped for their width
        self._lines, self._width = _lines if _lines else (None, 0.0)
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after

    def wrap(self, availWidth, availHeight):  # noqa: N803 - platypus API
        width = availWidth - self.style.indent
        if self._lines is None or self._width != width:
            self._lines = _lines_of(tuple(self.runs), self.style.bold, self.style.size, width)
            self._width = width
        self.width = availWidth
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth, availHeight):  # noqa: N803 - platypus API
        self.wrap(availWidth, availHeight)
        fit = int(availHeight // self.style.leading)
        if fit <= 0 or fit >= len(self._lines):
            return []
        first_style = TextStyle(**{**_fields(self.style), "space_after": 0.0})
        rest_style = TextStyle(**{**_fields(self.style), "space_before": 0.0})
        return [TextBlock(self.runs, first_style, self.bullet, (self._lines[:fit], self._width)),
                TextBlock(self.runs, rest_style, "", (self._lines[fit:], self._width))]

    def draw(self) -> None:
        st = self.style
        text = TextWriter(self.canv)
        text.fill(st.color)
        y = self.height - st.size
        if self.bullet:
            text.font(REGULAR, st.size)
            text.at(st.indent - 12, y)
            text.show(self.bullet)
        for line in self._lines:
            text.at(st.indent, y)
            for segment, font in line:
                text.font(font, st.size)
                text.show(segment)
            y -= st.leading
        text.close()


def _fields(style: TextStyle) -> dict:
    return {name: getattr(style, name) for name in TextStyle.__slots__}


@dataclass(frozen=True, slots=True)
class GridStyle:
    size: float = 8.5
    header_size: float = 8.0
    leading: float = 10.0
    pad: float = 2.5  # above and below each row
    side_pad: float = 3.0
    header_fill: Color = Color(0.92, 0.92, 0.92)
    rule: Color = Color(0.7, 0.7, 0.7)
    total_row: bool = False  # the last row is a total: bold, ruled above
    space_after: float = 6.0


class Grid(Flowable):
    """A table of text cells: a bold header row on a grey band (repeated on each page),
    body rows, optionally a bold total row. A cell's ``\\n`` breaks its line; columns are
    left- or right-aligned ("L"/"R")."""

    def __init__(self, header: list[str], rows: list[list[str]], widths: list[float],
                 aligns: str, style: GridStyle, first_part: bool = True) -> None:
        super().__init__()
        self.header = header
        self.rows = rows
        self.widths = widths
        self.aligns = aligns
        self.style = style
        self.spaceAfter = style.space_after
        self._first_part = first_part
        self._header_h = self._row_height(header)
        self._heights = [self._row_height(r) for r in rows]

    def _row_height(self, row: list[str]) -> float:
        return max(c.count("\n") + 1 for c in row) * self.style.leading + 2 * self.style.pad

    def wrap(self, availWidth, availHeight):  # noqa: N803 - platypus API
        self.width = sum(self.widths)
        self.height = self._header_h + sum(self._heights)
        return self.width, self.height

    def split(self, availWidth, availHeight):  # noqa: N803 - platypus API
        room = availHeight - self._header_h
        used, n = 0.0, 0
        for h in self._heights:
            if used + h > room:
                break
            used += h
            n += 1
        # keep the total row with at least one body row; split only between rows
        if self.style.total_row and n == len(self.rows) - 1:
            n -= 1
        if n <= 0 or n >= len(self.rows):
            return []
        head_style = GridStyle(**{**{k: getattr(self.style, k) for k in GridStyle.__slots__},
                                  "total_row": False, "space_after": 0.0})
        return [Grid(self.header, self.rows[:n], self.widths, self.aligns, head_style),
                Grid(self.header, self.rows[n:], self.widths, self.aligns, self.style,
                     first_part=False)]

    def draw(self) -> None:
        st = self.style
        canvas = self.canv
        canvas.saveState()
        y = self.height
        canvas.setFillColor(st.header_fill)
        canvas.rect(0, y - self._header_h, self.width, self._header_h, stroke=0, fill=1)
        canvas.setStrokeColor(st.rule)
        canvas.setLineWidth(0.6)
        canvas.line(0, y - self._header_h, self.width, y - self._header_h)
        text = TextWriter(canvas)
        text.fill(black)
        y = self._draw_row(text, self.header, y, self._header_h, BOLD, st.header_size,
                           valign_bottom=True)
        last = len(self.rows) - 1
        for i, (row, h) in enumerate(zip(self.rows, self._heights)):
            total = st.total_row and i == last
            if total:
                canvas.setStrokeColor(black)
                canvas.line(0, y, self.width, y)
            y = self._draw_row(text, row, y, h, BOLD if total else REGULAR, st.size)
        text.close()
        canvas.restoreState()

    def _draw_row(self, text: TextWriter, row: list[str], top: float, height: float, font: str,
                  size: float, valign_bottom: bool = False) -> float:
        st = self.style
        text.font(font, size)
        x = 0.0
        lines_max = max(c.count("\n") + 1 for c in row)
        for cell, width, align in zip(row, self.widths, self.aligns):
            lines = cell.split("\n")
            offset = (lines_max - len(lines)) * st.leading if valign_bottom else 0.0
            y = top - st.pad - size - offset
            for line in lines:
                line_size = cell_size(line, font, size, width - 2 * st.side_pad)
                if line_size != size:
                    text.font(font, line_size)
                if align == "R":
                    text.right(x + width - st.side_pad, y, line)
                else:
                    text.line(x + st.side_pad, y, line)
                if line_size != size:
                    text.font(font, size)
                y -= st.leading
            x += width
        return top - height


def cell_size(line: str, font: str, size: float, room: float) -> float:
    """The size a cell's line is set at: ``size``, or smaller if that is what it takes
    to keep it inside its cell (an amount of hundreds of millions in a narrow column);
    text is never drawn into the next column."""
    width = stringWidth(line, font, size)
    return size if width <= room else math.floor(size * room / width * 100) / 100


@lru_cache(maxsize=4096)  # (headings and labels recur in every document)
def fit_cell(text: str, width: float, font: str, size: float) -> str:
    """``text`` broken at spaces into lines no wider than ``width`` (joined by ``\\n``),
    for a grid cell such as a long column heading."""
    lines = _wrap(_words([(text, font == BOLD)], False), size, width)
    return "\n".join("".join(seg for seg, _ in line) for line in lines)
