"""Issuing an incident (issue 18 point 4): its approved cases' letters and memos through
the one batch path (read-back check, idempotent, manifest, reconciliation), and the
incident summary memo for finance, read back, paginating a long list cleanly."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from billing_desk.documents import DocumentMismatch
from billing_desk.documents.incident_memo import check_incident_memo, render_incident_memo
from billing_desk.documents.readback import page_texts
from billing_desk.domain.incident_csv import parse_incident_csv
from billing_desk.domain.workflow import CaseStatus
from billing_desk.issuing import Manifest
from billing_desk.issuing.incidents import (
    create_incident, incident_memo_input, incident_summary_pdf, issue_incident,
)
from billing_desk.store import create_case_file
from billing_desk.store.timestamps import utc_now
from tests.incident_data import SYNTHETIC, synthetic_csv
from tests.staff import add_staff
from tests.store.conftest import shared_draft
from tests.store.incident_helpers import APPROVER, CLERK, case_ids, stormwater_incident

ISSUED = date(2009, 8, 3)


@pytest.fixture
def office(tmp_path):
    cf = add_staff(create_case_file(tmp_path / "office.bdesk"))
    yield cf
    cf.close()


def _issue(cf, incident_id, tmp_path):
    manifest = Manifest(tmp_path, case_file=cf.path, actor="root", issue_date=ISSUED,
                        started=utc_now(), selection="incident IN-000001")
    report = issue_incident(cf, incident_id, actor="root", issue_date=ISSUED, workers=1,
                            manifest=manifest)
    return report, manifest.close(report, utc_now())


def test_the_incidents_approved_cases_are_issued_through_the_batch(office, tmp_path):
    cf = office
    record, _ = stormwater_incident(cf, approve=True)
    # an approved case outside the incident is not the incident's to issue
    other = cf.cases.create(shared_draft("01-"), actor=CLERK)
    cf.workflow.submit(other.id, actor=CLERK)
    cf.workflow.approve(other.id, actor=APPROVER)
    report, (csv_path, json_path) = _issue(cf, record.id, tmp_path)
    assert report.adds_up and report.selected == report.issued_cases == report.new_cases == 74
    assert report.documents == 148  # a letter and a credit memo each
    assert csv_path.name.startswith("issue-incident-IN-000001-")
    manifest = json.loads(json_path.read_text())
    assert manifest["selection"] == "incident IN-000001"
    assert manifest["reconciliation"]["adds_up"] is True
    assert {c.status for c in cf.incidents.cases(record.id)} == {CaseStatus.ISSUED}
    assert cf.cases.load(other.id).status is CaseStatus.APPROVED
    # again: nothing new, nothing twice
    again = issue_incident(cf, record.id, actor="root", issue_date=ISSUED, workers=1)
    assert again.selected == 0 and again.adds_up
    assert cf.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 148
    assert cf.verify().ok


def test_a_case_edited_after_the_approval_is_not_issued_with_the_incident(office, tmp_path):
    cf = office
    record, _ = stormwater_incident(cf, approve=True)
    ids = case_ids(cf, record.id)
    # edited from outside the incident window, after the approval: back to draft
    target = cf.cases.load(ids[5])
    cf.cases.save(target.id, replace(target.draft, why="checked again"),
                  expected_revision=target.revision, actor="bob")
    # and one changed with raw SQL behind the app's back, its status left "approved"
    sneaky = cf.cases.load(ids[6])
    raw = sqlite3.connect(cf.path, isolation_level=None)
    raw.execute("UPDATE periods SET billed = '999.00' WHERE case_id = ? AND position = 0",
                (sneaky.id,))
    raw.close()
    report, _ = _issue(cf, record.id, tmp_path)
    assert report.selected == 73 and report.adds_up  # the edited case is not approved
    assert report.issued_cases == 72
    [refused] = report.refused
    assert refused.case.case_number == sneaky.case_number
    assert "does not match its history" in refused.reason  # (checked before rendering: issue 14)
    assert cf.cases.load(target.id).status is CaseStatus.DRAFT
    assert cf.cases.load(sneaky.id).status is CaseStatus.APPROVED  # nothing was issued for it
    assert not cf.verify().ok  # and verify names the raw edit


def test_the_summary_memo_has_the_totals_and_every_account(office):
    cf = office
    record, _ = stormwater_incident(cf, approve=True)
    memo = incident_summary_pdf(cf, record.id, printed_by="root")
    texts = page_texts(memo.pdf)
    assert memo.pages == len(texts) >= 2
    whole = " ".join(texts)
    for label, value in (("Credited / refunded", "$43,041.00"),
                         ("Kept back by the six-year limit", "$26,085.00"),
                         ("Accounts with something kept back by the six-year limit", "55"),
                         ("Smallest and largest adjustment", "$42.00 to $850.00")):
        assert f"{label} {value}" in whole
    assert "Approved by Bea Boss (boss)" in whole and "seed test-seed" in whole
    for c in cf.incidents.cases(record.id):
        assert whole.count(c.account_number) >= 1
    for n, text in enumerate(texts, start=1):
        assert "Incident IN-000001 · internal summary" in text
        assert f"Page {n} of {len(texts)}" in text
    assert "Case Account Customer Status Refund" in texts[1]


def test_a_long_account_list_paginates_by_whole_pages(office):
    cf = office
    data = synthetic_csv(1500)
    imported = parse_incident_csv(data, SYNTHETIC)
    record = create_incident(cf, SYNTHETIC, imported, source_name="big.csv", source=data,
                             actor=CLERK)
    memo = incident_summary_pdf(cf, record.id, printed_by="root")
    texts = page_texts(memo.pdf)
    list_pages = [t for t in texts if "Case Account Customer Status Refund" in t]
    assert len(list_pages) >= 25 and memo.pages == len(texts)
    numbers = [f"7{a:07d}" for a in range(1500)]
    whole = " ".join(list_pages)
    assert all(whole.count(n) == 1 for n in numbers)  # every account once, none cut in two
    rows = [sum(t.count(f"7{a:07d}") for a in range(1500)) for t in list_pages]
    assert len(set(rows[1:-1])) == 1  # every full page holds the same number of accounts
    assert "Total of 1,500 accounts" in list_pages[-1]


def test_the_memo_is_read_back_against_what_was_computed(office):
    cf = office
    record, _ = stormwater_incident(cf)
    inp = incident_memo_input(cf, record.id, printed_by="root")
    pdf, pages = render_incident_memo(inp)
    wrong = replace(inp, totals=replace(inp.totals, refund=Decimal("43041.01")))
    with pytest.raises(DocumentMismatch) as e:
        check_incident_memo(wrong, pdf, pages)
    assert "$43,041.01 is not printed" in str(e.value.problems)
    with pytest.raises(DocumentMismatch):
        check_incident_memo(replace(inp, incident_number="IN-000002"), pdf, pages)


def test_writing_the_memo_reports_its_pages_and_can_be_cancelled(office, tmp_path):
    import threading

    from billing_desk.issuing.incidents import save_incident_summary
    from billing_desk.store import IncidentCancelled

    cf = office
    record, _ = stormwater_incident(cf)
    seen = []
    summary = incident_summary_pdf(cf, record.id, printed_by="root",
                                   progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] == summary.pages - 1  # the list's pages
    cancel = threading.Event()
    cancel.set()
    target = tmp_path / "memo.pdf"
    with pytest.raises(IncidentCancelled):
        save_incident_summary(cf, record.id, target, printed_by="root", cancel=cancel)
    assert not target.exists() and list(tmp_path.glob("*.pdf")) == []


def test_customers_who_chose_email_get_their_incident_letter_queued_once(office, tmp_path):
    """The incident's CSV gives some customers an email address and delivery by email:
    their cases carry it, and once the letters are issued each of them (and nobody else)
    has exactly one notice queued, to their own address, with their own letter."""
    from billing_desk.issuing import queue_notices
    from tests.incident_data import STORMWATER, email_of_account, stormwater_with_email_csv

    cf = office
    data = stormwater_with_email_csv()
    imported = parse_incident_csv(data, STORMWATER)
    record = cf.incidents.create(STORMWATER, imported.accounts, source_name="stormwater.csv",
                                 source=data, rows=imported.rows, actor=CLERK)
    cf.incidents.submit(record.id, actor=CLERK)
    review = cf.incidents.draw_sample(record.id, actor=APPROVER, seed="email")
    cf.incidents.approve(record.id, review.id, actor=APPROVER)
    report, _ = _issue(cf, record.id, tmp_path)
    assert report.adds_up and report.issued_cases == 74
    queued = queue_notices(cf, actor="root")
    assert len(queued) == 19
    for notice in queued:
        case = cf.cases.load(notice.case_id)
        assert notice.to_address == case.draft.account.email == email_of_account(
            case.draft.account.number)
        letter = next(d for d in cf.documents.list(case.id) if d.kind.value == "letter")
        assert notice.document_sha256 == letter.sha256
    assert queue_notices(cf, actor="root") == []  # again: nothing twice
    assert cf.verify().ok
