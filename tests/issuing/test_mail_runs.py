"""Mail runs that survive a crash (issue 14, point 3): every document a batch issues is
in exactly one manifest, a run that did not finish is finished by the next, documents
issued and not yet mailed are listed by the next run, one run at a time; a document a
run mailed prints as a COPY."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from billing_desk.cli import main
from billing_desk.cli.signin import PASSWORD_ENV
from billing_desk.documents import extract_text
from billing_desk.issuing import (BatchInProgress, IssueDateRefused, Manifest, issue_batch,
                                  issue_documents, print_document)
from billing_desk.issuing.manifest import CaseRef
from billing_desk.store import create_case_file, create_store, open_case_file, open_store
from tests.backends import raw as raw_connection, rows as store_rows
from tests.staff import PASSWORD

from .cases import CLERK, ISSUE_DATE, MAIL_ROOM, approved_case, approved_cases, draft_of

ROOT = Path(__file__).resolve().parents[2]
STARTED = datetime(2026, 3, 4, 14, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def passwords(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


def manifest_rows(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("issue-batch-*.csv")):
        rows += [dict(r, manifest=path.name) for r in csv.DictReader(path.open(encoding="utf-8"))]
    return rows


def listed_once(folder: Path, path: Path | str) -> list[int]:
    """Every issued document of the store in exactly one manifest row, none twice."""
    ids = [int(r["document_id"]) for r in manifest_rows(folder) if r["status"] == "issued"]
    assert len(ids) == len(set(ids)), "a document is listed in two manifests"
    with raw_connection(path) as r:
        stored = sorted(i for (i,) in r.execute("SELECT id FROM documents").fetchall())
    assert sorted(ids) == stored, "an issued document is in no manifest"
    return ids


def run(cf, folder: Path, **options):
    manifest = Manifest(folder, case_file=cf.where, actor=MAIL_ROOM, issue_date=ISSUE_DATE,
                        started=options.pop("started", datetime.now(timezone.utc)))
    report = issue_batch(cf, actor=MAIL_ROOM, issue_date=ISSUE_DATE, manifest=manifest,
                         workers=1, **options)
    return report, manifest.close(report, STARTED)


@pytest.mark.slow
def test_after_a_sigkill_and_a_rerun_every_document_is_in_exactly_one_manifest(tmp_path):
    path = tmp_path / "office.bdesk"
    out = tmp_path / "mail"
    out.mkdir()
    with create_case_file(path) as cf:
        approved_cases(cf, 60)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "billing_desk", "issue-batch", str(path),
                             "--out", str(out), "--workers", "2", "--as", MAIL_ROOM],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    watch = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    deadline = time.monotonic() + 90
    while watch.execute("SELECT count(*) FROM documents").fetchone()[0] < 20:
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.005)
    watch.close()
    os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers, mid-run
    proc.communicate(timeout=60)
    assert list(out.glob("*.csv.part")), "the killed run left its manifest unfinished"

    assert main(["issue-batch", str(path), "--out", str(out), "--workers", "2",
                 "--as", MAIL_ROOM]) == 0
    assert list(out.glob("*.part")) == []  # the stale manifest was finished
    manifests = sorted(out.glob("issue-batch-*.json"))
    assert len(manifests) == 2
    killed, rerun = (json.loads(p.read_text(encoding="utf-8")) for p in manifests)
    assert killed["recovered"] is True and "finished by the next run" in killed["stopped"]
    assert rerun["reconciliation"]["adds_up"] is True
    listed_once(out, path)
    with open_case_file(path) as cf:
        assert cf.db.execute("SELECT count(*) FROM cases WHERE status = 'issued'").fetchone()[0] == 60
        assert cf.mail_runs.unfinished() == [] and cf.verify().ok
    assert main(["issue-batch", str(path), "--out", str(out), "--as", MAIL_ROOM]) == 0
    listed_once(out, path)  # a third run lists nothing again


def test_rows_on_disk_of_a_run_that_died_are_recorded_and_its_manifest_finished(store_target, tmp_path):
    """A run that stopped after writing some rows (its process gone: its lock too) is
    finished by the next: the rows stay in its manifest, the documents it issued without
    a row are listed by the next run, and nothing is listed twice."""
    out = tmp_path / "mail"
    out.mkdir()
    with create_store(store_target) as cf:
        first, second, third = approved_cases(cf, 3)
        dead = Manifest(out, case_file=cf.where, actor=MAIL_ROOM, issue_date=ISSUE_DATE,
                        started=STARTED)
        dead.begin(cf, actor=MAIL_ROOM)
        one = issue_documents(cf, cf.cases.find(first).id, actor=MAIL_ROOM, issue_date=ISSUE_DATE)
        dead.issued(CaseRef(first, "a", "b"), one.documents, new=True)  # on disk, not recorded
        issue_documents(cf, cf.cases.find(second).id, actor=MAIL_ROOM, issue_date=ISSUE_DATE)
        dead._file.write("BD-0000")  # a row the crash cut short
        dead._file.close()  # the process is gone
        report, _ = run(cf, out)
        assert report.recovered and "finished its manifest (2 documents listed)" in report.recovered[0]
        assert (report.earlier_documents, report.earlier_cases) == (2, 1)  # the second case's
        assert report.issued_cases == 1 and report.adds_up  # the third
        assert "and 2 documents of 1 cases issued before this run and not yet mailed, listed" \
            in report.reconciliation()
        rows = manifest_rows(out)
        assert {r["case"] for r in rows if r["manifest"].startswith(dead.stem + ".")} == {first}
        listed_once(out, cf.target)
        assert third in {r["case"] for r in rows}


def test_a_case_issued_on_its_own_and_not_printed_goes_out_with_the_next_run(store_target, tmp_path):
    out = tmp_path / "mail"
    out.mkdir()
    with create_store(store_target) as cf:
        a, b, c = approved_cases(cf, 3)
        run(cf, out)  # the mail ledger begins
        approved_case(cf, "18", number="901-0001-00")
        approved_case(cf, "13", number="901-0002-00")
        alone = issue_documents(cf, cf.cases.find("BD-000004").id, actor=MAIL_ROOM,
                                issue_date=ISSUE_DATE)
        printed = issue_documents(cf, cf.cases.find("BD-000005").id, actor=MAIL_ROOM,
                                  issue_date=ISSUE_DATE)
        for d in printed.documents:  # printed from the app: it left already
            print_document(cf, d.id, CLERK, lambda pdf: 1)
        report, _ = run(cf, out)
        assert report.selected == 0 and report.earlier_documents == len(alone.documents)
        listed = [r for r in manifest_rows(out) if r["reason"] ==
                  "issued before this run and not yet mailed"]
        assert {r["case"] for r in listed} == {"BD-000004"}
        # a document the run mailed prints as a COPY: the original went in the mail
        printout = print_document(cf, alone.documents[0].id, CLERK, lambda pdf: 1)
        assert printout.copy and "COPY" in extract_text(printout.pdf)


def test_one_mail_run_at_a_time(store_target, tmp_path, capsys):
    path = store_target
    with create_store(path) as cf:
        approved_cases(cf, 2)
        running = Manifest(tmp_path, case_file=cf.where, actor=MAIL_ROOM, issue_date=ISSUE_DATE,
                           started=STARTED)
        running.begin(cf, actor=MAIL_ROOM)  # still running: it holds its manifest
        with pytest.raises(BatchInProgress, match="still running"):
            run(cf, tmp_path)
        assert main(["issue-batch", str(path), "--out", str(tmp_path), "--as", MAIL_ROOM]) == 15
        assert "Another issue-batch run on this case file is still running" in capsys.readouterr().err
        assert store_rows(cf, "SELECT count(*) FROM documents")[0][0] == 0
        running.discard()  # it ends with nothing listed: its files go
        assert cf.mail_runs.unfinished() == []
        report, _ = run(cf, tmp_path)  # (and the manifest of the refused run is removed)
        assert report.issued_cases == 2 and report.adds_up
        assert not list(tmp_path.glob("*.part"))
        assert any("it listed nothing" in line for line in report.recovered)


def test_issue_out_refuses_a_missing_folder_before_anything_is_issued(store_target, tmp_path, capsys):
    path = store_target
    with create_store(path) as cf:
        record = approved_case(cf, "18")
    missing = tmp_path / "no such folder"
    assert main(["issue", str(path), record.case_number, "--out", str(missing),
                 "--as", MAIL_ROOM]) == 2
    assert "is not an existing folder; nothing was issued" in capsys.readouterr().err
    with open_store(path) as cf:
        assert cf.cases.load(record.id).status.value == "approved"
        assert store_rows(cf, "SELECT count(*) FROM documents")[0][0] == 0


def test_issue_out_writes_the_originals_then_copies_stamped_copy_and_records_each(store_target, tmp_path, capsys):
    path = store_target
    with create_store(path) as cf:
        record = approved_case(cf, "18")
    assert main(["issue", str(path), record.case_number, "--out", str(tmp_path),
                 "--as", MAIL_ROOM]) == 0
    original = tmp_path / f"{record.case_number}-letter-1.pdf"
    assert "COPY" not in extract_text(original.read_bytes())
    capsys.readouterr()
    assert main(["issue", str(path), record.case_number, "--out", str(tmp_path),
                 "--as", MAIL_ROOM]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Already issued (nothing new)") and "a copy stamped COPY written" in out
    copy = tmp_path / f"{record.case_number}-letter-1-COPY.pdf"
    assert "COPY" in extract_text(copy.read_bytes())
    assert original.read_bytes() != copy.read_bytes()
    with open_store(path) as cf:
        letter = next(d for d in cf.documents.list(record.id) if d.kind.value == "letter")
        uses = [(u.action, u.after.get("file_name"), u.after.get("copy"))
                for u in cf.documents.uses(letter.id)]
        assert uses == [("save", original.name, None), ("save", copy.name, True)]
        assert cf.verify().ok


def test_the_issue_date_is_checked_against_the_case_and_the_setting(store_target, tmp_path, capsys):
    path = store_target
    with create_store(path) as cf:
        record = approved_case(cf, "18")  # discovered 2010-11-05, last period Aug 2010
    before = main(["issue", str(path), record.case_number, "--issue-date", "2010-11-04",
                   "--as", MAIL_ROOM])
    assert before == 2
    assert ("is before the error was discovered (2010-11-05)" in capsys.readouterr().err)
    ahead = (date.today().toordinal() + 31)
    far = date.fromordinal(ahead).isoformat()
    assert main(["issue", str(path), record.case_number, "--issue-date", far,
                 "--as", MAIL_ROOM]) == 2
    assert "more than 30 days after today" in capsys.readouterr().err
    assert main(["issue-batch", str(path), "--out", str(tmp_path), "--issue-date", far,
                 "--as", MAIL_ROOM]) == 2
    assert list(tmp_path.glob("issue-batch-*")) == []
    with open_store(path) as cf:
        cf.settings.set("documents", {"issue.max_days_ahead": "0"}, actor="admin")
        with pytest.raises(IssueDateRefused, match="more than 0 days after today"):
            issue_documents(cf, record.id, actor=MAIL_ROOM,
                            issue_date=date.fromordinal(date.today().toordinal() + 1))
        assert store_rows(cf, "SELECT count(*) FROM documents")[0][0] == 0
        # in a batch, a case whose letter would be dated too early is refused with why
        late = cf.cases.create(draft_of("18", number="555-0000-01"), actor=CLERK)
        cf.workflow.submit(late.id, actor=CLERK)
        cf.workflow.approve(late.id, actor="sam", acknowledge_divergence=True)
        out = tmp_path / "batch"
        out.mkdir()
        manifest = Manifest(out, case_file=cf.where, actor=MAIL_ROOM, issue_date=date(2010, 11, 4),
                            started=STARTED)
        report = issue_batch(cf, actor=MAIL_ROOM, issue_date=date(2010, 11, 4), workers=1,
                             manifest=manifest)
        manifest.close(report, STARTED)
        assert len(report.refused) == 2 and report.adds_up
        assert all("before the error was discovered" in r.reason for r in report.refused)
