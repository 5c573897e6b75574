"""How the app shows money, dates and times: one module, for every view and message.

The app speaks US English (the letters have their own languages: documents/wording.py):

- money in the en_US currency format, as Babel (CLDR) writes it: ``$1,962.00``; a
  negative amount with a true minus sign, ``−$40.00``, as the memos print it, so that a
  screen reader says "minus" and it is never taken for a dash;
- an amount in a table cell of amounts without the symbol: ``1,962.00`` (and ``+12.75``
  for a difference);
- a date in the form the date fields accept and show: ``01/31/2024``;
- a time in this computer's local time, ``01/31/2024 14:05`` (the case file keeps UTC;
  :func:`utc_text` gives that form, for a tooltip an auditor compares with
  ``billing-desk verify``).

Babel is not imported here: the first frame shows some of these (the case list's dates
and times, an approval limit in the status bar) and importing Babel with its en_US data
costs about 55 ms, a fifth of the workspace's build. So the en_US symbols Babel gives
are written out below, and tests/ui/test_formatting.py checks them against Babel itself
on many amounts -- as ui/roles.py does with Qt's values.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Mapping

from ..domain.kinds import DocumentKind

if TYPE_CHECKING:
    from ..domain.determination import Reason

#: the locale of the app's own words (the letters follow each account's language)
UI_LOCALE = "en_US"
# en_US as Babel has it: get_currency_symbol("USD"), get_group_symbol, get_decimal_symbol
CURRENCY_SYMBOL = "$"
GROUP_SYMBOL = ","
DECIMAL_SYMBOL = "."
#: U+2212 MINUS SIGN, where Babel writes a hyphen-minus
MINUS = "\u2212"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _digits(amount: Decimal, grouping: bool = True) -> str:
    text = f"{abs(amount):,.2f}" if grouping else f"{abs(amount):.2f}"
    if GROUP_SYMBOL != "," or DECIMAL_SYMBOL != ".":
        text = text.translate({ord(","): GROUP_SYMBOL, ord("."): DECIMAL_SYMBOL})
    return text


def money(amount: Decimal) -> str:
    """``$1,962.00``, ``−$40.00``: an amount of money in words and messages."""
    return f"{MINUS if amount < 0 else ''}{CURRENCY_SYMBOL}{_digits(amount)}"


def amount_text(amount: Decimal | None, *, grouping: bool = True) -> str:
    """An amount in a column of amounts (the periods table): ``1,962.00``; ungrouped,
    ``1962.00``, for editing; empty for none."""
    if amount is None:
        return ""
    return f"{'-' if amount < 0 else ''}{_digits(amount, grouping)}"


def difference_text(amount: Decimal | None) -> str:
    """A signed difference, ``+12.75`` or ``-3.10`` (``0.00`` when even)."""
    if amount is None:
        return ""
    if not amount:
        return _digits(amount)
    return f"{'+' if amount > 0 else '-'}{_digits(amount)}"


def date_text(d: date | None) -> str:
    """``01/31/2024``, as the date fields show and accept it; empty for none."""
    return "" if d is None else f"{d.month:02d}/{d.day:02d}/{d.year:04d}"


def local_time(at: datetime) -> datetime:
    """``at`` in this computer's time zone (a time without one is taken as UTC, as the
    case file keeps every time)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone()


def time_text(at: datetime, *, seconds: bool = False) -> str:
    """``01/31/2024 14:05``, in local time."""
    local = local_time(at)
    return f"{date_text(local.date())} {local:%H:%M:%S}" if seconds else \
        f"{date_text(local.date())} {local:%H:%M}"


def utc_text(at: datetime) -> str:
    """``2024-01-31 21:05:09 UTC``: the time as the case file and the CLI write it."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return f"{at.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S} UTC"


def period_label(start: date, end: date) -> str:
    """``May 2012`` for a calendar month, else ``05/01/12–06/14/12``: short enough for
    the determination panel."""
    if start.day == 1 and end.month == start.month and end.year == start.year and \
            (end + timedelta(days=1)).day == 1:
        return f"{MONTHS[start.month - 1]} {start.year}"
    return f"{start.month:02d}/{start.day:02d}/{start.year % 100:02d}–" \
           f"{end.month:02d}/{end.day:02d}/{end.year % 100:02d}"


def reason_text(reason: Reason, templates: Mapping[str, str]) -> str:
    """A determination's reason with its amounts and dates written as the app writes
    them ("… the part on or after 06/15/2003; $14.00 is older than six years."), from the
    rule pack's wording (``templates``: ``RulePack.reason_texts``); the pack's own text
    when it has no wording for the code."""
    template = templates.get(reason.code)
    if template is None:
        return reason.text
    return _reason_text(reason, template)


@lru_cache(maxsize=4096)  # the same few reasons on every keystroke
def _reason_text(reason: Reason, template: str) -> str:
    values = {name: money(v) if isinstance(v, Decimal) else date_text(v) if isinstance(v, date)
              else v for name, v in reason.args}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return reason.text


def period_text(start: date | None, end: date | None) -> str:
    """``01/01/2010–01/31/2010``: a billing period in full, in a sentence."""
    return f"{date_text(start) or '?'}–{date_text(end) or '?'}"


#: what the windows call each kind of document
KIND_LABELS: Mapping[DocumentKind, str] = {
    DocumentKind.LETTER: "Customer letter",
    DocumentKind.CREDIT_MEMO: "Credit memo",
    DocumentKind.BACK_BILL_MEMO: "Back-bill memo",
}
