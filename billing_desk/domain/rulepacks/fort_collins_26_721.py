"""Fort Collins City Code Sec. 26-721 "Billing errors" (Ordinance No. 121, 2009).

Implements RULES.md §3-§5 exactly, in the steps the rules are written in:

1. :func:`six_year_cutoffs` -- the first day of each direction's window (§3.3);
2. :func:`split_period` -- each period's difference split at its cutoff, a
   :class:`PeriodSplit` (§3.2, §3.3), and :func:`tally` -- the periods taken together
   (IN and OUT, the periods outside the window);
3. the clauses: :func:`refund_rule` for overcharges, (a)(1) with its three conditions;
   :func:`undercharge_rule` for undercharges, (a)(2) under each of the three readings
   and the former-customer rule (§3.4); :func:`period_line` applies them to a period;
4. :func:`reading_totals` -- each reading's refund and back-bill totals (§3.5);
5. :func:`raise_flags` -- the flags of §5, each beside its condition.

Amounts are ``Decimal`` throughout, never floats; the only rounding is the pro-rating
of a period that straddles its cutoff (:func:`~billing_desk.domain.money.prorate`,
RULES.md §3.3), and totals are sums of the rounded per-period amounts (§3.1).

The ordinance text governs, but the agenda item's executive summary and the staff memo
of Nov 6, 2009 describe undercharges differently, so all three readings of (a)(2) are
computed and a divergence is flagged for the supervisor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping, Sequence

from ..case import Case, Evidence, OccurredBasis, Period, Reading
from ..dates import years_before
from ..determination import Determination, Direction, PeriodLine, ReadingResult, Reason
from ..money import ZERO, money_text, prorate
from . import Clause, ReadingInfo, RulePack

LOOK_BACK_YEARS = 6

CLAUSE_A1 = "26-721(a)(1)"
CLAUSE_A2 = "26-721(a)(2)"

# Clause texts, in plain words, in one place: the case editor shows them beside the
# evidence, documents quote them, determinations cite their ids.
_CLAUSES = (
    Clause("26-721(a)(1)", "Overcharges",
           "A customer who was overcharged because of a billing error is refunded or credited "
           "the overcharge, without interest, for up to six years before the date the error "
           "was made known to the utility, when all three conditions (i)-(iii) hold."),
    Clause("26-721(a)(1)(i)", "Could not have discovered",
           "The customer could not have discovered the error through reasonable inquiry."),
    Clause("26-721(a)(1)(ii)", "Documentation available",
           "Documentation of the overcharge is available."),
    Clause("26-721(a)(1)(iii)", "Documentation confirmed",
           "The utility is able to confirm that documentation from its own records."),
    Clause("26-721(a)(2)", "Undercharges",
           "A current customer who was undercharged because of a billing error is billed for "
           "the undercharge, except that an undercharge that occurred more than six years "
           "before the error was discovered is not billed if (i) it is a minimal amount or "
           "(ii) the customer could not have discovered the error through reasonable inquiry."),
    Clause("26-721(a)(2)(i)", "Minimal amount",
           "The older-than-six-years undercharge is a minimal amount, as set by the "
           "administrative rules under Sec. 26-720."),
    Clause("26-721(a)(2)(ii)", "Could not have discovered",
           "The customer could not have discovered the error through reasonable inquiry."),
    Clause("26-721(b)", "Misleading the utility",
           "Knowingly hiding or withholding a billing error from the utility, or otherwise "
           "misleading it about a bill, is a violation of the Code."),
    Clause("26-119", "Meter failure",
           "When a meter fails to register properly, use is charged at the customer's "
           "average for a similar period when the meter worked; the head-of-meter reading "
           "governs over the remote readout; the resulting charge or refund follows "
           "Sec. 26-721."),
)

_READINGS = (
    ReadingInfo(Reading.ORDINANCE.value, "Ordinance text",
                "Sec. 26-721(a)(2) as enacted: billed unless older than six years and either "
                "minimal or not discoverable by the customer."),
    ReadingInfo(Reading.EXECUTIVE_SUMMARY.value, "Agenda item executive summary",
                "Back bill only the part within six years, and only if it is minimal or the "
                "customer could not have discovered the error."),
    ReadingInfo(Reading.STAFF_PRACTICE.value, "Staff memo (Nov 6, 2009)",
                "Undercharges are forgiven unless the customer willfully hid or withheld the "
                "error; then up to six years is collected."),
)

_EVIDENCE_CLAUSES = {
    "customer_could_have_discovered": ("26-721(a)(1)(i)", "26-721(a)(2)(ii)"),
    "documentation_available": ("26-721(a)(1)(ii)",),
    "documentation_confirmed": ("26-721(a)(1)(iii)",),
    "customer_concealed_error": ("26-721(b)",),
}

# Reason wording, by code. Placeholders are filled with canonical money text and ISO
# dates here; documents translate by code and format the same values per locale.
REASON_TEXTS: Mapping[str, str] = MappingProxyType({
    "none": "No difference between billed and correct amounts.",
    "over.refunded": "Refunded without interest; within six years of the date made known.",
    "over.partly_old": "Refunded without interest for the part on or after {cutoff}; "
                       "{out} is older than six years.",
    "over.old": "Not refunded: occurred more than six years before the error was made known "
                "(before {cutoff}).",
    "over.conditions": "Not refunded: condition(s) {conditions} not met.",
    "over.conditions_and_old": "Not refunded: condition(s) {conditions} not met; "
                               "{out} is also older than six years.",
    "under.former_customer": "Not billed: (a)(2) applies to current customers only; "
                             "refer to supervisor.",
    "under.ordinance.in_window": "Billed: within six years of discovery.",
    "under.ordinance.billed_in_full": "Billed in full: older part exceeds the minimal threshold "
                                      "and the customer could have discovered the error.",
    "under.ordinance.partly_minimal": "Billed {in_window} within six years; older part {out} not "
                                      "billed: old undercharges total {old_total} <= minimal "
                                      "threshold {threshold}.",
    "under.ordinance.partly_undiscoverable": "Billed {in_window} within six years; older part "
                                             "{out} not billed: customer could not have "
                                             "discovered the error.",
    "under.ordinance.old_minimal": "Not billed: older than six years and old undercharges total "
                                   "{old_total} <= minimal threshold {threshold}.",
    "under.ordinance.old_undiscoverable": "Not billed: older than six years and the customer "
                                          "could not have discovered the error.",
    "under.executive_summary.billed": "Back billed (executive summary): part within six years "
                                      "only.",
    "under.executive_summary.old": "Not billed (executive summary): occurred more than six "
                                   "years before discovery.",
    "under.executive_summary.not_billed": "Not billed (executive summary): undercharges within "
                                          "six years total {in_total} > minimal threshold "
                                          "{threshold} and the customer could have discovered "
                                          "the error.",
    "under.staff_practice.forgiven": "Forgiven (staff practice): no evidence the customer "
                                     "concealed the error.",
    "under.staff_practice.collected": "Collected (staff practice): customer concealed the "
                                      "error; up to six years.",
    "under.staff_practice.old": "Not collected (staff practice): older than six years.",
})

# RULES.md §5, the closed vocabulary of flags, each with what it tells the supervisor.
_FLAG_TEXTS = {
    "readings_differ": "The three readings of 26-721(a)(2) give different totals; the "
                       "supervisor must acknowledge the divergence.",
    "reading_not_ordinance": "The determination uses a reading other than the ordinance text.",
    "former_customer_undercharge_not_billable": "Former customer: (a)(2) covers current "
                                                "customers only; undercharges need a "
                                                "supervisor's decision.",
    "refund_conditions_not_met": "At least one condition of 26-721(a)(1) fails, so no "
                                 "overcharge is refunded.",
    "refund_a1_i_not_met": "26-721(a)(1)(i) fails: the customer could have discovered the error.",
    "refund_a1_ii_not_met": "26-721(a)(1)(ii) fails: no documentation of the overcharge.",
    "refund_a1_iii_not_met": "26-721(a)(1)(iii) fails: the utility cannot confirm the "
                             "documentation.",
    "straddles_cutoff": "A billing period straddles the six-year cutoff and is pro-rated by "
                        "service days.",
    "six_year_window_exceeded": "Part of the error occurred more than six years before the "
                                "reference date.",
    "concealment_possible_code_violation_26_721_b": "The customer concealed the error: a "
                                                    "possible violation of 26-721(b).",
    "reference_dates_differ": "The error was made known on a different date than it was "
                              "discovered; overcharges and undercharges use different cutoffs.",
}


_NONE_REASON = Reason("none", REASON_TEXTS["none"])

#: the readings of 26-721(a)(2), in the order determinations list them
READING_ORDER = (Reading.ORDINANCE, Reading.EXECUTIVE_SUMMARY, Reading.STAFF_PRACTICE)

# The enum members the steps test, as module constants: reading ``Direction.OVERCHARGE``
# off its class costs about 0.1 µs in Python 3.11, as much as a period's arithmetic, and
# each period is tested half a dozen times (a tenth of a 600-period determination,
# bench/engine.py).
OVERCHARGE, UNDERCHARGE, NONE = Direction.OVERCHARGE, Direction.UNDERCHARGE, Direction.NONE
ORDINANCE, EXECUTIVE_SUMMARY = Reading.ORDINANCE, Reading.EXECUTIVE_SUMMARY
BY_BILL_DATE = OccurredBasis.BILL_DATE


@lru_cache(maxsize=4096)
def _reason(code: str, **args: object) -> Reason:
    """The reason ``code`` with its placeholders filled: amounts as canonical money text,
    dates as ISO dates (documents translate by code and format the same values per
    locale). Reasons repeat across periods and keystrokes and are immutable, so each is
    built once."""
    shown = {k: (money_text(v) if isinstance(v, Decimal) else
                 v.isoformat() if isinstance(v, date) else v) for k, v in args.items()}
    return Reason(code, REASON_TEXTS[code].format(**shown), tuple(args.items()))


# --- the records the steps hand on ---------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Cutoffs:
    """RULES.md §3.3: the first day of each direction's six-year window. What occurred on
    or after its cutoff is in the window; before it, "more than six years before"."""

    #: 26-721(a)(1): six years before the error was made known to the utility
    overcharge: date
    #: 26-721(a)(2): six years before the error was discovered
    undercharge: date


@dataclass(frozen=True, slots=True)
class PeriodSplit:
    """One period's difference split at its cutoff (RULES.md §3.2, §3.3). A ``none``
    period has every amount 0.00 and no ``days_in_window``."""

    index: int                  # position in the case's periods
    direction: Direction        # billed - correct > 0: overcharge, < 0: undercharge
    days: int                   # end - start + 1
    days_in_window: int | None  # days on or after the cutoff (all or none under bill_date)
    in_window: Decimal          # round_half_up(M × days_in_window / days)
    out_of_window: Decimal      # M - in_window

    @property
    def m(self) -> Decimal:
        """M = |billed - correct|, the two parts together."""
        return self.in_window + self.out_of_window


@dataclass(frozen=True, slots=True)
class DirectionTotals:
    """The periods of one direction taken together."""

    periods: int
    in_window: Decimal          # for undercharges, IN of RULES.md §3.4
    out_of_window: Decimal      # for undercharges, OUT


@dataclass(frozen=True, slots=True)
class Tally:
    """All the periods taken together: what the clauses and the flags weigh."""

    overcharges: DirectionTotals
    undercharges: DirectionTotals
    #: non-``none`` periods with 0 < days_in_window < days (RULES.md §3.3 "straddles")
    straddling: int
    #: non-``none`` periods with days_in_window < days: partly or wholly older than six years
    exceeding: int


@dataclass(frozen=True, slots=True)
class RefundRule:
    """26-721(a)(1) for this case: an overcharge is credited or refunded (its part in the
    window, without interest) only if conditions (i), (ii) and (iii) all hold. The same
    under every reading."""

    #: the conditions that fail, as cited: "(a)(1)(i)", "(a)(1)(ii)", "(a)(1)(iii)"
    failing: tuple[str, ...]
    #: the same, as the reasons list them ("(a)(1)(i), (a)(1)(iii)")
    failing_text: str
    #: the overcharge cutoff, cited by the reasons
    cutoff: date


@dataclass(frozen=True, slots=True)
class UnderchargeFacts:
    """What the readings of 26-721(a)(2) weigh, for the whole case (RULES.md §3.4)."""

    #: (a)(2) covers "a current utility customer" only
    current_customer: bool
    #: (a)(2)(ii): an undercharge the customer could not have discovered is exempt
    could_have_discovered: bool
    #: staff memo: collected only if the customer willfully hid or withheld the error
    concealed: bool
    #: (a)(2)(i): the minimal amount
    threshold: Decimal
    #: IN and OUT: the undercharge periods' parts in and out of the window
    undercharges: DirectionTotals

    @property
    def old_part_minimal(self) -> bool:
        """(a)(2)(i) as the ordinance reads: the older-than-six-years undercharges total
        no more than the minimal amount."""
        return self.undercharges.out_of_window <= self.threshold

    @property
    def recent_part_minimal(self) -> bool:
        """The executive summary's "minimal": the undercharges within six years total no
        more than the minimal amount."""
        return self.undercharges.in_window <= self.threshold


@dataclass(frozen=True, slots=True)
class UnderchargeRule:
    """One reading of 26-721(a)(2) for this case: which parts of an undercharge period it
    bills. The choice weighs the case's sums (IN, OUT), not the period, so it is the same
    for every period, and a reading's back-bill total is :meth:`bill` of the sums."""

    reading: Reading
    bills_in_window: bool
    bills_out_of_window: bool

    def bill(self, in_window: Decimal, out_of_window: Decimal) -> Decimal:
        if self.bills_out_of_window:
            return in_window + out_of_window if self.bills_in_window else out_of_window
        return in_window if self.bills_in_window else ZERO


