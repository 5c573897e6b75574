"""What fits in the fixed places of the documents -- the envelope window, the letter's
reference block, the memo's identity block -- measured with the fonts' own metrics
(:mod:`.glyphs`) and without ReportLab, so that the case editor and the import can say
at once that a name or an address will not fit, with the same answer the renderer
gives when it sets them (layout.py draws them with :func:`fit_lines` from here).

US Letter, points, origin at the bottom left.
"""

from __future__ import annotations

from typing import Callable

from .errors import UnprintableText
from .glyphs import BOLD, REGULAR, string_width

PAGE_WIDTH = 612.0
MARGIN = 72.0

#: The recipient block: what shows through the window of a #10 window envelope.
WINDOW_SIZES = (10.0, 9.0, 8.0)
WINDOW_LEADING = 12.0
WINDOW_LINES_MAX = 5
WINDOW_X0, WINDOW_X1 = MARGIN, MARGIN + 270
#: The letter's reference block (date, account and case numbers), right of the window.
REF_X0, REF_X1 = 390.0, PAGE_WIDTH - MARGIN
REF_VALUE_SIZES = (10.0, 9.0, 8.0, 7.0)
#: The memo's identity block: (field, first baseline, lines allowed), values from x 200.
MEMO_LABEL_X, MEMO_VALUE_X = MARGIN, 200.0
MEMO_SIZES = (9.5, 8.5, 7.5)
MEMO_FIELDS = (("account", 700.0, 1), ("customer", 686.0, 1), ("mailing", 672.0, 2),
               ("service", 647.0, 2), ("case", 622.0, 1), ("issued", 608.0, 1))
MEMO_LINES = {name: lines for name, _, lines in MEMO_FIELDS}
MEMO_VALUE_WIDTH = PAGE_WIDTH - MARGIN - MEMO_VALUE_X

Measure = Callable[[str, str, float], float]


def fit_lines(lines: list[str], font: str, sizes: tuple[float, ...], width: float,
              max_lines: int, what: str,
              measure: Measure = string_width) -> tuple[float, list[str]]:
    """Set ``lines`` in at most ``max_lines`` lines of ``width``: at the first size in
    ``sizes`` where it fits, wrapping at spaces when a line is too long. Raises
    :class:`UnprintableText` when it fits at no size (it would be cut off on paper)."""
    for size in sizes:
        out: list[str] = []
        ok = True
        for line in lines:
            current = ""
            for word in line.split():
                trial = f"{current} {word}" if current else word
                if measure(trial, font, size) <= width:
                    current = trial
                    continue
                if not current or measure(word, font, size) > width:
                    ok = False
                    break
                out.append(current)
                current = word
            if not ok:
                break
            if current:
                out.append(current)
        if ok and len(out) <= max_lines:
            return size, out
    raise UnprintableText(
        f"The {what} is too long to print in its place on the page (at most {max_lines} "
        f"line(s) of {width / 72:.1f} inches). Shorten or abbreviate it in the case and "
        f"issue again.")


def fits(lines: list[str], font: str, sizes: tuple[float, ...], width: float,
         max_lines: int) -> bool:
    try:
        fit_lines(lines, font, sizes, width, max_lines, "text")
    except UnprintableText:
        return False
    return True


def place_problems(name: str, window: list[str] | None, account_number: str,
                   service_address: str) -> list[tuple[str, str]]:
    """(field, message) for each value that would not fit its fixed place: ``window``
    is the address lines in the envelope window under ``name`` (None: no address)."""
    out: list[tuple[str, str]] = []
    inches = f"{(WINDOW_X1 - WINDOW_X0) / 72:.2f}"
    if account_number and not fits([account_number], BOLD, REF_VALUE_SIZES, REF_X1 - REF_X0, 1):
        out.append(("account.number", "is too long for its place on the letter (one line of "
                                      f"{(REF_X1 - REF_X0) / 72:.1f} inches)"))
    if name and not fits([name], REGULAR, MEMO_SIZES, MEMO_VALUE_WIDTH, MEMO_LINES["customer"]):
        out.append(("account.customer_name", "is too long for its place on the memo (one line "
                                             f"of {MEMO_VALUE_WIDTH / 72:.1f} inches)"))
    elif name and window is not None and not fits(
            [name, *window], REGULAR, WINDOW_SIZES, WINDOW_X1 - WINDOW_X0, WINDOW_LINES_MAX):
        out.append(("window", f"the name and the address take more than {WINDOW_LINES_MAX} "
                              f"lines of the envelope window ({inches} inches wide): "
                              "shorten or abbreviate them"))
    if window and not fits([", ".join(window)], REGULAR, MEMO_SIZES, MEMO_VALUE_WIDTH,
                           MEMO_LINES["mailing"]):
        out.append(("window", "the address is too long for its place on the memo"))
    if service_address and not fits([service_address], REGULAR, MEMO_SIZES, MEMO_VALUE_WIDTH,
                                    MEMO_LINES["service"]):
        out.append(("account.service_address", "is too long for its place on the memo (two "
                                               f"lines of {MEMO_VALUE_WIDTH / 72:.1f} inches)"))
    return out
