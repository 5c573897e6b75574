"""The incident's figures, totals, outlier rule, histogram, sample and approval rules
(issue 18 points 2 and 3), as pure functions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from billing_desk.domain.case import Account, Evidence, Options, Period, Reading, Service
from billing_desk.domain.incident import (
    IncidentTotals, case_figures, check_incident_approval, histogram, incident_case,
    incident_totals, outlier_fences, outliers,
)
from billing_desk.domain.rulepacks import determine
from billing_desk.domain.sampling import Candidate, SampledBecause, draw_sample
from billing_desk.domain.workflow import Actor, Role, WorkflowRefused
from tests.incident_data import STORMWATER

D = Decimal
ACCOUNT = Account("1-1", "Pat Example", "1 Main St", "1 Main St")


def figures(incident, periods, account=ACCOUNT):
    case = incident_case(incident, account, periods)
    return case_figures(case, determine(case))


def month(y, m, billed, correct):
    end = date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1
    return Period(date(y, m, 1), date.fromordinal(end), D(billed), D(correct))


def test_an_overcharge_straddling_six_years_is_refunded_and_the_rest_kept_back():
    # made known 2009-07-01: cutoff 2003-07-01; June 2003 is older, July within
    f = figures(STORMWATER, [month(2003, 6, "20.00", "10.00"), month(2003, 7, "21.00", "10.00")])
    assert (f.refund, f.six_year, f.a1_i) == (D("11.00"), D("10.00"), D("0.00"))
    assert f.amount == D("11.00") and not f.readings_differ


def test_each_failing_a1_condition_counts_what_it_keeps_back():
    no_docs = replace(STORMWATER, evidence=Evidence(True, False, False, False))
    f = figures(no_docs, [month(2003, 6, "20.00", "10.00"), month(2003, 7, "21.00", "10.00")])
    # nothing refunded: within six years 11.00 kept back by (i), (ii) and (iii) alike; the
    # older 10.00 by the six-year limit whatever the conditions
    assert f.refund == D("0.00")
    assert (f.a1_i, f.a1_ii, f.a1_iii, f.six_year) == (D("11.00"),) * 3 + (D("10.00"),)


def test_undercharges_forgiven_under_each_reading():
    could = replace(STORMWATER, evidence=Evidence(True, True, True, False))
    f = figures(could, [month(2003, 6, "10.00", "40.00"), month(2005, 1, "10.00", "20.00")])
    # ordinance: old part 30.00 > 25.00 and could discover -> billed in full (nothing forgiven);
    # executive summary: within 10.00 <= 25.00 -> 10.00 billed, 30.00 forgiven;
    # staff memo: no concealment -> all 40.00 forgiven
    assert f.back_bill == D("40.00") and f.six_year == D("0.00")
    assert f.forgiven == (D("0.00"), D("30.00"), D("40.00"))
    assert f.readings_differ
    summary = replace(could, options=Options(undercharge_reading=Reading.EXECUTIVE_SUMMARY))
    g = figures(summary, [month(2003, 6, "10.00", "40.00"), month(2005, 1, "10.00", "20.00")])
    assert (g.back_bill, g.six_year) == (D("10.00"), D("30.00"))


def test_totals_add_up_in_decimal_and_count_what_cannot_be_determined():
    a = figures(STORMWATER, [month(2003, 6, "20.00", "10.00"), month(2003, 7, "21.00", "10.00")])
    b = figures(STORMWATER, [month(2008, 1, "30.10", "10.00")])
    t = incident_totals([a, b, None])
    assert (t.cases, t.undetermined, t.refund, t.six_year, t.six_year_cases) == (
        3, 1, D("31.10"), D("10.00"), 1)
    assert (t.smallest, t.largest) == (D("11.00"), D("20.10"))
    assert all(isinstance(v, Decimal) for v in (t.refund, t.back_bill, t.six_year, *t.forgiven))


def test_outliers_are_beyond_tukeys_fences_and_zero_is_never_one():
    amounts = [D(x) for x in ("0.00", "40.00", "42.00", "44.00", "46.00", "48.00", "50.00",
                              "400.00")]
    fences = outlier_fences(amounts)
    # positive amounts 40..50 and 400: halves [40, 42, 44] and [48, 50, 400]
    assert (fences.q1, fences.q3) == (D("42.00"), D("50.00"))
    assert (fences.low, fences.high) == (D("30.00"), D("62.00"))
    assert outliers(amounts) == frozenset({7})
    assert outlier_fences([D("5"), D("6"), D("700")]) is None  # too few to tell
    assert outliers([D("5"), D("6"), D("700")]) == frozenset()


def test_the_histogram_has_round_exact_bins_that_count_every_amount():
    amounts = [D("42.00"), D("99.99"), D("100.00"), D("850.00"), D("0.00")]
    bins = histogram(amounts, bins=20)
    assert bins[0].low == D("0") and all(b.high - b.low == D("50") for b in bins)
    assert sum(b.count for b in bins) == 4  # the zero amount is no adjustment
    # [0, 50) 42.00, [50, 100) 99.99, [100, 150) 100.00, the last bin 850.00
    assert [(b.low, b.count) for b in bins if b.count] == [
        (D("0"), 1), (D("50"), 1), (D("100"), 1), (D("850"), 1)]
    assert bins[-1].low <= D("850.00") <= bins[-1].high
    assert histogram([]) == ()


def test_the_sample_holds_every_outlier_and_divergent_case_and_is_seeded():
    candidates = [Candidate(k, outlier=k in (5, 9), divergent=k in (9, 30)) for k in range(1, 101)]
    sample = draw_sample(candidates, 20, "seed-1")
    assert len(sample) == 20
    assert sample[5] is sample[9] is SampledBecause.OUTLIER
    assert sample[30] is SampledBecause.DIVERGENT
    assert sum(v is SampledBecause.RANDOM for v in sample.values()) == 17
    # the same seed and cases, in any order, give the same sample; another seed another
    assert draw_sample(reversed(candidates), 20, "seed-1") == sample
    assert draw_sample(candidates, 20, "seed-2") != sample
    # the mandatory cases stay even when the size is smaller; a small incident is sampled whole
    assert set(draw_sample(candidates, 1, "s")) == {5, 9, 30}
    assert len(draw_sample(candidates[:7], 20, "s")) == 7


SUP = Actor("sup", Role.SUPERVISOR, D("50000.00"))


def test_incident_approval_refuses_participants_clerks_and_totals_over_the_limit():
    total = IncidentTotals(cases=74, refund=D("43041.00"))
    check_incident_approval(SUP, participants={"alice", "bob"}, total=total)
    with pytest.raises(WorkflowRefused) as e:
        check_incident_approval(SUP, participants={"alice", "SUP"}, total=total)
    assert e.value.code == "own_incident"
    with pytest.raises(WorkflowRefused) as e:
        check_incident_approval(replace(SUP, approval_limit=D("43040.99")), participants=(),
                                total=total)
    assert e.value.code == "incident_over_limit" and "43041.00" in str(e.value)
    with pytest.raises(WorkflowRefused) as e:
        check_incident_approval(Actor("alice", Role.CLERK), participants=(), total=total)
    assert e.value.code == "not_an_approver"
    with pytest.raises(WorkflowRefused) as e:
        check_incident_approval(replace(SUP, active=False), participants=(), total=total)
    assert e.value.code == "inactive_user"


def test_an_incident_case_takes_the_incidents_service_dates_evidence_and_options():
    case = incident_case(STORMWATER, ACCOUNT, [month(2005, 1, "10.00", "9.00")], why="x")
    assert (case.service, case.discovered_on, case.evidence, case.why) == (
        Service.STORMWATER, STORMWATER.discovered_on, STORMWATER.evidence, "x")