# --- the steps, in the order of RULES.md §3 -------------------------------------------------

def six_year_cutoffs(case: Case) -> Cutoffs:
    """RULES.md §3.3: the reference date less six calendar years (Feb 29 -> Feb 28)."""
    return Cutoffs(
        # 26-721(a)(1): "before the date the error was made known to the utility"
        overcharge=years_before(case.made_known, LOOK_BACK_YEARS),
        # 26-721(a)(2): "before the error is discovered"
        undercharge=years_before(case.discovered_on, LOOK_BACK_YEARS),
    )


def days_in_window(period: Period, days: int, cutoff: date, basis: OccurredBasis) -> int:
    """RULES.md §3.3: service days on or after the cutoff, or all-or-nothing by bill date."""
    if basis is BY_BILL_DATE:
        # the whole period occurs on its bill date
        assert period.bill_date is not None, "bill_date basis needs a bill date (validated earlier)"
        return days if period.bill_date >= cutoff else 0
    if period.end < cutoff:
        return 0
    if period.start >= cutoff:
        return days
    return (period.end - cutoff).days + 1


def split_period(index: int, period: Period, cutoffs: Cutoffs, basis: OccurredBasis) -> PeriodSplit:
    """RULES.md §3.2 and §3.3: the difference, its direction and its part in the window."""
    days = (period.end - period.start).days + 1
    if days <= 0:
        raise ValueError(f"periods[{index}]: end before start (validate the case first)")
    difference = period.billed - period.correct
    if not difference:
        return PeriodSplit(index, NONE, days, None, ZERO, ZERO)
    if difference > ZERO:
        direction, m, cutoff = OVERCHARGE, difference, cutoffs.overcharge
    else:
        direction, m, cutoff = UNDERCHARGE, -difference, cutoffs.undercharge
    din = days_in_window(period, days, cutoff, basis)
    if din == days:    # all of it in the window
        in_window, out_of_window = m, ZERO
    elif din == 0:     # all of it more than six years before
        in_window, out_of_window = ZERO, m
    else:              # straddles the cutoff: pro-rated by days, the rules' one rounding
        in_window = prorate(m, din, days)
        out_of_window = m - in_window
    return PeriodSplit(index, direction, days, din, in_window, out_of_window)


