"""The outbox: one row per notice sent by email (issue 20), and every change of its state.

A notice is keyed by (case, determination fingerprint, document, channel), UNIQUE in the
table, so queueing it again -- the issue repeated, a retry, a second workstation, a batch
restarted -- adds nothing (``INSERT ... ON CONFLICT DO NOTHING``). A sender *claims* a row
(``queued``/``failed_temporary`` -> ``sending``, compare-and-set on the state, committed)
before it hands the message to the mail server, and records the server's answer after;
so whatever happens in between, the store says the message may have gone. The moves
are the domain's (domain/outbox.py) and the store refuses any other (schema version 7's
triggers, on both backends).

Each change is one transaction with one audit entry per notice it changes (entity
``notice``, the case's id), by the acting login. The SQL is standard: it runs unchanged on
both backends (a boolean written as FALSE or a Python bool, read back as 0 or 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Sequence

from ..domain.outbox import (
    Channel, Move, NoticeState, Outcome, SENDABLE, next_state,
)
from .connection import Connection, Transaction
from .errors import RecordNotFound
from .timestamps import format_utc, parse_utc

__all__ = ["NoticeRecord", "NoticeRequest", "OutboxRepository", "SendResult", "WantedNotice"]

_COLUMNS = ("o.id, o.case_id, c.case_number, c.account_number, c.customer_name, o.fingerprint, "
            "o.document, o.channel, o.document_id, o.document_sha256, o.message_id, "
            "o.to_address, o.state, o.copy, o.attempts, o.next_attempt_at, o.claim_token, "
            "o.claimed_at, o.server_reply, o.queued_at, o.queued_by, o.updated_at, o.sent_at")
_FROM = "FROM outbox o JOIN cases c ON c.id = o.case_id"


def _time(text: str | None) -> datetime | None:
    return None if text is None else parse_utc(text)


@dataclass(frozen=True, slots=True)
class NoticeRecord:
    id: int
    case_id: int
    case_number: str
    account_number: str
    customer_name: str
    fingerprint: str
    document: str
    channel: Channel
    document_id: int
    document_sha256: str
    message_id: str
    to_address: str
    state: NoticeState
    copy: bool
    attempts: int
    next_attempt_at: datetime | None
    claim_token: str | None
    claimed_at: datetime | None
    server_reply: str | None
    queued_at: datetime
    queued_by: str
    updated_at: datetime
    sent_at: datetime | None

    @classmethod
    def from_row(cls, r: Sequence) -> "NoticeRecord":
        return cls(r[0], r[1], r[2], r[3], r[4], r[5], r[6], Channel(r[7]), r[8], r[9], r[10],
                   r[11], NoticeState(r[12]), bool(r[13]), r[14], _time(r[15]), r[16],
                   _time(r[17]), r[18], parse_utc(r[19]), r[20], parse_utc(r[21]), _time(r[22]))


@dataclass(frozen=True, slots=True)
class WantedNotice:
    """An issued letter whose customer wants email and that has no outbox row yet."""

    case_id: int
    case_number: str
    fingerprint: str
    document_id: int
    document_sha256: str
    to_address: str


@dataclass(frozen=True, slots=True)
class NoticeRequest:
    wanted: WantedNotice
    message_id: str


@dataclass(frozen=True, slots=True)
class SendResult:
    """What became of one attempt: the notice, the claim it was made under, the outcome
    and the server's words; ``next_attempt_at`` for a temporary failure (None: give up,
    it is then recorded as permanent)."""

    notice_id: int
    claim_token: str
    outcome: Outcome
    reply: str
    next_attempt_at: datetime | None = None


class OutboxRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    # -- reading ---------------------------------------------------------------------------

    def get(self, notice_id: int) -> NoticeRecord:
        row = self._c.row(f"SELECT {_COLUMNS} {_FROM} WHERE o.id = ?", (notice_id,))
        if row is None:
            raise RecordNotFound(f"Notice #{notice_id}")
        return NoticeRecord.from_row(row)

    def list(self, states: Iterable[NoticeState] | None = None, *, case_id: int | None = None,
             limit: int = 1000, offset: int = 0) -> list[NoticeRecord]:
        """Notices, oldest first; only ``states`` (all when None), only one case's."""
        where, params = self._where(states, case_id)
        return [NoticeRecord.from_row(r) for r in self._c.rows(
            f"SELECT {_COLUMNS} {_FROM}{where} ORDER BY o.id LIMIT ? OFFSET ?",
            (*params, limit, offset))]

    def count(self, states: Iterable[NoticeState] | None = None) -> int:
        where, params = self._where(states, None)
        return self._c.value(f"SELECT count(*) FROM outbox o{where}", params)

    def counts(self) -> dict[NoticeState, int]:
        found = dict(self._c.rows("SELECT state, count(*) FROM outbox GROUP BY state"))
        return {s: found.get(s.value, 0) for s in NoticeState}

    @staticmethod
    def _where(states, case_id) -> tuple[str, tuple]:
        clauses, params = [], []
        if states is not None:
            states = [NoticeState(s).value for s in states]
            clauses.append(f"o.state IN ({', '.join('?' * len(states))})" if states else "1 = 0")
            params += states
        if case_id is not None:
            clauses.append("o.case_id = ?")
            params.append(case_id)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)

    def wanted(self, limit: int = 100_000, *, case_id: int | None = None) -> list[WantedNotice]:
        """Issued letters of the current determination of cases whose customer wants
        email, with an address, and no notice queued for them yet (of one case: ``case_id``)."""
        one = "" if case_id is None else "AND c.id = ? "
        return [WantedNotice(*r) for r in self._c.rows(
            "SELECT c.id, c.case_number, d.fingerprint, d.id, d.sha256, c.email "
            "FROM cases c JOIN documents d ON d.case_id = c.id AND d.kind = 'letter' "
            "AND d.fingerprint = c.approved_fingerprint "
            "WHERE c.status IN ('issued', 'closed') AND c.delivery IN ('email', 'both') "
            f"AND c.email IS NOT NULL {one}AND NOT EXISTS (SELECT 1 FROM outbox o WHERE "
            "o.case_id = c.id AND o.fingerprint = d.fingerprint AND o.document = 'letter' "
            "AND o.channel = 'email') ORDER BY c.id LIMIT ?",
            (limit,) if case_id is None else (case_id, limit))]

    def due(self, now: datetime, limit: int = 8) -> list[NoticeRecord]:
        """Notices a sender may pick up now (queued, or failed for the moment and due)."""
        states = [s.value for s in SENDABLE]
        return [NoticeRecord.from_row(r) for r in self._c.rows(
            f"SELECT {_COLUMNS} {_FROM} WHERE o.state IN (?, ?) AND o.next_attempt_at <= ? "
            "ORDER BY o.next_attempt_at, o.id LIMIT ?", (*states, format_utc(now), limit))]

    # -- queueing --------------------------------------------------------------------------

    def queue(self, requests: Iterable[NoticeRequest], *, actor: str) -> list[NoticeRecord]:
        """Queue each notice not queued before (one transaction; one audit entry for each
        row added). A key already in the outbox adds nothing, whoever queued it."""
        added: list[int] = []
        with self._c.write(actor) as tx:
            for request in requests:
                w = request.wanted
                row = tx.execute(
                    "INSERT INTO outbox (case_id, fingerprint, document, channel, document_id, "
                    "document_sha256, message_id, to_address, state, copy, attempts, "
                    "next_attempt_at, queued_at, queued_by, updated_at) VALUES (?, ?, 'letter', "
                    "'email', ?, ?, ?, ?, 'queued', FALSE, 0, ?, ?, ?, ?) "
                    "ON CONFLICT DO NOTHING RETURNING id",
                    (w.case_id, w.fingerprint, w.document_id, w.document_sha256,
                     request.message_id, w.to_address, tx.at_text, tx.at_text, tx.actor,
                     tx.at_text)).fetchone()
                if row is None:
                    continue
                added.append(row[0])
                tx.audit("queue", "notice", row[0], w.case_id, None, {
                    "state": NoticeState.QUEUED.value, "document": "letter", "channel": "email",
                    "document_id": w.document_id, "document_sha256": w.document_sha256,
                    "fingerprint": w.fingerprint, "to": w.to_address,
                    "message_id": request.message_id})
            if not added:
                tx.unchanged()
        return self._many(added)

    def _many(self, ids: list[int]) -> list[NoticeRecord]:
        out: list[NoticeRecord] = []
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            out += [NoticeRecord.from_row(r) for r in self._c.rows(
                f"SELECT {_COLUMNS} {_FROM} WHERE o.id IN ({', '.join('?' * len(part))}) "
                "ORDER BY o.id", part)]
        return out

    # -- sending ---------------------------------------------------------------------------

    def claim(self, notice_id: int | None, token: str, *, actor: str,
              finish: SendResult | None = None) -> NoticeRecord | None:
        """In one transaction: record ``finish`` (the previous attempt's outcome, if any)
        and claim notice ``notice_id`` for the sender ``token`` -- ``sending``, one more
        attempt -- if it is still queued or due (None: another sender took it, or no
        notice was asked for). Committed before the message goes to the server."""
        with self._c.write(actor) as tx:
            if finish is not None:
                self._finish(tx, finish)
            claimed = None
            if notice_id is not None:
                row = tx.execute(
                    "UPDATE outbox SET state = 'sending', claim_token = ?, claimed_at = ?, "
                    "attempts = attempts + 1, updated_at = ? WHERE id = ? AND state IN (?, ?) "
                    "AND next_attempt_at <= ? RETURNING case_id, attempts, copy",
                    (token, tx.at_text, tx.at_text, notice_id,
                     *(s.value for s in SENDABLE), tx.at_text)).fetchone()
                if row is not None:
                    tx.audit("sending", "notice", notice_id, row[0], None, {
                        "state": NoticeState.SENDING.value, "attempt": row[1],
                        "copy": bool(row[2]), "sender": token})
                    claimed = notice_id
            if not tx.entries:
                tx.unchanged()
        return None if claimed is None else self.get(claimed)

    def finish(self, result: SendResult, *, actor: str) -> NoticeRecord:
        """Record one attempt's outcome (the last of a run)."""
        with self._c.write(actor) as tx:
            self._finish(tx, result)
        return self.get(result.notice_id)

    @staticmethod
    def _finish(tx: Transaction, result: SendResult) -> None:
        row = tx.execute("SELECT state, claim_token, case_id, attempts FROM outbox WHERE id = ?",
                         (result.notice_id,)).fetchone()
        if row is None:
            raise RecordNotFound(f"Notice #{result.notice_id}")
        state, token, case_id, attempts = NoticeState(row[0]), row[1], row[2], row[3]
        outcome = result.outcome
        if outcome is Outcome.TEMPORARY and result.next_attempt_at is None:
            outcome = Outcome.PERMANENT  # (tried often enough)
        move = {Outcome.ACCEPTED: Move.ACCEPTED, Outcome.TEMPORARY: Move.TEMPORARY,
                Outcome.PERMANENT: Move.PERMANENT, Outcome.UNCERTAIN: Move.ABANDONED}[outcome]
        details = {"attempt": attempts, "server_reply": result.reply, "sender": result.claim_token}
        mine = token == result.claim_token
        if not mine and not (state is NoticeState.UNCERTAIN and outcome is Outcome.ACCEPTED):
            # another sender or a person has the row now: the answer is kept in the
            # history, the row is theirs to decide
            tx.audit("late answer", "notice", result.notice_id, case_id, None,
                     {"outcome": outcome.value, **details})
            return
        new = next_state(state, move)
        tx.execute(
            "UPDATE outbox SET state = ?, claim_token = NULL, server_reply = ?, updated_at = ?, "
            "next_attempt_at = ?, sent_at = ? WHERE id = ?",
            (new.value, result.reply, tx.at_text,
             format_utc(result.next_attempt_at) if new is NoticeState.FAILED_TEMPORARY else None,
             tx.at_text if new is NoticeState.SENT else None, result.notice_id))
        action = {NoticeState.SENT: "sent", NoticeState.FAILED_TEMPORARY: "failed, will retry",
                  NoticeState.FAILED_PERMANENT: "failed",
                  NoticeState.UNCERTAIN: "uncertain"}[new]
        after = {"state": new.value, **details}
        if new is NoticeState.FAILED_TEMPORARY:
            after["next_attempt_at"] = format_utc(result.next_attempt_at)
        tx.audit(action, "notice", result.notice_id, case_id, {"state": state.value}, after)

    def sending(self) -> list[NoticeRecord]:
        """Notices marked as being sent (by a live sender, or one that stopped)."""
        return self.list([NoticeState.SENDING], limit=100_000)

    def abandon(self, claims: Iterable[tuple[int, str]], reason: str, *,
                actor: str) -> list[NoticeRecord]:
        """Mark each (notice, claim) whose sender stopped mid-send ``uncertain``: the
        message may have reached the server. Never sent again by itself."""
        done: list[int] = []
        with self._c.write(actor) as tx:
            for notice_id, token in claims:
                row = tx.execute(
                    "UPDATE outbox SET state = 'uncertain', claim_token = NULL, server_reply = ?, "
                    "updated_at = ? WHERE id = ? AND state = 'sending' AND claim_token = ? "
                    "RETURNING case_id, attempts", (reason, tx.at_text, notice_id, token)).fetchone()
                if row is None:
                    continue
                done.append(notice_id)
                tx.audit("uncertain", "notice", notice_id, row[0],
                         {"state": NoticeState.SENDING.value},
                         {"state": NoticeState.UNCERTAIN.value, "attempt": row[1],
                          "sender": token, "reason": reason})
            if not done:
                tx.unchanged()
        return [self.get(i) for i in done]

    # -- a person's decisions --------------------------------------------------------------

    def decide(self, notice_id: int, move: Move, *, actor: str, note: str = "",
               now: datetime | None = None) -> NoticeRecord:
        """A person's move on one notice: ``mark_sent`` (an uncertain notice the customer
        has), ``resend_copy`` (an uncertain notice sent again, marked as a copy, with its
        Message-ID), ``retry`` (a failed notice queued again, due at once). Refused with
        ``MoveRefused`` from any other state; one transaction, one audit entry."""
        with self._c.write(actor) as tx:
            row = tx.execute("SELECT state, case_id, copy FROM outbox WHERE id = ?",
                             (notice_id,)).fetchone()
            if row is None:
                raise RecordNotFound(f"Notice #{notice_id}")
            state = NoticeState(row[0])
            new = next_state(state, move)
            copy = bool(row[2]) or move is Move.RESEND_COPY
            sets = {"state": new.value, "copy": copy, "updated_at": tx.at_text,
                    "next_attempt_at": tx.at_text if new is NoticeState.QUEUED else None}
            if new is NoticeState.SENT:  # (the failure or doubt stays shown until then)
                sets["sent_at"] = tx.at_text
                sets["server_reply"] = (f"marked as sent by {tx.actor}"
                                        + (f": {note}" if note else ""))
            tx.execute(f"UPDATE outbox SET {', '.join(f'{k} = ?' for k in sets)} "
                       "WHERE id = ? AND state = ?", (*sets.values(), notice_id, state.value))
            after = {"state": new.value, "copy": copy}
            if note:
                after["note"] = note
            tx.audit({Move.MARK_SENT: "marked as sent", Move.RESEND_COPY: "resend as copy",
                      Move.RETRY: "retry"}[move], "notice", notice_id, row[1],
                     {"state": state.value}, after)
        return self.get(notice_id)
