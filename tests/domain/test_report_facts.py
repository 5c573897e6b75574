"""What an issued case counts for in the reports: its bills adjusted, its totals, and
what the code kept back, each excluded cent given exactly one cause."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings

from billing_desk.domain.report_facts import cents, issue_facts, kept_back
from billing_desk.domain.rulepacks import determine

from .builders import make_case, period
from .test_engine_properties import cases


def facts_of(case, issued_on=date(2010, 7, 1)):
    return issue_facts(determine(case).to_json(), account_number=case.account.number,
                       service=case.service.value, discovered_on=case.discovered_on,
                       periods=[(p.start, p.end) for p in case.periods], issued_on=issued_on)


def test_cents_are_exact():
    assert [cents(t) for t in ("0.00", "12.30", "-0.05", "999999999.99")] == [
        0, 1230, -5, 99_999_999_999]


def test_each_period_with_a_difference_is_one_bill():
    case = make_case(periods=[period("2010-01-01", "2010-01-31", "50.00", "40.00"),
                              period("2010-02-01", "2010-02-28", "40.00", "40.00"),
                              period("2010-03-01", "2010-03-31", "30.00", "45.00")])
    facts = facts_of(case)
    assert [(b.start.isoformat(), b.end.isoformat()) for b in facts.bills] == [
        ("2010-01-01", "2010-01-31"), ("2010-03-01", "2010-03-31")]
    assert {b.account_number for b in facts.bills} == {"100-2000-01"}
    assert (facts.refund, facts.back_bill, facts.outcome) == (1000, 1500, "credit_and_back_bill")
    assert facts.days_to_issue == (date(2010, 7, 1) - date(2010, 6, 15)).days == 16


def test_a_refund_older_than_six_years_and_one_held_back_by_conditions():
    # discovered 2010-06-15: the cutoff is 2004-06-15; 2004-06-01..30 straddles it
    older = make_case(periods=[period("2004-06-01", "2004-06-30", "130.00", "100.00")])
    kept = kept_back(determine(older).to_json())
    assert (kept.six_year_refund, kept.refund_conditions) == (1400, 0)  # 14 of 30 days
    held = make_case(evidence={"documentation_available": False,
                               "documentation_confirmed": False},
                     periods=[period("2004-06-01", "2004-06-30", "130.00", "100.00")])
    kept = kept_back(determine(held).to_json())
    assert (kept.six_year_refund, kept.refund_conditions) == (1400, 1600)
    assert (kept.refund_a1_i, kept.refund_a1_ii, kept.refund_a1_iii) == (0, 1600, 1600)
    assert kept.total == 3000


def test_back_bills_kept_back_by_the_limit_the_reading_and_a_former_customer():
    under = [period("2004-06-01", "2004-06-30", "100.00", "130.00")]
    # ordinance: the part older than six years is not billed when the customer could
    # not have discovered the error
    kept = kept_back(determine(make_case(periods=under)).to_json())
    assert (kept.six_year_back_bill, kept.back_bill_reading) == (1400, 0)
    # staff practice: forgiven unless concealed, the in-window part too
    staff = make_case(periods=under, options={"undercharge_reading": "staff_practice"})
    kept = kept_back(determine(staff).to_json())
    assert (kept.six_year_back_bill, kept.back_bill_reading) == (1400, 1600)
    former = make_case(periods=under, account={"current_customer": False})
    kept = kept_back(determine(former).to_json())
    assert (kept.former_customer, kept.six_year_back_bill, kept.total) == (3000, 0, 3000)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_every_excluded_cent_has_exactly_one_cause(case):
    determination = determine(case).to_json()
    kept = kept_back(determination)
    assert kept.total == sum(cents(p["excluded_amount"]) for p in determination["periods"])
    # the three (a)(1) conditions overlap, but none is more than the conditions' total
    assert max(kept.refund_a1_i, kept.refund_a1_ii, kept.refund_a1_iii) <= kept.refund_conditions
    facts = facts_of(case, issued_on=case.discovered_on)
    assert len(facts.bills) == sum(p["direction"] != "none" for p in determination["periods"])
    assert facts.by_reading[determination["reading"]] == (facts.refund, facts.back_bill)