def tally(periods: Sequence[PeriodSplit]) -> Tally:
    """The sums and counts of the split periods, in one pass."""
    over_n = under_n = straddling = exceeding = 0
    over_in = over_out = under_in = under_out = ZERO
    for p in periods:
        if p.direction is NONE:
            continue  # §3.2: a none period raises no flags
        if p.direction is OVERCHARGE:
            over_n += 1
            over_in += p.in_window
            over_out += p.out_of_window
        else:
            under_n += 1
            under_in += p.in_window
            under_out += p.out_of_window
        if p.days_in_window < p.days:
            exceeding += 1
            if p.days_in_window:
                straddling += 1
    return Tally(DirectionTotals(over_n, over_in, over_out),
                 DirectionTotals(under_n, under_in, under_out), straddling, exceeding)


def refund_rule(evidence: Evidence, cutoff: date) -> RefundRule:
    """26-721(a)(1): each of (i)-(iii) must hold for any refund."""
    failing = []
    if evidence.customer_could_have_discovered:
        failing.append("(a)(1)(i)")    # (i) the customer could not have discovered the error
    if not evidence.documentation_available:
        failing.append("(a)(1)(ii)")   # (ii) documentation of the overcharge is available
    if not evidence.documentation_confirmed:
        failing.append("(a)(1)(iii)")  # (iii) the utility confirms the documentation
    return RefundRule(tuple(failing), ", ".join(failing), cutoff)


