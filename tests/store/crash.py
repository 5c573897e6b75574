"""Kill a process that is saving cases, at random moments, and check the file after each
kill: sound (integrity_check), every save that returned is there exactly, nothing is
half-written (verify: each case equals its history). Used by the test suite (100 kills)
and by bench/crash.py (1,000)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from billing_desk.store import create_case_file, open_case_file

from .crash_driver import digest

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("crash_driver.py")


@dataclass
class CrashLog:
    kills: int = 0
    confirmed: dict[str, tuple[int, str]] = field(default_factory=dict)  # number -> (rev, digest)
    in_flight: int = 0   # saves that committed but were killed before they could be reported


def kill_once(path: Path, rng: random.Random, log: CrashLog) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, str(DRIVER), str(path), str(rng.randrange(1 << 30))],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if rng.random() < 0.2:  # sometimes while it is still starting or opening the file
        time.sleep(rng.uniform(0.0, 0.3))
    else:
        assert proc.stdout.readline() == b"ready\n", proc.stderr.read().decode()
        time.sleep(rng.uniform(0.0, 0.04))
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate()
    assert proc.returncode == -signal.SIGKILL, err.decode()  # it was saving, not failing
    log.kills += 1
    for line in out.decode().splitlines():
        if line == "ready" or not line.endswith(tuple("0123456789abcdef")) or line.count(" ") != 2:
            continue  # a line cut by the kill is not a confirmation
        number, revision, state_hash = line.split(" ")
        if len(state_hash) == 64:
            log.confirmed[number] = (int(revision), state_hash)
    check(path, log)


def check(path: Path, log: CrashLog) -> None:
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        raw.close()
    with open_case_file(path) as cf:
        newer = []
        for number, (revision, expected) in log.confirmed.items():
            record = cf.cases.find(number)  # every confirmed save is there
            assert record.revision >= revision
            if record.revision == revision:
                assert digest(record) == expected, f"{number} is not what was saved"
            else:
                newer.append(record)
        assert len(newer) <= 1, "only the save in flight at the kill may be newer than reported"
        report = cf.verify()
        assert report.ok, report.problem  # no case half-written, history intact
        for record in newer:  # committed just before the kill: from now on it is the state
            log.confirmed[record.case_number] = (record.revision, digest(record))
            log.in_flight += 1


def crash_loop(path: Path, kills: int, seed: int) -> CrashLog:
    if not path.exists():
        create_case_file(path).close()
    rng = random.Random(seed)
    log = CrashLog()
    for _ in range(kills):
        kill_once(path, rng, log)
    return log
