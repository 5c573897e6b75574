"""Incidents: one billing error, many accounts (issue 18).

An :class:`Incident` says what went wrong once -- the description, the service, the
cause, when the error was discovered and made known, the evidence that holds for every
account, the rule options -- and each affected account becomes a case of its own built
from it (:func:`incident_case`). A case keeps its own evidence afterwards, so one
customer who could have discovered the error is overridden on that case alone.

What the incident view and the summary memo report is computed here, from each case's
determination (:func:`case_figures`) and summed in Decimal (:func:`incident_totals`):
credited, back-billed, kept back by the six-year limit, kept back by each failing
condition of 26-721(a)(1), and forgiven under each reading of 26-721(a)(2). The outlier
rule (:func:`outlier_fences`), the histogram's bins (:func:`histogram`) and the rules
of who may approve an incident by sample (:func:`check_incident_approval`) are here
too. Pure functions: no Qt, no SQL, no clock.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Iterable, Sequence

from .case import CURRENCIES, Account, Case, Evidence, Options, Period, Reading, Service
from .determination import Determination, Direction, Outcome
from .draft import DEFAULT_RULE_PACK
from .money import ZERO, from_cents, money_text, to_cents
from .problems import Problem
from .workflow import Actor, Role, WorkflowRefused, same_login

INCIDENT_NUMBER_PREFIX = "IN-"
#: the readings in the order the totals list them (RULES.md §3.4)
READINGS = (Reading.ORDINANCE, Reading.EXECUTIVE_SUMMARY, Reading.STAFF_PRACTICE)
#: 26-721(a)(1)(i)-(iii), as the totals name them
A1_CONDITIONS = ("i", "ii", "iii")


def incident_number_for(incident_id: int) -> str:
    return f"{INCIDENT_NUMBER_PREFIX}{incident_id:06d}"


@dataclass(frozen=True, slots=True)
class Incident:
    """What went wrong, once for every account it hit."""

    description: str
    service: Service
    cause: str
    discovered_on: date
    evidence: Evidence
    made_known_on: date | None = None
    options: Options = field(default_factory=Options)
    rule_pack: str = DEFAULT_RULE_PACK
    currency: str = "USD"

    @property
    def made_known(self) -> date:
        return self.discovered_on if self.made_known_on is None else self.made_known_on


def incident_problems(incident: Incident) -> list[Problem]:
    """What is wrong with the incident itself (before any row is read), each at its
    field: a blank description or cause, an unknown rule pack, evidence that
    contradicts itself (RULES.md §2 checks 11 and 12, which hold for every case)."""
    from .rulepacks import available_rule_packs

    problems = []
    if not incident.description.strip():
        problems.append(Problem("description", "say what went wrong (it heads every case)"))
    if not incident.cause.strip():
        problems.append(Problem("cause", "say what caused the error"))
    if incident.rule_pack not in available_rule_packs():
        problems.append(Problem("rule_pack", f"unknown rule pack {incident.rule_pack!r}"))
    if incident.currency not in CURRENCIES:
        problems.append(Problem("currency", "must be " + " or ".join(CURRENCIES)))
    ev = incident.evidence
    if ev.customer_concealed_error and not ev.customer_could_have_discovered:
        problems.append(Problem("evidence.customer_could_have_discovered",
                                "must be true when customer_concealed_error is true"))
    if ev.documentation_confirmed and not ev.documentation_available:
        problems.append(Problem("evidence.documentation_confirmed",
                                "cannot be true when documentation_available is false"))
    threshold = incident.options.minimal_threshold
    if threshold is not None and (threshold < 0 or threshold != threshold.quantize(Decimal("0.01"))):
        problems.append(Problem("options.minimal_threshold", "an amount in dollars and cents"))
    return problems


def incident_why(number: str, incident: Incident) -> str:
    """The commentary each case of the incident carries (case@1 ``why``: the engine
    ignores it; the case summary prints it)."""
    return f"Incident {number}: {incident.description.strip()} Cause: {incident.cause.strip()}"


def incident_case(incident: Incident, account: Account, periods: Sequence[Period],
                  why: str | None = None) -> Case:
    """The case of one affected account: the incident's service, dates, evidence and
    options with the account's own periods."""
    return Case(rule_pack=incident.rule_pack, account=account, service=incident.service,
                currency=incident.currency, discovered_on=incident.discovered_on,
                evidence=incident.evidence, periods=tuple(periods), options=incident.options,
                made_known_on=incident.made_known_on, why=why)


# --- what a case contributes to the incident's totals -------------------------------------

