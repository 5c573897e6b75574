"""Email notices (issue 20): N notices sent to a local SMTP server (aiosmtpd, 127.0.0.1,
a process of its own) by K sender processes at once, on this machine's 2 cores.

    .venv/bin/python bench/notices.py [--notices 30000] [--senders 2] [--keep PATH]

Prints messages per second (and the same messages handed over by a bare smtplib loop
in the same run, the floor: no case file, no check, one connection), the peak memory
of a sender and of the server, and the duplicates the server saw (Message-IDs and
recipients received more than once: must be 0). The server also reads every message's
text, and every 50th message's attached letter with pdfium, for any customer's data
but the addressee's (crossed: must be 0).

``--keep PATH`` keeps the case file of N issued cases (made once, with 2 worker
processes: the slow part) and copies it for each run.

Figures (2 cores shared with other engineers' test runs, load 4-10; Dec 2 2026):
    30,000 notices, 2 senders: 25.3 messages/s (1,184 s); a bare smtplib loop with the
    same messages prepared beforehand 183.5/s (7.2x: building, reading back and recording
    each message is the cost, ~79 ms of a sender a message on this loaded machine);
    peak memory 87 MB a sender, 63 MB the server; duplicates 0 (Message-IDs and
    recipients), crossed data 0 (every text, 600 letters read back); history verifies.
    Making the 30,000 issued cases (--keep) took 1,036 s.
    5,000 notices: 26.1/s (floor 143.2/s), 84 MB a sender, duplicates 0, crossed 0.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SERVER = r"""
import json, signal, sys, threading, resource
sys.path.insert(0, sys.argv[1])
from collections import Counter
from email import policy
from email.parser import BytesParser
from tests.mail_server import Behaviour, Handler
from tests.issuing.notice_cases import identities_in

seen_ids, seen_to, crossed, checked_pdfs = Counter(), Counter(), [], [0]
lock = threading.Lock()

class Counting(Handler):
    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        msg = BytesParser(policy=policy.compat32).parsebytes(data)
        to = envelope.rcpt_tos[0]
        me = {to[len("customer"):len("customer") + 5]}
        text_part, pdf_part = msg.get_payload()
        text = text_part.get_payload(decode=True).decode("utf-8")
        with lock:
            seen_ids[msg["Message-ID"]] += 1
            seen_to[to] += 1
            n = sum(seen_to.values())
        if identities_in(text) != me:
            crossed.append(to)
        if n % 50 == 0:
            from billing_desk.documents.readback import extract_text
            if identities_in(extract_text(pdf_part.get_payload(decode=True))) != me:
                crossed.append(to)
            checked_pdfs[0] += 1
        return "250 2.0.0 Ok"

from aiosmtpd.controller import Controller
from tests.mail_server import HOST, free_port
port = free_port()
controller = Controller(Counting(Behaviour()), hostname=HOST, port=port)
controller.start()
print(port, flush=True)
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: done.set())
done.wait()
controller.stop()
print(json.dumps({"received": sum(seen_to.values()),
                  "duplicate_ids": sum(n - 1 for n in seen_ids.values() if n > 1),
                  "duplicate_recipients": sum(n - 1 for n in seen_to.values() if n > 1),
                  "crossed": len(crossed), "pdfs_read": checked_pdfs[0],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}),
      flush=True)
