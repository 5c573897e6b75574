"""Bills issued per year and service: the denominator of the billing accuracy rate.

Finance gives the number of bills the billing system issued in a year, per service or
for all services together (the 2009 finance memo gives only totals: "2001: 1,020,894
bills issued"). A clerk types the figures into the Bills issued table of the app or
imports a CSV of ``year, service, bills issued`` rows; every value is checked here,
and a bad row is named with its row number and field, never half taken.

Pure functions: text in, values or :class:`RowProblem` records out.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from ..errors import BillingDeskError
from .dates import MAX_YEAR, MIN_YEAR
from .kinds import Service

#: the "service" of a figure for all services together
ALL_SERVICES = "all"
#: every service a figure may be given for, in the order reports list them
SERVICES = tuple(s.value for s in Service) + (ALL_SERVICES,)
#: the most bills a year and service can have (a sanity bound, far above any utility)
MAX_BILLS = 999_999_999_999

#: the columns of the table and of a CSV file, in order
FIELDS = ("year", "service", "bills issued")

_YEAR = re.compile(r"^[0-9]{4}$")
_COUNT = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+$|^[0-9]+$")
#: what a clerk may type for the all-services figure
_ALL_WORDS = {"all", "all services", "total", "*"}
#: other names a header may give the bills column
_HEADER_WORDS = {"bills": "bills issued", "bills issued": "bills issued"}


class EntryProblem(BillingDeskError, ValueError):
    """A typed value that cannot be used; the message says why, for the clerk."""


@dataclass(frozen=True, slots=True, order=True)
class BillsIssued:
    """``bills`` issued in ``year`` for ``service`` (a :class:`Service` value, or
    :data:`ALL_SERVICES` for all services together)."""

    year: int
    service: str
    bills: int

    @property
    def key(self) -> tuple[int, str]:
        return (self.year, self.service)


@dataclass(frozen=True, slots=True)
class RowProblem:
    """What is wrong in one row: ``row`` is its number as a clerk counts them (the
    file's line, or the table's row, from 1), ``field`` one of :data:`FIELDS` (or
    ``"row"`` for the row as a whole)."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.message}"


def service_label(service: str) -> str:
    """How a report names a service: ``Electric``, ..., ``All services``."""
    return "All services" if service == ALL_SERVICES else service.capitalize()


def parse_year(text: str) -> int:
    t = text.strip()
    if not t:
        raise EntryProblem("the year is missing")
    if not _YEAR.match(t):
        raise EntryProblem(f"“{t}” is not a year; type four digits, like 2009")
    year = int(t)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise EntryProblem(f"{year} is out of range ({MIN_YEAR}-{MAX_YEAR})")
    return year


def parse_service(text: str) -> str:
    t = " ".join(text.strip().casefold().split())
    if not t:
        raise EntryProblem("the service is missing")
    if t in _ALL_WORDS:
        return ALL_SERVICES
    joined = t.replace(" ", "")  # "Storm water" is stormwater
    if joined in SERVICES:
        return joined
    raise EntryProblem(f"“{text.strip()}” is not a service; use electric, water, "
                       "wastewater, stormwater or all")


def parse_bills(text: str) -> int:
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if not t:
        raise EntryProblem("the number of bills is missing")
    if not _COUNT.match(t):
        if t.startswith("-"):
            raise EntryProblem("the number of bills cannot be negative")
        raise EntryProblem(f"“{text.strip()}” is not a whole number of bills, like 1020894 "
                           "or 1,020,894")
    bills = int(t.replace(",", ""))
    if bills > MAX_BILLS:
        raise EntryProblem(f"{bills:,} bills is more than any utility issues in a year")
    return bills


