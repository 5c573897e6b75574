"""The case: what a clerk records about one billing error (RULES.md §1).

Frozen dataclasses; optional fields keep ``None`` for "absent" so that a case read from
case@1 JSON writes back exactly as it came. The effective values (defaults applied)
are properties.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .delivery import Delivery, effective_delivery
from .kinds import OccurredBasis, Reading, Service  # noqa: F401 - re-exported

CASE_FORMAT = "billing-desk/case@1"
DEFAULT_LOCALE = "en_US"
DEFAULT_MINIMAL_THRESHOLD = Decimal("25.00")
CURRENCIES = ("USD",)


@dataclass(frozen=True, slots=True)
class Options:
    undercharge_reading: Reading | None = None
    minimal_threshold: Decimal | None = None
    occurred_basis: OccurredBasis | None = None

    @property
    def reading(self) -> Reading:
        return self.undercharge_reading or Reading.ORDINANCE

    @property
    def threshold(self) -> Decimal:
        return DEFAULT_MINIMAL_THRESHOLD if self.minimal_threshold is None else self.minimal_threshold

    @property
    def basis(self) -> OccurredBasis:
        return self.occurred_basis or OccurredBasis.SERVICE_DAYS


@dataclass(frozen=True, slots=True)
class Account:
    number: str
    customer_name: str
    service_address: str | None = None
    mailing_address: str | None = None
    locale: str | None = None
    current_customer: bool | None = None
    # Billing Desk's extension to case@1 (docs/case-format.md; ignored by the engine):
    # the customer's email address and how their notices go out (issue 20)
    email: str | None = None
    delivery: Delivery | None = None

    @property
    def effective_delivery(self) -> Delivery:
        return effective_delivery(self.delivery)

    @property
    def effective_locale(self) -> str:
        return self.locale or DEFAULT_LOCALE

    @property
    def is_current_customer(self) -> bool:
        return True if self.current_customer is None else self.current_customer


@dataclass(frozen=True, slots=True)
class Evidence:
    # 26-721(a)(1)(i) and (a)(2)(ii): could have discovered with reasonable inquiry
    customer_could_have_discovered: bool
    # 26-721(a)(1)(ii): the customer has documentation of the overcharge
    documentation_available: bool
    # 26-721(a)(1)(iii): the utility confirms that documentation
    documentation_confirmed: bool
    # 26-721(b) and the staff memo: the customer knew and withheld or hid the error
    customer_concealed_error: bool


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date
    billed: Decimal
    correct: Decimal
    bill_date: date | None = None
    note: str | None = None

    @property
    def difference(self) -> Decimal:
        """billed - correct: positive is an overcharge, negative an undercharge."""
        return self.billed - self.correct

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True, slots=True)
class Case:
    rule_pack: str
    account: Account
    service: Service
    currency: str
    discovered_on: date
    evidence: Evidence
    periods: tuple[Period, ...]
    options: Options = field(default_factory=Options)
    made_known_on: date | None = None
    why: str | None = None
    #: what went wrong, in plain words for the customer's letter (optional; the engine
    #: ignores it, the letter prints it; see docs/documents.md)
    cause: str | None = None

    @property
    def made_known(self) -> date:
        """26-721(a)(1): the date the error was made known; defaults to discovery."""
        return self.discovered_on if self.made_known_on is None else self.made_known_on