"""


def build(path: Path, count: int) -> None:
    from tests.issuing.notice_cases import issued_file

    started = time.perf_counter()
    issued_file(path, count, workers=2)
    print(f"made {count:,} issued cases in {time.perf_counter() - started:.0f} s: {path}",
          flush=True)


def start_server() -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(ROOT)], stdout=subprocess.PIPE,
                            text=True)
    return proc, int(proc.stdout.readline())


def stop_server(proc: subprocess.Popen) -> dict:
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=120)
    return json.loads(out.splitlines()[-1])


def floor(path: Path, port: int, count: int) -> float:
    """Messages per second of a bare smtplib loop handing over prepared messages."""
    import smtplib

    from billing_desk.issuing.notices import Sender, prepare_notice
    from billing_desk.issuing.outbox import queue_notices
    from billing_desk.store import open_case_file
    from billing_desk.store.timestamps import utc_now
    from tests.issuing.notice_cases import FROM

    scratch = path.with_name("floor.bdesk")
    shutil.copy(path, scratch)
    with open_case_file(scratch) as cf:
        queue_notices(cf, actor="mailroom")
        messages = [prepare_notice(cf, n, Sender(FROM), utc_now())
                    for n in cf.outbox.list(limit=count)]
    scratch.unlink()
    smtp = smtplib.SMTP("127.0.0.1", port)
    started = time.perf_counter()
    for m in messages:
        smtp.sendmail(m.envelope_from, [m.to], m.raw)
    elapsed = time.perf_counter() - started
    smtp.quit()
    return len(messages) / elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notices", type=int, default=30_000)
    ap.add_argument("--senders", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="the case file of issued cases to reuse")
    ap.add_argument("--build-only", action="store_true")
    args = ap.parse_args()

    from billing_desk.domain.outbox import NoticeState
    from billing_desk.store import open_case_file
    from tests.issuing.notice_cases import point_at

    work = Path(tempfile.mkdtemp(prefix="bench-notices-"))
    template = args.keep or work / "template.bdesk"
    if not template.exists():
        build(template, args.notices)
    if args.build_only:
        return
    path = work / "office.bdesk"
    shutil.copy(template, path)
    server, port = start_server()
    try:
        with open_case_file(path) as cf:
            point_at(cf, port)
            notices = cf.db.execute("SELECT count(*) FROM cases WHERE status = 'issued'").fetchone()[0]
        driver = ROOT / "tests" / "issuing" / "send_driver.py"
        go = work / "go"
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        senders = [subprocess.Popen([sys.executable, str(driver), str(path), "--go", str(go)],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    env=env) for _ in range(args.senders)]
        for s in senders:
            assert s.stdout.readline() == "ready\n", s.stderr.read()
        started = time.perf_counter()
        go.touch()
        results = []
        for s in senders:
            out, err = s.communicate()
            assert s.returncode == 0, err
            results.append(json.loads(out.splitlines()[-1]))
        elapsed = time.perf_counter() - started
        sender_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    finally:
        seen = stop_server(server)
    other, other_port = start_server()  # (the floor's messages to a server of their own)
    try:
        floor_rate = floor(template, other_port, min(1000, notices))
    finally:
        stop_server(other)
    with open_case_file(path) as cf:
        counts = cf.outbox.counts()
        ok = cf.verify().ok
    sent = sum(r["sent"] for r in results)
    rate = sent / elapsed
    print(f"notices: {notices:,} issued letters by email, {args.senders} sender process(es)")
    print(f"sent: {sent:,} in {elapsed:.1f} s = {rate:.1f} messages/s "
          f"(a bare smtplib loop, same messages prepared beforehand: {floor_rate:.1f}/s; "
          f"ratio {floor_rate / rate:.1f}x)")
    print(f"per message: {1000 * elapsed / max(1, sent) * args.senders:.1f} ms of a sender "
          f"(build, read back, hand over, record)")
    print(f"peak memory: sender {sender_peak:.0f} MB (largest child), server {seen['peak_mb']:.0f} MB")
    print(f"server received {seen['received']:,}; duplicates: {seen['duplicate_ids']} "
          f"Message-IDs, {seen['duplicate_recipients']} recipients; crossed data: "
          f"{seen['crossed']} ({seen['pdfs_read']:,} letters read back by the server)")
    print(f"outbox: " + ", ".join(f"{n:,} {s.value}" for s, n in counts.items())
          + f"; history verifies: {ok}")
    assert seen["duplicate_ids"] == seen["duplicate_recipients"] == seen["crossed"] == 0
    assert counts[NoticeState.SENT] == notices
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
