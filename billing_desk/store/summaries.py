"""The records a window needs before any case is open: the case list's summaries and
the signed-in user. Apart from :mod:`.records` (which re-exports them) so that opening a
file and listing its cases loads no case model."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..domain.kinds import Service
from ..domain.money import money_text
from ..domain.workflow import Actor, CaseStatus, Role
from .timestamps import parse_utc


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A user of the case file (never the password hash: that stays in the store)."""

    login: str
    name: str
    role: Role
    active: bool
    approval_limit: Decimal | None
    #: the public half of their signing key (store/signing.py); None before they have one
    public_key: str | None = field(default=None, compare=False)

    def actor(self) -> Actor:
        """The user as the workflow rules see them."""
        return Actor(self.login, self.role, self.approval_limit, self.active)

    def state(self) -> dict[str, Any]:
        """What the audit history records about the user (no limit: left out)."""
        state: dict[str, Any] = {"login": self.login, "name": self.name,
                                 "role": self.role.value, "active": self.active}
        if self.approval_limit is not None:
            state["approval_limit"] = money_text(self.approval_limit)
        if self.public_key is not None:
            state["public_key"] = self.public_key
        return state


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One row of the case list: enough to show and sort, cheap to fetch by the page."""

    id: int
    case_number: str
    status: CaseStatus
    account_number: str
    customer_name: str
    service_address: str | None
    mailing_address: str | None
    service: Service | None
    discovered_on: date | None
    assignee: str | None
    revision: int
    created_at: datetime
    updated_at: datetime


#: the columns of a :class:`CaseSummary`, in the order of :func:`summary_from_row`
SUMMARY_COLUMNS = ("id", "case_number", "status", "account_number", "customer_name",
                   "service_address", "mailing_address", "service", "discovered_on",
                   "assignee", "revision", "created_at", "updated_at")


def summary_from_row(row: tuple) -> CaseSummary:
    (id_, number, status, account, name, service_address, mailing_address, service,
     discovered, assignee, revision, created, updated) = row
    return CaseSummary(id_, number, CaseStatus(status), account, name, service_address,
                       mailing_address, None if service is None else Service(service),
                       None if discovered is None else date.fromisoformat(discovered), assignee,
                       revision, parse_utc(created), parse_utc(updated))

