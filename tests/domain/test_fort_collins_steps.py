"""The steps of the Sec. 26-721 engine one by one, as RULES.md §3-§5 write them: split a
period at its cutoff, the (a)(1) and (a)(2) rules, the totals, the flags.

The worked cases and the property tests check ``determine`` as a whole; these check each
step against the rule it implements, with the inputs written inline.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from billing_desk.domain.case import Evidence, OccurredBasis, Period, Reading
from billing_desk.domain.determination import Direction, ReadingResult
from billing_desk.domain.rulepacks import get_rule_pack
from billing_desk.domain.rulepacks.fort_collins_26_721 import (
    Cutoffs, DirectionTotals, PeriodSplit, Tally, UnderchargeFacts, UnderchargeRule, raise_flags,
    reading_totals, refund_rule, six_year_cutoffs, split_period, tally, undercharge_rule,
)
from tests.domain.builders import make_case, period

D = Decimal
CUTOFFS = Cutoffs(overcharge=date(2004, 3, 11), undercharge=date(2004, 6, 1))


def split(start, end, billed, correct, bill_date=None, basis=OccurredBasis.SERVICE_DAYS):
    p = Period(date.fromisoformat(start), date.fromisoformat(end), D(billed), D(correct),
               None if bill_date is None else date.fromisoformat(bill_date))
    return split_period(4, p, CUTOFFS, basis)


# --- §3.3 the cutoffs -------------------------------------------------------------------

def test_cutoffs_are_six_years_before_made_known_and_discovered():
    case = make_case(discovered_on="2012-02-29", made_known_on="2011-09-15")
    assert six_year_cutoffs(case) == Cutoffs(overcharge=date(2005, 9, 15),
                                             undercharge=date(2006, 2, 28))


# --- §3.2, §3.3 a period split at its cutoff ------------------------------------------------

def test_a_straddling_period_is_prorated_by_days_rounded_half_up():
    # overcharge 100.00 over March 2004 (31 days); cutoff March 11: 21 days in the window;
    # 100 × 21 / 31 = 67.741... -> 67.74
    s = split("2004-03-01", "2004-03-31", "150.00", "50.00")
    assert s == PeriodSplit(4, Direction.OVERCHARGE, 31, 21, D("67.74"), D("32.26"))
    assert s.m == D("100.00")


def test_an_undercharge_is_split_at_the_discovery_cutoff():
    # cutoff June 1: none of May is in the window
    s = split("2004-05-01", "2004-05-31", "10.00", "40.00")
    assert (s.direction, s.days, s.days_in_window, s.in_window, s.out_of_window) == (
        Direction.UNDERCHARGE, 31, 0, D("0.00"), D("30.00"))


def test_a_period_on_the_cutoff_day_is_in_the_window():
    s = split("2004-03-11", "2004-03-11", "1.00", "0.99")
    assert (s.days_in_window, s.in_window, s.out_of_window) == (1, D("0.01"), D("0.00"))


def test_no_difference_has_no_window():
    assert split("2004-03-01", "2004-03-31", "25.00", "25.00") == PeriodSplit(
        4, Direction.NONE, 31, None, D("0.00"), D("0.00"))


@pytest.mark.parametrize("bill_date,din", [("2004-03-11", 30), ("2004-03-10", 0)])
def test_under_bill_date_the_whole_period_occurs_on_its_bill_date(bill_date, din):
    s = split("2004-02-10", "2004-03-10", "80.00", "20.00", bill_date, OccurredBasis.BILL_DATE)
    assert (s.days, s.days_in_window) == (30, din)
    assert s.in_window == (D("60.00") if din else D("0.00"))


def test_tally_sums_each_direction_and_counts_the_periods_outside_the_window():
    periods = [split("2004-03-01", "2004-03-31", "150.00", "50.00"),   # straddles
               split("2004-05-01", "2004-05-31", "10.00", "40.00"),    # before
               split("2004-07-01", "2004-07-31", "10.00", "15.50"),    # inside
               split("2004-08-01", "2004-08-31", "15.00", "15.00")]    # none
    assert tally(periods) == Tally(
        overcharges=DirectionTotals(1, D("67.74"), D("32.26")),
        undercharges=DirectionTotals(2, D("5.50"), D("30.00")), straddling=1, exceeding=2)


# --- §3.4 26-721(a)(1) --------------------------------------------------------------------

@pytest.mark.parametrize("could,available,confirmed", list(itertools.product([False, True], repeat=3)))
def test_a1_names_each_failing_condition_in_order(could, available, confirmed):
    rule = refund_rule(Evidence(could, available, confirmed, False), CUTOFFS.overcharge)
    expected = [label for label, fails in (("(a)(1)(i)", could), ("(a)(1)(ii)", not available),
                                           ("(a)(1)(iii)", not confirmed)) if fails]
    assert list(rule.failing) == expected
    assert rule.failing_text == ", ".join(expected)


# --- §3.4 26-721(a)(2), each reading, and the former-customer rule ---------------------------

def _bills(reading, current, could, concealed, in_minimal, out_minimal):
    """RULES.md §3.4's table, read directly: (bills in-window part, bills older part)."""
    if not current:
        return False, False
    if reading is Reading.ORDINANCE:
        return True, not (out_minimal or not could)
    if reading is Reading.EXECUTIVE_SUMMARY:
        return in_minimal or not could, False
    return concealed, False


