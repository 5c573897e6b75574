"""Who a document is for, as it is printed: the customer's name and mailing address
split into lines, the account and case numbers. The renderer prints these values and
the read-back check expects exactly these values, both computed here from the case."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..domain.case import Account
from .errors import MissingMailingAddress
from .fonts import require_printable


def clean(text: str) -> str:
    """Text as printed: composed Unicode (NFC, so 'Nguyễn' typed with combining marks
    prints as the letters it means) and single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def address_lines(address: str) -> list[str]:
    """A US postal address in lines: as typed when it has line breaks; otherwise, when
    it has three or more comma-separated parts, each part before the city on its own line
    and "City, ST ZIP" on the last (215 N Mason St, Fort Collins, CO 80524 -> 2 lines)."""
    typed = [clean(line) for line in address.splitlines()]
    typed = [line for line in typed if line]
    if len(typed) > 1:
        return typed
    parts = [clean(p) for p in (typed[0] if typed else "").split(",")]
    parts = [p for p in parts if p]
    if len(parts) < 3:
        return [", ".join(parts)] if parts else []
    return parts[:-2] + [f"{parts[-2]}, {parts[-1]}"]


@dataclass(frozen=True, slots=True)
class Identity:
    account_number: str
    customer_name: str
    mailing_lines: tuple[str, ...]
    service_address: str  # one line, blank when the case has none
    case_number: str

    @property
    def mailing_one_line(self) -> str:
        return ", ".join(self.mailing_lines)


def identity_of(account: Account, case_number: str) -> Identity:
    """The printed identity of a case's documents. Refuses (typed errors) a case that has
    no address to mail to, or a name or address the font cannot print."""
    mailing = account.mailing_address or ""
    if not mailing.strip():
        mailing = account.service_address or ""
    lines = address_lines(mailing)
    if not lines:
        raise MissingMailingAddress(
            f"Account {account.number} has no mailing address and no service address: a "
            f"letter cannot be mailed. Enter the mailing address in the case and issue again.")
    name = clean(account.customer_name)
    require_printable("customer name", name)
    require_printable("mailing address", " ".join(lines))
    service = clean(account.service_address or "")
    require_printable("service address", service)
    return Identity(clean(account.number), name, tuple(lines), service, clean(case_number))