def undercharge_facts(case: Case, undercharges: DirectionTotals) -> UnderchargeFacts:
    evidence = case.evidence
    return UnderchargeFacts(case.account.is_current_customer, evidence.customer_could_have_discovered,
                            evidence.customer_concealed_error, case.options.threshold, undercharges)


def undercharge_rule(reading: Reading, facts: UnderchargeFacts) -> UnderchargeRule:
    """RULES.md §3.4: what each reading of 26-721(a)(2) bills of an undercharge period."""
    if not facts.current_customer:
        # (a)(2) covers "a current utility customer" only: a former customer's undercharge
        # is billed under no reading; a supervisor decides (RULES.md §8.7)
        return UnderchargeRule(reading, bills_in_window=False, bills_out_of_window=False)
    undiscoverable = not facts.could_have_discovered  # (a)(2)(ii)
    if reading is ORDINANCE:
        # billed, unless older than six years and either (i) minimal or (ii) undiscoverable
        return UnderchargeRule(reading, bills_in_window=True,
                               bills_out_of_window=not (facts.old_part_minimal or undiscoverable))
    if reading is EXECUTIVE_SUMMARY:
        # "back bill only if ... less than six years ... and either minimal or could not
        # have discovered": the part in the window, on that condition; never the older part
        return UnderchargeRule(reading, bills_in_window=facts.recent_part_minimal or undiscoverable,
                               bills_out_of_window=False)
    # staff memo: forgiven unless the customer willfully hid or withheld the error; then
    # up to six years
    return UnderchargeRule(reading, bills_in_window=facts.concealed, bills_out_of_window=False)


