"""The result of applying a rule pack to a case (``billing-desk/determination@1``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Mapping

from .money import money, money_text

DETERMINATION_FORMAT = "billing-desk/determination@1"


class Direction(StrEnum):
    OVERCHARGE = "overcharge"
    UNDERCHARGE = "undercharge"
    NONE = "none"


class Outcome(StrEnum):
    CREDIT_AND_BACK_BILL = "credit_and_back_bill"
    CREDIT = "credit"
    BACK_BILL = "back_bill"
    NO_ADJUSTMENT = "no_adjustment"

    @classmethod
    def of(cls, refund_total: Decimal, back_bill_total: Decimal) -> "Outcome":
        if refund_total > 0 and back_bill_total > 0:
            return cls.CREDIT_AND_BACK_BILL
        if refund_total > 0:
            return cls.CREDIT
        if back_bill_total > 0:
            return cls.BACK_BILL
        return cls.NO_ADJUSTMENT


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a period's amount is included or excluded.

    ``code`` identifies the wording (documents translate it per locale); ``args`` hold
    the values it mentions (Decimal amounts, dates) unformatted; ``text`` is the English
    sentence a clerk can read aloud.
    """

    code: str
    text: str
    args: tuple[tuple[str, Any], ...] = ()

    def arg(self, name: str) -> Any:
        return dict(self.args)[name]


@dataclass(frozen=True, slots=True)
class PeriodLine:
    index: int
    direction: Direction
    difference: Decimal
    days: int
    days_in_window: int | None
    in_window_amount: Decimal
    out_of_window_amount: Decimal
    included_amount: Decimal
    excluded_amount: Decimal
    clause: str | None
    reason: Reason

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "direction": self.direction.value,
            "difference": money_text(self.difference),
            "days": self.days,
            "days_in_window": self.days_in_window,
            "in_window_amount": money_text(self.in_window_amount),
            "out_of_window_amount": money_text(self.out_of_window_amount),
            "included_amount": money_text(self.included_amount),
            "excluded_amount": money_text(self.excluded_amount),
            "clause": self.clause,
            "reason": self.reason.text,
        }


@dataclass(frozen=True, slots=True)
class ReadingResult:
    refund_total: Decimal
    back_bill_total: Decimal
    net: Decimal
    outcome: Outcome

    @classmethod
    def of(cls, refund_total: Decimal, back_bill_total: Decimal) -> "ReadingResult":
        return cls(refund_total, back_bill_total, back_bill_total - refund_total,
                   Outcome.of(refund_total, back_bill_total))

    def to_json(self) -> dict[str, Any]:
        return {
            "refund_total": money_text(self.refund_total),
            "back_bill_total": money_text(self.back_bill_total),
            "net": money_text(self.net),
            "outcome": self.outcome.value,
        }


@dataclass(frozen=True, slots=True)
class Determination:
    rule_pack: str
    rule_pack_version: str
    account_number: str
    currency: str
    reading: str
    minimal_threshold: Decimal
    occurred_basis: str
    cutoffs: Mapping[str, date]
    outcome: Outcome
    refund_total: Decimal
    back_bill_total: Decimal
    net: Decimal
    interest: Decimal
    flags: tuple[str, ...]
    periods: tuple[PeriodLine, ...]
    readings: Mapping[str, ReadingResult]

    @property
    def readings_differ(self) -> bool:
        return "readings_differ" in self.flags

    def to_json(self) -> dict[str, Any]:
        """The determination@1 object, keys in the order of RULES.md §4."""
        return {
            "format": DETERMINATION_FORMAT,
            "rule_pack": self.rule_pack,
            "account_number": self.account_number,
            "currency": self.currency,
            "reading": self.reading,
            "minimal_threshold": money_text(self.minimal_threshold),
            "occurred_basis": self.occurred_basis,
            "cutoffs": {k: v.isoformat() for k, v in self.cutoffs.items()},
            "outcome": self.outcome.value,
            "refund_total": money_text(self.refund_total),
            "back_bill_total": money_text(self.back_bill_total),
            "net": money_text(self.net),
            "interest": money_text(self.interest),
            "flags": list(self.flags),
            "periods": [p.to_json() for p in self.periods],
            "readings": {k: r.to_json() for k, r in self.readings.items()},
        }


def determination_from_json(data: Mapping[str, Any], rule_pack_version: str) -> Determination:
    """A determination@1 object back as a :class:`Determination` -- a snapshot kept when
    the case was submitted, shown to the approver exactly as it was computed. The JSON
    carries no version (the snapshot record does) and each reason only as its English
    text (``Reason.code`` is empty)."""
    return Determination(
        rule_pack=data["rule_pack"], rule_pack_version=rule_pack_version,
        account_number=data["account_number"], currency=data["currency"],
        reading=data["reading"], minimal_threshold=money(data["minimal_threshold"]),
        occurred_basis=data["occurred_basis"],
        cutoffs={k: date.fromisoformat(v) for k, v in data["cutoffs"].items()},
        outcome=Outcome(data["outcome"]), refund_total=money(data["refund_total"]),
        back_bill_total=money(data["back_bill_total"]), net=money(data["net"]),
        interest=money(data["interest"]), flags=tuple(data["flags"]),
        periods=tuple(PeriodLine(
            index=p["index"], direction=Direction(p["direction"]), difference=money(p["difference"]),
            days=p["days"], days_in_window=p["days_in_window"],
            in_window_amount=money(p["in_window_amount"]),
            out_of_window_amount=money(p["out_of_window_amount"]),
            included_amount=money(p["included_amount"]), excluded_amount=money(p["excluded_amount"]),
            clause=p["clause"], reason=Reason("", p["reason"])) for p in data["periods"]),
        readings={k: ReadingResult(money(r["refund_total"]), money(r["back_bill_total"]),
                                   money(r["net"]), Outcome(r["outcome"]))
                  for k, r in data["readings"].items()},
    )
