"""How a customer receives their notices: on paper, by email, or both (issue 20).

Billing Desk's extension to ``account`` in case@1 (docs/case-format.md): ``email`` (one
address, the customer's own) and ``delivery`` (``paper`` by default). Pure rules, no I/O:
what a well-formed address is, and which channels a case's notice goes out by.

An address is checked for its form only (nobody can tell from its spelling whether a
mailbox exists; the mail server says so when it refuses it). The form is deliberately
narrower than everything RFC 5321 allows: one mailbox, no display name, no comments, no
quoted local part, no spaces or line breaks, no commas or semicolons -- so a value can
never name a second recipient or slip a header into a message.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Delivery(StrEnum):
    PAPER = "paper"
    EMAIL = "email"
    BOTH = "both"


DEFAULT_DELIVERY = Delivery.PAPER

#: RFC 5321 limits: 64 octets of local part, 254 for the whole path's mailbox
MAX_LOCAL, MAX_ADDRESS = 64, 254
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TLD = re.compile(r"[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59}")


def email_problem(address: str) -> str | None:
    """Why ``address`` is not one usable email address, or None when it is."""
    if not address:
        return "must not be blank (leave it out when there is no address)"
    if address != address.strip():
        return "must not begin or end with a space"
    if any(c in address for c in ",;<>\"()[]\\"):
        return "must be one address only, like name@example.com (no name, commas or brackets)"
    if any(c.isspace() for c in address):
        return "must not contain spaces or line breaks"
    if not address.isascii():
        return "must be written in plain letters, digits and . _ - + (no accents)"
    if address.count("@") != 1:
        return "must have exactly one @, like name@example.com"
    local, domain = address.split("@")
    if not local:
        return "is missing the part before the @"
    if not domain:
        return "is missing the domain after the @ (like example.com)"
    if len(local) > MAX_LOCAL:
        return f"has more than {MAX_LOCAL} characters before the @"
    if len(address) > MAX_ADDRESS:
        return f"is longer than {MAX_ADDRESS} characters"
    if not _LOCAL.fullmatch(local):
        return "has a character or a dot out of place before the @"
    labels = domain.split(".")
    if len(labels) < 2:
        return "must have a full domain after the @, like example.com"
    if not all(_LABEL.fullmatch(label) for label in labels) or not _TLD.fullmatch(labels[-1]):
        return f"has a domain that is not valid: {domain}"
    return None


def effective_delivery(delivery: Delivery | None) -> Delivery:
    return DEFAULT_DELIVERY if delivery is None else delivery


def by_email(delivery: Delivery | None) -> bool:
    """The customer's notices go out by email (alone or besides paper)."""
    return effective_delivery(delivery) in (Delivery.EMAIL, Delivery.BOTH)


def by_paper(delivery: Delivery | None) -> bool:
    return effective_delivery(delivery) in (Delivery.PAPER, Delivery.BOTH)


def delivery_problem(email: str | None, delivery: Delivery | None) -> str | None:
    """Why the pair cannot be used (a notice by email needs an address), or None."""
    if by_email(delivery) and email is None:
        return f"is required when notices go out by {effective_delivery(delivery).value}"
    return None