def period_line(period: PeriodSplit, refund: RefundRule, rule: UnderchargeRule,
                facts: UnderchargeFacts) -> PeriodLine:
    """A period with its clause applied under the effective reading: included and
    excluded amounts (included + excluded = M), the clause and the reason."""
    if period.direction is NONE:
        # §3.2: nothing to adjust, no clause, no flag
        return PeriodLine(period.index, NONE, ZERO, period.days, None, ZERO, ZERO, ZERO,
                          ZERO, None, _NONE_REASON)
    m = period.m
    if period.direction is OVERCHARGE:
        difference = m
        # (a)(1): the part in the window, only when (i)-(iii) all hold
        included = ZERO if refund.failing else period.in_window
        clause = CLAUSE_A1
        reason = overcharge_reason(period, refund)
    else:
        difference = -m
        included = rule.bill(period.in_window, period.out_of_window)
        clause = CLAUSE_A2
        reason = undercharge_reason(period, rule, facts)
    return PeriodLine(period.index, period.direction, difference, period.days,
                      period.days_in_window, period.in_window, period.out_of_window, included,
                      m - included, clause, reason)


def overcharge_reason(period: PeriodSplit, refund: RefundRule) -> Reason:
    out = period.out_of_window
    if refund.failing:
        if out:
            return _reason("over.conditions_and_old", conditions=refund.failing_text, out=out)
        return _reason("over.conditions", conditions=refund.failing_text)
    if period.in_window == 0:
        return _reason("over.old", cutoff=refund.cutoff)
    if out == 0:
        return _reason("over.refunded")
    return _reason("over.partly_old", cutoff=refund.cutoff, out=out)


