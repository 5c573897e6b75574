"""Which notices left "sending" are uncertain: those whose sender stopped -- a process
of this machine that no longer runs (or a later process with its number), or, for
another machine, a claim older than the lease; a live sender's claim is left alone."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import timedelta

from billing_desk.domain.outbox import NoticeState
from billing_desk.issuing.outbox import LEASE, _start_ticks, queue_notices, release_abandoned
from billing_desk.store.timestamps import utc_now
from tests.issuing.cases import MAIL_ROOM


def test_only_the_claims_of_stopped_senders_become_uncertain(notices_file):
    cf = notices_file
    queue_notices(cf, actor=MAIL_ROOM)
    a, b, c, d, e = (n.id for n in cf.outbox.list())
    host = socket.gethostname()
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        claims = {
            a: f"{host}:{ended.pid}:{_start_ticks(alive.pid)}:aa",  # that process has ended
            b: f"{host}:{alive.pid}:{_start_ticks(alive.pid)}:bb",  # still running
            c: f"{host}:{alive.pid}:1:cc",  # the number now belongs to a later process
            d: "elsewhere:123:456:dd",  # another machine: uncertain only after the lease
            e: "elsewhere:124:457:ee",
        }
        for notice_id, token in claims.items():
            cf.outbox.claim(notice_id, token, actor=MAIL_ROOM)
        later = utc_now() + timedelta(seconds=5)
        gone = release_abandoned(cf, actor=MAIL_ROOM, now=later)
        assert sorted(n.id for n in gone) == [a, c]
        gone = release_abandoned(cf, actor=MAIL_ROOM, now=utc_now() + LEASE + timedelta(minutes=1))
        assert sorted(n.id for n in gone) == [d, e]
        assert [n.id for n in cf.outbox.list([NoticeState.SENDING])] == [b]
        assert all("may have been sent" in n.server_reply
                   for n in cf.outbox.list([NoticeState.UNCERTAIN]))
    finally:
        alive.kill()
        alive.wait()
