"""Money is Decimal: one constructor that refuses floats, half-up rounding, canonical text."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing_desk.domain.money import (
    MoneyError, money, money_text, parse_money_text, prorate, round_half_up,
)


def test_money_refuses_floats_and_bools():
    for bad in (0.1, 12.5, True):
        with pytest.raises(MoneyError):
            money(bad)


@pytest.mark.parametrize("text,expected", [("12.34", "12.34"), ("12", "12.00"), ("0", "0.00"),
                                           (" 7.1 ", "7.10"), ("-3.50", "-3.50")])
def test_money_from_text(text, expected):
    assert money_text(money(text)) == expected


@pytest.mark.parametrize("bad", ["1.005", "abc", "NaN", "Infinity", ""])
def test_money_refuses_over_precise_and_non_numbers(bad):
    with pytest.raises(MoneyError):
        money(bad)


def test_round_half_up_not_half_even():
    assert round_half_up(Decimal("0.025")) == Decimal("0.03")
    assert round_half_up(Decimal("0.035")) == Decimal("0.04")
    assert round_half_up(Decimal("-0.025")) == Decimal("-0.03")
    assert round_half_up(Decimal("4499.5"), 0) == Decimal("4500")


def test_canonical_text_never_negative_zero():
    assert money_text(Decimal("-0.00")) == "0.00"
    assert money_text(Decimal("-0")) == "0.00"
    assert money_text(Decimal("-0.05")) == "-0.05"
    assert money_text(Decimal("1234.56")) == "1234.56"


def test_strict_case_format_pattern():
    assert parse_money_text("12.34") == Decimal("12.34")
    for bad in ("12.3", "012.34", "-1.00", "1e3", "12.345", "1000000000.00"):
        assert parse_money_text(bad) is None


# --- prorate: the one pro-rata rounding (RULES.md §3.3 and §7) ----------------------------

def test_prorate_ties_round_half_up_not_half_even():
    # 0.05 over 2 days, 1 in the window: 0.025 -> 0.03 (half even would give 0.02)
    assert prorate(Decimal("0.05"), 1, 2) == Decimal("0.03")
    assert prorate(Decimal("0.03"), 1, 2) == Decimal("0.02")  # 0.015 -> 0.02
    assert prorate(Decimal("0.01"), 1, 2) == Decimal("0.01")  # 0.005 -> 0.01
    assert prorate(Decimal("0.01"), 1, 3) == Decimal("0.00")  # 0.0033 -> 0.00


def test_prorate_all_or_nothing_of_the_days_keeps_the_amount_or_nothing():
    for text in ("0.01", "12.75", "999999999.99"):
        amount = Decimal(text)
        assert str(prorate(amount, 31, 31)) == text
        assert str(prorate(amount, 0, 31)) == "0.00"


def test_prorate_to_other_places_is_the_meter_estimate():
    # RULES.md §7: 4650 gal over 31 similar days, 30 failed days -> 4500
    assert prorate(Decimal("4650"), 30, 31, 0) == Decimal("4500")
    assert prorate(Decimal("10"), 1, 4, 0) == Decimal("3")       # 2.5 -> 3
    assert prorate(Decimal("10"), 1, 4, 1) == Decimal("2.5")
    assert prorate(Decimal("4650.5"), 30, 31, 0) == Decimal("4500")  # 4500.48...
    assert prorate(Decimal("100"), 45, 30, 0) == Decimal("150")  # more days than the similar period


@pytest.mark.parametrize("amount,part,whole,places", [
    (Decimal("-0.01"), 1, 2, 2), (Decimal("NaN"), 1, 2, 2), (Decimal("Infinity"), 1, 2, 2),
    (0.5, 1, 2, 2), (Decimal("1.00"), -1, 2, 2), (Decimal("1.00"), 1, 0, 2), (Decimal("1.00"), 1, 2, -1),
])
def test_prorate_refuses_what_is_not_a_share_of_an_amount(amount, part, whole, places):
    with pytest.raises(ValueError):
        prorate(amount, part, whole, places)  # type: ignore[arg-type]


@given(cents=st.integers(min_value=0, max_value=99_999_999_999), days=st.integers(1, 4000),
       data=st.data())
def test_prorate_is_the_exact_cents_formula_of_rules_3_3(cents, days, data):
    din = data.draw(st.integers(0, days))
    amount = Decimal(cents).scaleb(-2)
    # RULES.md §3.3: in cents, (2·Mc·din + days) // (2·days)
    assert prorate(amount, din, days) == Decimal((2 * cents * din + days) // (2 * days)).scaleb(-2)
    assert prorate(amount, din, days).as_tuple().exponent == -2


@given(amount=st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False, allow_infinity=False),
       part=st.integers(0, 5000), whole=st.integers(1, 5000), places=st.integers(0, 4))
def test_prorate_agrees_with_decimal_arithmetic_done_exactly(amount, part, whole, places):
    with localcontext() as ctx:
        ctx.prec = 60  # enough digits that the quotient is rounded only by quantize
        expected = (amount * part / whole).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    assert prorate(amount, part, whole, places) == expected


def test_dollars_in_the_rules_messages():
    from billing_desk.domain.money import dollars

    assert dollars(Decimal("1962")) == "$1,962.00"
    assert dollars(Decimal("-40.5")) == "-$40.50"
    assert dollars(Decimal("0.004")) == "$0.00"
