"""A real SMTP server for the email notices' tests and bench (aiosmtpd), on 127.0.0.1
only, on a free port, in a thread of the process that starts it -- or, run as a script,
a process of its own that writes every message it accepts to a folder.

Its behaviour is what a test asks for: a login (PLAIN/LOGIN, one user and password),
STARTTLS or TLS from the start with a certificate from a throwaway authority (trustme),
replies chosen per recipient and attempt (``451`` now, ``550`` always), and delays
before a reply (to make the client time out before or after the message is taken).

    python tests/mail_server.py FOLDER [--port-file F]
        accepts everything, writes each message as FOLDER/<n>.eml (written whole, then
        renamed), prints its port on the first line (and to F), runs until killed
"""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
import ssl
import sys
import threading
import warnings
from collections import Counter
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Callable

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"
# aiosmtpd counts only STARTTLS as TLS and warns about a login required on a connection
# that is TLS from the start (it is protected all the same)
warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS", UserWarning)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self):
        return BytesParser(policy=policy.default).parsebytes(self.data)

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]


@dataclass
class Behaviour:
    """How the server answers. ``rcpt_reply(address, attempt)`` -> a reply line such as
    ``"451 4.3.0 Try again later"`` (None: accept); ``rcpt_delay(address, attempt)`` and
    ``data_delay(address, attempt)``: seconds to wait before answering (attempt counts
    from 1 per address)."""

    rcpt_reply: Callable[[str, int], str | None] = lambda address, attempt: None
    rcpt_delay: Callable[[str, int], float] = lambda address, attempt: 0.0
    data_delay: Callable[[str, int], float] = lambda address, attempt: 0.0


class Handler:
    def __init__(self, behaviour: Behaviour, folder: Path | None = None) -> None:
        self.behaviour = behaviour
        self.received: list[Received] = []
        self.rcpt_attempts: Counter[str] = Counter()
        self.data_attempts: Counter[str] = Counter()
        self.folder = folder
        self._numbers = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        with self.lock:
            self.rcpt_attempts[address] += 1
            attempt = self.rcpt_attempts[address]
        delay = self.behaviour.rcpt_delay(address, attempt)
        if delay:
            await asyncio.sleep(delay)
        reply = self.behaviour.rcpt_reply(address, attempt)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        to = envelope.rcpt_tos[0] if envelope.rcpt_tos else ""
        with self.lock:
            self.data_attempts[to] += 1
            attempt = self.data_attempts[to]
        data = envelope.original_content or envelope.content
        got = Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(data))
        with self.lock:
            self.received.append(got)
        if self.folder is not None:
            n = next(self._numbers)
            part = self.folder / f"{n:07d}.eml.part"
            part.write_bytes(got.data)
            os.replace(part, self.folder / f"{n:07d}.eml")
        delay = self.behaviour.data_delay(to, attempt)
        if delay:
            # the message is taken (kept above) but the answer comes late: a client that
            # gives up first cannot know it was accepted
            await asyncio.sleep(delay)
        return f"250 2.0.0 Ok: queued as {len(self.received)}"


class Authenticator:
    def __init__(self, login: str, password: str) -> None:
        self.login, self.password = login.encode(), password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == self.login
              and auth_data.password == self.password)
        return AuthResult(success=ok, handled=False)


@dataclass
class MailServer:
    controller: Controller
    handler: Handler
    port: int
    ca: object | None = None  # trustme.CA when the server speaks TLS
    client_context: ssl.SSLContext | None = field(default=None)

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def stop(self) -> None:
        self.controller.stop()


def start_mail_server(*, behaviour: Behaviour | None = None, login: str | None = None,
                      password: str | None = None, tls: str = "none",
                      folder: Path | None = None, port: int | None = None) -> MailServer:
    """Start a server on 127.0.0.1 (``tls``: ``none``, ``starttls`` or ``tls``); with
    ``login`` it requires that login (over TLS)."""
    handler = Handler(behaviour or Behaviour(), folder)
    ca = client = None
    kwargs: dict = {}
    server_context = None
    if tls != "none":
        import trustme

        ca = trustme.CA()
        cert = ca.issue_cert(HOST, "localhost")
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(server_context)
        client = ssl.create_default_context()
        ca.configure_trust(client)
    if tls == "starttls":
        kwargs["tls_context"] = server_context
    if login is not None:
        kwargs.update(authenticator=Authenticator(login, password or ""), auth_required=True,
                      # (aiosmtpd counts only STARTTLS as TLS: a connection in TLS
                      # from the start is protected all the same)
                      auth_require_tls=tls == "starttls")
    last_error: Exception | None = None
    for _ in range(5):
        chosen = port or free_port()
        controller = Controller(handler, hostname=HOST, port=chosen,
                                 ssl_context=server_context if tls == "tls" else None,
                                 ready_timeout=10, **kwargs)
        try:
            controller.start()
        except (OSError, RuntimeError) as e:  # (the free port was taken meanwhile)
            last_error = e
            continue
        return MailServer(controller, handler, chosen, ca, client)
    raise RuntimeError(f"no SMTP server could be started on {HOST}: {last_error}")


def read_folder(folder: Path) -> list[Received]:
    """The messages a server process wrote (tests/mail_server.py FOLDER)."""
    out = []
    for path in sorted(folder.glob("*.eml")):
        out.append(Received("", [], path.read_bytes()))
    return out


def main(argv: list[str]) -> None:
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    server = start_mail_server(folder=folder)
    print(server.port, flush=True)
    if len(argv) > 2 and argv[1] == "--port-file":
        Path(argv[2]).write_text(str(server.port))
    threading.Event().wait()


if __name__ == "__main__":
    main(sys.argv[1:])
