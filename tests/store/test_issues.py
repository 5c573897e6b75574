"""Issuing a case in the store: documents, determination and the move to issued in one
transaction with one audit entry; once per fingerprint; a batch commits many cases,
each whole or not at all."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from billing_desk.domain.fingerprint import case_fingerprint
from billing_desk.domain.rulepacks import determine, get_rule_pack
from billing_desk.domain.workflow import CaseStatus, TransitionRefused
from billing_desk.store import (DocumentKind, IssueRefused, IssueRequest, NewDocument,
                                StaleRevision)
from tests.backends import raw, rows

from .conftest import shared_draft


def approved(cf, prefix: str = "18-"):
    """A case of the test office (tests/staff.py): prepared and submitted by alice,
    approved by boss."""
    record = cf.cases.create(shared_draft(prefix), actor="alice")
    cf.workflow.submit(record.id, actor="alice")
    return cf.workflow.approve(record.id, actor="boss", acknowledge_divergence=True)


def fingerprint_of(record) -> str:
    case = record.draft.check().case
    pack = get_rule_pack(case.rule_pack)
    return case_fingerprint(case, pack.name, pack.version)


def request(record, *kinds: DocumentKind, revision: int | None = None) -> IssueRequest:
    kinds = kinds or (DocumentKind.LETTER, DocumentKind.CREDIT_MEMO)
    docs = tuple(NewDocument(k, f"%PDF {record.case_number} {k}".encode(), 1) for k in kinds)
    rendered = record if revision is None else replace(record, revision=revision)
    return IssueRequest(rendered, fingerprint_of(record), determine(record.draft.check().case)
                        .to_json(), docs, {"issue_date": "2026-03-04"})


def test_an_issue_is_one_action_with_one_audit_entry(staffed):
    case_file = staffed
    record = approved(case_file)
    entries = len(case_file.audit_log())
    issue = case_file.issues.issue(request(record), actor="bob")
    assert issue.created and issue.case.status is CaseStatus.ISSUED
    assert [(d.kind, d.issue_number) for d in issue.documents] == [
        (DocumentKind.LETTER, 1), (DocumentKind.CREDIT_MEMO, 1)]
    assert case_file.documents.pdf(issue.documents[0].id) == b"%PDF BD-000001 letter"
    assert case_file.determinations.get(record.id, fingerprint_of(record)) is not None
    new = case_file.audit_log(after=entries)
    assert [(e.action, e.entity, e.actor) for e in new] == [("issue", "case", "bob")]
    details = new[0].after["details"]
    assert [d["sha256"] for d in details["documents"]] == [d.sha256 for d in issue.documents]
    # the snapshot was kept when the case was submitted; the issue names that one
    assert details["determination"]["recorded"] is False
    assert details["determination"]["fingerprint"] == record.approved.fingerprint
    assert new[0].before == {"revision": 3, "status": "approved",
                             "updated_at": new[0].before["updated_at"]}
    assert case_file.issues.rendered_from(issue.documents[1]) == {"issue_date": "2026-03-04"}
    assert case_file.verify().ok


def test_issuing_again_returns_the_stored_issue_and_writes_nothing(staffed):
    case_file = staffed
    record = approved(case_file)
    first = case_file.issues.issue(request(record), actor="bob")
    entries = len(case_file.audit_log())
    again = case_file.issues.issue(request(record), actor="alice")  # same, from a stale view
    assert not again.created and again.documents == first.documents
    assert len(case_file.audit_log()) == entries
    assert rows(case_file, "SELECT count(*) FROM documents") == [(2,)]


def test_only_an_approved_case_unchanged_since_rendering_is_issued(staffed):
    case_file = staffed
    submitted = case_file.workflow.submit(
        case_file.cases.create(shared_draft("13-"), actor="alice").id, actor="alice")
    with pytest.raises(TransitionRefused, match="submitted cannot be issued"):
        case_file.issues.issue(request(submitted), actor="bob")
    record = approved(case_file, "01-")
    with pytest.raises(StaleRevision):
        case_file.issues.issue(request(record, revision=record.revision - 1), actor="bob")
    other = replace(request(record), determination=determine(
        shared_draft("13-").check().case).to_json())
    with pytest.raises(IssueRefused, match="determination given is not this case's"):
        case_file.issues.issue(other, actor="bob")
    assert rows(case_file, "SELECT count(*) FROM documents") == [(0,)]
    assert case_file.cases.load(record.id).status is CaseStatus.APPROVED


def test_a_batch_commits_many_cases_and_a_refused_one_alone_is_undone(staffed):
    case_file = staffed
    records = [approved(case_file, p) for p in ("01-", "13-", "18-")]
    stale = request(records[1], revision=1)
    entries = len(case_file.audit_log())
    outcomes = case_file.issues.issue_many([request(records[0]), stale, request(records[2])],
                                           actor="bob")
    assert [type(o).__name__ for o in outcomes] == ["Issue", "StaleRevision", "Issue"]
    assert [e.case_id for e in case_file.audit_log(after=entries)] == [records[0].id,
                                                                        records[2].id]
    assert case_file.cases.load(records[1].id).status is CaseStatus.APPROVED
    assert case_file.issues.issued(records[1].id, fingerprint_of(records[1])) == ()
    assert [d.issue_number for o in (outcomes[0], outcomes[2]) for d in o.documents] == [1, 1, 2, 2]
    assert case_file.verify().ok


def test_verify_names_a_document_added_behind_the_applications_back(staffed):
    case_file = staffed
    record = approved(case_file)
    case_file.issues.issue(request(record, DocumentKind.LETTER), actor="bob")
    assert case_file.verify().ok
    with raw(case_file) as outside:
        outside.execute("INSERT INTO documents (case_id, kind, issue_number, fingerprint, sha256, "
                        "pdf, page_count, created_at, created_by) VALUES (1, 'credit_memo', 1, ?, "
                        "?, ?, 1, '2024-01-01T00:00:00.000000Z', 'mallory')",
                        (fingerprint_of(record), hashlib.sha256(b"\x00").hexdigest(), b"\x00"))
    report = case_file.verify()
    assert not report.ok
    assert "document #2 (credit_memo of case BD-000001" in report.problem
    assert "behind the application's back" in report.problem


def test_uses_of_a_document_are_recorded_without_changing_it(staffed):
    case_file = staffed
    record = approved(case_file)
    letter = case_file.issues.issue(request(record, DocumentKind.LETTER), actor="bob").documents[0]
    original = case_file.documents.pdf(letter.id)
    case_file.documents.record_use(letter.id, "print", {}, actor="bob")
    copy = case_file.documents.add_copy(letter.id, "reprint", b"%PDF-1.4 a copy", 1,
                                        actor="alice")
    saved = case_file.documents.add_copy(letter.id, "save", b"%PDF-1.4 another copy", 1,
                                         actor="alice", file_name="letter-COPY.pdf")
    uses = case_file.documents.uses(letter.id)
    assert [(u.action, u.actor, u.after["sha256"]) for u in uses] == [
        ("print", "bob", letter.sha256), ("reprint", "alice", letter.sha256),
        ("save", "alice", letter.sha256)]
    assert uses[1].after["copy_id"] == copy.id and uses[1].after["copy"] is True
    assert uses[2].after["file_name"] == "letter-COPY.pdf"
    # each copy is a row of its own; the issued document is as it was
    assert [(c.purpose, c.created_by, c.file_name) for c in
            case_file.documents.copies(letter.id)] == [
        ("reprint", "alice", None), ("save", "alice", "letter-COPY.pdf")]
    assert case_file.documents.copy_pdf(saved.id) == b"%PDF-1.4 another copy"
    assert case_file.documents.pdf(letter.id) == original
    assert case_file.documents.list(record.id) == [letter]
    assert case_file.cases.load(record.id).revision == 4  # printing is not an edit
    assert case_file.verify().ok
