"""Calendar dates for the rules: strict ISO parsing and the six-year look-back."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from ..errors import BillingDeskError

#: matched with ``fullmatch``: ``$`` alone would let a trailing newline through (RULES.md §9)
DATE_PATTERN = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
MIN_YEAR, MAX_YEAR = 1900, 2999


class DateProblem(BillingDeskError, ValueError):
    """Why a text is not a case@1 date; the message is shown to the clerk."""


def parse_iso_date(text: object) -> date:
    """``YYYY-MM-DD``, a real calendar date, year 1900-2999 (RULES.md §1)."""
    if not isinstance(text, str):
        raise DateProblem("must be a date string YYYY-MM-DD")
    m = DATE_PATTERN.fullmatch(text)
    if not m:
        raise DateProblem("must be a date in the form YYYY-MM-DD")
    y, mo, d = (int(g) for g in m.groups())
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise DateProblem(f"year must be between {MIN_YEAR} and {MAX_YEAR}")
    try:
        return date(y, mo, d)
    except ValueError:
        raise DateProblem("is not a valid calendar date") from None


@lru_cache(maxsize=1024)
def years_before(reference: date, years: int) -> date:
    """``reference - years`` by the calendar; Feb 29 falls back to Feb 28 (dateutil).
    Cached: every determination (one per keystroke) asks for the cutoffs of the same one
    or two dates, and a relativedelta subtraction costs about as much as computing a
    dozen billing periods."""
    return reference - relativedelta(years=years)


def days_inclusive(start: date, end: date) -> int:
    """Number of days from ``start`` to ``end``, both included."""
    return (end - start).days + 1
