"""Saves cases into a case file in a loop until it is killed (the crash tests' victim).

``run(path, seed, conn)`` is the body of the process :mod:`.crash` starts and kills (a
child of a fork server that has imported Billing Desk but never opened a case file, so
each kill cycle costs milliseconds, not an interpreter start-up). It sends ``ready``
once the file is open, then after each save *has returned* one message with a line per
case saved: ``CASE-NUMBER REVISION SHA256-OF-STATE``. Whatever it sent before a SIGKILL
must be in the file afterwards, exactly. ``python tests/store/crash_driver.py FILE SEED``
does the same on standard output.
"""

from __future__ import annotations

import hashlib
import random
import sys
from dataclasses import replace
from decimal import Decimal
from multiprocessing.connection import Connection
from typing import Callable

from billing_desk.demo import demo_case
from billing_desk.domain.draft import PeriodDraft
from billing_desk.domain.fingerprint import canonical_json
from billing_desk.store import CaseRecord, NewCase, open_case_file


def digest(record: CaseRecord) -> str:
    return hashlib.sha256(canonical_json(record.state()).encode("utf-8")).hexdigest()


def report_line(record: CaseRecord) -> str:
    return f"{record.case_number} {record.revision} {digest(record)}\n"


#: the file's one user: signed in by each saving process (argon2 made cheap for tests)
ACTOR = "crash"


def main(path: str, seed: int, send: Callable[[str], None]) -> None:
    from tests.staff import FAST, PASSWORD

    rng = random.Random(seed)
    cf = open_case_file(path)
    cf.users.using(passwords=FAST).authenticate(ACTOR, PASSWORD)  # its key: signed saves
    send("ready\n")
    count = cf.listing.count()
    while True:
        roll = rng.random()
        if count and roll < 0.4:  # edit a case: change an amount, add a period
            current = cf.cases.load(rng.randint(1, count))
            periods = current.draft.periods + (PeriodDraft(billed=Decimal(rng.randint(1, 99999)).scaleb(-2)),)
            saved = cf.cases.save(current.id, replace(current.draft, periods=periods),
                                  expected_revision=current.revision, actor="crash",
                                  notes=f"edit {rng.random()}")
            send(report_line(saved))
        elif roll < 0.5:  # an import of three cases at once
            numbers = cf.cases.create_many(
                [NewCase(demo_case(rng.randrange(10_000), seed).draft) for _ in range(3)],
                actor="crash")
            send("".join(report_line(cf.cases.find(n)) for n in numbers))
            count += 3
        else:
            send(report_line(cf.cases.create(demo_case(rng.randrange(10_000), seed).draft,
                                             actor="crash")))
            count += 1


def run(path: str, seed: int, conn: Connection) -> None:
    """The killed process: each message is written straight to the pipe (no buffer in
    this process), so a message sent is a message the parent reads after the kill."""
    main(path, seed, lambda text: conn.send_bytes(text.encode()))


def _print(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), _print)


def read_meanwhile(path: str, stop, passes, send: Connection) -> None:
    """Another program using the file while the saves run (a second workstation's
    search, a backup or virus scanner reading the files): open it, read, close it; read
    the file, its log and its index outside SQLite, as such programs do. Until ``stop``;
    counts its passes, and sends each failure that is not just "busy"."""
    from billing_desk.store import CaseFileBusy, StoreError

    while not stop.is_set():
        try:
            with open_case_file(path) as cf:
                cf.listing.search("a", limit=20)
                cf.listing.count()
        except CaseFileBusy:
            pass
        except StoreError as e:
            send.send_bytes(f"{type(e).__name__}: {e}".encode())
        for suffix in ("", "-wal", "-shm"):
            try:
                with open(path + suffix, "rb") as f:
                    f.read(4096)
            except FileNotFoundError:
                pass
        with passes.get_lock():
            passes.value += 1
    send.close()
