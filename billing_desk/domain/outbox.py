"""The rules of the outbox (issue 20): a notice's states, the moves between them, who may
make each, when a failed send is tried again, what a mail server's reply means, and the
Message-ID made from a notice's key. Pure: no clock (times are passed in), no I/O.

    queued --claim--> sending --accepted--> sent
                         |---temporary----> failed_temporary --claim (when due)--> sending
                         |---permanent----> failed_permanent
                         '---abandoned----> uncertain   (the sender stopped mid-send)

A row is marked ``sending`` -- committed -- before its message is handed to the server,
so a sender that dies after the server accepted the message, before it could record
that, leaves the row ``sending``; the next sender finds it and marks it ``uncertain``.
An uncertain notice is never sent again by itself: a person decides -- "mark as sent"
(the customer has it), or "resend as a copy" (the message says it is a copy and keeps
its Message-ID, so a receiving system can drop it as a duplicate). A person may also
retry a failed notice at once. The case file enforces the same moves (schema v4).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from ..errors import EXIT_REFUSED, BillingDeskError


class NoticeState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED_TEMPORARY = "failed_temporary"
    FAILED_PERMANENT = "failed_permanent"
    UNCERTAIN = "uncertain"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    NoticeState.QUEUED: "queued",
    NoticeState.SENDING: "sending",
    NoticeState.SENT: "sent",
    NoticeState.FAILED_TEMPORARY: "failed, will retry",
    NoticeState.FAILED_PERMANENT: "failed",
    NoticeState.UNCERTAIN: "uncertain: may have been sent",
}


class Channel(StrEnum):
    EMAIL = "email"


class Move(StrEnum):
    # the sender's
    CLAIM = "claim"
    ACCEPTED = "accepted"
    TEMPORARY = "temporary"
    PERMANENT = "permanent"
    ABANDONED = "abandoned"
    # a person's
    MARK_SENT = "mark_sent"
    RESEND_COPY = "resend_copy"
    RETRY = "retry"


S = NoticeState
#: (state, move) -> the state it leads to. Anything else is refused.
MOVES: dict[tuple[NoticeState, Move], NoticeState] = {
    (S.QUEUED, Move.CLAIM): S.SENDING,
    (S.FAILED_TEMPORARY, Move.CLAIM): S.SENDING,
    (S.SENDING, Move.ACCEPTED): S.SENT,
    (S.SENDING, Move.TEMPORARY): S.FAILED_TEMPORARY,
    (S.SENDING, Move.PERMANENT): S.FAILED_PERMANENT,
    (S.SENDING, Move.ABANDONED): S.UNCERTAIN,
    # the first sender's answer, arriving after another marked its row uncertain
    (S.UNCERTAIN, Move.ACCEPTED): S.SENT,
    (S.UNCERTAIN, Move.MARK_SENT): S.SENT,
    (S.UNCERTAIN, Move.RESEND_COPY): S.QUEUED,
    (S.FAILED_TEMPORARY, Move.RETRY): S.QUEUED,
    (S.FAILED_PERMANENT, Move.RETRY): S.QUEUED,
}
#: the moves a person makes from the outbox view or ``billing-desk outbox``
PERSON_MOVES = frozenset({Move.MARK_SENT, Move.RESEND_COPY, Move.RETRY})
#: states a sender picks up by itself (when due)
SENDABLE = (S.QUEUED, S.FAILED_TEMPORARY)
#: states that need a person
NEEDS_A_PERSON = (S.UNCERTAIN, S.FAILED_PERMANENT)


class MoveRefused(BillingDeskError, ValueError):
    """A move the outbox does not allow from the notice's state; the message says why."""

    exit_code = EXIT_REFUSED
    title = "Not allowed"


def next_state(state: NoticeState, move: Move) -> NoticeState:
    try:
        return MOVES[(state, move)]
    except KeyError:
        raise MoveRefused(_refusal(state, move)) from None


def _refusal(state: NoticeState, move: Move) -> str:
    if state is S.SENT:
        return "This notice was sent already; it is never sent again."
    if move is Move.MARK_SENT:
        return (f"Only a notice that may have been sent (uncertain) can be marked as sent; "
                f"this one is {state.label}.")
    if move is Move.RESEND_COPY:
        return f"Only an uncertain notice is resent as a copy; this one is {state.label}."
    if move is Move.RETRY:
        return f"Only a failed notice can be retried; this one is {state.label}."
    return f"A notice that is {state.label} cannot be {move.value}."


#: how long after each failed attempt the next one is made (the last repeats)
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15),
                timedelta(hours=1), timedelta(hours=4))
#: after this many attempts a temporary failure counts as permanent
MAX_ATTEMPTS = 8


@dataclass(frozen=True, slots=True)
class Backoff:
    delays: tuple[timedelta, ...] = RETRY_DELAYS
    max_attempts: int = MAX_ATTEMPTS

    def next_attempt(self, attempts: int, now: datetime) -> datetime | None:
        """When to try again after ``attempts`` failed tries (None: give up)."""
        if attempts >= self.max_attempts:
            return None
        return now + self.delays[min(attempts, len(self.delays)) - 1]


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    TEMPORARY = "temporary"
    PERMANENT = "permanent"
    UNCERTAIN = "uncertain"


def reply_outcome(code: int) -> Outcome:
    """What an SMTP reply code means for the message (RFC 5321 4.2.1): 2yz accepted,
    4yz a transient failure (try again later), 5yz a permanent one (a bad address, a
    refused message: do not repeat it). Anything else is not a reply one can trust."""
    if 200 <= code < 300:
        return Outcome.ACCEPTED
    if 400 <= code < 500:
        return Outcome.TEMPORARY
    if 500 <= code < 600:
        return Outcome.PERMANENT
    return Outcome.UNCERTAIN


@dataclass(frozen=True, slots=True)
class NoticeKey:
    """What a notice is: one document of one determination of a case, by one channel."""

    case_number: str
    fingerprint: str
    document: str
    channel: Channel

    def digest(self) -> str:
        text = "\n".join((self.case_number, self.fingerprint, self.document, self.channel.value))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def message_id(key: NoticeKey, domain: str) -> str:
    """The notice's Message-ID: the same for the same key (and office domain), whoever
    sends it and however often, so that a second delivery can be recognised."""
    return f"<notice.{key.digest()[:40]}@{domain}>"


def sender_domain(address: str | None) -> str:
    """The right-hand side of Message-IDs: the From address's domain."""
    if address and "@" in address:
        return address.rsplit("@", 1)[1].lower()
    return "billing-desk.invalid"
