"""The app's one way of showing money, dates and times: money as Babel writes it for the
app's locale (the symbols ui/formatting.py writes out, checked here against Babel itself),
dates as the date fields show them, times in local time."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from babel.numbers import format_currency, get_currency_symbol, get_decimal_symbol, get_group_symbol

from billing_desk.ui import formatting as fmt

PROBES = ("0.00", "0.01", "7.50", "12.75", "999.99", "1000.00", "1962.00", "1234.56", "100000.00",
          "1000000.00", "999999999.99")


def test_the_symbols_written_out_are_babels():
    assert fmt.CURRENCY_SYMBOL == get_currency_symbol("USD", fmt.UI_LOCALE)
    assert fmt.GROUP_SYMBOL == get_group_symbol(fmt.UI_LOCALE)
    assert fmt.DECIMAL_SYMBOL == get_decimal_symbol(fmt.UI_LOCALE)


@pytest.mark.parametrize("text", PROBES)
def test_money_is_what_babel_writes_with_a_true_minus(text):
    amount = Decimal(text)
    assert fmt.money(amount) == format_currency(amount, "USD", locale=fmt.UI_LOCALE)
    if amount:
        babel = format_currency(-amount, "USD", locale=fmt.UI_LOCALE)
        assert fmt.money(-amount) == babel.replace("-", "\u2212", 1)


def test_money_amounts_and_differences():
    assert fmt.money(Decimal("1962.00")) == "$1,962.00"
    assert fmt.money(Decimal("-40.00")) == "−$40.00"
    assert fmt.money(Decimal("-0.00")) == "$0.00"
    assert fmt.amount_text(Decimal("1234.5")) == "1,234.50"
    assert fmt.amount_text(Decimal("1234.50"), grouping=False) == "1234.50"
    assert fmt.amount_text(None) == ""
    assert fmt.difference_text(Decimal("12.75")) == "+12.75"
    assert fmt.difference_text(Decimal("-1234.10")) == "-1,234.10"
    assert fmt.difference_text(Decimal("0.00")) == "0.00"


def test_dates_as_the_fields_show_them_and_periods():
    assert fmt.date_text(date(2024, 1, 31)) == "01/31/2024"
    assert fmt.date_text(None) == ""
    assert fmt.period_label(date(2012, 5, 1), date(2012, 5, 31)) == "May 2012"
    assert fmt.period_label(date(2012, 5, 1), date(2012, 6, 14)) == "05/01/12–06/14/12"
    assert fmt.period_text(date(2010, 1, 1), date(2010, 1, 31)) == "01/01/2010–01/31/2010"


def test_times_are_local_and_the_utc_form_is_kept_for_tips(denver):
    at = datetime(2025, 1, 7, 21, 33, 5, tzinfo=timezone.utc)
    assert fmt.time_text(at) == "01/07/2025 14:33"  # Mountain Standard Time, UTC-7
    assert fmt.time_text(at, seconds=True) == "01/07/2025 14:33:05"
    assert fmt.time_text(datetime(2025, 7, 1, 3, 0, tzinfo=timezone.utc)) == "06/30/2025 21:00"
    assert fmt.utc_text(at) == "2025-01-07 21:33:05 UTC"