def undercharge_reason(period: PeriodSplit, rule: UnderchargeRule, facts: UnderchargeFacts) -> Reason:
    if not facts.current_customer:
        return _reason("under.former_customer")
    in_window, out = period.in_window, period.out_of_window
    if rule.reading is ORDINANCE:
        if out == 0:
            return _reason("under.ordinance.in_window")
        if rule.bills_out_of_window:
            return _reason("under.ordinance.billed_in_full")
        # (a)(2)(i) minimal amount is cited first when both exemptions apply
        minimal = facts.old_part_minimal
        old_total, threshold = facts.undercharges.out_of_window, facts.threshold
        if in_window:
            if minimal:
                return _reason("under.ordinance.partly_minimal", in_window=in_window, out=out,
                               old_total=old_total, threshold=threshold)
            return _reason("under.ordinance.partly_undiscoverable", in_window=in_window, out=out)
        if minimal:
            return _reason("under.ordinance.old_minimal", old_total=old_total, threshold=threshold)
        return _reason("under.ordinance.old_undiscoverable")
    if rule.reading is EXECUTIVE_SUMMARY:
        if in_window == 0:
            return _reason("under.executive_summary.old")
        if rule.bills_in_window:
            return _reason("under.executive_summary.billed")
        return _reason("under.executive_summary.not_billed", in_total=facts.undercharges.in_window,
                       threshold=facts.threshold)
    if not facts.concealed:
        return _reason("under.staff_practice.forgiven")
    if in_window == 0:
        return _reason("under.staff_practice.old")
    return _reason("under.staff_practice.collected")


def reading_totals(refund: RefundRule, overcharges: DirectionTotals, rule: UnderchargeRule,
                   facts: UnderchargeFacts) -> ReadingResult:
    """RULES.md §3.5: the refund total is the sum of the overcharge periods' included
    amounts, the back-bill total that of the undercharge periods' (:meth:`UnderchargeRule.bill`
    is linear, so the bill of the sums is the sum of the bills)."""
    refund_total = ZERO if refund.failing else overcharges.in_window
    back_bill_total = rule.bill(facts.undercharges.in_window, facts.undercharges.out_of_window)
    return ReadingResult.of(refund_total, back_bill_total)


#: the flags of RULES.md §5 that name one failing condition of 26-721(a)(1)
_A1_FLAGS = MappingProxyType({"(a)(1)(i)": "refund_a1_i_not_met",
                              "(a)(1)(ii)": "refund_a1_ii_not_met",
                              "(a)(1)(iii)": "refund_a1_iii_not_met"})


