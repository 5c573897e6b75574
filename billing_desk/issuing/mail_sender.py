"""Handing messages to the office's mail server (SMTP, the standard library's smtplib).

:class:`MailSettings` are the case file's ``mail.*`` settings (store/settings.py); the
password is never one of them: it comes from ``BILLING_DESK_SMTP_PASSWORD`` or is asked
for, and lives only in this process. :meth:`SmtpSender.open` connects, protects the
connection (STARTTLS or TLS from the start, with the server's certificate checked) and
logs in; anything wrong there is a :class:`MailError` whose message names the setting to
look at, raised before any notice is touched.

:meth:`SmtpSender.send` hands over one message and says what became of it, keeping apart
the moment the whole message has reached the server: a failure *before* it (the server
refused the sender or the address, the connection broke, no answer in time) means the
message was not taken; a lost connection or a silence *after* it means the server may
well have taken it -- :attr:`~billing_desk.domain.outbox.Outcome.UNCERTAIN`, which the
outbox never repeats by itself.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..domain.outbox import Outcome, reply_outcome
from ..errors import BillingDeskError

#: where the SMTP password is read from (never from the case file)
PASSWORD_VARIABLE = "BILLING_DESK_SMTP_PASSWORD"
SECURITY = ("starttls", "tls", "none")


class MailError(BillingDeskError):
    """The mail server cannot be used as set up; the message says what to check."""

    exit_code = 29  # (cli/exit_codes.py EXIT_MAIL_UNUSABLE)
    title = "The mail server cannot be used"


class MailSettingsIncomplete(MailError):
    pass


class MailServerUnreachable(MailError):
    pass


class MailSecurityFailed(MailError):
    pass


class MailLoginRefused(MailError):
    pass


@dataclass(frozen=True, slots=True)
class MailSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"
    login: str = ""
    from_address: str = ""
    reply_to: str = ""
    rate_per_minute: int = 120
    timeout_seconds: int = 30

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> "MailSettings":
        """From the case file's settings (``mail.smtp_host`` ...)."""
        return cls(host=values["mail.smtp_host"], port=values["mail.smtp_port"],
                   security=values["mail.security"], login=values["mail.login"],
                   from_address=values["mail.from_address"], reply_to=values["mail.reply_to"],
                   rate_per_minute=values["mail.rate_per_minute"],
                   timeout_seconds=values["mail.timeout_seconds"])

    def problems(self) -> list[str]:
        """What keeps these settings from sending anything, each naming its setting."""
        out = []
        if not self.host:
            out.append("mail.smtp_host is blank: set the office's outgoing mail server.")
        if not self.from_address:
            out.append("mail.from_address is blank: set the address notices are sent from.")
        if self.security not in SECURITY:
            out.append(f"mail.security must be one of: {', '.join(SECURITY)}.")
        return out

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class Attempt:
    """What became of one message: the outcome and the server's words (or what went
    wrong); ``connection_lost``: the connection is gone and must be made again."""

    outcome: Outcome
    reply: str
    connection_lost: bool = False


def _dot_stuffed(raw: bytes) -> bytes:
    """The message as the DATA command carries it (RFC 5321 4.5.2): a line starting with
    a dot gets another, and the message ends with CRLF . CRLF."""
    data = re.sub(rb"(?m)^\.", b"..", raw)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _reply_text(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}".strip()


