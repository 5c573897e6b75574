"""Two workstations at once, from outside the app, on both backends: two processes
queueing the same notices end with one row per key, and two processes sending the same
outbox send each message once (the claim is a compare-and-set in the case file or the
database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from billing_desk.domain.outbox import NoticeState
from billing_desk.store import open_store
from tests.issuing.notice_cases import email_of, issued_file, point_at
from tests.mail_server import start_mail_server

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("send_driver.py")


def _together(path, go: Path, *extra: str) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, str(DRIVER), str(path), "--go", str(go), *extra],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(2)]
    for p in procs:
        assert p.stdout.readline() == "ready\n", p.stderr.read()
    go.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        results.append(json.loads(out.splitlines()[-1]))
    return results


def test_two_processes_queue_and_send_each_notice_once(store_target, tmp_path):
    path = issued_file(store_target, 40)
    queued = _together(path, tmp_path / "go-queue", "--queue-only")
    assert sum(r["queued"] for r in queued) == 40  # each key queued by one of them only
    server = start_mail_server()
    try:
        with open_store(path) as cf:
            assert cf.outbox.count() == 40
            point_at(cf, server.port)
        sent = _together(path, tmp_path / "go-send")
        assert sum(r["sent"] for r in sent) == 40 and all(r["uncertain"] == 0 for r in sent)
        received = Counter(r.rcpt_tos[0] for r in server.received)
        assert sorted(received) == sorted(email_of(i) for i in range(40))
        assert set(received.values()) == {1}
        assert len({r.message_id for r in server.received}) == 40
        with open_store(path) as cf:
            assert cf.outbox.counts()[NoticeState.SENT] == 40
            # each notice was claimed once: one "sending" entry each in the history
            claims = Counter(e.entity_id for e in cf.audit_log(limit=100_000)
                             if e.entity == "notice" and e.action == "sending")
            assert len(claims) == 40 and set(claims.values()) == {1}
            assert cf.verify().ok
    finally:
        server.stop()
