"""Email notices (issue 20): queue each issued letter whose customer wants email, send
the outbox through the office's mail server, and the decisions a person makes about a
notice. The app and ``billing-desk outbox`` call only this.

Exactly once, per notice key (case, determination fingerprint, document, channel):

- queueing adds a row only for a key not in the outbox (a UNIQUE key in the case file):
  issuing again, a second workstation or a restarted run queue nothing new;
- a sender claims a row (compare-and-set ``queued -> sending``, committed) before the
  message goes out, and records the server's answer after, in the same transaction as
  its next claim; two senders never hold one row;
- a row still ``sending`` whose sender is gone (a process of this machine that no longer
  runs, or a claim older than the lease from another machine) is marked ``uncertain`` by
  the next run: the server may have taken the message. It is never sent again by itself;
  a person marks it sent, or resends it as a copy with the same Message-ID.

Each message is built from its own case and checked before it is handed over
(:mod:`.notices`); one that fails the check is not sent and is shown as failed with the
reason.
"""

from __future__ import annotations

import os
import random
import secrets
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Mapping

from ..domain.kinds import DocumentKind
from ..domain.outbox import (Backoff, Channel, Move, NoticeKey, NoticeState, Outcome,
                             message_id, sender_domain)
from ..store import CaseFile, NoticeRecord, SendResult
from ..store.outbox import NoticeRequest
from ..store.settings import SETTINGS, InvalidSetting
from ..store.timestamps import utc_now
from .mail_sender import MailError, MailSettings, Pacer, SmtpSender
from .notices import NoticeBlocked, Sender, prepare_notice

#: a claim another machine made counts as abandoned after this long
LEASE = timedelta(minutes=10)
MAIL_KEYS = tuple(k for k in SETTINGS if k.startswith("mail."))


def mail_settings(cf: CaseFile) -> MailSettings:
    return MailSettings.from_values({k: cf.settings.get(k) for k in MAIL_KEYS})


def set_mail_settings(cf: CaseFile, values: Mapping[str, Any], *, actor: str) -> None:
    """Change some of the ``mail.*`` settings at once: every value is checked first (a
    bad one is refused with :class:`InvalidSetting` naming it, and nothing is saved),
    then they are saved together with one audit entry."""
    unknown = sorted(k for k in values if k not in MAIL_KEYS)
    if unknown:
        raise InvalidSetting(f"there is no mail setting called {unknown[0]!r}")
    cf.settings.set_many(dict(values), actor=actor)


# -- queueing --------------------------------------------------------------------------------


#: notices queued per transaction: a whole office's batch at once would hold the file's
#: write lock for longer than another workstation waits for it (bench/notices.py)
QUEUE_CHUNK = 500


def queue_notices(cf: CaseFile, *, actor: str) -> list[NoticeRecord]:
    """Queue the email notice of every issued letter whose customer wants email and that
    has none yet (an audit entry per notice, up to :data:`QUEUE_CHUNK` notices a
    transaction). Safe to repeat, from any number of processes at once: a key already
    queued adds nothing."""
    wanted = cf.outbox.wanted()
    if not wanted:
        return []
    domain = sender_domain(cf.settings.get("mail.from_address"))
    requests = [NoticeRequest(w, message_id(NoticeKey(w.case_number, w.fingerprint, DocumentKind.LETTER,
                                                      Channel.EMAIL), domain))
                for w in wanted]
    queued: list[NoticeRecord] = []
    for start in range(0, len(requests), QUEUE_CHUNK):
        queued += cf.outbox.queue(requests[start:start + QUEUE_CHUNK], actor=actor)
    return queued


# -- who is sending ----------------------------------------------------------------------


