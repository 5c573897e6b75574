"""Issue 20, point 6: 1,000 notices sent while the sender is killed (SIGKILL) at random
moments -- at least 20 times -- and restarted, against a real SMTP server on 127.0.0.1.

Every customer received exactly one message, except the customers of notices left
uncertain (at most one per kill, each listed), who received at most one; and no received
message -- its text, or its attached letter read back with pypdfium2 -- carries another
case's account number, name or address."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from billing_desk.documents.readback import extract_text
from billing_desk.domain.outbox import NoticeState
from billing_desk.store import open_case_file
from tests.issuing.notice_cases import email_of, identities_in, issued_file, point_at
from tests.mail_server import start_mail_server

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("send_driver.py")
NOTICES = 1000
KILLS = 20


def _sender(path: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, str(DRIVER), str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_killed_senders_never_send_a_notice_twice_nor_to_the_wrong_person(tmp_path):
    path = issued_file(tmp_path / "office.bdesk", NOTICES)
    server = start_mail_server()
    rng = random.Random(20)
    left_sending: list[int] = []  # rows a killed sender left "sending", kill by kill
    try:
        with open_case_file(path) as cf:
            point_at(cf, server.port)
        kills = 0
        while kills < KILLS:
            before = len(server.received)
            proc = _sender(path)
            assert proc.stdout.readline() == "ready\n", proc.stderr.read()
            # a random moment once it is sending: after its first message, up to 0.4 s on
            deadline = time.monotonic() + 60
            while len(server.received) == before and proc.poll() is None:
                assert time.monotonic() < deadline, "the sender sent nothing"
                time.sleep(0.002)
            if proc.poll() is not None:
                break  # it finished everything before it could be killed
            time.sleep(rng.uniform(0, 0.4))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()
            kills += 1
            with open_case_file(path) as cf:
                sending = cf.outbox.list([NoticeState.SENDING])
            assert len(sending) <= 1, "a killed sender left more than one notice being sent"
            left_sending += [n.id for n in sending]
        assert kills >= KILLS, f"only {kills} kills: the sender finished too soon"
        # a last run, to the end
        proc = _sender(path)
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        last = json.loads(out.splitlines()[-1])
        assert last["blocked"] == [] and last["failed"] == 0

        with open_case_file(path) as cf:
            counts = cf.outbox.counts()
            uncertain = cf.outbox.list([NoticeState.UNCERTAIN])
            notices = {n.to_address: n for n in cf.outbox.list(limit=NOTICES + 1)}
            letters = {n.to_address: cf.documents.find(n.document_id).sha256
                       for n in notices.values()}
            assert cf.verify().ok
        # every row ends sent or uncertain; the uncertain ones are the rows the kills left
        # being sent (at most one a kill), listed here
        assert len(notices) == NOTICES
        assert counts[NoticeState.SENT] + counts[NoticeState.UNCERTAIN] == NOTICES
        assert sorted(n.id for n in uncertain) == sorted(left_sending)
        assert len(uncertain) <= kills
        print(f"\n{kills} kills; {len(uncertain)} notice(s) left uncertain: "
              + ", ".join(f"#{n.id} {n.case_number} {n.to_address}" for n in uncertain))

        received = Counter(r.rcpt_tos[0] for r in server.received)
        message_ids = Counter(r.message_id for r in server.received)
        assert max(message_ids.values()) == 1 and max(received.values()) == 1, "a duplicate"
        doubtful = {n.to_address for n in uncertain}
        for i in range(NOTICES):
            address = email_of(i)
            if address in doubtful:
                assert received[address] <= 1
            else:
                assert received[address] == 1, address
                assert notices[address].state is NoticeState.SENT
        # each message as the customer gets it: their own data only, their own letter
        for r in server.received:
            address = r.rcpt_tos[0]
            me = {address[len("customer"):len("customer") + 5]}
            msg = r.message
            assert msg["To"].addresses[0].addr_spec == address and msg["Cc"] is None
            assert msg["Message-ID"] == notices[address].message_id
            assert identities_in(msg.get_body(("plain",)).get_content()) == me
            [attachment] = list(msg.iter_attachments())
            pdf = attachment.get_content()
            assert hashlib.sha256(pdf).hexdigest() == letters[address]
            assert identities_in(extract_text(pdf)) == me
    finally:
        server.stop()
