"""Kill a process that is saving cases, at random moments, and check the file after each
kill: sound (integrity_check), every save that returned is there exactly, nothing is
half-written (verify: each case equals its history). Used by the test suite (100 kills)
and by bench/crash.py (1,000); both read the counts of :class:`CrashLog`.

The saving process is forked from a fork server that imported Billing Desk once (and
never opened a case file): a real, separate process with its own SQLite connection,
killed with SIGKILL, at a few milliseconds a start instead of an interpreter start-up.
"""

from __future__ import annotations

import multiprocessing
import random
import signal
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from billing_desk.store import RecordNotFound, create_case_file, open_case_file
from tests.staff import FAST, PASSWORD

from . import crash_driver
from .crash_driver import digest

_PROCESSES = multiprocessing.get_context("forkserver")
_PROCESSES.set_forkserver_preload(["billing_desk.store", "billing_desk.demo", crash_driver.__name__])


@dataclass
class CrashLog:
    kills: int = 0
    early_kills: int = 0  # killed while starting or opening the file, before saving
    confirmed: dict[str, tuple[int, str]] = field(default_factory=dict)  # number -> (rev, digest)
    saves_reported: int = 0  # save confirmations read from the driver (a case may repeat)
    saves_awaited: int = 0   # of those, the ones each kill waited for before striking
    in_flight: int = 0   # saves that committed but were killed before they could be reported
    checks: int = 0
    integrity_ok: int = 0
    verify_ok: int = 0
    missing: int = 0       # a save that returned is not in the file (or an older revision is)
    half_written: int = 0  # a case that is not what was saved, or not what its history says
    reader_passes: int = 0  # times the other program opened, read and closed the file
    problems: list[str] = field(default_factory=list)


def _messages(conn) -> list[str]:
    """Every message the killed process finished sending (a cut one is not one)."""
    out = []
    while True:
        try:
            out.append(conn.recv_bytes().decode())
        except (EOFError, OSError):
            return out


def kill_once(path: Path, rng: random.Random, log: CrashLog) -> None:
    receive, send = _PROCESSES.Pipe(duplex=False)
    proc = _PROCESSES.Process(target=crash_driver.run, args=(str(path), rng.randrange(1 << 30), send),
                              daemon=True)
    proc.start()
    send.close()
    received: list[str] = []
    early = rng.random() < 0.2
    if early:  # sometimes while it is still starting or opening the file
        time.sleep(rng.uniform(0.0, 0.02))
    else:  # otherwise after it has saved 0 to 3 times, at any moment of the next saves
        awaited = rng.randint(0, 3)
        received.append(receive.recv_bytes().decode())
        assert received == ["ready\n"], received
        for _ in range(awaited):
            received.append(receive.recv_bytes().decode())
        log.saves_awaited += sum(m.count("\n") for m in received[1:])
        time.sleep(rng.uniform(0.0, 0.02))
    proc.kill()
    proc.join()
    received += _messages(receive)
    receive.close()
    assert proc.exitcode == -signal.SIGKILL, proc.exitcode  # it was saving, not failing
    log.kills += 1
    if "ready\n" not in received:
        log.early_kills += 1
    for line in "".join(received).splitlines():
        if line == "ready":
            continue
        number, revision, state_hash = line.split(" ")
        log.confirmed[number] = (int(revision), state_hash)
        log.saves_reported += 1
    check(path, log)


def check(path: Path, log: CrashLog) -> None:
    """Open the file after a kill and count what is wrong with it (nothing, ever)."""
    log.checks += 1
    raw = sqlite3.connect(path)
    try:
        integrity = raw.execute("PRAGMA integrity_check").fetchall()
    finally:
        raw.close()
    if integrity != [("ok",)]:
        log.problems.append(f"kill {log.kills}: integrity_check says {integrity[:3]}")
        return
    log.integrity_ok += 1
    with open_case_file(path) as cf:
        newer = []
        for number, (revision, expected) in log.confirmed.items():
            try:
                record = cf.cases.find(number)
            except RecordNotFound:
                record = None
            if record is None or record.revision < revision:
                log.missing += 1
                log.problems.append(f"kill {log.kills}: {number} revision {revision} was "
                                    "reported saved and is not in the file")
            elif record.revision == revision:
                if digest(record) != expected:
                    log.half_written += 1
                    log.problems.append(f"kill {log.kills}: {number} is not what was saved")
            else:
                newer.append(record)
        if len(newer) > 1:  # only the save in flight at the kill may be newer than reported
            log.problems.append(f"kill {log.kills}: {len(newer)} cases are newer than reported")
        report = cf.verify()
        if report.ok:
            log.verify_ok += 1
        else:  # a case half-written, or its history broken
            log.half_written += 1
            log.problems.append(f"kill {log.kills}: verify says {report.problem}")
        for record in newer:  # committed just before the kill: from now on it is the state
            log.confirmed[record.case_number] = (record.revision, digest(record))
            log.in_flight += 1


def crash_loop(path: Path, kills: int, seed: int, log: CrashLog | None = None) -> CrashLog:
    """``kills`` kill cycles on ``path``, while another process opens, reads and closes
    the file (and reads its files outside SQLite) all along (issue 23: other programs
    using the file must never cost a save)."""
    if not path.exists():  # a file with a user, whose every save is signed (issue 22)
        with create_case_file(path) as cf:
            cf.users.using(passwords=FAST).create_first_administrator(
                crash_driver.ACTOR, "Crash Tester", PASSWORD)
    rng = random.Random(seed)
    log = log or CrashLog()
    stop, passes = _PROCESSES.Event(), _PROCESSES.Value("q", 0)
    receive, send = _PROCESSES.Pipe(duplex=False)
    reader = _PROCESSES.Process(target=crash_driver.read_meanwhile, args=(str(path), stop, passes, send),
                                daemon=True)
    reader.start()
    send.close()
    try:
        for _ in range(kills):
            kill_once(path, rng, log)
    finally:
        stop.set()
        reader.join(30)
        if reader.is_alive():
            reader.kill()
            log.problems.append("the reading process did not stop")
    log.problems += [f"the reading process: {m}" for m in _messages(receive)]
    receive.close()
    log.reader_passes += passes.value
    return log
