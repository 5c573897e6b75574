"""A case as the clerk is still writing it.

A :class:`CaseDraft` has the shape of a case@1 document but every field may be missing
(a new case has no dates yet, a new period row no amounts). Each field that *is* present
is well-formed (a real date, a cent amount): the editor refuses a malformed value at the
field and keeps the last good one, so nothing malformed is ever saved. Whether the draft
as a whole is a valid case — required fields present, periods not overlapping — is
answered by :meth:`CaseDraft.check`, which runs the same validator as the CLI, so the
determination panel and ``billing-desk determine`` can never disagree.
"""

from __future__ import annotations

from functools import lru_cache
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from .case import CASE_FORMAT, Account, Case, Evidence, Options, Period, Service
from .delivery import Delivery
from .caseformat import EVIDENCE_KEYS, CaseCheck, check_case
from .money import money_text

DEFAULT_RULE_PACK = "fort-collins-26-721"
NO_EVIDENCE = Evidence(False, False, False, False)


@dataclass(frozen=True, slots=True)
class PeriodDraft:
    start: date | None = None
    end: date | None = None
    bill_date: date | None = None
    billed: Decimal | None = None
    correct: Decimal | None = None
    note: str | None = None

    @property
    def is_blank(self) -> bool:
        return all(getattr(self, f) in (None, "") for f in self.__slots__)

    @property
    def difference(self) -> Decimal | None:
        if self.billed is None or self.correct is None:
            return None
        return self.billed - self.correct

    @classmethod
    def from_period(cls, p: Period) -> "PeriodDraft":
        return cls(p.start, p.end, p.bill_date, p.billed, p.correct, p.note)

    def to_json(self) -> dict[str, Any]:
        # a save writes the case's state twice (before and after) and almost every
        # period is the same object both times: each is formatted once (a copy is
        # handed out, so no caller can change what the next one gets)
        return dict(_period_json(self))


@lru_cache(maxsize=8192)
def _period_json(p: PeriodDraft) -> dict[str, Any]:
    d: dict[str, Any] = {}
    if p.start is not None:
        d["start"] = p.start.isoformat()
    if p.end is not None:
        d["end"] = p.end.isoformat()
    if p.bill_date is not None:
        d["bill_date"] = p.bill_date.isoformat()
    if p.billed is not None:
        d["billed"] = money_text(p.billed)
    if p.correct is not None:
        d["correct"] = money_text(p.correct)
    if p.note is not None:
        d["note"] = p.note
    return d


@dataclass(frozen=True, slots=True)
class AccountDraft:
    number: str = ""
    customer_name: str = ""
    service_address: str | None = None
    mailing_address: str | None = None
    locale: str | None = None
    current_customer: bool | None = None
    email: str | None = None  # (Billing Desk's extension of case@1: domain/delivery.py)
    delivery: Delivery | None = None

    @classmethod
    def from_account(cls, a: Account) -> "AccountDraft":
        return cls(a.number, a.customer_name, a.service_address, a.mailing_address, a.locale,
                   a.current_customer, a.email, a.delivery)

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        # a blank required string is left out, so the validator says "required field is missing"
        if self.number.strip():
            d["number"] = self.number
        if self.customer_name.strip():
            d["customer_name"] = self.customer_name
        for key in ("service_address", "mailing_address", "locale", "current_customer", "email"):
            value = getattr(self, key)
            if value is not None:
                d[key] = value
        if self.delivery is not None:
            d["delivery"] = self.delivery.value
        return d


@dataclass(frozen=True, slots=True)
class CaseDraft:
    rule_pack: str = DEFAULT_RULE_PACK
    account: AccountDraft = field(default_factory=AccountDraft)
    service: Service | None = None
    currency: str = "USD"
    discovered_on: date | None = None
    made_known_on: date | None = None
    evidence: Evidence = NO_EVIDENCE
    periods: tuple[PeriodDraft, ...] = ()
    options: Options = field(default_factory=Options)
    why: str | None = None
    cause: str | None = None

    @classmethod
    def from_case(cls, case: Case) -> "CaseDraft":
        return cls(
            rule_pack=case.rule_pack,
            account=AccountDraft.from_account(case.account),
            service=case.service,
            currency=case.currency,
            discovered_on=case.discovered_on,
            made_known_on=case.made_known_on,
            evidence=case.evidence,
            periods=tuple(PeriodDraft.from_period(p) for p in case.periods),
            options=case.options,
            why=case.why,
            cause=case.cause,
        )

    def to_json(self) -> dict[str, Any]:
        """The draft as a case@1 object (absent fields left out). For a draft made from a
        valid case this is exactly that case's case@1 JSON."""
        out: dict[str, Any] = {"format": CASE_FORMAT, "rule_pack": self.rule_pack}
        if self.why is not None:
            out["why"] = self.why
        if self.cause is not None:
            out["cause"] = self.cause
        o = self.options
        options: dict[str, Any] = {}
        if o.undercharge_reading is not None:
            options["undercharge_reading"] = o.undercharge_reading.value
        if o.minimal_threshold is not None:
            options["minimal_threshold"] = money_text(o.minimal_threshold)
        if o.occurred_basis is not None:
            options["occurred_basis"] = o.occurred_basis.value
        if options:
            out["options"] = options
        out["account"] = self.account.to_json()
        if self.service is not None:
            out["service"] = self.service.value
        out["currency"] = self.currency
        if self.discovered_on is not None:
            out["discovered_on"] = self.discovered_on.isoformat()
        if self.made_known_on is not None:
            out["made_known_on"] = self.made_known_on.isoformat()
        out["evidence"] = {k: getattr(self.evidence, k) for k in EVIDENCE_KEYS}
        out["periods"] = [p.to_json() for p in self.periods]
        return out

    def check(self) -> CaseCheck:
        """The validated :class:`Case`, or every problem with its field path."""
        return check_case(self.to_json())

    # -- edits (each returns a new draft) ------------------------------------------------

    def with_period(self, index: int, period: PeriodDraft) -> "CaseDraft":
        periods = list(self.periods)
        periods[index] = period
        return replace(self, periods=tuple(periods))

    def with_periods_inserted(self, index: int, new: tuple[PeriodDraft, ...]) -> "CaseDraft":
        periods = list(self.periods)
        periods[index:index] = new
        return replace(self, periods=tuple(periods))

    def without_periods(self, index: int, count: int = 1) -> "CaseDraft":
        periods = list(self.periods)
        del periods[index:index + count]
        return replace(self, periods=tuple(periods))
