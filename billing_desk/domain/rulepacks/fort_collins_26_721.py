"""Fort Collins City Code Sec. 26-721 "Billing errors" (Ordinance No. 121, 2009).

Implements RULES.md §3-§5 exactly. Amounts are counted in integer cents inside the
computation (exact; RULES.md §3.1 allows it) and leave as ``Decimal``.

The ordinance text governs, but the agenda item's executive summary and the staff memo
of Nov 6, 2009 describe undercharges differently, so all three readings of (a)(2) are
computed and a divergence is flagged for the supervisor.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

from ..case import Case, OccurredBasis, Reading
from ..dates import years_before
from ..determination import Determination, Direction, PeriodLine, ReadingResult, Reason
from ..money import ZERO, cents_text, from_cents, to_cents
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

# 26-721(a)(1)(i)-(iii) labels as cited in reasons and flags
_A1 = (("(a)(1)(i)", "refund_a1_i_not_met"),
       ("(a)(1)(ii)", "refund_a1_ii_not_met"),
       ("(a)(1)(iii)", "refund_a1_iii_not_met"))

_READING_ORDER = (Reading.ORDINANCE, Reading.EXECUTIVE_SUMMARY, Reading.STAFF_PRACTICE)


def _reason(code: str, **args: object) -> Reason:
    return _cached_reason(code, tuple(args.items()))


@lru_cache(maxsize=4096)
def _cached_reason(code: str, items: tuple[tuple[str, object], ...]) -> Reason:
    """Reasons repeat across periods and keystrokes; they are immutable, so build each once."""
    args = dict(items)
    # int arguments are amounts in cents
    shown = {k: (cents_text(v) if isinstance(v, int) else
                 v.isoformat() if isinstance(v, date) else v) for k, v in args.items()}
    money_args = tuple((k, from_cents(v) if isinstance(v, int) else v) for k, v in args.items())
    return Reason(code, REASON_TEXTS[code].format(**shown), money_args)


def _days_in_window(start: date, end: date, days: int, bill_date: date | None,
                    cutoff: date, basis: OccurredBasis) -> int:
    """RULES.md §3.3: service days on or after the cutoff, or all-or-nothing by bill date."""
    if basis is OccurredBasis.BILL_DATE:
        assert bill_date is not None, "bill_date basis needs a bill date (validated earlier)"
        return days if bill_date >= cutoff else 0
    if end < cutoff:
        return 0
    if start >= cutoff:
        return days
    return (end - cutoff).days + 1


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

    def determine(self, case: Case) -> Determination:  # noqa: C901 - one pass per RULES.md §3
        opts = case.options
        reading = opts.reading
        basis = opts.basis
        threshold = to_cents(opts.threshold)
        ev = case.evidence
        could_discover = ev.customer_could_have_discovered
        concealed = ev.customer_concealed_error
        current = case.account.is_current_customer

        # 3.3: reference dates differ by direction
        over_cutoff = years_before(case.made_known, LOOK_BACK_YEARS)
        under_cutoff = years_before(case.discovered_on, LOOK_BACK_YEARS)

        # 26-721(a)(1)(i)-(iii): each must hold for any refund
        a1_ok = (not could_discover, ev.documentation_available, ev.documentation_confirmed)
        failing = [label for (label, _), ok in zip(_A1, a1_ok) if not ok]
        refund_allowed = not failing

        # Pass 1: difference, days and the window split, per period.
        rows: list[tuple[int, Direction, int, int, int | None, int, int]] = []
        under_in = under_out = 0
        has_over = has_under = straddles = exceeded = False
        for i, p in enumerate(case.periods):
            days = (p.end - p.start).days + 1
            if days <= 0:
                raise ValueError(f"periods[{i}]: end before start (validate the case first)")
            diff = to_cents(p.billed) - to_cents(p.correct)
            if diff == 0:
                rows.append((i, Direction.NONE, 0, days, None, 0, 0))
                continue
            over = diff > 0
            cutoff = over_cutoff if over else under_cutoff
            din = _days_in_window(p.start, p.end, days, p.bill_date, cutoff, basis)
            m = diff if over else -diff
            in_c = (2 * m * din + days) // (2 * days)  # round half up, exact
            out_c = m - in_c
            if over:
                has_over = True
            else:
                has_under = True
                under_in += in_c
                under_out += out_c
            if din < days:
                exceeded = True
                if din > 0:
                    straddles = True
            rows.append((i, Direction.OVERCHARGE if over else Direction.UNDERCHARGE,
                         diff, days, din, in_c, out_c))

        # Per reading: does the undercharge rule bill the in-window / out-of-window parts?
        ordinance_bills_old = under_out > threshold and could_discover
        exec_qualifies = under_in <= threshold or not could_discover

        def under_included(r: Reading, in_c: int, out_c: int) -> int:
            if not current:  # (a)(2) covers "a current utility customer" only
                return 0
            if r is Reading.ORDINANCE:
                return in_c + (out_c if ordinance_bills_old else 0)
            if r is Reading.EXECUTIVE_SUMMARY:
                return in_c if exec_qualifies else 0
            return in_c if concealed else 0  # staff practice

        refund_total = sum(r[5] for r in rows if r[1] is Direction.OVERCHARGE) if refund_allowed else 0
        # under_included is linear in (in, out) with the same choice for every period, so
        # each reading's back-bill total is under_included of the summed parts
        totals: dict[Reading, tuple[int, int]] = {
            r: (refund_total, under_included(r, under_in, under_out)) for r in _READING_ORDER}

        # Pass 2: the lines of the effective reading, each with its reason.
        lines = []
        for i, direction, diff, days, din, in_c, out_c in rows:
            if direction is Direction.NONE:
                lines.append(PeriodLine(i, direction, ZERO, days, None, ZERO, ZERO, ZERO, ZERO,
                                        None, _NONE_REASON))
                continue
            m = in_c + out_c
            if direction is Direction.OVERCHARGE:
                included = in_c if refund_allowed else 0
                clause = CLAUSE_A1
                reason = self._overcharge_reason(failing, in_c, out_c, over_cutoff)
            else:
                included = under_included(reading, in_c, out_c)
                clause = CLAUSE_A2
                reason = self._undercharge_reason(
                    reading, current, in_c, out_c, under_in, under_out, threshold,
                    ordinance_bills_old, exec_qualifies, concealed)
            lines.append(PeriodLine(
                i, direction, from_cents(diff), days, din, from_cents(in_c), from_cents(out_c),
                from_cents(included), from_cents(m - included), clause, reason))

        flags = []
        pairs = set(totals.values())
        if len(pairs) > 1:
            flags.append("readings_differ")
        if reading is not Reading.ORDINANCE:
            flags.append("reading_not_ordinance")
        if not current and has_under:
            flags.append("former_customer_undercharge_not_billable")
        if has_over and failing:
            flags.append("refund_conditions_not_met")
            flags.extend(flag for (label, flag) in _A1 if label in failing)
        if straddles:
            flags.append("straddles_cutoff")
        if exceeded:
            flags.append("six_year_window_exceeded")
        if concealed:
            flags.append("concealment_possible_code_violation_26_721_b")
        if case.made_known != case.discovered_on:
            flags.append("reference_dates_differ")
        flags.sort()

        readings = {r.value: ReadingResult.of(from_cents(t[0]), from_cents(t[1]))
                    for r, t in totals.items()}
        chosen = readings[reading.value]
        return Determination(
            rule_pack=self.name,
            rule_pack_version=self.version,
            account_number=case.account.number,
            currency=case.currency,
            reading=reading.value,
            minimal_threshold=opts.threshold,
            occurred_basis=basis.value,
            cutoffs=MappingProxyType({"overcharge": over_cutoff, "undercharge": under_cutoff}),
            outcome=chosen.outcome,
            refund_total=chosen.refund_total,
            back_bill_total=chosen.back_bill_total,
            net=chosen.net,
            interest=ZERO,  # 26-721(a)(1): refunds are made without interest
            flags=tuple(flags),
            periods=tuple(lines),
            readings=MappingProxyType(readings),
        )

    @staticmethod
    def _overcharge_reason(failing: list[str], in_c: int, out_c: int, cutoff: date) -> Reason:
        if failing:
            conditions = ", ".join(failing)
            if out_c:
                return _reason("over.conditions_and_old", conditions=conditions, out=out_c)
            return _reason("over.conditions", conditions=conditions)
        if in_c == 0:
            return _reason("over.old", cutoff=cutoff)
        if out_c == 0:
            return _reason("over.refunded")
        return _reason("over.partly_old", cutoff=cutoff, out=out_c)

    @staticmethod
    def _undercharge_reason(reading: Reading, current: bool, in_c: int, out_c: int,
                            under_in: int, under_out: int, threshold: int,
                            ordinance_bills_old: bool, exec_qualifies: bool,
                            concealed: bool) -> Reason:
        if not current:
            return _reason("under.former_customer")
        if reading is Reading.ORDINANCE:
            if out_c == 0:
                return _reason("under.ordinance.in_window")
            if ordinance_bills_old:
                return _reason("under.ordinance.billed_in_full")
            # (a)(2)(i) minimal amount is cited first when both exemptions apply
            minimal = under_out <= threshold
            if in_c:
                if minimal:
                    return _reason("under.ordinance.partly_minimal", in_window=in_c, out=out_c,
                                   old_total=under_out, threshold=threshold)
                return _reason("under.ordinance.partly_undiscoverable", in_window=in_c, out=out_c)
            if minimal:
                return _reason("under.ordinance.old_minimal", old_total=under_out,
                               threshold=threshold)
            return _reason("under.ordinance.old_undiscoverable")
        if reading is Reading.EXECUTIVE_SUMMARY:
            if in_c == 0:
                return _reason("under.executive_summary.old")
            if exec_qualifies:
                return _reason("under.executive_summary.billed")
            return _reason("under.executive_summary.not_billed", in_total=under_in,
                           threshold=threshold)
        if not concealed:
            return _reason("under.staff_practice.forgiven")
        if in_c == 0:
            return _reason("under.staff_practice.old")
        return _reason("under.staff_practice.collected")

