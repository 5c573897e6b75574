"""A killed import leaves nothing (issue 18 point 6): a real process creating an incident
from a CSV is killed with SIGKILL at moments through its one transaction; after each kill
the file is sound, verifies, and holds no incident and no case of it -- or, killed after
the commit, all of it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from billing_desk.store import create_case_file, open_case_file
from tests.incident_data import synthetic_csv

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = 1500


def _start(path: Path, csv: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.store.incident_crash_driver", str(path),
                             str(csv)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def _kill_after(proc: subprocess.Popen, line: str) -> list[str]:
    seen = []
    for text in proc.stdout:
        seen.append(text.strip())
        if text.strip() == line:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(60)
    seen += [t.strip() for t in proc.stdout]
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, seen[-3:])
    return seen


def _state(path: Path) -> tuple[int, int, int]:
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return tuple(raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("incidents", "cases", "incident_cases"))
    finally:
        raw.close()


@pytest.mark.slow
def test_a_killed_import_leaves_no_incident_and_no_case(tmp_path):
    path, csv = tmp_path / "office.bdesk", tmp_path / "big.csv"
    csv.write_bytes(synthetic_csv(ACCOUNTS))
    create_case_file(path).close()
    for moment in ("checked", "progress 250", "progress 750", "progress 1250"):
        seen = _kill_after(_start(path, csv), moment)
        assert moment in seen and "committed" not in seen
        assert _state(path) == (0, 0, 0), moment
        with open_case_file(path) as cf:
            assert cf.verify().ok
    # killed at the last checkpoint, a moment before the commit or just after it: all or nothing
    seen = _kill_after(_start(path, csv), f"progress {ACCOUNTS}")
    assert _state(path) in ((0, 0, 0), (1, ACCOUNTS, ACCOUNTS))
    with open_case_file(path) as cf:
        assert cf.verify().ok
    # and left alone it commits the whole incident
    proc = _start(path, csv)
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0 and out.strip().endswith("committed")
    incidents, cases, members = _state(path)
    assert (incidents, members) in ((1, ACCOUNTS), (2, 2 * ACCOUNTS)) and cases == members
    with open_case_file(path) as cf:
        assert cf.verify().ok
        latest = cf.incidents.list()[0]
        assert latest.cases == ACCOUNTS