class SmtpSender:
    """One connection to the mail server, reused from message to message and made again
    after it is lost. ``ssl_context``: how the server's certificate is checked (default:
    the system's trusted authorities, ``SSL_CERT_FILE`` honoured)."""

    def __init__(self, settings: MailSettings, password: str | None, *,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self._password = password
        self._context = ssl_context
        self._smtp: smtplib.SMTP | None = None

    @property
    def connected(self) -> bool:
        return self._smtp is not None

    def _ssl(self) -> ssl.SSLContext:
        if self._context is None:
            self._context = ssl.create_default_context()
        return self._context

    def open(self) -> None:
        """Connect, protect the connection and log in, or raise a :class:`MailError`."""
        s = self.settings
        if (problems := s.problems()):
            raise MailSettingsIncomplete(" ".join(problems))
        if s.login and not self._password:
            raise MailSettingsIncomplete(
                f"mail.login is {s.login!r} but no password was given: set "
                f"{PASSWORD_VARIABLE} or type it when asked.")
        if s.login and s.security == "none":
            raise MailSecurityFailed(
                "mail.security is none: the password would cross the network unprotected. "
                "Use starttls or tls, or a relay that needs no login.")
        smtp: smtplib.SMTP | None = None
        try:
            if s.security == "tls":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_seconds,
                                        context=self._ssl())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
            smtp.ehlo()
            if s.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise MailSecurityFailed(
                        f"The mail server at {s.where} does not offer STARTTLS, so the "
                        "connection cannot be protected: check mail.security and mail.smtp_port "
                        "(tls is for port 465, starttls for 587); nothing was sent.")
                smtp.starttls(context=self._ssl())
                smtp.ehlo()
            if s.login:
                smtp.login(s.login, self._password or "")
        except MailError:
            _quit(smtp)
            raise
        except socket.gaierror as e:
            raise MailServerUnreachable(
                f"The mail server {s.host!r} was not found ({e.strerror or e}): check "
                "mail.smtp_host; nothing was sent.") from None
        except ConnectionRefusedError:
            raise MailServerUnreachable(
                f"Nothing answers at {s.where} (connection refused): check mail.smtp_port "
                "and that the mail server is running; nothing was sent.") from None
        except (socket.timeout, TimeoutError):
            _quit(smtp)
            raise MailServerUnreachable(
                f"The mail server at {s.where} did not answer within {s.timeout_seconds} s: "
                "check mail.smtp_host, mail.smtp_port and mail.security; nothing was sent."
            ) from None
        except ssl.SSLCertVerificationError as e:
            _quit(smtp)
            raise MailSecurityFailed(
                f"The mail server at {s.where} showed a certificate that is not trusted "
                f"({e.verify_message}); nothing was sent.") from None
        except ssl.SSLError as e:
            _quit(smtp)
            raise MailSecurityFailed(
                f"The secure connection with {s.where} failed ({e.reason or e}): check "
                "mail.security (tls is for port 465, starttls for 587); nothing was sent."
            ) from None
        except smtplib.SMTPAuthenticationError as e:
            _quit(smtp)
            raise MailLoginRefused(
                f"The mail server refused the login {s.login!r} "
                f"({_reply_text(e.smtp_code, e.smtp_error)}): check mail.login and the "
                "password; nothing was sent.") from None
        except smtplib.SMTPNotSupportedError as e:
            _quit(smtp)
            raise MailLoginRefused(
                f"The mail server at {s.where} does not accept a login ({e}): clear "
                "mail.login if it needs none; nothing was sent.") from None
        except smtplib.SMTPResponseException as e:
            _quit(smtp)
            raise MailServerUnreachable(
                f"The mail server at {s.where} refused the connection "
                f"({_reply_text(e.smtp_code, e.smtp_error)}); nothing was sent.") from None
        except (smtplib.SMTPException, OSError) as e:
            _quit(smtp)
            raise MailServerUnreachable(
                f"The mail server at {s.where} could not be used ({e or type(e).__name__}): "
                "check mail.smtp_host, mail.smtp_port and mail.security; nothing was sent."
            ) from None
        self._smtp = smtp

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def _lost(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    def send(self, envelope_from: str, to: str, raw: bytes) -> Attempt:
        """Hand ``raw`` (the whole message, CRLF line ends) to the server for ``to``
        alone. Never raises for what the server or the network does: the
        :class:`Attempt` says it."""
        if self._smtp is None:
            try:
                self.open()
            except MailError as e:
                return Attempt(Outcome.TEMPORARY, str(e), connection_lost=True)
        smtp = self._smtp
        handed = False
        try:
            code, message = smtp.mail(envelope_from)
            if code != 250:
                return self._refused(code, message, "the sender")
            code, message = smtp.rcpt(to)
            if code not in (250, 251):
                return self._refused(code, message, "the address")
            code, message = smtp.docmd("DATA")
            if code != 354:
                return self._refused(code, message, "the message")
            smtp.send(_dot_stuffed(raw))
            # the whole message, its end mark included, is with the server now: from here
            # on a silence may mean it was taken
            handed = True
            code, message = smtp.getreply()
        except (smtplib.SMTPException, OSError) as e:
            self._lost()
            what = str(e) or type(e).__name__
            if handed:
                return Attempt(Outcome.UNCERTAIN,
                               f"no answer from {self.settings.where} after the whole message "
                               f"was handed over ({what}): it may have been accepted",
                               connection_lost=True)
            return Attempt(Outcome.TEMPORARY, f"connection with {self.settings.where} lost "
                           f"before the message was handed over ({what})", connection_lost=True)
        outcome = reply_outcome(code)
        if outcome is not Outcome.ACCEPTED:
            self._reset()
        return Attempt(outcome, _reply_text(code, message))

    def _refused(self, code: int, message: bytes, what: str) -> Attempt:
        outcome = reply_outcome(code)
        if outcome is Outcome.UNCERTAIN:  # not an SMTP answer: nothing was handed over
            outcome = Outcome.TEMPORARY
        closing = code == 421  # the server is closing the connection
        if closing:
            self._lost()
        else:
            self._reset()
        return Attempt(outcome, f"the server refused {what}: {_reply_text(code, message)}",
                       connection_lost=closing)

    def _reset(self) -> None:
        try:
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._lost()


def _quit(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        try:
            smtp.close()
        except OSError:
            pass


class Pacer:
    """At most ``per_minute`` messages a minute (0: no limit), evenly spaced."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self._clock, self._sleep = clock, sleep
        self._next = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        now = self._clock()
        if now < self._next:
            self._sleep(self._next - now)
            now = self._next
        self._next = now + self.interval
