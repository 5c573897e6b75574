"""Users of a case file: what a login, a name, a password and a limit must be, and who
may change users. Pure rules; the store keeps the users and hashes the passwords.

Roles (DESIGN.md "Who uses it"): a clerk prepares and submits cases; a supervisor
approves up to their approval limit or returns cases; an administrator manages the
users (and sets the limits) and may approve too if given a limit.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..errors import EXIT_INVALID, BillingDeskError
from .workflow import Actor, Role, WorkflowRefused

#: ASCII letters, digits and ``. _ -``: a login is typed at every sign-in and recorded in
#: every audit entry, and compared without regard to letter case (``AKim`` is ``akim``)
LOGIN_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MIN_PASSWORD_LENGTH = 8
MAX_NAME_LENGTH = 200
#: approval limits are amounts of money: at most 9 digits before the point (RULES.md §1)
MAX_LIMIT = Decimal("999999999.99")


class UserInvalid(BillingDeskError, ValueError):
    """A login, name, password or limit that cannot be used; ``field`` names it."""

    exit_code = EXIT_INVALID
    title = "Not a valid user"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class AccountRefused(WorkflowRefused):
    """A change to the users that the rules refuse (not an administrator, the last
    administrator, ...); ``code`` names the rule."""


def check_login(login: str) -> str:
    """The login as it will be stored (surrounding spaces removed)."""
    login = login.strip()
    if not login:
        raise UserInvalid("login", "a login is required")
    if not LOGIN_PATTERN.fullmatch(login):
        raise UserInvalid("login", "use 1 to 64 letters (A-Z), digits, dots, underscores or "
                                   "hyphens, starting with a letter or digit")
    return login


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise UserInvalid("name", "the user's full name is required")
    if len(name) > MAX_NAME_LENGTH:
        raise UserInvalid("name", f"at most {MAX_NAME_LENGTH} characters")
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserInvalid("password", f"at least {MIN_PASSWORD_LENGTH} characters")
    if not password.strip():
        raise UserInvalid("password", "a password of spaces only is not accepted")
    return password


def parse_limit(text: str) -> Decimal | None:
    """An approval limit as typed (``2,500.00``; empty or ``none``: no authority)."""
    from .entry import EntryError, parse_amount_entry

    if text.strip().lower() in ("", "none"):
        return None
    try:
        return parse_amount_entry(text)
    except EntryError as e:
        raise UserInvalid("limit", str(e)) from None


def check_limit(role: Role, limit: Decimal | None) -> Decimal | None:
    """A supervisor's or administrator's approval limit (``None``: no authority). A
    clerk never approves, so a clerk has no limit."""
    if limit is None:
        return None
    if role is Role.CLERK:
        raise UserInvalid("limit", "a clerk cannot approve cases, so a clerk has no approval limit")
    if not limit.is_finite() or limit < 0 or limit > MAX_LIMIT or limit != limit.quantize(Decimal("0.01")):
        raise UserInvalid("limit", "an amount in dollars and cents, e.g. 2500.00")
    return limit.quantize(Decimal("0.01"))


def check_manages_users(actor: Actor) -> None:
    """Only an active administrator adds users, disables them, sets roles and limits."""
    if not actor.active:
        raise AccountRefused("inactive_user", f"User {actor.login} is disabled.")
    if actor.role is not Role.ADMINISTRATOR:
        raise AccountRefused("not_administrator",
                             f"Only an administrator can change users; {actor.login} is a "
                             f"{actor.role.value}.")


def check_administrators_remain(active_administrators_after: int) -> None:
    """A case file always keeps an active administrator: without one nobody could add
    users or set limits again."""
    if active_administrators_after < 1:
        raise AccountRefused("last_administrator",
                             "This is the last active administrator of the case file; make "
                             "another user an administrator first.")


def check_manages_settings(actor: Actor) -> None:
    """Only an active administrator changes the office's settings: the letterhead,
    telephone, e-mail and signatures are printed on every letter, so a change is the
    office's decision (and recorded in the history like any other)."""
    if not actor.active:
        raise AccountRefused("inactive_user", f"User {actor.login} is disabled.")
    if actor.role is not Role.ADMINISTRATOR:
        raise AccountRefused("not_administrator",
                             f"Only an administrator can change the office's settings; "
                             f"{actor.login} is a {actor.role.value}.")