def _start_ticks(pid: int) -> str | None:
    """When process ``pid`` started (Linux: /proc), to tell it from a later process that
    got the same number; None where that cannot be read, or for a process that has ended
    and waits only to be reaped (a zombie)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat.rsplit(b")", 1)[1].split()
    if fields[0] in (b"Z", b"X"):
        return None
    return fields[19].decode()


def sender_token() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid) or '-'}:{secrets.token_hex(4)}"


def _sender_gone(token: str, claimed_at: datetime | None, now: datetime,
                 lease: timedelta) -> bool:
    """Whether the sender that made a claim has stopped (so its message may or may not
    have reached the server)."""
    host, _, rest = token.partition(":")
    pid_text, _, rest = rest.partition(":")
    ticks = rest.partition(":")[0]
    if host == socket.gethostname() and pid_text.isdigit():
        pid = int(pid_text)
        if pid == os.getpid():
            return False  # (a claim of this very process: it is still deciding)
        now_ticks = _start_ticks(pid)
        if now_ticks is not None or os.path.isdir("/proc"):
            return now_ticks is None or (ticks != "-" and now_ticks != ticks)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    return claimed_at is None or now - claimed_at > lease


def release_abandoned(cf: CaseFile, *, actor: str, now: datetime | None = None,
                      lease: timedelta = LEASE) -> list[NoticeRecord]:
    """Mark ``uncertain`` every notice left ``sending`` by a sender that stopped."""
    now = now or utc_now()
    gone = [(n.id, n.claim_token) for n in cf.outbox.sending()
            if n.claim_token and _sender_gone(n.claim_token, n.claimed_at, now, lease)]
    if not gone:
        return []
    return cf.outbox.abandon(gone, "The sender stopped while this message was being handed "
                             "to the mail server: it may have been sent. Check with the "
                             "customer, then mark it as sent or resend it as a copy.",
                             actor=actor)


# -- sending ---------------------------------------------------------------------------------


@dataclass
class SendReport:
    queued: int = 0
    uncertain_found: list[NoticeRecord] = field(default_factory=list)
    sent: int = 0
    failed_temporary: int = 0
    failed_permanent: int = 0
    uncertain: int = 0
    blocked: list[str] = field(default_factory=list)
    stopped: str | None = None
    #: notices still waiting (queued or failed for now) when the run ended
    waiting: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.failed_temporary + self.failed_permanent + self.uncertain

    def summary(self) -> str:
        parts = [f"{self.sent:,} sent", f"{self.failed_temporary:,} failed for now (retried later)",
                 f"{self.failed_permanent:,} failed", f"{self.uncertain:,} uncertain"]
        line = f"Notices: {self.queued:,} queued now; " + ", ".join(parts)
        if self.uncertain_found:
            line += (f"; {len(self.uncertain_found):,} left uncertain by a sender that stopped "
                     "(need a person)")
        line += f"; {self.waiting:,} still waiting."
        if self.stopped:
            line += f" Stopped: {self.stopped}"
        return line


def send_notices(cf: CaseFile, *, actor: str, password: str | None,
                 ssl_context: ssl.SSLContext | None = None, limit: int | None = None,
                 cancel: threading.Event | None = None, pause: threading.Event | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 backoff: Backoff = Backoff(), clock: Callable[[], datetime] = utc_now,
                 sleep: Callable[[float], None] = time.sleep,
                 lease: timedelta = LEASE) -> SendReport:
    """Queue what is wanted, mark what a stopped sender left ``uncertain``, then send
    every notice due, one message at a time (at most ``limit``), as the mail settings
    say. Raises :class:`MailError` -- before any notice is touched -- when the settings
    are incomplete or the server cannot be reached, protected or logged in to.
    ``cancel`` stops after the message being sent; ``pause`` holds between messages;
    ``progress(done, total)`` after each."""
    settings = mail_settings(cf)
    smtp = SmtpSender(settings, password, ssl_context=ssl_context)
    smtp.open()  # (refused here: nothing queued or claimed yet)
    report = SendReport()
    token = sender_token()
    pending: SendResult | None = None
    try:
        report.queued = len(queue_notices(cf, actor=actor))
        report.uncertain_found = release_abandoned(cf, actor=actor, now=clock(), lease=lease)
        sender = Sender(settings.from_address, settings.reply_to)
        pacer = Pacer(settings.rate_per_minute, sleep=sleep)
        total = cf.outbox.count([NoticeState.QUEUED, NoticeState.FAILED_TEMPORARY])
        if limit is not None:
            total = min(total, limit)
        while limit is None or report.attempted + len(report.blocked) < limit:
            if cancel is not None and cancel.is_set():
                report.stopped = "cancelled; the notices not sent stay queued."
                break
            while pause is not None and pause.is_set() and not (cancel and cancel.is_set()):
                sleep(0.05)
            due = cf.outbox.due(clock())
            if not due and pending is not None:
                # the last answer is recorded with the next claim; with nothing else due,
                # record it now (a failure due again at once is then picked up)
                cf.outbox.finish(pending, actor=actor)
                pending = None
                due = cf.outbox.due(clock())
            if not due:
                break
            # (several senders at once: each takes one of the first few, so they seldom
            # prepare the same message; the claim settles who sends it)
            notice = random.choice(due[:4])
            try:
                message = prepare_notice(cf, notice, sender, clock())
            except NoticeBlocked as e:
                claimed = cf.outbox.claim(notice.id, token, actor=actor, finish=pending)
                pending = None
                if claimed is not None:
                    report.blocked.append(str(e))
                    pending = SendResult(notice.id, token, Outcome.PERMANENT,
                                         f"Not sent: {'; '.join(e.problems)}")
                continue
            if not smtp.connected:
                try:
                    smtp.open()
                except MailError as e:
                    report.stopped = f"{e} The notices not sent stay queued."
                    break
            claimed = cf.outbox.claim(notice.id, token, actor=actor, finish=pending)
            pending = None
            if claimed is None:
                continue  # another sender has it
            if claimed.copy != notice.copy:  # (a person marked it a copy meanwhile)
                try:
                    message = prepare_notice(cf, claimed, sender, clock())
                except NoticeBlocked as e:
                    report.blocked.append(str(e))
                    pending = SendResult(claimed.id, token, Outcome.PERMANENT,
                                         f"Not sent: {'; '.join(e.problems)}")
                    continue
            pacer.wait()
            attempt = smtp.send(message.envelope_from, message.to, message.raw)
            next_at = (backoff.next_attempt(claimed.attempts, clock())
                       if attempt.outcome is Outcome.TEMPORARY else None)
            pending = SendResult(claimed.id, token, attempt.outcome, attempt.reply, next_at)
            if attempt.outcome is Outcome.ACCEPTED:
                report.sent += 1
            elif attempt.outcome is Outcome.TEMPORARY and next_at is not None:
                report.failed_temporary += 1
            elif attempt.outcome is Outcome.UNCERTAIN:
                report.uncertain += 1
            else:
                report.failed_permanent += 1
            if progress is not None:
                progress(report.attempted + len(report.blocked), max(total, report.attempted))
            if attempt.connection_lost and attempt.outcome is Outcome.TEMPORARY:
                # try once more to connect before the next claim (above); a server that is
                # down stops the run there, with the rest still queued
                continue
    finally:
        if pending is not None:
            cf.outbox.finish(pending, actor=actor)
        smtp.close()
    report.waiting = cf.outbox.count([NoticeState.QUEUED, NoticeState.FAILED_TEMPORARY])
    return report


# -- a person's decisions --------------------------------------------------------------------


def decide_notice(cf: CaseFile, notice_id: int, move: Move, *, actor: str, note: str = "") -> NoticeRecord:
    """Mark an uncertain notice as sent, resend it as a copy, or retry a failed one (the
    outbox view and ``billing-desk outbox retry|mark``); ``MoveRefused`` otherwise."""
    return cf.outbox.decide(notice_id, Move(move), actor=actor, note=note)


__all__ = ["LEASE", "SendReport", "decide_notice", "mail_settings",
           "queue_notices", "release_abandoned", "send_notices", "set_mail_settings"]
