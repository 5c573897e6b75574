"""Sec. 26-119 "Charges in event of meter failure" (RULES.md §7).

When a meter fails to register, the failed period is charged at the customer's use in a
similar period when the meter registered properly, scaled by days. The estimate, priced
at the period's rate, becomes that period's ``correct`` amount in a Sec. 26-721 case
(Sec. 26-119 defers charges and refunds to Sec. 26-721).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..errors import BillingDeskError
from .money import prorate


class MeterEstimateError(BillingDeskError, ValueError):
    """The periods or usage given cannot produce an estimate; the message says why."""


def meter_failure_estimate(similar_usage: Decimal, similar_start: date, similar_end: date,
                           failed_start: date, failed_end: date, places: int = 0) -> Decimal:
    """``round_half_up(similar_usage * failed_days / similar_days, places)``, inclusive
    day counts: the same pro-rata rounding as the six-year split of Sec. 26-721
    (:func:`~billing_desk.domain.money.prorate`). Example: 4650 gal over 31 similar
    days, 30 failed days -> 4500."""
    if isinstance(similar_usage, float) or not isinstance(similar_usage, (Decimal, int)):
        raise MeterEstimateError("similar-period usage must be a Decimal, not "
                                 f"{type(similar_usage).__name__}")
    usage = Decimal(similar_usage)
    if not usage.is_finite() or usage < 0:
        raise MeterEstimateError("similar-period usage must be a non-negative number")
    if places < 0:
        raise MeterEstimateError("places must be 0 or more")
    if similar_end < similar_start:
        raise MeterEstimateError("similar period: end is before start")
    if failed_end < failed_start:
        raise MeterEstimateError("failed period: end is before start")
    if similar_start <= failed_end and failed_start <= similar_end:
        raise MeterEstimateError("the similar period overlaps the failed period; choose a "
                                 "period when the meter registered properly")
    similar_days = (similar_end - similar_start).days + 1
    failed_days = (failed_end - failed_start).days + 1
    # 26-119: use in the similar period, scaled by days, rounded half up
    return prorate(usage, failed_days, similar_days, places)


def governing_reading(head: Decimal | None, remote: Decimal | None) -> Decimal:
    """26-119: when the remote readout and the head of the meter disagree, the head
    governs; the remote readout is used only when there is no head reading."""
    if head is not None:
        return head
    if remote is not None:
        return remote
    raise MeterEstimateError("no meter reading: neither head nor remote")