@dataclass(frozen=True, slots=True)
class CaseFigures:
    """One case's part of the incident's totals (the effective reading's amounts, and
    the back bill of each reading for what each forgives)."""

    refund: Decimal
    back_bill: Decimal
    #: kept back by the six-year limit: the part of each period older than six years
    #: that is neither credited nor back-billed
    six_year: Decimal
    #: an overcharge within six years not refunded because 26-721(a)(1)(i), (ii) or (iii)
    #: fails; an amount kept back by two failing conditions counts under each
    a1_i: Decimal
    a1_ii: Decimal
    a1_iii: Decimal
    #: undercharges not back-billed under each reading, in :data:`READINGS` order
    forgiven: tuple[Decimal, Decimal, Decimal]
    readings_differ: bool
    outcome: Outcome

    @property
    def amount(self) -> Decimal:
        """What an approver's limit is measured against (the larger of refund and back
        bill, as ``workflow.approval_amount``), and what the histogram shows."""
        return max(self.refund, self.back_bill)

    @property
    def a1(self) -> tuple[Decimal, Decimal, Decimal]:
        return (self.a1_i, self.a1_ii, self.a1_iii)

    def to_texts(self) -> tuple[str, ...]:
        """The amounts as canonical money text, in :data:`FIGURE_COLUMNS` order."""
        return tuple(money_text(v) for v in (self.refund, self.back_bill, self.six_year,
                                              self.a1_i, self.a1_ii, self.a1_iii, *self.forgiven))

    @classmethod
    def from_texts(cls, texts: Sequence[str], readings_differ: bool, outcome: str) -> "CaseFigures":
        r, b, s, i, ii, iii, f0, f1, f2 = (Decimal(t) for t in texts)
        return cls(r, b, s, i, ii, iii, (f0, f1, f2), bool(readings_differ), Outcome(outcome))


#: the money figures of a case, in the order of :meth:`CaseFigures.to_texts`
FIGURE_COLUMNS = ("refund", "back_bill", "six_year", "a1_i", "a1_ii", "a1_iii",
                  "forgiven_ordinance", "forgiven_executive_summary", "forgiven_staff_practice")


def case_figures(case: Case, determination: Determination) -> CaseFigures:
    """The case's part of the totals, from its determination (RULES.md §3.4)."""
    ev = case.evidence
    # 26-721(a)(1)(i)-(iii): which conditions fail for this case
    fails = (ev.customer_could_have_discovered, not ev.documentation_available,
             not ev.documentation_confirmed)
    six_year = ZERO
    a1 = [ZERO, ZERO, ZERO]
    under_total = ZERO
    for line in determination.periods:
        if line.direction is Direction.NONE:
            continue
        if line.direction is Direction.OVERCHARGE:
            # older than six years is kept back whatever the conditions say; the part
            # within six years is kept back only by a failing condition
            six_year += line.out_of_window_amount
            if line.included_amount < line.in_window_amount:
                kept = line.in_window_amount - line.included_amount
                for k, failing in enumerate(fails):
                    if failing:
                        a1[k] += kept
        else:
            under_total += line.included_amount + line.excluded_amount
            old_billed = max(ZERO, line.included_amount - line.in_window_amount)
            six_year += line.out_of_window_amount - old_billed
    readings = determination.readings
    forgiven = tuple(under_total - readings[r.value].back_bill_total for r in READINGS)
    return CaseFigures(determination.refund_total, determination.back_bill_total, six_year,
                       a1[0], a1[1], a1[2], forgiven,  # type: ignore[arg-type]
                       determination.readings_differ, determination.outcome)


def fingerprint_and_figures(case: Case) -> tuple[str, CaseFigures]:
    """The case's fingerprint (what an approval binds to) and its figures, from one
    determination under its rule pack."""
    from .fingerprint import case_fingerprint
    from .rulepacks import get_rule_pack

    pack = get_rule_pack(case.rule_pack)
    return (case_fingerprint(case, pack.name, pack.version),
            case_figures(case, pack.determine(case)))


@dataclass(frozen=True, slots=True)
class IncidentTotals:
    """The incident's totals (issue 18 point 2), summed in Decimal."""

    cases: int = 0
    refund: Decimal = ZERO
    back_bill: Decimal = ZERO
    six_year: Decimal = ZERO
    a1_i: Decimal = ZERO
    a1_ii: Decimal = ZERO
    a1_iii: Decimal = ZERO
    forgiven: tuple[Decimal, Decimal, Decimal] = (ZERO, ZERO, ZERO)
    #: cases with something kept back by the six-year limit
    six_year_cases: int = 0
    divergent: int = 0
    #: cases that cannot be determined (invalid): counted, not summed
    undetermined: int = 0
    smallest: Decimal | None = None  # of the cases with an adjustment
    largest: Decimal | None = None

    @property
    def a1(self) -> tuple[Decimal, Decimal, Decimal]:
        return (self.a1_i, self.a1_ii, self.a1_iii)

    @property
    def amount(self) -> Decimal:
        """What an approver's limit is measured against for the whole incident: the
        larger of its refunds and its back bills (as a case's)."""
        return max(self.refund, self.back_bill)