def raise_flags(case: Case, tally: Tally, refund: RefundRule,
                readings: Mapping[str, ReadingResult]) -> tuple[str, ...]:
    """RULES.md §5, each flag beside the condition that raises it; sorted, no duplicates.
    Raised literally, even where the amounts concerned are excluded for another reason."""
    overcharged = tally.overcharges.periods > 0
    totals = {(r.refund_total, r.back_bill_total) for r in readings.values()}
    raised = {
        "readings_differ": len(totals) > 1,
        "reading_not_ordinance": case.options.reading is not ORDINANCE,
        "former_customer_undercharge_not_billable":
            not case.account.is_current_customer and tally.undercharges.periods > 0,
        "refund_conditions_not_met": overcharged and bool(refund.failing),
        **{flag: overcharged and label in refund.failing for label, flag in _A1_FLAGS.items()},
        "straddles_cutoff": tally.straddling > 0,
        "six_year_window_exceeded": tally.exceeding > 0,
        "concealment_possible_code_violation_26_721_b": case.evidence.customer_concealed_error,
        "reference_dates_differ": case.made_known != case.discovered_on,
    }
    return tuple(sorted(flag for flag, up in raised.items() if up))


# --- the pack ------------------------------------------------------------------------------

class FortCollins26721(RulePack):
    name = "fort-collins-26-721"
    version = "1.0.0"
    title = "Fort Collins City Code Sec. 26-721, Billing errors (Ordinance No. 121, 2009)"
    jurisdiction = "City of Fort Collins, Colorado"

    _clauses = MappingProxyType({c.id: c for c in _CLAUSES})
    _readings = MappingProxyType({r.id: r for r in _READINGS})
    _evidence = MappingProxyType(_EVIDENCE_CLAUSES)
    _flags = MappingProxyType(_FLAG_TEXTS)

    @property
    def clauses(self) -> Mapping[str, Clause]:
        return self._clauses

    @property
    def evidence_clauses(self) -> Mapping[str, tuple[str, ...]]:
        return self._evidence

    @property
    def readings(self) -> Mapping[str, ReadingInfo]:
        return self._readings

    @property
    def flag_texts(self) -> Mapping[str, str]:
        return self._flags

    @property
    def reason_texts(self) -> Mapping[str, str]:
        return REASON_TEXTS

    def determine(self, case: Case) -> Determination:
        """RULES.md §3-§5, step by step."""
        options = case.options
        reading, basis = options.reading, options.basis
        # §3.3, §3.2: each direction's cutoff, each period split at its own
        cutoffs = six_year_cutoffs(case)
        periods = [split_period(i, p, cutoffs, basis) for i, p in enumerate(case.periods)]
        sums = tally(periods)
        # §3.4: the clauses; (a)(1) is the same under every reading, (a)(2) weighs IN and OUT
        refund = refund_rule(case.evidence, cutoffs.overcharge)
        facts = undercharge_facts(case, sums.undercharges)
        rules = {r: undercharge_rule(r, facts) for r in READING_ORDER}
        rule = rules[reading]
        lines = tuple([period_line(p, refund, rule, facts) for p in periods])
        # §3.5: the totals of each reading; the effective reading's are the determination's
        readings = {r.value: reading_totals(refund, sums.overcharges, rules[r], facts)
                    for r in READING_ORDER}
        chosen = readings[reading.value]
        return Determination(
            rule_pack=self.name,
            rule_pack_version=self.version,
            account_number=case.account.number,
            currency=case.currency,
            reading=reading.value,
            minimal_threshold=options.threshold,
            occurred_basis=basis.value,
            cutoffs=MappingProxyType({"overcharge": cutoffs.overcharge,
                                      "undercharge": cutoffs.undercharge}),
            outcome=chosen.outcome,
            refund_total=chosen.refund_total,
            back_bill_total=chosen.back_bill_total,
            net=chosen.net,
            interest=ZERO,  # 26-721(a)(1): refunds are made without interest
            flags=raise_flags(case, sums, refund, readings),  # §5
            periods=lines,
            readings=MappingProxyType(readings),
        )
