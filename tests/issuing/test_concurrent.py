"""Two processes issuing the same case at the same moment end with one set of documents,
on a case file and on a server (two mail-room workstations): each renders outside the
transaction, and inside it the store is asked again; on a server a unique constraint
on (case, kind, fingerprint) backs it (tests/store/test_server.py tries it from outside)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from billing_desk.store import create_store, open_store
from tests.backends import rows as query

from .cases import CLERK, MAIL_ROOM, approved_case

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("issue_driver.py")


def test_two_processes_issuing_one_case_at_once_create_one_set(store_target, tmp_path):
    path = store_target
    with create_store(path) as cf:
        case_id = approved_case(cf, "18").id
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, str(DRIVER), str(path), str(case_id), str(go),
                               actor], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env) for actor in (CLERK, MAIL_ROOM)]
    for p in procs:
        assert p.stdout.readline() == "ready\n", p.stderr.read()
    go.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        results.append(json.loads(out))
    assert [r["rendered"] for r in results] == [1, 1]  # both had documents in hand
    assert sorted(r["created"] for r in results) == [False, True]
    assert results[0]["documents"] == results[1]["documents"] and len(results[0]["documents"]) == 3
    with open_store(path) as cf:
        assert query(cf, "SELECT count(*) FROM documents") == [(3,)]
        assert [e.action for e in cf.cases.history(case_id)].count("issue") == 1
        assert cf.verify().ok