def incident_totals(figures: Iterable[CaseFigures | None]) -> IncidentTotals:
    """Sum the figures of every case (``None``: a case that cannot be determined)."""
    n = undetermined = six_cases = divergent = 0
    refund = back = six = i = ii = iii = f0 = f1 = f2 = ZERO
    smallest: Decimal | None = None
    largest: Decimal | None = None
    for f in figures:
        n += 1
        if f is None:
            undetermined += 1
            continue
        refund += f.refund
        back += f.back_bill
        six += f.six_year
        i += f.a1_i
        ii += f.a1_ii
        iii += f.a1_iii
        f0 += f.forgiven[0]
        f1 += f.forgiven[1]
        f2 += f.forgiven[2]
        six_cases += f.six_year > 0
        divergent += f.readings_differ
        amount = f.amount
        if amount > 0:
            smallest = amount if smallest is None or amount < smallest else smallest
            largest = amount if largest is None or amount > largest else largest
    return IncidentTotals(n, refund, back, six, i, ii, iii, (f0, f1, f2), six_cases, divergent,
                          undetermined, smallest, largest)


def merge_totals(*parts: IncidentTotals) -> IncidentTotals:
    """The totals of several groups of cases as one (their sums; the smallest and the
    largest of all)."""
    def extreme(pick, values):
        values = [v for v in values if v is not None]
        return pick(values) if values else None

    return IncidentTotals(
        sum(p.cases for p in parts), sum((p.refund for p in parts), ZERO),
        sum((p.back_bill for p in parts), ZERO), sum((p.six_year for p in parts), ZERO),
        sum((p.a1_i for p in parts), ZERO), sum((p.a1_ii for p in parts), ZERO),
        sum((p.a1_iii for p in parts), ZERO),
        tuple(sum((p.forgiven[k] for p in parts), ZERO) for k in range(3)),  # type: ignore[arg-type]
        sum(p.six_year_cases for p in parts), sum(p.divergent for p in parts),
        sum(p.undetermined for p in parts), extreme(min, [p.smallest for p in parts]),
        extreme(max, [p.largest for p in parts]))


# --- outliers and the histogram -------------------------------------------------------

#: Tukey's factor: an amount more than this many interquartile ranges beyond the
#: quartiles is an outlier
OUTLIER_FACTOR = Decimal("1.5")
#: the fewest cases with an adjustment for which quartiles say anything
OUTLIER_MIN_CASES = 4

OUTLIER_RULE = (
    "Outliers (flagged for a look, and always in the review sample): among the cases with "
    "something to credit or back-bill, an amount (the larger of refund and back bill) "
    "below Q1 - 1.5 x IQR or above Q3 + 1.5 x IQR, where Q1 and Q3 are the medians of "
    "the lower and upper halves of the amounts (Tukey's fences) and IQR = Q3 - Q1. "
    "Cases with nothing to adjust are not outliers; with fewer than 4 cases to adjust "
    "no case is flagged.")


@dataclass(frozen=True, slots=True)
class Fences:
    q1: Decimal
    q3: Decimal
    low: Decimal
    high: Decimal

    def outside(self, amount: Decimal) -> bool:
        return amount > 0 and (amount < self.low or amount > self.high)


def _median_cents(cents: Sequence[int], lo: int, hi: int) -> Decimal:
    """The median of ``cents[lo:hi]`` (ascending), as an amount (exact: a half cent when
    it falls between two)."""
    n = hi - lo
    mid = lo + n // 2
    if n % 2:
        return from_cents(cents[mid])
    return (from_cents(cents[mid - 1]) + from_cents(cents[mid])) / 2


def fences_of_sorted(cents: Sequence[int]) -> Fences | None:
    """Tukey's fences (:data:`OUTLIER_RULE`) over amounts above zero given in whole cents,
    ascending; ``None`` when there are too few of them to tell."""
    n = len(cents)
    if n < OUTLIER_MIN_CASES:
        return None
    half = n // 2
    q1 = _median_cents(cents, 0, half)
    q3 = _median_cents(cents, n - half, n)
    spread = (q3 - q1) * OUTLIER_FACTOR
    return Fences(q1, q3, q1 - spread, q3 + spread)


def sorted_cents(amounts: Iterable[Decimal]) -> list[int]:
    """The amounts above zero in whole cents, ascending."""
    return sorted(to_cents(a) for a in amounts if a > 0)


