"""Where a case's letter is mailed, how its address is written in lines, and when a
letter may be dated. Pure rules: the documents print what these say, the workflow
refuses a case these find fault with before it is approved.

A former customer (``current_customer`` false) has left the service address: a letter
to them goes to the mailing address typed in the case and never to the service address
(someone else lives there now, and a refund check mailed there is lost). So a former
customer's case needs a mailing address before it is submitted, and a refund to a
former customer needs one that is not the service address they left.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal
from typing import Protocol, Sequence

from .problems import Problem


class AccountFields(Protocol):
    """What these rules read of an account: a case's :class:`~.case.Account` or the
    editor's :class:`~.draft.AccountDraft`."""

    number: str
    customer_name: str
    service_address: str | None
    mailing_address: str | None
    current_customer: bool | None


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


def is_former_customer(account: AccountFields) -> bool:
    return account.current_customer is False


def letter_address(account: AccountFields) -> str | None:
    """The address a letter to this account is mailed to: its mailing address; for a
    current customer without one, the service address; for a former customer without
    one, none (never the service address they left)."""
    if (account.mailing_address or "").strip():
        return account.mailing_address
    if not is_former_customer(account) and (account.service_address or "").strip():
        return account.service_address
    return None


def _address_key(address: str | None) -> str:
    """An address for comparison: case, accents' composition, spaces and punctuation
    do not make two addresses different."""
    text = clean(address or "").casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def same_address(a: str | None, b: str | None) -> bool:
    return _address_key(a) == _address_key(b) != ""


def mailing_problems(account: AccountFields, refund_total: Decimal | None = None) -> list[Problem]:
    """Why a letter to this account could not be mailed as it should, at
    ``account.mailing_address``. ``refund_total``: what the case refunds (a former
    customer's refund is a check, mailed to this address)."""
    field = "account.mailing_address"
    if is_former_customer(account):
        if not (account.mailing_address or "").strip():
            return [Problem(field, "a former customer no longer gets mail at the service "
                                   "address: enter the address to write to (their "
                                   "forwarding address)")]
        if refund_total and refund_total > 0 and same_address(account.mailing_address,
                                                              account.service_address):
            return [Problem(field, "the refund check to a former customer must go to their "
                                   "forwarding address, not to the service address they "
                                   "left: enter the forwarding address")]
        return []
    if letter_address(account) is None:
        return [Problem(field, "the letter has no address to go to: enter the mailing "
                               "address (or the service address)")]
    return []


def earliest_issue_date(case) -> date:
    """The first date ``case``'s letter may bear: the day the error was discovered or
    the end of the last period it corrects, whichever is later."""
    return max(case.discovered_on, max(p.end for p in case.periods))


def issue_date_problem(case, issue_date: date, *, today: date,
                       max_days_ahead: int) -> str | None:
    """Why ``issue_date`` cannot be the date of ``case``'s letter, or None. A letter is
    not dated before the error was discovered, nor before the end of the last period it
    corrects, nor more than ``max_days_ahead`` days after ``today`` (a letter dated far
    ahead would give the customer wrong deadlines)."""
    last_end = max(p.end for p in case.periods)
    if issue_date < case.discovered_on:
        return (f"the issue date {issue_date.isoformat()} is before the error was discovered "
                f"({case.discovered_on.isoformat()})")
    if issue_date < last_end:
        return (f"the issue date {issue_date.isoformat()} is before the end of the last "
                f"billing period the letter corrects ({last_end.isoformat()})")
    return future_issue_date_problem(issue_date, today=today, max_days_ahead=max_days_ahead)


def future_issue_date_problem(issue_date: date, *, today: date, max_days_ahead: int) -> str | None:
    """Why ``issue_date`` lies too far ahead of ``today``, or None."""
    if (issue_date - today).days > max_days_ahead:
        return (f"the issue date {issue_date.isoformat()} is more than {max_days_ahead} day"
                f"{'s' if max_days_ahead != 1 else ''} after today ({today.isoformat()}); "
                "the setting issue.max_days_ahead allows no later date")
    return None


def window_lines(account: AccountFields) -> tuple[str, Sequence[str]] | None:
    """The customer's name and the address lines that show through the envelope
    window, as printed; None when there is no address to mail to."""
    address = letter_address(account)
    if address is None:
        return None
    return clean(account.customer_name), address_lines(address)
