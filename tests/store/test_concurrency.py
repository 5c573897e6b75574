"""Many workstations writing at once, as separate processes, on both backends: nothing is
lost or doubled. Every accepted save made the next revision of its case from the
revision it was based on (no two saves from the same revision: no lost update), every
refused one was based on a revision someone else had already replaced (a real
conflict), case numbers are unique and without gaps, and the history is one unbroken
chain that every case matches (verify)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from billing_desk.domain.draft import CaseDraft
from billing_desk.store import create_store, open_store

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("concurrent_driver.py")
WORKERS = 4


def test_concurrent_writers_lose_nothing_and_double_nothing(store_target, tmp_path):
    with create_store(store_target) as cf:
        for _ in range(3):  # the shared cases everyone edits
            cf.cases.create(CaseDraft(why="shared"), actor="setup")
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, str(DRIVER), str(store_target), str(w), str(go), "3"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for w in range(WORKERS)]
    for p in procs:
        assert p.stdout.readline() == "ready\n", p.stderr.read()
    go.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        results.append(json.loads(out))

    saved = [s for r in results for s in r["saved"]]
    stale = [s for r in results for s in r["stale"]]
    created = [n for r in results for n in r["created"]]
    with open_store(store_target) as cf:
        report = cf.verify()
        assert report.ok, report.problem
        # case numbers: every one given once, none skipped
        numbers = [s.case_number for s in cf.listing.page(limit=10_000)]
        assert sorted(numbers) == [f"BD-{i:06d}" for i in range(1, 4 + len(created))]
        assert len(set(created)) == len(created)
        by_case = defaultdict(list)
        for case_id, based_on, made, note in saved:
            assert made == based_on + 1
            by_case[case_id].append((based_on, note))
        for case_id in (1, 2, 3):
            record = cf.cases.load(case_id)
            bases = sorted(b for b, _ in by_case[case_id])
            # each revision after the first was made by exactly one accepted save
            assert bases == list(range(1, record.revision)), case_id
            last = max(by_case[case_id], default=(0, "shared"))
            assert record.draft.why == last[1]  # the last accepted save is what is stored
            edits = [e for e in cf.cases.history(case_id) if e.action == "edit"]
            assert len(edits) == len(by_case[case_id])
        # a refused save was based on a revision another save had replaced
        for case_id, based_on in stale:
            assert any(b == based_on for b, _ in by_case[case_id])
    assert saved and stale, "the workers did not collide: no conflict was tried"
