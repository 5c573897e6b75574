"""What the documents say about the periods, computed once from the case and its
determination: the span affected, the rows of the letter's table (by period, or by
calendar year when there are many), the excluded amounts grouped by reason, and the
periods each memo lists. Pure: no wording, no layout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from ..domain.case import Case, Period
from ..domain.determination import Determination, Direction, PeriodLine, Reason
from ..domain.money import ZERO

#: Up to this many affected periods the letter lists each; beyond, it sums by year.
LETTER_ROWS_MAX = 12


@dataclass(frozen=True, slots=True)
class Span:
    first: date
    last: date
    count: int


@dataclass(frozen=True, slots=True)
class LetterRow:
    start: date
    end: date
    year: int | None  # set when the row sums a calendar year
    count: int
    billed: Decimal
    correct: Decimal
    credit: Decimal  # included amount of overcharges
    charge: Decimal  # included amount of undercharges


@dataclass(frozen=True, slots=True)
class ExclusionGroup:
    direction: Direction
    reason: Reason
    amount: Decimal
    first: date
    last: date
    count: int


def pairs(case: Case, det: Determination) -> list[tuple[Period, PeriodLine]]:
    """Each period with its determination line, in input order."""
    return [(case.periods[line.index], line) for line in det.periods]


def affected(case: Case, det: Determination) -> list[tuple[Period, PeriodLine]]:
    """Periods with a difference, in date order."""
    rows = [(p, line) for p, line in pairs(case, det) if line.direction is not Direction.NONE]
    return sorted(rows, key=lambda r: r[0].start)


def span(rows: list[tuple[Period, PeriodLine]]) -> Span | None:
    if not rows:
        return None
    return Span(min(p.start for p, _ in rows), max(p.end for p, _ in rows), len(rows))


def direction_amount(det: Determination, direction: Direction) -> Decimal:
    """The whole difference in one direction, before any exclusion."""
    return sum((line.included_amount + line.excluded_amount for line in det.periods
                if line.direction is direction), ZERO)


def _row(rows: list[tuple[Period, PeriodLine]], year: int | None) -> LetterRow:
    def total(values: Any) -> Decimal:
        return sum(values, ZERO)

    return LetterRow(
        start=min(p.start for p, _ in rows), end=max(p.end for p, _ in rows), year=year,
        count=len(rows),
        billed=total(p.billed for p, _ in rows), correct=total(p.correct for p, _ in rows),
        credit=total(ln.included_amount for _, ln in rows if ln.direction is Direction.OVERCHARGE),
        charge=total(ln.included_amount for _, ln in rows if ln.direction is Direction.UNDERCHARGE))


def letter_rows(rows: list[tuple[Period, PeriodLine]]) -> tuple[list[LetterRow], bool]:
    """The letter's table: one row per affected period, or, past LETTER_ROWS_MAX
    periods, one row per calendar year of the period start (a customer reads 6 years of
    monthly bills better as 6 lines). Returns the rows and whether they are by year."""
    if len(rows) <= LETTER_ROWS_MAX:
        return [_row([r], None) for r in rows], False
    by_year: dict[int, list[tuple[Period, PeriodLine]]] = {}
    for r in rows:
        by_year.setdefault(r[0].start.year, []).append(r)
    return [_row(group, year) for year, group in sorted(by_year.items())], True


def total_row(rows: list[tuple[Period, PeriodLine]]) -> LetterRow:
    return _row(rows, None)


def exclusion_groups(rows: list[tuple[Period, PeriodLine]]) -> list[ExclusionGroup]:
    """Excluded amounts, one group per direction and reason (same code and same values),
    in order of the first period. Periods sharing a reason (e.g. 40 months all older
    than six years) become one sentence."""
    groups: dict[tuple, list[tuple[Period, PeriodLine]]] = {}
    for p, line in rows:
        if line.excluded_amount > 0:
            key = (line.direction, line.reason.code, line.reason.args)
            groups.setdefault(key, []).append((p, line))
    out = [ExclusionGroup(direction=members[0][1].direction, reason=members[0][1].reason,
                          amount=sum((ln.excluded_amount for _, ln in members), ZERO),
                          first=min(p.start for p, _ in members),
                          last=max(p.end for p, _ in members), count=len(members))
           for members in groups.values()]
    return sorted(out, key=lambda g: (g.first, g.direction.value))


def memo_rows(case: Case, det: Determination, direction: Direction,
              only_memo: bool) -> list[tuple[Period, PeriodLine]]:
    """The periods a memo lists, in input order. The only memo of a case lists every
    period; when a mixed case has two memos, each lists its own direction plus the
    periods with no difference (so every period appears in a memo)."""
    rows = pairs(case, det)
    if only_memo:
        return rows
    return [(p, ln) for p, ln in rows if ln.direction in (direction, Direction.NONE)]


def installment_plan(amount: Decimal, months: int) -> tuple[int, Decimal, Decimal] | None:
    """``amount`` in ``months`` monthly installments, in whole cents: ``(count, each,
    last)`` -- ``count`` installments of ``each`` and a last one of ``last`` (the cents
    left over go into the last; it is never less than ``each``). None when there is no
    plan to offer: one month, or nothing to pay."""
    if months < 2 or amount <= 0:
        return None
    each = (amount / months).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    if each <= 0:
        return None
    return months - 1, each, amount - each * (months - 1)
