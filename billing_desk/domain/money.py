"""Money: ``decimal.Decimal`` end to end, never float.

One constructor (:func:`money`) that refuses floats, one rounding policy (half up:
:func:`round_half_up`, and for a pro-rata share :func:`prorate`, RULES.md §3.1, §3.3,
§7) and one canonical text form (:func:`money_text`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

#: RULES.md §1: non-negative, exactly two decimals, at most 9 integer digits. Matched
#: with ``fullmatch``: ``$`` alone would accept ``"50.00\n"`` (RULES.md §9).
MONEY_PATTERN = re.compile(r"(0|[1-9][0-9]{0,8})\.[0-9]{2}")


class MoneyError(ValueError):
    """A value that cannot be money (a float, a malformed string)."""


def money(value: str | int | Decimal) -> Decimal:
    """The one constructor: ``Decimal`` quantised to cents. Floats are refused."""
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError(f"money must not be a {type(value).__name__}: {value!r}")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip())
        except InvalidOperation:
            raise MoneyError(f"not an amount: {value!r}") from None
    else:
        raise MoneyError(f"money must be str, int or Decimal, not {type(value).__name__}")
    if not d.is_finite():
        raise MoneyError(f"not a finite amount: {value!r}")
    if d != d.quantize(CENT, rounding=ROUND_HALF_UP):
        raise MoneyError(f"more than two decimal places: {value!r}")
    return d.quantize(CENT)


def parse_money_text(text: str) -> Decimal | None:
    """Parse the strict case@1 money form (``"12.34"``); ``None`` when it does not match."""
    if not isinstance(text, str) or not MONEY_PATTERN.fullmatch(text):
        return None
    return Decimal(text)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """The only rounding the rules allow: half up, to ``places`` decimals (a share of
    an amount is rounded by :func:`prorate`, which rounds the same way, exactly)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def prorate(amount: Decimal, part: int, whole: int, places: int = 2) -> Decimal:
    """``round_half_up(amount × part / whole, places)``, exactly: the share of ``amount``
    that falls in ``part`` of ``whole`` days. RULES.md §3.3, the in-window part of a
    period that straddles its cutoff (``(2·Mc·din + days) // (2·days)`` in cents); §7,
    the Sec. 26-119 estimate (usage, at ``places`` 0). Integer arithmetic on the exact
    fraction, so no context precision and no tie lost to an inexact quotient."""
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
        raise MoneyError(f"only a non-negative Decimal is pro-rated, not {amount!r}")
    if part < 0 or whole <= 0 or places < 0:
        raise ValueError(f"a share needs part >= 0, whole > 0, places >= 0: {part}/{whole}, {places}")
    # amount = n/d exactly; in units of 10**-places the share is q = n·10**places·part / (d·whole)
    n, d = amount.as_integer_ratio()
    numerator, denominator = n * 10 ** places * part, d * whole
    # floor(q + 1/2) = (2·num + den) // (2·den): half up, q being non-negative
    units = (2 * numerator + denominator) // (2 * denominator)
    return Decimal(units).scaleb(-places)


def to_cents(amount: Decimal) -> int:
    """Exact integer cents of a cent-quantised amount (for exact sums and orderings over
    many amounts, e.g. an incident's totals)."""
    return int(amount.scaleb(2))


@lru_cache(maxsize=16384)
def from_cents(cents: int) -> Decimal:
    """Integer cents as a Decimal amount with exactly two places (``scaleb`` keeps them).
    Cached: a Decimal is immutable, so sharing one is safe."""
    return Decimal(cents).scaleb(-2)


def money_text(amount: Decimal) -> str:
    """Canonical output text: exactly two decimals, ``-`` for negatives, no ``+``, no
    separators, never ``-0.00`` (RULES.md §3.1)."""
    q = amount.quantize(CENT)
    if q == 0:
        return "0.00"
    return f"{q:f}"


def dollars(amount: Decimal) -> str:
    """An amount as the rules' messages write it to a person: ``$1,962.00``, ``-$40.00``
    (the only currency is USD). Screens and letters format money themselves, per their
    locale: ui/formatting.py, documents/wording.py."""
    q = amount.quantize(CENT)
    return f"-${-q:,.2f}" if q < 0 else f"${q:,.2f}"

