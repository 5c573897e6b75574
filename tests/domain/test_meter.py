"""Sec. 26-119 meter-failure estimate (RULES.md §7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from billing_desk.domain.meter import MeterEstimateError, governing_reading, meter_failure_estimate


def test_rules_example_4650_gallons_over_31_days_gives_4500_for_30():
    est = meter_failure_estimate(Decimal("4650"), date(2008, 7, 1), date(2008, 7, 31),
                                 date(2009, 7, 1), date(2009, 7, 30))
    assert est == Decimal("4500")


def test_worked_case_24_similar_period():
    est = meter_failure_estimate(Decimal("9300"), date(2008, 7, 1), date(2008, 7, 31),
                                 date(2009, 7, 1), date(2009, 7, 30))
    assert est == Decimal("9000")


def test_rounds_half_up_to_the_requested_places():
    # 10 units over 4 days -> 2.5 a day; 1 failed day -> 2.5 -> 3 (places 0), 2.5 (places 1)
    args = (Decimal("10"), date(2020, 1, 1), date(2020, 1, 4), date(2020, 2, 1), date(2020, 2, 1))
    assert meter_failure_estimate(*args) == Decimal("3")
    assert meter_failure_estimate(*args, places=1) == Decimal("2.5")


def test_overlapping_similar_period_is_refused():
    with pytest.raises(MeterEstimateError, match="overlaps"):
        meter_failure_estimate(Decimal("100"), date(2020, 1, 1), date(2020, 1, 31),
                               date(2020, 1, 31), date(2020, 2, 28))


@pytest.mark.parametrize("dates", [
    (date(2020, 1, 31), date(2020, 1, 1), date(2020, 3, 1), date(2020, 3, 31)),
    (date(2020, 1, 1), date(2020, 1, 31), date(2020, 3, 31), date(2020, 3, 1)),
])
def test_end_before_start_is_refused(dates):
    with pytest.raises(MeterEstimateError, match="end is before start"):
        meter_failure_estimate(Decimal("100"), *dates)


def test_float_usage_is_refused():
    with pytest.raises(MeterEstimateError):
        meter_failure_estimate(4650.0, date(2008, 7, 1), date(2008, 7, 31),  # type: ignore[arg-type]
                               date(2009, 7, 1), date(2009, 7, 30))


def test_head_of_meter_governs():
    assert governing_reading(Decimal("120"), Decimal("118")) == Decimal("120")
    assert governing_reading(None, Decimal("118")) == Decimal("118")
    with pytest.raises(MeterEstimateError):
        governing_reading(None, None)
