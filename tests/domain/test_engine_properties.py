"""Properties that follow from RULES.md, over generated cases (hypothesis).

Besides the structural properties, every generated case is checked against a naive
oracle written straight from the text of RULES.md §3 (day-by-day counting, Decimal
arithmetic), independent of the engine's integer-cent fast path.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing_desk.domain.case import (
    Account, Case, Evidence, OccurredBasis, Options, Period, Reading, Service,
)
from billing_desk.domain.caseformat import case_to_json, consistency_problems, parse_case
from billing_desk.domain.determination import Direction
from billing_desk.domain.rulepacks import determine

CENT = Decimal("0.01")

amounts = st.integers(min_value=0, max_value=99_999_999_999).map(lambda c: Decimal(c).scaleb(-2).quantize(CENT))
small_amounts = st.integers(min_value=0, max_value=200_000).map(lambda c: Decimal(c).scaleb(-2).quantize(CENT))


@st.composite
def periods_for(draw, discovered: date, basis: OccurredBasis):
    """Contiguous or gapped, non-overlapping periods ending around the discovery date."""
    n = draw(st.integers(min_value=1, max_value=14))
    start = discovered - timedelta(days=draw(st.integers(min_value=0, max_value=9 * 366)))
    out = []
    for _ in range(n):
        length = draw(st.integers(min_value=1, max_value=100))
        end = start + timedelta(days=length - 1)
        billed = draw(st.one_of(small_amounts, amounts))
        kind = draw(st.sampled_from(["same", "over", "under", "any"]))
        if kind == "same":
            correct = billed
        elif kind == "any":
            correct = draw(st.one_of(small_amounts, amounts))
        else:
            delta = draw(small_amounts)
            correct = billed - delta if kind == "over" else billed + delta
            if correct < 0 or correct > Decimal("999999999.99"):
                correct = billed
        bill_date = None
        if basis is OccurredBasis.BILL_DATE or draw(st.booleans()):
            bill_date = end + timedelta(days=draw(st.integers(min_value=0, max_value=40)))
        out.append(Period(start, end, billed, correct, bill_date))
        start = end + timedelta(days=1 + draw(st.integers(min_value=0, max_value=5)))
    # rule 9: a period may not start after both reference dates; keep only those that don't
    return out


@st.composite
def cases(draw):
    discovered = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)))
    made_known = draw(st.one_of(st.none(), st.just(discovered),
                                st.integers(-800, 800).map(lambda d: discovered + timedelta(days=d))))
    basis = draw(st.sampled_from(list(OccurredBasis)))
    could = draw(st.booleans())
    concealed = could and draw(st.booleans())
    available = draw(st.booleans())
    confirmed = available and draw(st.booleans())
    options = Options(
        undercharge_reading=draw(st.one_of(st.none(), st.sampled_from(list(Reading)))),
        minimal_threshold=draw(st.one_of(st.none(), small_amounts)),
        occurred_basis=basis if basis is OccurredBasis.BILL_DATE else draw(st.sampled_from([None, basis])),
    )
    periods = draw(periods_for(discovered, basis))
    latest = max(discovered, made_known or discovered)
    periods = [p for p in periods if p.start <= latest] or [
        Period(discovered, discovered, Decimal("1.00"), Decimal("2.00"), discovered)]
    order = draw(st.permutations(range(len(periods))))
    case = Case(
        rule_pack="fort-collins-26-721",
        account=Account("A-1", "Pat Example", current_customer=draw(st.sampled_from([None, True, False]))),
        service=draw(st.sampled_from(list(Service))),
        currency="USD",
        discovered_on=discovered,
        evidence=Evidence(could, available, confirmed, concealed),
        periods=tuple(periods[i] for i in order),
        options=options,
        made_known_on=made_known,
    )
    assert consistency_problems(case) == []
    return case


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- the oracle -------------------------------------------------------------------------

def oracle(case: Case) -> dict:
    """RULES.md §3 read literally: count days one by one, Decimal arithmetic."""
    o = case.options
    reading = o.undercharge_reading or Reading.ORDINANCE
    threshold = Decimal("25.00") if o.minimal_threshold is None else o.minimal_threshold
    basis = o.occurred_basis or OccurredBasis.SERVICE_DAYS
    made_known = case.made_known_on or case.discovered_on
    over_cut = made_known - relativedelta(years=6)
    under_cut = case.discovered_on - relativedelta(years=6)
    ev = case.evidence
    refund_ok = (not ev.customer_could_have_discovered) and ev.documentation_available and ev.documentation_confirmed
    current = case.account.current_customer is not False
    rows = []
    for p in case.periods:
        diff = p.billed - p.correct
        days = (p.end - p.start).days + 1
        if diff == 0:
            rows.append(("none", days, None, Decimal(0), Decimal(0)))
            continue
        cut = over_cut if diff > 0 else under_cut
        if basis is OccurredBasis.BILL_DATE:
            din = days if p.bill_date >= cut else 0
        else:
            din = sum(1 for k in range(days) if p.start + timedelta(days=k) >= cut)
        m = abs(diff)
        inw = (m * din / days).quantize(CENT, rounding=ROUND_HALF_UP)
        rows.append(("overcharge" if diff > 0 else "undercharge", days, din, inw, m - inw))
    IN = sum((r[3] for r in rows if r[0] == "undercharge"), Decimal(0))
    OUT = sum((r[4] for r in rows if r[0] == "undercharge"), Decimal(0))
    could = ev.customer_could_have_discovered

    def under(r, inw, out):
        if not current:
            return Decimal(0)
        if r is Reading.ORDINANCE:
            return inw + (Decimal(0) if (OUT <= threshold or not could) else out)
        if r is Reading.EXECUTIVE_SUMMARY:
            return inw if (IN <= threshold or not could) else Decimal(0)
        return inw if ev.customer_concealed_error else Decimal(0)

    totals = {}
    for r in Reading:
        refund = sum((row[3] for row in rows if row[0] == "overcharge"), Decimal(0)) if refund_ok else Decimal(0)
        back = sum((under(r, row[3], row[4]) for row in rows if row[0] == "undercharge"), Decimal(0))
        totals[r.value] = (refund, back)
    included = [(r[3] if refund_ok else Decimal(0)) if r[0] == "overcharge" else
                under(reading, r[3], r[4]) if r[0] == "undercharge" else Decimal(0) for r in rows]
    return {"rows": rows, "totals": totals, "included": included}


@SETTINGS
@given(cases())
def test_engine_agrees_with_a_literal_reading_of_the_rules(case):
    d = determine(case)
    ref = oracle(case)
    for line, row, inc in zip(d.periods, ref["rows"], ref["included"]):
        assert line.direction.value == row[0]
        assert line.days == row[1]
        assert line.days_in_window == row[2]
        assert line.in_window_amount == row[3]
        assert line.out_of_window_amount == row[4]
        assert line.included_amount == inc
    for name, (refund, back) in ref["totals"].items():
        assert d.readings[name].refund_total == refund
        assert d.readings[name].back_bill_total == back
    assert ("readings_differ" in d.flags) == (len(set(ref["totals"].values())) > 1)


@SETTINGS
@given(cases())
def test_included_plus_excluded_is_the_absolute_difference(case):
    d = determine(case)
    for line, p in zip(d.periods, case.periods):
        m = abs(p.billed - p.correct)
        assert line.included_amount + line.excluded_amount == m
        assert line.in_window_amount + line.out_of_window_amount == m
        assert line.included_amount >= 0 and line.excluded_amount >= 0
        assert line.difference == p.billed - p.correct
        if line.days_in_window is not None:
            assert 0 <= line.days_in_window <= line.days


@SETTINGS
@given(cases())
def test_totals_are_sums_of_period_lines(case):
    d = determine(case)
    refund = sum((p.included_amount for p in d.periods if p.direction is Direction.OVERCHARGE), Decimal(0))
    back = sum((p.included_amount for p in d.periods if p.direction is Direction.UNDERCHARGE), Decimal(0))
    assert d.refund_total == refund and d.back_bill_total == back
    assert d.net == back - refund
    assert d.interest == 0
    chosen = d.readings[d.reading]
    assert (chosen.refund_total, chosen.back_bill_total, chosen.outcome) == (
        d.refund_total, d.back_bill_total, d.outcome)


@SETTINGS
@given(cases(), st.randoms(use_true_random=False))
def test_period_order_never_changes_the_result(case, rnd):
    order = list(range(len(case.periods)))
    rnd.shuffle(order)
    shuffled = dataclasses.replace(case, periods=tuple(case.periods[i] for i in order))
    a, b = determine(case), determine(shuffled)
    assert (a.refund_total, a.back_bill_total, a.net, a.outcome, a.flags) == (
        b.refund_total, b.back_bill_total, b.net, b.outcome, b.flags)
    assert a.readings == b.readings
    for new_pos, old_pos in enumerate(order):
        la, lb = a.periods[old_pos], b.periods[new_pos]
        assert dataclasses.replace(lb, index=la.index) == la


@SETTINGS
@given(cases())
def test_any_failing_a1_condition_means_no_refund(case):
    ev = case.evidence
    d = determine(case)
    if ev.customer_could_have_discovered or not ev.documentation_available or not ev.documentation_confirmed:
        assert all(r.refund_total == 0 for r in d.readings.values())
        has_over = any(p.billed > p.correct for p in case.periods)
        assert ("refund_conditions_not_met" in d.flags) == has_over


@SETTINGS
@given(cases())
def test_a_former_customer_is_never_back_billed(case):
    former = dataclasses.replace(case, account=dataclasses.replace(case.account, current_customer=False))
    d = determine(former)
    assert all(r.back_bill_total == 0 for r in d.readings.values())
    assert all(p.included_amount == 0 for p in d.periods if p.direction is Direction.UNDERCHARGE)


@SETTINGS
@given(cases())
def test_determination_is_deterministic_and_round_trips(case):
    assert determine(case) == determine(case)
    assert determine(case).to_json() == determine(case).to_json()
    assert parse_case(case_to_json(case)) == case


@SETTINGS
@given(cases())
def test_output_money_text_is_canonical(case):
    out = determine(case).to_json()
    texts = [out["refund_total"], out["back_bill_total"], out["net"], out["interest"]]
    for p in out["periods"]:
        texts += [p["difference"], p["in_window_amount"], p["out_of_window_amount"],
                  p["included_amount"], p["excluded_amount"]]
    for t in texts:
        assert t != "-0.00"
        whole, _, cents = t.lstrip("-").partition(".")
        assert len(cents) == 2 and whole.isdigit() and (whole == "0" or not whole.startswith("0"))
    assert out["flags"] == sorted(set(out["flags"]))


@SETTINGS
@given(cases())
def test_staff_and_executive_readings_never_bill_out_of_window(case):
    d = determine(case)
    in_under = sum((p.in_window_amount for p in d.periods if p.direction is Direction.UNDERCHARGE), Decimal(0))
    for name in ("executive_summary", "staff_practice"):
        assert d.readings[name].back_bill_total <= in_under


@SETTINGS
@given(cases())
def test_bill_date_basis_never_straddles(case):
    if (case.options.occurred_basis or OccurredBasis.SERVICE_DAYS) is OccurredBasis.BILL_DATE:
        d = determine(case)
        assert "straddles_cutoff" not in d.flags
        assert all(p.days_in_window in (None, 0, p.days) for p in d.periods)
