"""How a user and a signature read on screen: "Alex Kim (akim)", "Submitted by Alex Kim
(akim) on 01/07/2025 07:33; fingerprint 1a2b3c4d5e6f" (in local time, ui/formatting.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .formatting import money, time_text

if TYPE_CHECKING:
    from ..store.records import Signature, UserRecord
    from .session import CaseSession


def user_label(user: UserRecord) -> str:
    """For the status bar: name, login, role and approval limit."""
    limit = f", approves up to {money(user.approval_limit)}" if user.approval_limit is not None else ""
    return f"{user.name} ({user.login}, {user.role.value}{limit})"


def person(session: CaseSession, login: str) -> str:
    user = session.user_named(login) if session.file is not None else None
    return f"{user.name} ({user.login})" if user is not None else login


def describe_signature(session: CaseSession, verb: str, signature: Signature | None) -> str:
    if signature is None:
        return f"{verb}: not recorded."
    return (f"{verb} by {person(session, signature.login)} on "
            f"{time_text(signature.at)}; fingerprint {signature.fingerprint[:12]}.")
