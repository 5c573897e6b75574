"""What the reports need to know of an issued case, worked out once, when it is issued.

A report over a million cases cannot read every stored determination and every period
each time it runs, so when a case is issued the store keeps one row of facts about it,
computed here from exactly the determination its documents were issued with
(``billing-desk/determination@1``, RULES.md §4) and the case's periods:

* the totals credited (26-721(a)(1)) and back-billed (26-721(a)(2)), the outcome, the
  reading used, and what each reading would have given (for "readings differ");
* what the code kept back, by cause, from the per-period excluded amounts and the flags
  (§5). Every excluded cent is given exactly one cause:

  - ``six_year_refund``: the part of an overcharge older than six years before the error
    was made known (26-721(a)(1)): ``min(excluded, out_of_window)`` of each overcharge;
  - ``refund_conditions``: the rest of an excluded overcharge, held back because a
    condition of 26-721(a)(1)(i)-(iii) failed; ``refund_a1_i/_ii/_iii`` say which
    condition failed (one amount can fail several: these three overlap, their cause
    ``refund_conditions`` counts it once);
  - ``six_year_back_bill``: the part of an undercharge older than six years before the
    discovery that was not back-billed (26-721(a)(2), under the reading used);
  - ``back_bill_reading``: the rest of an excluded undercharge of a current customer:
    the executive summary's test not met, or forgiven under staff practice;
  - ``former_customer``: an undercharge of a former customer, whom (a)(2) does not reach
    (flag ``former_customer_undercharge_not_billable``): all of it.

  Refunds kept back are what the code cost customers; back bills kept back are what it
  spared them;
* the bills the case adjusted: each period whose billed amount differs from the correct
  one (direction ``overcharge`` or ``undercharge``) is one bill, named by account,
  service and service period, whether or not the code let the difference be credited
  or back-billed;
* the days from the discovery of the error to the issue.

Money is counted in integer cents (RULES.md §3.1), so sums over many cases stay exact.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Mapping, Sequence

from .kinds import Reading

#: the causes of an excluded amount that together account for every excluded cent
CAUSES = ("six_year_refund", "refund_conditions", "six_year_back_bill", "back_bill_reading",
          "former_customer")
#: which failed condition of 26-721(a)(1) held a refund back (they overlap)
CONDITIONS = ("refund_a1_i", "refund_a1_ii", "refund_a1_iii")
_CONDITION_FLAGS = {"refund_a1_i": "refund_a1_i_not_met", "refund_a1_ii": "refund_a1_ii_not_met",
                    "refund_a1_iii": "refund_a1_iii_not_met"}
FORMER_CUSTOMER_FLAG = "former_customer_undercharge_not_billable"
READINGS = tuple(r.value for r in Reading)


def cents(text: str) -> int:
    """Integer cents of a determination@1 money text (``"-12.30"`` is -1230); exact."""
    negative = text.startswith("-")
    whole, _, part = text.lstrip("-").partition(".")
    value = int(whole) * 100 + int(part or "0")
    return -value if negative else value


@dataclass(frozen=True, slots=True)
class KeptBack:
    """Amounts (cents) the code kept back, by cause (see the module docstring)."""

    six_year_refund: int = 0
    refund_conditions: int = 0
    refund_a1_i: int = 0
    refund_a1_ii: int = 0
    refund_a1_iii: int = 0
    six_year_back_bill: int = 0
    back_bill_reading: int = 0
    former_customer: int = 0

    @property
    def total(self) -> int:
        """Every excluded cent, once."""
        return sum(getattr(self, c) for c in CAUSES)

    def __add__(self, other: "KeptBack") -> "KeptBack":
        return KeptBack(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


#: the fields of :class:`KeptBack`, in order
KEPT_FIELDS = tuple(f.name for f in fields(KeptBack))


@dataclass(frozen=True, slots=True)
class BillKey:
    """One bill: an account's bill for a service and a service period."""

    account_number: str
    service: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class IssueFacts:
    service: str
    issued_on: date
    days_to_issue: int
    outcome: str
    reading: str
    refund: int
    back_bill: int
    kept: KeptBack
    readings_differ: bool
    #: reading -> (refund, back bill) in cents, as that reading would have it
    by_reading: Mapping[str, tuple[int, int]]
    #: the bills adjusted: one per period with a difference, in the case's order
    bills: tuple[BillKey, ...]

    @property
    def readings_spread(self) -> int:
        """The largest less the smallest back bill of the readings (cents): how much the
        reading chosen mattered (refunds are the same under every reading)."""
        back_bills = [b for _, b in self.by_reading.values()]
        return max(back_bills) - min(back_bills)


def kept_back(determination: Mapping[str, Any]) -> KeptBack:
    """What the determination kept back, by cause."""
    flags = set(determination["flags"])
    failed = [c for c in CONDITIONS if _CONDITION_FLAGS[c] in flags]
    former = FORMER_CUSTOMER_FLAG in flags
    totals = dict.fromkeys(CAUSES + CONDITIONS, 0)
    for p in determination["periods"]:
        excluded = cents(p["excluded_amount"])
        if not excluded:
            continue
        older = min(excluded, cents(p["out_of_window_amount"]))
        if p["direction"] == "overcharge":
            # 26-721(a)(1): older than six years before the error was made known; the
            # rest was held back by a failing condition (i) to (iii)
            totals["six_year_refund"] += older
            totals["refund_conditions"] += excluded - older
            for c in failed:
                totals[c] += excluded - older
        elif former:
            # (a)(2) reaches current customers only: none of it is billable
            totals["former_customer"] += excluded
        else:
            # 26-721(a)(2), under the reading used: older than six years, then the rest
            totals["six_year_back_bill"] += older
            totals["back_bill_reading"] += excluded - older
    return KeptBack(**totals)


def issue_facts(determination: Mapping[str, Any], *, account_number: str, service: str,
                discovered_on: date, periods: Sequence[tuple[date, date]],
                issued_on: date) -> IssueFacts:
    """The facts of a case issued on ``issued_on`` with ``determination`` (JSON values);
    ``periods`` are the case's (start, end) in its own order, as the determination's."""
    lines = determination["periods"]
    if len(lines) != len(periods):
        raise ValueError(f"the determination has {len(lines)} periods, the case {len(periods)}")
    bills = tuple(BillKey(account_number, service, periods[p["index"]][0], periods[p["index"]][1])
                  for p in lines if p["direction"] != "none")
    readings = determination["readings"]
    return IssueFacts(
        service=service, issued_on=issued_on,
        days_to_issue=(issued_on - discovered_on).days,
        outcome=determination["outcome"], reading=determination["reading"],
        refund=cents(determination["refund_total"]),
        back_bill=cents(determination["back_bill_total"]),
        kept=kept_back(determination),
        readings_differ="readings_differ" in determination["flags"],
        by_reading={r: (cents(readings[r]["refund_total"]), cents(readings[r]["back_bill_total"]))
                    for r in READINGS},
        bills=bills)