@pytest.mark.parametrize("reading", list(Reading))
def test_a2_each_reading_bills_what_the_rules_table_says(reading):
    threshold = D("25.00")
    for current, could, concealed, in_minimal, out_minimal in itertools.product([False, True], repeat=5):
        sums = DirectionTotals(3, D("25.00") if in_minimal else D("25.01"),
                               D("25.00") if out_minimal else D("25.01"))
        facts = UnderchargeFacts(current, could, concealed, threshold, sums)
        rule = undercharge_rule(reading, facts)
        assert (rule.bills_in_window, rule.bills_out_of_window) == _bills(
            reading, current, could, concealed, in_minimal, out_minimal)


def test_a_reading_bills_the_case_sums_as_it_bills_each_period():
    parts = [(D("12.34"), D("0.00")), (D("0.00"), D("20.00")), (D("3.33"), D("6.67"))]
    for bills_in, bills_out in itertools.product([False, True], repeat=2):
        rule = UnderchargeRule(Reading.ORDINANCE, bills_in, bills_out)
        each = sum((rule.bill(i, o) for i, o in parts), D("0.00"))
        assert rule.bill(D("15.67"), D("26.67")) == each
        assert each.as_tuple().exponent == -2


# --- §3.5 the totals of a reading --------------------------------------------------------

def test_reading_totals_refund_only_when_a1_holds_and_back_bill_what_the_reading_bills():
    over = DirectionTotals(2, D("40.00"), D("5.00"))
    facts = UnderchargeFacts(True, True, False, D("25.00"), DirectionTotals(1, D("30.00"), D("10.00")))
    ok = refund_rule(Evidence(False, True, True, False), CUTOFFS.overcharge)
    failed = refund_rule(Evidence(True, True, True, False), CUTOFFS.overcharge)
    ordinance = undercharge_rule(Reading.ORDINANCE, facts)  # OUT 10.00 <= 25.00: older part exempt
    assert reading_totals(ok, over, ordinance, facts) == ReadingResult.of(D("40.00"), D("30.00"))
    assert reading_totals(failed, over, ordinance, facts) == ReadingResult.of(D("0.00"), D("30.00"))


# --- §5 the flags ---------------------------------------------------------------------------

def test_every_flag_of_rules_5_is_raised_when_its_condition_holds_and_none_other():
    case = make_case(made_known_on="2010-05-01", options={"undercharge_reading": "staff_practice"},
                     account={"current_customer": False},
                     evidence={"customer_could_have_discovered": True, "documentation_available": False,
                               "documentation_confirmed": False, "customer_concealed_error": True})
    everything = Tally(DirectionTotals(1, D("1.00"), D("1.00")), DirectionTotals(1, D("1.00"), D("1.00")),
                       straddling=1, exceeding=1)
    refund = refund_rule(case.evidence, CUTOFFS.overcharge)
    differ = {"ordinance": ReadingResult.of(D("0.00"), D("1.00")),
              "executive_summary": ReadingResult.of(D("0.00"), D("0.00")),
              "staff_practice": ReadingResult.of(D("0.00"), D("0.00"))}
    assert set(raise_flags(case, everything, refund, differ)) == set(get_rule_pack(case.rule_pack).flag_texts)

    quiet = make_case(periods=[period("2010-01-01", "2010-01-31", "50.00", "50.00")])
    nothing = Tally(DirectionTotals(0, D("0.00"), D("0.00")), DirectionTotals(0, D("0.00"), D("0.00")), 0, 0)
    same = dict.fromkeys(differ, ReadingResult.of(D("0.00"), D("0.00")))
    assert raise_flags(quiet, nothing, refund_rule(quiet.evidence, CUTOFFS.overcharge), same) == ()


def test_a1_flags_need_an_overcharge():
    case = make_case(evidence={"customer_could_have_discovered": True})
    undercharged = Tally(DirectionTotals(0, D("0.00"), D("0.00")), DirectionTotals(1, D("5.00"), D("0.00")), 0, 0)
    same = dict.fromkeys(("ordinance", "executive_summary", "staff_practice"),
                         ReadingResult.of(D("0.00"), D("5.00")))
    flags = raise_flags(case, undercharged, refund_rule(case.evidence, CUTOFFS.overcharge), same)
    assert not [f for f in flags if f.startswith("refund_")]
    overcharged = replace(undercharged, overcharges=DirectionTotals(1, D("5.00"), D("0.00")))
    flags = raise_flags(case, overcharged, refund_rule(case.evidence, CUTOFFS.overcharge), same)
    assert [f for f in flags if f.startswith("refund_")] == ["refund_a1_i_not_met", "refund_conditions_not_met"]
