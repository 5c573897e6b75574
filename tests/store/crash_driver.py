"""Saves cases into a case file in a loop until it is killed (the crash tests' victim).

    python tests/store/crash_driver.py FILE SEED

Prints ``ready`` once the file is open, then after each save *has returned* one line
per case saved: ``CASE-NUMBER REVISION SHA256-OF-STATE``, flushed at once. Whatever it
printed before a SIGKILL must be in the file afterwards, exactly.
"""

from __future__ import annotations

import hashlib
import random
import sys
from dataclasses import replace
from decimal import Decimal

from billing_desk.demo import demo_case
from billing_desk.domain.draft import PeriodDraft
from billing_desk.domain.fingerprint import canonical_json
from billing_desk.store import CaseRecord, NewCase, open_case_file


def digest(record: CaseRecord) -> str:
    return hashlib.sha256(canonical_json(record.state()).encode("utf-8")).hexdigest()


def report(records: list[CaseRecord]) -> None:
    sys.stdout.write("".join(f"{r.case_number} {r.revision} {digest(r)}\n" for r in records))
    sys.stdout.flush()


def main(path: str, seed: int) -> None:
    rng = random.Random(seed)
    cf = open_case_file(path)
    print("ready", flush=True)
    count = cf.listing.count()
    while True:
        roll = rng.random()
        if count and roll < 0.4:  # edit a case: change an amount, add a period
            current = cf.cases.load(rng.randint(1, count))
            periods = current.draft.periods + (PeriodDraft(billed=Decimal(rng.randint(1, 99999)).scaleb(-2)),)
            saved = cf.cases.save(current.id, replace(current.draft, periods=periods),
                                  expected_revision=current.revision, actor="crash",
                                  notes=f"edit {rng.random()}")
            report([saved])
        elif roll < 0.5:  # an import of three cases at once
            numbers = cf.cases.create_many(
                [NewCase(demo_case(rng.randrange(10_000), seed).draft) for _ in range(3)],
                actor="crash")
            report([cf.cases.find(n) for n in numbers])
            count += 3
        else:
            report([cf.cases.create(demo_case(rng.randrange(10_000), seed).draft, actor="crash")])
            count += 1


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
