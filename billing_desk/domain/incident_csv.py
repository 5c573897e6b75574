"""The CSV of an incident's affected accounts and periods (docs/incidents.md).

One row per billing period; the rows of one account are that account's periods (they
need not be next to each other). A header row names the columns, in any order:

    account, name, period_start, period_end                        required
    billed, correct           -- or --   usage, wrong_rate, right_rate
    service_address, mailing_address, locale, current_customer,
    bill_date, note                                                 optional

A row gives the amounts billed and correct, or the usage with the wrong and the right
rate, from which they are computed in Decimal and rounded by the one rounding policy
(``money.round_half_up``): billed = usage x wrong rate, correct = usage x right rate.

:func:`parse_incident_csv` reads the bytes and checks everything before anything is
created: the file as a whole (UTF-8, a byte-order mark allowed; not empty; the
columns), each cell, each account's details against its other rows (an account given
with two different names or addresses is refused at the row that differs), and each
account's case as the case@1 validator checks it (periods that overlap, end before
start, ...). Every problem carries its line (1 is the header) and its column. An
account with any bad row is left out whole; the clerk sees the good and the bad and
accepts the good ones, or fixes the file. No I/O here: the caller passes bytes.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Callable, Iterable

from ..errors import BillingDeskError
from .case import Account, Case, Period
from .caseformat import LOCALE_PATTERN, consistency_problems
from .delivery import Delivery, delivery_problem, email_problem
from .entry import EntryError, parse_amount_entry, parse_date_entry
from .incident import Incident, incident_case
from .money import round_half_up

#: the columns, in the order docs/incidents.md lists them
COLUMNS = ("account", "name", "service_address", "mailing_address", "locale",
           "current_customer", "email", "delivery", "period_start", "period_end", "bill_date",
           "billed", "correct", "usage", "wrong_rate", "right_rate", "note")
REQUIRED = ("account", "name", "period_start", "period_end")
AMOUNTS = ("billed", "correct")
USAGE = ("usage", "wrong_rate", "right_rate")
#: what the account's details are, compared between its rows
ACCOUNT_FIELDS = ("name", "service_address", "mailing_address", "locale", "current_customer",
                  "email", "delivery")
#: other spellings a spreadsheet might use for a column
_ALIASES = {
    "account_number": "account", "account_no": "account", "customer_name": "name",
    "customer": "name", "start": "period_start", "end": "period_end",
    "service_start": "period_start", "service_end": "period_end", "period_from": "period_start",
    "period_to": "period_end", "amount_billed": "billed", "correct_amount": "correct",
    "email_address": "email", "e_mail": "email", "delivery_preference": "delivery",
}
_DELIMITERS = (",", ";", "\t")
_YES = {"yes", "y", "true", "1", "current"}
_NO = {"no", "n", "false", "0", "former"}
_NUMBER = re.compile(r"(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?")
#: the most places a rate or a usage may have
RATE_PLACES, USAGE_PLACES = 6, 4
_MAX_AMOUNT = Decimal("999999999.99")

#: the case@1 fields a case problem names, as CSV columns (RULES.md §2 paths)
_PERIOD_FIELD = {"start": "period_start", "end": "period_end", "bill_date": "bill_date",
                 "billed": "billed", "correct": "correct", "note": "note"}
_ACCOUNT_FIELD = {"number": "account", "customer_name": "name",
                  "service_address": "service_address", "mailing_address": "mailing_address",
                  "locale": "locale", "current_customer": "current_customer",
                  "email": "email", "delivery": "delivery"}


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One thing wrong in the file: its line (1 is the header; a row with a line break
    inside a quoted cell is named by the line it starts on), the column, and why."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.message}"


class IncidentFileRefused(BillingDeskError, ValueError):
    """The file as a whole cannot be read (not UTF-8, empty, the wrong columns): nothing
    in it is used. Carries every problem found."""

    def __init__(self, problems: Iterable[RowProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class AccountRows:
    """A good account: its case, and the CSV line of each of its periods (in order)."""

    number: str
    lines: tuple[int, ...]
    case: Case

    @property
    def first_line(self) -> int:
        return self.lines[0]


@dataclass(frozen=True, slots=True)
class RejectedAccount:
    """An account left out because at least one of its rows is bad: all its lines."""

    number: str
    lines: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class IncidentImport:
    """What the file gives: the good accounts (each becomes a case once the clerk
    accepts them), the problems, and the accounts left out because of them."""

    accounts: tuple[AccountRows, ...]
    problems: tuple[RowProblem, ...]
    rejected: tuple[RejectedAccount, ...]
    rows: int  # data rows read (blank lines not counted)
    columns: tuple[str, ...]
    #: data rows that belong to no account (no account number): bad rows themselves
    orphan_lines: tuple[int, ...] = ()

    @property
    def good_rows(self) -> int:
        return sum(len(a.lines) for a in self.accounts)

    @property
    def bad_rows(self) -> int:
        return self.rows - self.good_rows

    @property
    def ok(self) -> bool:
        return not self.problems


# --- reading the file ------------------------------------------------------------------

def decode_csv(data: bytes) -> str:
    """The file's text: UTF-8, one byte-order mark at the start ignored. Refused at the
    line of the first byte that is not UTF-8, or when there is nothing in it."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise IncidentFileRefused([RowProblem(1, "$", "the file is empty: it needs a header "
                                              "row and one row per billing period")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise IncidentFileRefused([RowProblem(
            line, "$", f"the file is not UTF-8 text (byte {e.start + 1} cannot be read as "
                       "UTF-8); save it from the spreadsheet as \"CSV UTF-8\"")]) from None
    return text[1:] if text.startswith("\ufeff") else text


