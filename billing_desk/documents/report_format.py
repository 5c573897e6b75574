"""How a report's cells are shown to people (the app's tables, the PDF, the command
line's table): Babel's formats for the locale, one function for every output, so a
figure reads the same everywhere. The CSV keeps plain values instead
(:mod:`.report_csv`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from ..domain.reports import Kind

#: what an empty cell shows ("no figure")
NO_FIGURE = "—"
#: the locale reports are shown in (finance and council reports of a US utility)
REPORT_LOCALE = "en_US"

_PATTERNS = {Kind.COUNT: "#,##0", Kind.PERCENT: "#,##0.00", Kind.RATE: "#,##0.0",
             # (against a benchmark of two decimals, 3.96, a difference has two)
             Kind.SIGNED_RATE: "+#,##0.0#;-#,##0.0#", Kind.DAYS: "#,##0.#"}


@lru_cache(maxsize=8)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def cell_text(value: Any, kind: Kind, locale: str = REPORT_LOCALE) -> str:
    """``value`` of a column of ``kind`` as text for a reader (``None``: no figure)."""
    if value is None:
        return NO_FIGURE
    if kind is Kind.TEXT:
        return str(value)
    if kind is Kind.YEAR:
        return str(value)
    if kind is Kind.DATE:
        assert isinstance(value, date)
        return format_date(value, "medium", locale=_locale(locale))
    if kind is Kind.MONEY:
        assert isinstance(value, Decimal), value
        return format_currency(value, "USD", locale=_locale(locale))
    text = format_decimal(value, _PATTERNS[kind], locale=_locale(locale))
    return text + "%" if kind is Kind.PERCENT else text


def benchmark_text(value: Decimal, locale: str = REPORT_LOCALE) -> str:
    """A benchmark as it was set (7.2, 3.96): never rounded for display."""
    return format_decimal(value, "#,##0.0#", locale=_locale(locale))


def is_number(kind: Kind) -> bool:
    """Whether a column's cells are set right-aligned."""
    return kind not in (Kind.TEXT, Kind.DATE)