def outlier_fences(amounts: Iterable[Decimal]) -> Fences | None:
    """Tukey's fences over the amounts above zero (:data:`OUTLIER_RULE`); ``None`` when
    there are too few of them to tell."""
    return fences_of_sorted(sorted_cents(amounts))


def cents_bounds(fences: Fences) -> tuple[int, int]:
    """The fences in whole cents for a comparison of integer cents: an amount of ``a``
    cents is outside exactly when ``a < low`` or ``a > high`` (the fences may fall
    between two cents: a median of two amounts, 1.5 x IQR)."""
    low = (fences.low * 100).to_integral_value(rounding="ROUND_CEILING")
    high = (fences.high * 100).to_integral_value(rounding="ROUND_FLOOR")
    return int(low), int(high)


def outliers(amounts: Sequence[Decimal]) -> frozenset[int]:
    """The positions of the outlying amounts in ``amounts``."""
    fences = outlier_fences(amounts)
    if fences is None:
        return frozenset()
    return frozenset(k for k, a in enumerate(amounts) if fences.outside(a))


def count_outside(cents: Sequence[int], fences: Fences | None) -> int:
    """How many of the amounts (whole cents above zero, ascending) are outliers."""
    if fences is None:
        return 0
    low, high = cents_bounds(fences)
    return bisect_left(cents, low) + len(cents) - bisect_right(cents, high)


@dataclass(frozen=True, slots=True)
class Bin:
    """Amounts ``low <= a < high`` (the last bin includes ``high``), ``count`` of them."""

    low: Decimal
    high: Decimal
    count: int


_NICE = (Decimal(1), Decimal(2), Decimal(5))


def _nice_width(span: Decimal, bins: int) -> Decimal:
    """The smallest of 1, 2, 5 x 10^k (k >= -2: cents at the finest) that covers
    ``span`` in ``bins`` bins."""
    raw = span / bins
    exponent = -2
    while True:
        for step in _NICE:
            width = step.scaleb(exponent)
            if width >= raw:
                return width
        exponent += 1


def histogram_of_sorted(cents: Sequence[int], bins: int = 20) -> tuple[Bin, ...]:
    """The amounts (whole cents above zero, ascending) in at most ``bins`` bins of a
    round width (1, 2 or 5 times a power of ten), starting at a multiple of the width;
    each bin counted by bisection. Exact: Decimal edges, integer counts."""
    if not cents:
        return ()
    lo, hi = from_cents(cents[0]), from_cents(cents[-1])
    width = _nice_width(max(hi - lo, Decimal("0.01")), bins)
    width_c = to_cents(width)
    start_c = (cents[0] // width_c) * width_c
    count = (cents[-1] - start_c) // width_c + 1
    out = []
    for k in range(count):
        low_c = start_c + k * width_c
        below = bisect_left(cents, low_c)
        upto = len(cents) if k == count - 1 else bisect_left(cents, low_c + width_c)
        out.append(Bin(from_cents(low_c), from_cents(low_c + width_c), upto - below))
    return tuple(out)


def histogram(amounts: Iterable[Decimal], bins: int = 20) -> tuple[Bin, ...]:
    """The amounts above zero in at most ``bins`` bins (:func:`histogram_of_sorted`)."""
    return histogram_of_sorted(sorted_cents(amounts), bins)


# --- approving an incident by sample ----------------------------------------------------

def check_incident_approval(actor: Actor, *, participants: Iterable[str], total: IncidentTotals,
                            currency: str = "USD") -> None:
    """The incident-wide rules of an approval by sample; each case of it is also checked
    by ``workflow.check_approve`` (own case, per-case limit, what was submitted,
    divergence). Refused: no approval authority; anyone who created the incident or
    prepared, edited or submitted any of its cases (``participants``); an incident
    total above the approver's limit."""
    if not actor.active:
        raise WorkflowRefused("inactive_user", f"User {actor.login} is disabled.")
    if actor.role not in (Role.SUPERVISOR, Role.ADMINISTRATOR) or actor.approval_limit is None:
        raise WorkflowRefused("not_an_approver",
                              f"User {actor.login} ({actor.role.value}) has no approval authority.")
    if any(same_login(actor.login, who) for who in participants):
        raise WorkflowRefused("own_incident",
                              "You cannot approve an incident you created, or one with a case "
                              "you prepared, edited or submitted; another supervisor must "
                              "approve it.")
    if total.amount > actor.approval_limit:
        raise WorkflowRefused("incident_over_limit",
                              f"This incident adjusts {money_text(total.amount)} {currency} in "
                              f"all, above your approval limit of "
                              f"{money_text(actor.approval_limit)}; refer it to a supervisor "
                              "with a higher limit.")
