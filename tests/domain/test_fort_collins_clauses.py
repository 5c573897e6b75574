"""Sec. 26-721 clause by clause, with the case written inline.

Each test names the clause it exercises; amounts are checked to the cent.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from billing_desk.domain.determination import Direction, Outcome
from billing_desk.domain.rulepacks import determine, get_rule_pack
from tests.domain.builders import make_case, period

D = Decimal


def lines(case):
    return determine(case).periods


# --- 26-721(a)(1): overcharges ----------------------------------------------------------

def test_a1_overcharge_within_window_is_refunded_without_interest():
    d = determine(make_case(periods=[period("2010-01-01", "2010-01-31", "84.20", "71.45")]))
    assert d.outcome is Outcome.CREDIT
    assert d.refund_total == D("12.75") and d.back_bill_total == D("0.00")
    assert d.net == D("-12.75")
    assert d.interest == D("0.00")
    line = d.periods[0]
    assert line.direction is Direction.OVERCHARGE and line.clause == "26-721(a)(1)"
    assert "without interest" in line.reason.text


@pytest.mark.parametrize("evidence,failing", [
    ({"customer_could_have_discovered": True}, ["refund_a1_i_not_met"]),
    ({"documentation_available": False, "documentation_confirmed": False},
     ["refund_a1_ii_not_met", "refund_a1_iii_not_met"]),
    ({"documentation_confirmed": False}, ["refund_a1_iii_not_met"]),
    ({"customer_could_have_discovered": True, "documentation_confirmed": False},
     ["refund_a1_i_not_met", "refund_a1_iii_not_met"]),
])
def test_a1_each_failing_condition_blocks_the_refund_and_is_named(evidence, failing):
    d = determine(make_case(evidence=evidence,
                            periods=[period("2010-01-01", "2010-01-31", "60.00", "45.00")]))
    assert d.refund_total == D("0.00")
    assert d.outcome is Outcome.NO_ADJUSTMENT
    assert d.periods[0].included_amount == D("0.00")
    assert d.periods[0].excluded_amount == D("15.00")
    assert "refund_conditions_not_met" in d.flags
    assert [f for f in d.flags if f.startswith("refund_a1_")] == failing
    labels = {"refund_a1_i_not_met": "(a)(1)(i)", "refund_a1_ii_not_met": "(a)(1)(ii)",
              "refund_a1_iii_not_met": "(a)(1)(iii)"}
    assert d.periods[0].reason.text == (
        "Not refunded: condition(s) " + ", ".join(labels[f] for f in failing) + " not met.")


def test_a1_conditions_flags_only_when_there_is_an_overcharge():
    d = determine(make_case(evidence={"customer_could_have_discovered": True},
                            periods=[period("2010-01-01", "2010-01-31", "40.00", "45.00")]))
    assert not any(f.startswith("refund_") for f in d.flags)


def test_a1_window_runs_from_made_known_not_discovery():
    # made known 2009-05-01 -> cutoff 2003-05-01; discovered later (2009-06-15)
    case = make_case(discovered_on="2009-06-15", made_known_on="2009-05-01",
                     periods=[period("2003-04-01", "2003-04-30", "40.00", "35.00"),
                              period("2003-05-01", "2003-05-31", "40.00", "35.00")])
    d = determine(case)
    assert d.cutoffs["overcharge"] == date(2003, 5, 1)
    assert d.cutoffs["undercharge"] == date(2003, 6, 15)
    assert [p.included_amount for p in d.periods] == [D("0.00"), D("5.00")]
    assert "reference_dates_differ" in d.flags
    assert d.periods[0].reason.text == ("Not refunded: occurred more than six years before "
                                        "the error was made known (before 2003-05-01).")


def test_a1_period_straddling_the_cutoff_is_prorated_by_service_days():
    # cutoff 2003-06-15; June 2003: 16 of 30 days in -> 30.00 x 16/30 = 16.00
    d = determine(make_case(discovered_on="2009-06-15",
                            periods=[period("2003-06-01", "2003-06-30", "130.00", "100.00")]))
    p = d.periods[0]
    assert (p.days, p.days_in_window) == (30, 16)
    assert (p.in_window_amount, p.out_of_window_amount) == (D("16.00"), D("14.00"))
    assert p.included_amount == D("16.00") and p.excluded_amount == D("14.00")
    assert {"straddles_cutoff", "six_year_window_exceeded"} <= set(d.flags)


def test_a1_cutoff_day_itself_is_in_the_window():
    d = determine(make_case(discovered_on="2009-06-15",
                            periods=[period("2003-06-14", "2003-06-15", "0.05", "0.00")]))
    p = d.periods[0]
    assert p.days_in_window == 1
    assert p.in_window_amount == D("0.03")  # 0.025 rounds half up, never half-even


def test_a1_feb_29_reference_falls_back_to_feb_28():
    d = determine(make_case(discovered_on="2012-02-29",
                            periods=[period("2006-02-01", "2006-02-28", "128.00", "100.00")]))
    assert d.cutoffs["overcharge"] == date(2006, 2, 28)
    assert d.periods[0].days_in_window == 1
    assert d.periods[0].included_amount == D("1.00")


# --- 26-721(a)(2): undercharges, three readings -----------------------------------------

UNDER_CUTOFF_CASE = dict(
    discovered_on="2012-05-20",  # cutoff 2006-05-20
    evidence={"customer_could_have_discovered": True},
    periods=[period("2006-04-01", "2006-04-30", "70.00", "100.00"),   # 30.00 all old
             period("2006-05-01", "2006-05-31", "69.00", "100.00"),   # 31.00: 12 in, 19 out
             period("2006-06-01", "2006-06-30", "87.00", "100.00")],  # 13.00 in
)


def test_a2_ordinance_bills_old_part_when_above_threshold_and_discoverable():
    d = determine(make_case(**UNDER_CUTOFF_CASE))
    assert d.reading == "ordinance"
    # OUT = 30 + 19 = 49.00 > 25.00 and could discover: everything billed
    assert d.back_bill_total == D("74.00")
    assert [p.included_amount for p in d.periods] == [D("30.00"), D("31.00"), D("13.00")]
    assert all(p.clause == "26-721(a)(2)" for p in d.periods)


def test_a2_executive_summary_bills_in_window_only_if_minimal():
    d = determine(make_case(options={"undercharge_reading": "executive_summary"},
                            **UNDER_CUTOFF_CASE))
    # IN = 12.00 + 13.00 = 25.00 <= 25.00: in-window part only
    assert d.back_bill_total == D("25.00")
    assert [p.included_amount for p in d.periods] == [D("0.00"), D("12.00"), D("13.00")]
    assert {"reading_not_ordinance", "readings_differ"} <= set(d.flags)


def test_a2_executive_summary_bills_nothing_above_threshold_when_discoverable():
    d = determine(make_case(options={"undercharge_reading": "executive_summary",
                                     "minimal_threshold": "24.99"}, **UNDER_CUTOFF_CASE))
    assert d.back_bill_total == D("0.00")
    assert "24.99" in d.periods[1].reason.text


def test_a2_staff_practice_forgives_without_concealment():
    d = determine(make_case(options={"undercharge_reading": "staff_practice"},
                            **UNDER_CUTOFF_CASE))
    assert d.back_bill_total == D("0.00")
    assert d.outcome is Outcome.NO_ADJUSTMENT
    assert all(p.reason.text.startswith("Forgiven (staff practice)") for p in d.periods)


def test_a2_staff_practice_collects_six_years_when_concealed():
    d = determine(make_case(options={"undercharge_reading": "staff_practice"},
                            evidence={"customer_could_have_discovered": True,
                                      "customer_concealed_error": True},
                            discovered_on="2012-05-20", periods=UNDER_CUTOFF_CASE["periods"]))
    assert d.back_bill_total == D("25.00")
    assert "concealment_possible_code_violation_26_721_b" in d.flags


def test_a2_readings_are_reported_side_by_side():
    d = determine(make_case(**UNDER_CUTOFF_CASE))
    assert {k: r.back_bill_total for k, r in d.readings.items()} == {
        "ordinance": D("74.00"), "executive_summary": D("25.00"), "staff_practice": D("0.00")}
    assert "readings_differ" in d.flags


@pytest.mark.parametrize("old_amount,billed_old", [("12.50", False), ("12.51", True)])
def test_a2_i_minimal_threshold_is_inclusive(old_amount, billed_old):
    # cutoff 2005-03-15; two wholly-old periods: 12.50 + old_amount vs threshold 25.00
    correct = str(D("30.00") + D(old_amount))
    d = determine(make_case(discovered_on="2011-03-15",
                            evidence={"customer_could_have_discovered": True},
                            periods=[period("2005-01-01", "2005-01-31", "30.00", "42.50"),
                                     period("2005-02-01", "2005-02-28", "30.00", correct)]))
    old = D("12.50") + D(old_amount)
    assert d.back_bill_total == (old if billed_old else D("0.00"))


def test_a2_ii_undiscoverable_exempts_old_part_even_above_threshold():
    d = determine(make_case(discovered_on="2010-03-21",
                            periods=[period("2004-03-01", "2004-03-30", "0.00", "999999.99")]))
    p = d.periods[0]
    assert p.included_amount == D("333333.33") and p.excluded_amount == D("666666.66")
    assert p.reason.text.endswith("customer could not have discovered the error.")


def test_a2_wholly_old_undiscoverable_period_says_why():
    d = determine(make_case(discovered_on="2012-05-20",
                            periods=[period("2006-01-01", "2006-01-31", "0.00", "500.00")]))
    assert d.back_bill_total == D("0.00")
    assert d.periods[0].reason.code == "under.ordinance.old_undiscoverable"


def test_a2_former_customer_is_never_back_billed_in_any_reading():
    d = determine(make_case(account={"current_customer": False},
                            evidence={"customer_could_have_discovered": True,
                                      "customer_concealed_error": True},
                            periods=[period("2010-01-01", "2010-01-31", "40.00", "55.00"),
                                     period("2010-02-01", "2010-02-28", "50.00", "40.00")]))
    assert all(r.back_bill_total == D("0.00") for r in d.readings.values())
    assert "former_customer_undercharge_not_billable" in d.flags
    assert d.periods[0].reason.text.startswith("Not billed: (a)(2) applies to current customers")


def test_former_customer_overcharge_still_follows_a1():
    d = determine(make_case(account={"current_customer": False},
                            periods=[period("2010-02-01", "2010-02-28", "50.00", "40.00")]))
    assert d.refund_total == D("10.00")
    assert "former_customer_undercharge_not_billable" not in d.flags


# --- 26-721(b) and the rest -----------------------------------------------------------

def test_b_concealment_is_flagged_even_without_undercharge():
    d = determine(make_case(evidence={"customer_could_have_discovered": True,
                                      "customer_concealed_error": True}))
    assert "concealment_possible_code_violation_26_721_b" in d.flags


def test_zero_difference_period_has_no_clause_and_no_flags():
    d = determine(make_case(discovered_on="2011-01-20",
                            periods=[period("2001-11-01", "2001-11-30", "55.00", "55.00")]))
    p = d.periods[0]
    assert p.direction is Direction.NONE
    assert (p.days, p.days_in_window, p.clause) == (30, None, None)
    assert d.flags == ()
    assert d.outcome is Outcome.NO_ADJUSTMENT


def test_bill_date_basis_counts_the_whole_period_on_its_bill_date():
    d = determine(make_case(discovered_on="2009-06-15", options={"occurred_basis": "bill_date"},
                            periods=[period("2003-05-01", "2003-05-31", "70.00", "50.00",
                                            bill_date="2003-06-14"),
                                     period("2003-06-01", "2003-06-30", "70.00", "50.00",
                                            bill_date="2003-07-03")]))
    assert [p.days_in_window for p in d.periods] == [0, 30]
    assert d.refund_total == D("20.00")
    assert "straddles_cutoff" not in d.flags
    assert "six_year_window_exceeded" in d.flags


def test_mixed_case_nets_back_bill_against_refund():
    d = determine(make_case(discovered_on="2010-11-05",
                            periods=[period("2010-06-01", "2010-06-30", "212.40", "187.15"),
                                     period("2010-07-01", "2010-07-31", "190.00", "204.35")]))
    assert d.outcome is Outcome.CREDIT_AND_BACK_BILL
    assert (d.refund_total, d.back_bill_total, d.net) == (D("25.25"), D("14.35"), D("-10.90"))


def test_output_json_money_is_canonical_text():
    out = determine(make_case(periods=[period("2010-01-01", "2010-01-31", "10.00", "10.00")])).to_json()
    assert out["net"] == "0.00" and out["refund_total"] == "0.00"  # never "-0.00"
    assert out["interest"] == "0.00"
    assert list(out) == ["format", "rule_pack", "account_number", "currency", "reading",
                         "minimal_threshold", "occurred_basis", "cutoffs", "outcome",
                         "refund_total", "back_bill_total", "net", "interest", "flags",
                         "periods", "readings"]


def test_rule_pack_states_its_clauses_once_with_text():
    pack = get_rule_pack("fort-collins-26-721")
    for clause_id in ("26-721(a)(1)", "26-721(a)(1)(i)", "26-721(a)(1)(ii)", "26-721(a)(1)(iii)",
                      "26-721(a)(2)", "26-721(a)(2)(i)", "26-721(a)(2)(ii)", "26-721(b)"):
        assert pack.clause(clause_id).text.strip()
    # every evidence field points at clauses the pack states
    for field, clause_ids in pack.evidence_clauses.items():
        assert all(c in pack.clauses for c in clause_ids), field
    assert set(pack.readings) == {"ordinance", "executive_summary", "staff_practice"}


def test_every_flag_the_engine_can_raise_is_described():
    pack = get_rule_pack("fort-collins-26-721")
    assert set(pack.flag_texts) == {
        "readings_differ", "reading_not_ordinance", "former_customer_undercharge_not_billable",
        "refund_conditions_not_met", "refund_a1_i_not_met", "refund_a1_ii_not_met",
        "refund_a1_iii_not_met", "straddles_cutoff", "six_year_window_exceeded",
        "concealment_possible_code_violation_26_721_b", "reference_dates_differ"}