def _column_name(cell: str) -> str:
    name = re.sub(r"[\s\-]+", "_", cell.strip().lower())
    return _ALIASES.get(name, name)


def _pick_delimiter(first_line: str) -> str:
    """The delimiter under which the header names the most known columns (comma wins a tie)."""
    def known(d: str) -> int:
        return sum(_column_name(c) in COLUMNS for c in first_line.split(d))
    return max(_DELIMITERS, key=known)


def _header(cells: list[str]) -> tuple[dict[str, int], list[RowProblem]]:
    problems: list[RowProblem] = []
    index: dict[str, int] = {}
    for k, cell in enumerate(cells):
        name = _column_name(cell)
        if not name:
            if any(c.strip() for c in cells[k + 1:]):
                problems.append(RowProblem(1, f"column {k + 1}", "a column has no name"))
            continue
        if name not in COLUMNS:
            problems.append(RowProblem(1, cell.strip(), "unknown column; the columns are "
                                       + ", ".join(COLUMNS)))
        elif name in index:
            problems.append(RowProblem(1, name, "the column is given twice"))
        else:
            index[name] = k
    for name in REQUIRED:
        if name not in index and not any(p.field == name for p in problems):
            problems.append(RowProblem(1, name, "required column is missing"))
    has_amounts = all(c in index for c in AMOUNTS)
    has_usage = all(c in index for c in USAGE)
    if not (has_amounts or has_usage):
        problems.append(RowProblem(1, "billed", "give the columns billed and correct, or usage, "
                                   "wrong_rate and right_rate"))
    return index, problems


def _number(text: str, places: int, what: str) -> Decimal | None:
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if t.startswith("$"):
        t = t[1:]
    if not t:
        return None
    if t.startswith("-"):
        raise EntryError(f"{what} must not be negative")
    m = _NUMBER.fullmatch(t)
    if not m or (m[1] is None and m[3] is None):
        raise EntryError(f"“{text.strip()}” is not a number")
    if m[3] is not None and len(m[3]) - 1 > places:
        raise EntryError(f"at most {places} decimal places")
    try:
        return Decimal((m[1] or "0").replace(",", "") + (m[3] or ""))
    except InvalidOperation:
        raise EntryError(f"“{text.strip()}” is not a number") from None


def _flag(text: str) -> bool | None:
    t = text.strip().lower()
    if not t:
        return None
    if t in _YES:
        return True
    if t in _NO:
        return False
    raise EntryError("write yes or no")


@dataclass(slots=True)
class _Row:
    line: int
    account: str
    details: dict[str, object]
    period: Period | None


# Dates and amounts repeat across the rows of an incident (monthly bills, one fee): each
# distinct text is read once. Both are pure functions; a refusal is not cached.
_date = lru_cache(maxsize=65536)(parse_date_entry)
_amount = lru_cache(maxsize=65536)(parse_amount_entry)


