"""What a clerk types or pastes, turned into dates and amounts — or a message saying why not.

Accepts the usual US forms as well as the case@1 forms: dates like ``1/31/2024``,
``01/31/24``, ``2024-01-31``, ``Jan 31, 2024``, ``31-Jan-2024``; amounts like
``$1,234.56``, ``1234.5``, ``12``. Pasted rows (tab-separated, from a spreadsheet or the
billing system) and CSV files become period drafts, with every bad cell reported by row
and column and every good cell kept.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from ..errors import BillingDeskError
from .dates import MAX_YEAR, MIN_YEAR
from .draft import PeriodDraft
from .limits import PERIODS, PERIODS_CSV_BYTES, size_text


class EntryError(BillingDeskError, ValueError):
    """A typed value that cannot be used; the message is shown at the field."""


_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
# Each form is matched with ``fullmatch`` against the stripped text: surrounding blanks
# (a cell pasted with its line break) are forgiven, anything else left over is refused
# (``$`` alone would match before a final newline, RULES.md §9).
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})")
_MON_D_Y = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})")
_D_MON_Y = re.compile(r"(\d{1,2})[-\s]([A-Za-z]{3,9})[-\s](\d{2}|\d{4})")


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:  # the POSIX pivot: 69 -> 2069, 70 -> 1970
        y += 2000 if y < 70 else 1900
    return y


def _month(name: str) -> int:
    """A month by full name or three-letter abbreviation (and "Sept")."""
    n = name.lower().rstrip(".")
    for i, full in enumerate(_MONTH_NAMES):
        if n in (full, full[:3]) or (n == "sept" and i == 8):
            return i + 1
    raise EntryError(f"“{name}” is not a month")


def parse_date_entry(text: str) -> date | None:
    """A date as typed; ``None`` for an empty field. Raises :class:`EntryError`."""
    t = text.strip()
    if not t:
        return None
    if m := _ISO.fullmatch(t):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := _US.fullmatch(t):
        mo, d, y = int(m[1]), int(m[2]), _year(m[3])
    elif m := _MON_D_Y.fullmatch(t):
        mo, d, y = _month(m[1]), int(m[2]), int(m[3])
    elif m := _D_MON_Y.fullmatch(t):
        d, mo, y = int(m[1]), _month(m[2]), _year(m[3])
    else:
        raise EntryError(f"“{t}” is not a date; type it like 1/31/2024 or 2024-01-31")
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise EntryError(f"year {y} is out of range ({MIN_YEAR}-{MAX_YEAR})")
    try:
        return date(y, mo, d)
    except ValueError:
        raise EntryError(f"“{t}” is not a real calendar date") from None


_AMOUNT = re.compile(r"\$?\s*(\d{1,3}(,\d{3})+|\d+)?(\.\d*)?")  # fullmatch, as the dates
#: digits, commas and points only: an amount, but written wrong (said precisely below)
_AMOUNT_LIKE = re.compile(r"\$?[\d,]*\d[\d,.]*")  # fullmatch


def _amount_mistake(text: str, t: str) -> str:
    """Why ``t`` (``text`` without its spaces), which is not an amount, is not one."""
    if _AMOUNT_LIKE.fullmatch(t):
        if t.count(".") > 1:
            return f"“{text}” is not an amount: it has more than one decimal point"
        if "," in t.partition(".")[2]:
            return f"“{text}” is not an amount: a comma after the decimal point"
        return (f"“{text}” is not an amount: its digit grouping is wrong (commas go between "
                "groups of three digits, as in $1,234.56; or type no commas: 1234.56)")
    return f"“{text}” is not an amount; type it like 1234.56 or $1,234.56"


def parse_amount_entry(text: str) -> Decimal | None:
    """A non-negative amount as typed (``$1,234.56``); ``None`` for an empty field."""
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if not t:
        return None
    if t.startswith("-") or t.startswith("(") or t.startswith("$-"):
        raise EntryError("must not be negative: enter the amount billed or the correct amount, "
                         "not the difference")
    m = _AMOUNT.fullmatch(t)
    if not m or (m[1] is None and (m[3] is None or len(m[3]) < 2)):
        raise EntryError(_amount_mistake(text.strip(), t))
    digits = (m[1] or "0").replace(",", "") + (m[3] or "")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        raise EntryError(f"“{text.strip()}” is not an amount") from None
    if m[3] and len(m[3]) > 3:
        raise EntryError("more than 2 decimal places: amounts are in dollars and cents")
    if value > Decimal("999999999.99"):
        raise EntryError("too large: at most 999,999,999.99")
    return value.quantize(Decimal("0.01"))


# --- rows ------------------------------------------------------------------------------

#: the period fields in table order, with the headers a spreadsheet might use for them
PERIOD_COLUMNS = ("start", "end", "bill_date", "billed", "correct", "note")
_HEADER_NAMES = {
    "start": {"start", "from", "service start", "period start", "start date", "service from"},
    "end": {"end", "to", "service end", "period end", "end date", "through", "service to"},
    "bill_date": {"bill date", "bill_date", "billed on", "billing date", "date billed"},
    "billed": {"billed", "amount billed", "billed amount", "charged", "amount charged"},
    "correct": {"correct", "correct amount", "should have billed", "should be", "corrected",
                "should have been billed"},
    "note": {"note", "notes", "comment", "comments", "memo"},
}


@dataclass(frozen=True, slots=True)
class CellProblem:
    """A bad cell in pasted or imported rows: 0-based row among the rows given, the
    period field it was meant for, what was there, and why it was refused."""

    row: int
    column: str
    text: str
    message: str


@dataclass(frozen=True, slots=True)
class ParsedRows:
    periods: tuple[PeriodDraft, ...]
    problems: tuple[CellProblem, ...]
    #: rows skipped entirely (blank lines, a header row)
    skipped: int = 0


def parse_cell(column: str, text: str) -> object:
    """One cell for period field ``column``; raises :class:`EntryError`."""
    if column in ("start", "end", "bill_date"):
        return parse_date_entry(text)
    if column in ("billed", "correct"):
        return parse_amount_entry(text)
    if column == "note":
        return text.strip() or None
    raise KeyError(column)


def _header_map(cells: list[str]) -> list[str | None] | None:
    names = [c.strip().lower().replace("_", " ") for c in cells]
    mapped: list[str | None] = []
    for n in names:
        mapped.append(next((col for col, alts in _HEADER_NAMES.items() if n in alts), None))
    return mapped if sum(m is not None for m in mapped) >= 2 else None


class TooManyRows(EntryError):
    """More rows than a case may have periods (or more text than a table of them takes):
    refused as a whole, nothing is pasted or imported."""

    def __init__(self, rows: int | None, characters: int | None = None) -> None:
        self.rows = rows
        if rows is not None:
            super().__init__(f"{rows:,} rows: a case has at most {PERIODS:,} periods; nothing "
                             "was pasted or imported")
        else:
            super().__init__(f"{characters:,} characters: more than a table of {PERIODS:,} "
                             f"periods takes ({size_text(PERIODS_CSV_BYTES)}); nothing was "
                             "pasted or imported")


def parse_rows(rows: list[list[str]], columns: tuple[str, ...] = PERIOD_COLUMNS) -> ParsedRows:
    """Rows of cells mapped in order onto ``columns`` (a header row, if present, decides the
    mapping instead). Good cells are kept even when their neighbours are bad."""
    mapping: list[str | None] = list(columns)
    skipped = 0
    if rows and (header := _header_map(rows[0])) is not None:
        mapping = header
        rows = rows[1:]
        skipped += 1
    wanted = sum(1 for cells in rows if any(c.strip() for c in cells))
    if wanted > PERIODS:
        raise TooManyRows(wanted)
    periods: list[PeriodDraft] = []
    problems: list[CellProblem] = []
    for r, cells in enumerate(rows):
        if not any(c.strip() for c in cells):
            skipped += 1
            continue
        values: dict[str, object] = {}
        for text, column in zip(cells, mapping):
            if column is None:
                continue
            try:
                values[column] = parse_cell(column, text)
            except EntryError as e:
                problems.append(CellProblem(len(periods), column, text, str(e)))
        extra = cells[len(mapping):]
        if any(c.strip() for c in extra):
            problems.append(CellProblem(len(periods), "note", "\t".join(extra),
                                        f"{len(extra)} extra cell(s) beyond the table's columns ignored"))
        periods.append(PeriodDraft(**values))  # type: ignore[arg-type]
    return ParsedRows(tuple(periods), tuple(problems), skipped)


def split_pasted_text(text: str) -> list[list[str]]:
    """Clipboard text from a spreadsheet: rows by line, cells by tab (a trailing newline
    is not a row). More than :data:`~.limits.PERIODS_CSV_BYTES` characters are refused
    (:class:`TooManyRows`)."""
    if len(text) > PERIODS_CSV_BYTES:
        raise TooManyRows(None, len(text))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.split("\t") for line in lines]


def parse_csv_text(text: str) -> ParsedRows:
    """A CSV file of periods (comma, semicolon or tab separated; header row optional)."""
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect)]
    return parse_rows(rows)
