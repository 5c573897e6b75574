"""Money is Decimal: one constructor that refuses floats, half-up rounding, canonical text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from billing_desk.domain.money import (
    MoneyError, cents_text, from_cents, money, money_text, parse_money_text, round_half_up, to_cents,
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
    assert cents_text(0) == "0.00"
    assert cents_text(-5) == "-0.05"
    assert cents_text(123456) == "1234.56"


def test_cents_round_trip():
    for text in ("0.00", "0.01", "999999999.99", "12.30"):
        d = Decimal(text)
        assert from_cents(to_cents(d)) == d
        assert cents_text(to_cents(d)) == text


def test_strict_case_format_pattern():
    assert parse_money_text("12.34") == Decimal("12.34")
    for bad in ("12.3", "012.34", "-1.00", "1e3", "12.345", "1000000000.00"):
        assert parse_money_text(bad) is None


def test_dollars_in_the_rules_messages():
    from billing_desk.domain.money import dollars

    assert dollars(Decimal("1962")) == "$1,962.00"
    assert dollars(Decimal("-40.5")) == "-$40.50"
    assert dollars(Decimal("0.004")) == "$0.00"