def _row(line: int, cells: list[str], index: dict[str, int],
         problems: list[RowProblem]) -> _Row:
    n = len(cells)
    cell = {name: (cells[k].strip() if k < n else "") for name, k in index.items()}

    def bad(name: str, message: str) -> None:
        problems.append(RowProblem(line, name, message))

    account = cell["account"]
    if not account:
        bad("account", "the account number is missing")
    name = cell["name"]
    if not name:
        bad("name", "the customer's name is missing")
    locale = cell.get("locale") or None
    if locale is not None and not LOCALE_PATTERN.fullmatch(locale):
        bad("locale", 'must look like "en_US" (two lowercase letters, "_", two capitals)')
        locale = None
    details: dict[str, object] = {"name": name,
                                  "service_address": cell.get("service_address") or None,
                                  "mailing_address": cell.get("mailing_address") or None,
                                  "locale": locale, "current_customer": None}
    email = cell.get("email") or None
    if email is not None:
        if (problem := email_problem(email)) is not None:
            bad("email", f"the email address {problem}")
        else:
            details["email"] = email
    delivery = cell.get("delivery") or None
    if delivery is not None:
        try:
            details["delivery"] = Delivery(delivery.lower())
        except ValueError:
            bad("delivery", f"“{delivery}” is not a delivery: paper, email or both")
    current = cell.get("current_customer")
    if current:
        try:
            details["current_customer"] = _flag(current)
        except EntryError as e:
            bad("current_customer", str(e))

    dates: dict[str, date | None] = {}
    for key in ("period_start", "period_end", "bill_date"):
        text = cell.get(key, "")
        try:
            dates[key] = _date(text) if text else None
        except EntryError as e:
            bad(key, str(e))
            dates[key] = None
        else:
            if dates[key] is None and key != "bill_date":
                bad(key, "the date is missing")

    amounts = _amounts(cell, bad)
    period = None
    if dates["period_start"] and dates["period_end"] and amounts is not None:
        period = Period(dates["period_start"], dates["period_end"], amounts[0], amounts[1],
                        dates["bill_date"], cell.get("note") or None)
    return _Row(line, account, details, period)


def _amounts(cell: dict[str, str], bad) -> tuple[Decimal, Decimal] | None:
    """(billed, correct) from the amounts, or from the usage and the two rates."""
    given_usage = bool(cell.get("usage") or cell.get("wrong_rate") or cell.get("right_rate"))
    if given_usage and (cell.get("billed") or cell.get("correct")):
        bad("billed", "give billed and correct, or usage with the wrong and right rate, "
                      "not both")
        return None
    if given_usage:
        values = []
        for column, places in zip(USAGE, (USAGE_PLACES, RATE_PLACES, RATE_PLACES)):
            try:
                value = _number(cell.get(column, ""), places, column.replace("_", " "))
            except EntryError as e:
                bad(column, str(e))
                return None
            if value is None:
                bad(column, "missing: usage, wrong_rate and right_rate go together")
                return None
            values.append(value)
        usage, wrong, right = values
        # the amounts billed and due, in Decimal, rounded once by the rules' policy
        billed, correct = round_half_up(usage * wrong), round_half_up(usage * right)
        for column, amount in (("wrong_rate", billed), ("right_rate", correct)):
            if amount > _MAX_AMOUNT:
                bad(column, "usage x rate is too large (at most 999,999,999.99)")
                return None
        return billed, correct
    out = []
    for column in AMOUNTS:
        text = cell.get(column, "")
        try:
            value = _amount(text) if text else None
        except EntryError as e:
            bad(column, str(e))
            return None
        if value is None:
            bad(column, "the amount is missing (or give usage, wrong_rate and right_rate)")
            return None
        out.append(value)
    return out[0], out[1]


#: how often (in rows) the check reports how far it is
PROGRESS_ROWS = 5000


