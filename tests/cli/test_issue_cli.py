"""``billing-desk issue`` and ``issue-batch``: exit codes, the reconciliation line, the
manifest, progress on standard error, a second run issuing nothing, Ctrl+C."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from billing_desk.cli import main
from billing_desk.documents import kinds_for
from billing_desk.domain.rulepacks import determine
from billing_desk.cli.exit_codes import EXIT_BATCH_STOPPED, EXIT_ISSUE_REFUSED
from billing_desk.cli.signin import PASSWORD_ENV
from billing_desk.store import create_store, open_store
from tests.backends import raw, rows
from tests.issuing.cases import CLERK, MAIL_ROOM, approved_case, approved_cases, draft_of
from tests.staff import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AS_MAIL_ROOM = ["--as", MAIL_ROOM]


@pytest.fixture(autouse=True)
def mail_room_password(monkeypatch):
    """The mail room signs in with its password from the environment (never an argument)."""
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


def test_issue_batch_twice_issues_once_and_reconciles(store_target, tmp_path, capsys):
    path = store_target
    with create_store(path) as cf:
        approved_cases(cf, 6)
        cf.cases.create(draft_of("01"), actor=CLERK)
    assert main(["issue-batch", str(path), "--out", str(tmp_path), "--workers", "1",
                 *AS_MAIL_ROOM, "--issue-date", "2026-03-04"]) == 0
    out, err = capsys.readouterr()
    assert "Reconciliation: 6 cases selected = documents issued for 6 cases (" in out
    assert "+ refused 0 + not attempted 0: adds up" in out
    assert "issue-batch: 6 of 6 cases (100%)" in err  # plain lines, not a terminal's bar
    manifests = sorted(tmp_path.glob("issue-batch-*.csv"))
    assert len(manifests) == 1 and manifests[0].with_suffix(".json").exists()
    listed = list(csv.DictReader(manifests[0].open(encoding="utf-8")))
    with open_store(path) as cf:
        stored = rows(cf, "SELECT sha256 FROM documents ORDER BY id")
        assert sorted(r["sha256"] for r in listed) == sorted(s for (s,) in stored)
        assert {r["status"] for r in listed} == {"issued"}
    assert main(["issue-batch", str(path), "--out", str(tmp_path), *AS_MAIL_ROOM]) == 0
    out, _ = capsys.readouterr()
    assert "Reconciliation: 0 cases selected = documents issued for 0 cases (0 documents)" in out
    with open_store(path) as cf:
        assert rows(cf, "SELECT count(*) FROM documents") == [(len(stored),)]
    assert len(list(tmp_path.glob("issue-batch-*.json"))) == 2  # each run its own manifest
    assert main(["verify", str(path)]) == 0
    # a wrong password is refused before any case
    os.environ[PASSWORD_ENV] = "not the password"
    assert main(["issue-batch", str(path), "--out", str(tmp_path), *AS_MAIL_ROOM]) == 16


def test_a_refused_case_makes_the_batch_exit_non_zero_with_its_reason(store_target, tmp_path, capsys):
    path = store_target
    with create_store(path) as cf:
        approved_cases(cf, 2)
        refused = approved_case(cf, "18", customer_name="王小明")  # (approved by the API)
    code = main(["issue-batch", str(path), "--out", str(tmp_path), "--workers", "1", *AS_MAIL_ROOM])
    out, _ = capsys.readouterr()
    assert code == EXIT_ISSUE_REFUSED == 18
    assert "3 cases selected = documents issued for 2 cases" in out and "+ refused 1 +" in out
    assert (f"  refused {refused.case_number} (account 100-2000-01, 王小明): The customer name "
            "contains characters the letter font cannot print") in out


def test_issue_one_case_and_its_refusals(store_target, tmp_path, capsys):
    path = store_target
    with create_store(path) as cf:
        record = approved_case(cf, "23")
        draft = cf.cases.create(draft_of("01"), actor=CLERK)
    assert main(["issue", str(path), record.case_number, "--out", str(tmp_path), *AS_MAIL_ROOM]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith(f"Issued: case {record.case_number}, 2 document(s)")
    assert (tmp_path / f"{record.case_number}-letter-1.pdf").read_bytes().startswith(b"%PDF")
    assert main(["issue", str(path), record.case_number, *AS_MAIL_ROOM]) == 0
    assert capsys.readouterr().out.startswith("Already issued (nothing new)")
    assert main(["issue", str(path), draft.case_number, *AS_MAIL_ROOM]) == EXIT_ISSUE_REFUSED
    assert "is draft, not approved" in capsys.readouterr().err


def batch_storing(store_target, tmp_path, cases: int = 120, **popen) -> tuple[Path, subprocess.Popen]:
    """A file of approved cases and an issue-batch process on it (its own process group,
    as in a terminal) that has just stored its first documents."""
    path = store_target
    with create_store(path) as cf:
        approved_cases(cf, cases)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "billing_desk", "issue-batch", str(path),
                             "--out", str(tmp_path), "--workers", "2", *AS_MAIL_ROOM],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            start_new_session=True, **popen)
    with raw(path) as watch:
        deadline = time.monotonic() + 60
        while watch.value("SELECT count(*) FROM documents") == 0:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.01)
    return path, proc


@pytest.mark.slow
def test_ctrl_c_cancels_cleanly_and_lists_the_rest(store_target, tmp_path):
    path, proc = batch_storing(store_target, tmp_path, text=True)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl+C does: every process of the group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == EXIT_BATCH_STOPPED, err
    assert "cancelling" in err and "Stopped: The batch was cancelled." in out
    assert "adds up" in out and "not attempted, still approved" in out
    with open_store(path) as cf:
        statuses = dict(rows(cf, "SELECT status, count(*) FROM cases GROUP BY 1"))
        assert 0 < statuses["issued"] < 120 and statuses["issued"] + statuses["approved"] == 120
        assert f"documents issued for {statuses['issued']} cases" in out
        assert f"not attempted {statuses['approved']}" in out
        assert cf.verify().ok


@pytest.mark.slow
def test_a_batch_killed_mid_run_leaves_no_case_half_stored(store_target, tmp_path):
    path, proc = batch_storing(store_target, tmp_path)
    time.sleep(0.3)  # well inside the run: groups of cases are being committed
    os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers, as a power cut would
    proc.communicate(timeout=60)
    with open_store(path) as cf:
        assert cf.verify().ok
        issued = 0
        for case_id, status in rows(cf, "SELECT id, status FROM cases"):
            record = cf.cases.load(case_id)
            kinds = {d.kind.value for d in cf.documents.list(case_id)}
            if status == "issued":
                issued += 1
                wanted = {k.value for k in kinds_for(determine(record.draft.check().case))}
                assert kinds == wanted, record.case_number  # the whole set, or nothing
                assert [e.action for e in cf.cases.history(case_id)].count("issue") == 1
            else:
                assert status == "approved" and kinds == set(), record.case_number
        assert 0 < issued < 120
    assert not list(tmp_path.glob("issue-batch-*.csv"))  # no manifest claims a finished run


def test_an_invalid_document_setting_stops_the_batch_before_any_case(store_target, tmp_path, capsys):
    path = store_target
    with create_store(path) as cf:
        approved_cases(cf, 2)
        cf.settings.set("documents", {"backbill.installment_months": "twelve"}, actor="admin")
    assert main(["issue-batch", str(path), "--out", str(tmp_path), "--workers", "1",
                 *AS_MAIL_ROOM]) == 2
    assert "backbill.installment_months must be a whole number" in capsys.readouterr().err
    assert list(tmp_path.glob("issue-batch-*")) == []
    with open_store(path) as cf:
        assert rows(cf, "SELECT count(*) FROM documents") == [(0,)]
