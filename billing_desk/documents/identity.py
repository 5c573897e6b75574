"""Who a document is for, as it is printed: the customer's name and mailing address
split into lines, the account and case numbers. The renderer prints these values and
the read-back check expects exactly these values, both computed here from the case.

Where a letter goes is the domain's rule (:func:`billing_desk.domain.mailing.letter_address`):
the mailing address, or for a current customer without one the service address, and
never the service address a former customer has left."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.case import Account
from ..domain.mailing import address_lines, clean, is_former_customer, letter_address
from .errors import MissingMailingAddress
from .fonts import require_printable

__all__ = ["Identity", "address_lines", "clean", "identity_of"]


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
    address = letter_address(account)
    lines = address_lines(address or "")
    if not lines:
        if is_former_customer(account):
            raise MissingMailingAddress(
                f"Account {account.number} is a former customer's and has no mailing address: "
                f"a letter is never sent to the service address they left. Enter their "
                f"forwarding address as the mailing address, submit and approve the case again.")
        raise MissingMailingAddress(
            f"Account {account.number} has no mailing address and no service address: a "
            f"letter cannot be mailed. Enter the mailing address in the case and issue again.")
    name = clean(account.customer_name)
    require_printable("customer name", name)
    require_printable("mailing address", " ".join(lines))
    service = clean(account.service_address or "")
    require_printable("service address", service)
    return Identity(clean(account.number), name, tuple(lines), service, clean(case_number))