def parse_incident_csv(data: bytes, incident: Incident,
                       progress: Callable[[int, int], None] | None = None) -> IncidentImport:
    """Read and check the file (see the module docstring). Raises
    :class:`IncidentFileRefused` when the file as a whole cannot be used.
    ``progress(characters read, characters in all)`` every few thousand rows; it may
    raise to stop the check (a Cancel), which then raises that."""
    text = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    buffer = io.StringIO(text, newline="")
    reader = csv.reader(buffer, delimiter=_pick_delimiter(first_line))
    try:
        header = next(reader)
    except csv.Error as e:
        raise IncidentFileRefused([RowProblem(1, "$", f"not CSV: {e}")]) from None
    index, header_problems = _header(header)
    if header_problems:
        raise IncidentFileRefused(header_problems)

    problems: list[RowProblem] = []
    rows: list[_Row] = []
    count = 0
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            problems.append(RowProblem(line, "$", f"not CSV: {e}"))
            break
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        count += 1
        if progress is not None and count % PROGRESS_ROWS == 0:
            progress(buffer.tell(), len(text))
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problems.append(RowProblem(start, f"column {len(header) + 1}",
                                       f"the row has {len(cells)} cells, the header "
                                       f"{len(header)}"))
        rows.append(_row(start, cells, index, problems))
    if count == 0:
        raise IncidentFileRefused([RowProblem(2, "$", "the file has a header but no rows")])
    return _accounts(rows, problems, count, tuple(index), incident)


def _accounts(rows: list[_Row], problems: list[RowProblem], count: int,
              columns: tuple[str, ...], incident: Incident) -> IncidentImport:
    """Group the rows by account, compare each account's details between its rows, and
    check each account's case as the case@1 validator does."""
    by_account: dict[str, list[_Row]] = {}
    orphans = []
    for row in rows:
        if row.account:
            by_account.setdefault(row.account, []).append(row)
        else:
            orphans.append(row.line)
    bad_lines = {p.line for p in problems}
    good: list[AccountRows] = []
    rejected: list[RejectedAccount] = []
    for number, group in by_account.items():
        first = group[0]
        for row in group[1:]:
            for key in ACCOUNT_FIELDS:
                # a detail given once and left blank on the account's other rows is the same
                mine, theirs = row.details.get(key), first.details.get(key)
                if mine is not None and theirs is not None and mine != theirs and mine != "":
                    problems.append(RowProblem(
                        row.line, key,
                        f"account {number} is given as {_shown(theirs)} on line {first.line} "
                        f"and as {_shown(mine)} here: one account, one customer (a duplicate "
                        "account?)"))
                    bad_lines.add(row.line)
        lines = tuple(r.line for r in group)
        if bad_lines.intersection(lines) or any(r.period is None for r in group):
            rejected.append(RejectedAccount(number, lines))
            continue
        # each detail from the first row that gives it
        details = dict.fromkeys(ACCOUNT_FIELDS)
        for r in group:
            for key, value in r.details.items():
                if details[key] is None and value not in (None, ""):
                    details[key] = value
        account = Account(number, str(details["name"]), details["service_address"],  # type: ignore[arg-type]
                          details["mailing_address"], details["locale"],  # type: ignore[arg-type]
                          details["current_customer"], details["email"],  # type: ignore[arg-type]
                          details["delivery"])  # type: ignore[arg-type]
        if (problem := delivery_problem(account.email, account.delivery)) is not None:
            problems.append(RowProblem(lines[0], "email", f"the email address {problem}"))
            rejected.append(RejectedAccount(number, lines))
            continue
        case = incident_case(incident, account, [r.period for r in group])  # type: ignore[misc]
        case_problems = consistency_problems(case)
        if case_problems:
            for p in case_problems:
                problems.append(_row_problem(p.field, p.message, lines))
            rejected.append(RejectedAccount(number, lines))
            continue
        good.append(AccountRows(number, lines, case))
    problems.sort(key=lambda p: (p.line, COLUMNS.index(p.field) if p.field in COLUMNS else 99))
    return IncidentImport(tuple(good), tuple(problems), tuple(rejected), count, columns,
                          tuple(orphans))


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "a current customer" if value else "a former customer"
    return f"“{value}”"


def _row_problem(path: str, message: str, lines: tuple[int, ...]) -> RowProblem:
    """A case@1 problem (``periods[3].start``) at the CSV line and column it came from."""
    m = re.fullmatch(r"periods\[(\d+)\]\.(\w+)", path)
    if m:
        return RowProblem(lines[int(m[1])], _PERIOD_FIELD.get(m[2], m[2]), message)
    if path.startswith("account."):
        return RowProblem(lines[0], _ACCOUNT_FIELD.get(path[8:], path[8:]), message)
    return RowProblem(lines[0], path, message)
