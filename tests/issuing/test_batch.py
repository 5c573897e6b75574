"""Batch issue over worker processes: every approved case issued or refused with its
reason, the manifest and the reconciliation add up, cancel leaves the rest approved,
and a second run issues nothing new."""

from __future__ import annotations

import csv
import json
import threading
from datetime import datetime, timezone

import pytest

from billing_desk.domain.workflow import CaseStatus
from billing_desk.issuing import Manifest, issue_batch
from billing_desk.store import DiskFull, create_store
from tests.backends import rows as query

from .cases import CLERK, ISSUE_DATE, MAIL_ROOM, approved_case, approved_cases, draft_of

STARTED = datetime(2026, 3, 4, 14, 0, tzinfo=timezone.utc)


@pytest.fixture
def cf(store_target):
    with create_store(store_target) as f:
        yield f


def run(cf, folder, **options):
    folder.mkdir(exist_ok=True)
    manifest = Manifest(folder, case_file=cf.where, actor=MAIL_ROOM, issue_date=ISSUE_DATE,
                        started=options.pop("started", STARTED))
    report = issue_batch(cf, actor=MAIL_ROOM, issue_date=ISSUE_DATE, manifest=manifest,
                         **options)
    return report, manifest.close(report, STARTED)


def test_a_batch_issues_every_approved_case_and_reconciles(cf, tmp_path):
    approved_cases(cf, 9)
    # approved through the API without the typesetting (as a case approved before the
    # printable checks at submission were): refused at issue, by the documents
    unmailable = approved_case(cf, "18", customer_name="王小明")
    cf.cases.create(draft_of("01"), actor=CLERK)  # a draft: not selected
    seen = []
    report, (csv_path, json_path) = run(cf, tmp_path, workers=2, cases_per_commit=4,
                                        progress=lambda done, total: seen.append((done, total)))
    assert (report.selected, report.issued_cases, report.new_cases) == (10, 9, 9)
    assert [(r.case.case_number, r.case.account_number) for r in report.refused] == [
        (unmailable.case_number, "100-2000-01")]
    assert "characters the letter font cannot print" in report.refused[0].reason
    assert report.adds_up and report.not_attempted == [] and report.stopped is None
    stored = query(cf, "SELECT d.id, c.case_number, d.kind, d.issue_number, d.sha256, "
                       "d.page_count FROM documents d JOIN cases c ON c.id = d.case_id "
                       "ORDER BY d.id")
    assert report.documents == len(stored) == 9 + sum(1 for r in stored if r[2] != "letter")
    assert report.reconciliation() == (
        f"10 cases selected = documents issued for 9 cases ({len(stored)} documents) + "
        "refused 1 + not attempted 0: adds up")
    assert seen[-1] == (10, 10) and [d for d, _ in seen] == sorted(d for d, _ in seen)

    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    issued = [r for r in rows if r["status"] == "issued"]
    assert sorted((int(r["document_id"]), r["case"], r["kind"], int(r["issue_number"]),
                   r["sha256"], int(r["pages"])) for r in issued) == stored
    assert all(r["customer"].startswith("Customer Número") for r in issued)
    assert [(r["case"], r["status"]) for r in rows if r["status"] != "issued"] == [
        (unmailable.case_number, "refused")]
    manifest = json.loads(json_path.read_text(encoding="utf-8"))
    assert manifest["format"] == "billing-desk/issue-manifest@1"
    assert len(manifest["documents"]) == len(stored) and manifest["refused"][0]["reason"]
    assert manifest["reconciliation"]["line"] == report.reconciliation()
    assert cf.cases.load(unmailable.id).status is CaseStatus.APPROVED
    assert cf.verify().ok

    again, _ = run(cf, tmp_path / "again", workers=1)  # only the refused case is selected again
    assert (again.selected, again.issued_cases, len(again.refused)) == (1, 0, 1)
    assert query(cf, "SELECT count(*) FROM documents")[0][0] == len(stored)


def test_cancel_stores_what_is_done_and_leaves_the_rest_approved(cf, tmp_path):
    approved_cases(cf, 30)
    cancel = threading.Event()

    def progress(done, total):
        if done >= 3:
            cancel.set()

    report, _ = run(cf, tmp_path, workers=1, chunk_size=2, cases_per_commit=1, cancel=cancel,
                    progress=progress)
    assert report.adds_up and report.stopped == "The batch was cancelled."
    assert 3 <= report.issued_cases < 30 and report.refused == []
    assert len(report.not_attempted) == 30 - report.issued_cases
    statuses = dict(query(cf, "SELECT case_number, status FROM cases"))
    assert all(statuses[c.case_number] == "approved" for c in report.not_attempted)
    assert list(statuses.values()).count("issued") == report.issued_cases
    rest, _ = run(cf, tmp_path / "rest", workers=1)
    assert rest.issued_cases == rest.new_cases == 30 - report.issued_cases
    assert cf.verify().ok


def test_a_disk_full_part_way_stops_the_batch_with_what_was_done(cf, tmp_path, monkeypatch):
    approved_cases(cf, 8)
    real = cf.issues.issue_many
    calls = []

    def fill_up(requests, *, actor):
        calls.append(len(requests))
        if len(calls) == 2:
            raise DiskFull(cf.where)
        return real(requests, actor=actor)

    monkeypatch.setattr(cf.issues, "issue_many", fill_up)
    report, (csv_path, _) = run(cf, tmp_path, workers=1, chunk_size=2, cases_per_commit=2)
    assert report.adds_up and report.stopped.startswith("The case file stopped the batch: ")
    assert "disk holding" in report.stopped
    assert report.issued_cases == 2 and len(report.not_attempted) == 6
    assert [r["status"] for r in csv.DictReader(csv_path.open(encoding="utf-8"))].count(
        "not_attempted") == 6
    assert query(cf, "SELECT count(*) FROM cases WHERE status = 'approved'")[0][0] == 6
    assert cf.verify().ok
