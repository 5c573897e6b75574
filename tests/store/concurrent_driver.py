"""One of several workstations saving at once (tests/store/test_concurrency.py).

    python tests/store/concurrent_driver.py TARGET WORKER GO-FILE SECONDS

Waits until GO-FILE exists, then for SECONDS: creates a case now and then, and otherwise
loads one of the shared cases (BD-000001 to BD-000003), edits it and saves it on the
revision it loaded (compare-and-set), as a clerk does. Prints one JSON object: the case
numbers it created, each save that was accepted (case, the revision it was based on, the
revision it made, the note it wrote) and each that was refused as stale (case, based on).
"""

from __future__ import annotations

import json
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

from billing_desk.domain.draft import CaseDraft
from billing_desk.store import CaseFileBusy, StaleRevision, open_store

SHARED = (1, 2, 3)


def main(target: str, worker: int, go: Path, seconds: float) -> None:
    rng = random.Random(worker)
    created, saved, stale, busy = [], [], [], 0
    with open_store(target) as cf:
        print("ready", flush=True)
        while not go.exists():
            time.sleep(0.001)
        deadline = time.monotonic() + seconds
        n = 0
        while time.monotonic() < deadline:
            n += 1
            try:
                if rng.random() < 0.25:
                    created.append(cf.cases.create(CaseDraft(why=f"worker {worker} #{n}"),
                                                   actor=f"w{worker}").case_number)
                    continue
                case_id = rng.choice(SHARED)
                record = cf.cases.load(case_id)
                note = f"worker {worker} #{n}"
                time.sleep(rng.uniform(0, 0.003))  # the clerk types
                try:
                    new = cf.cases.save(case_id, replace(record.draft, why=note),
                                        expected_revision=record.revision, actor=f"w{worker}")
                    saved.append([case_id, record.revision, new.revision, note])
                except StaleRevision:
                    stale.append([case_id, record.revision])
            except CaseFileBusy:
                busy += 1
    print(json.dumps({"created": created, "saved": saved, "stale": stale, "busy": busy}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4]))