def parse_entry(row: int, year: str, service: str, bills: str
                ) -> tuple[BillsIssued | None, list[RowProblem]]:
    """One row as typed: the figure, or every problem with it (each field named)."""
    values: dict[str, object] = {}
    problems: list[RowProblem] = []
    for name, parse, text in (("year", parse_year, year), ("service", parse_service, service),
                              ("bills issued", parse_bills, bills)):
        try:
            values[name] = parse(text)
        except EntryProblem as e:
            problems.append(RowProblem(row, name, str(e)))
    if problems:
        return None, problems
    return BillsIssued(values["year"], values["service"], values["bills issued"]), []


def duplicate_problems(rows: list[tuple[int, BillsIssued]]) -> list[RowProblem]:
    """A year and service given twice: the later row is refused, naming the first."""
    first: dict[tuple[int, str], int] = {}
    problems = []
    for row, figure in rows:
        if figure.key in first:
            problems.append(RowProblem(
                row, "service", f"{figure.year} {service_label(figure.service).lower()} is "
                f"given already on row {first[figure.key]}"))
        else:
            first[figure.key] = row
    return problems


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """A CSV file read: the good rows (with their row numbers) and every problem. A row
    with a problem is not among the good rows."""

    rows: tuple[tuple[int, BillsIssued], ...]
    problems: tuple[RowProblem, ...]

    @property
    def figures(self) -> tuple[BillsIssued, ...]:
        return tuple(f for _, f in self.rows)

    @property
    def refused_rows(self) -> tuple[int, ...]:
        return tuple(sorted({p.row for p in self.problems}))


def _is_header(cells: list[str]) -> bool:
    """A first row of column names rather than figures (no cell is a year)."""
    return bool(cells) and not any(_YEAR.match(c.strip()) for c in cells) and any(
        c.strip().casefold() == "year" for c in cells)


def parse_csv(text: str) -> ParsedFile:
    """The rows of a CSV of ``year, service, bills issued`` (comma-separated; a header
    row naming the columns is allowed, in any order; blank lines are skipped; a
    byte-order mark is ignored). Every bad row is reported by its line number and
    field; the good rows are kept for the clerk to accept."""
    if text.startswith("\ufeff"):
        text = text[1:]
    order = (0, 1, 2)
    good: list[tuple[int, BillsIssued]] = []
    problems: list[RowProblem] = []
    reader = csv.reader(io.StringIO(text))
    try:
        for cells in reader:
            row = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            while cells and not cells[-1].strip():  # (a spreadsheet's trailing commas)
                cells = cells[:-1]
            if not good and not problems and _is_header(cells):
                names = [_HEADER_WORDS.get(n, n) for n in
                         (" ".join(c.strip().casefold().replace("_", " ").split()) for c in cells)]
                if sorted(names) != sorted(FIELDS):
                    problems.append(RowProblem(row, "row", "the header must name the columns "
                                               "year, service and bills issued (in any order)"))
                    break
                order = tuple(names.index(f) for f in FIELDS)
                continue
            if len(cells) != 3:
                problems.append(RowProblem(row, "row", f"{len(cells)} field(s); expected 3: "
                                           "year, service, bills issued"))
                continue
            figure, found = parse_entry(row, *(cells[i] for i in order))
            if found:
                problems += found
            else:
                good.append((row, figure))
    except csv.Error as e:
        problems.append(RowProblem(reader.line_num, "row", f"not readable as CSV ({e})"))
    duplicates = duplicate_problems(good)
    if duplicates:
        refused = {p.row for p in duplicates}
        good = [(r, f) for r, f in good if r not in refused]
        problems += duplicates
    if not good and not problems:
        problems.append(RowProblem(1, "row", "the file has no rows of bills issued"))
    return ParsedFile(tuple(good), tuple(sorted(problems, key=lambda p: (p.row, FIELDS.index(p.field)
                                                                   if p.field in FIELDS else -1))))


def csv_text(figures: list[BillsIssued]) -> str:
    """The figures as a CSV file that :func:`parse_csv` reads back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for f in sorted(figures, key=lambda f: (f.year, SERVICES.index(f.service))):
        writer.writerow((f.year, f.service, f.bills))
    return out.getvalue()
