"""Determination snapshots with their fingerprint, and issued documents (one issue per
case, kind and fingerprint)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date

import pytest

from billing_desk.domain.fingerprint import case_fingerprint
from billing_desk.domain.problems import CaseInvalid
from billing_desk.domain.rulepacks import determine, get_rule_pack
from billing_desk.store import DocumentKind, RecordNotFound
from tests.backends import raw

from .conftest import shared_draft


def test_snapshot_is_the_engine_result_bound_to_the_fingerprint(case_file):
    draft = shared_draft("23-")
    record = case_file.cases.create(draft, actor="alice")
    snap = case_file.determinations.record(record.id, actor="alice")
    case = draft.check().case
    pack = get_rule_pack(case.rule_pack)
    assert snap.fingerprint == case_fingerprint(case, pack.name, pack.version)
    assert snap.determination == determine(case).to_json()
    assert snap.determination["refund_total"] == "844.61"
    assert (snap.case_revision, snap.rule_pack_version) == (1, pack.version)
    assert case_file.determinations.record(record.id, actor="bob") == snap  # same inputs
    assert case_file.determinations.latest(record.id) == snap
    assert [e.action for e in case_file.cases.history(record.id)] == ["create", "determine"]


def test_an_edit_gives_a_new_fingerprint(case_file):
    record = case_file.cases.create(shared_draft("01-"), actor="alice")
    first = case_file.determinations.record(record.id, actor="alice")
    case_file.cases.save(record.id, replace(record.draft, discovered_on=date(2009, 7, 1)),
                         expected_revision=1, actor="alice")
    second = case_file.determinations.record(record.id, actor="alice")
    assert second.fingerprint != first.fingerprint and second.case_revision == 2
    assert case_file.determinations.get(record.id, first.fingerprint) == first


def test_incomplete_case_has_no_determination(case_file):
    record = case_file.cases.create(replace(shared_draft("01-"), discovered_on=None), actor="alice")
    with pytest.raises(CaseInvalid) as invalid:
        case_file.determinations.record(record.id, actor="alice")
    assert invalid.value.problems[0].field == "discovered_on"
    assert case_file.determinations.latest(record.id) is None


def test_documents_issue_once_per_case_kind_and_fingerprint(case_file):
    a = case_file.cases.create(shared_draft("01-"), actor="alice")
    b = case_file.cases.create(shared_draft("02-"), actor="alice")
    fa = case_file.determinations.record(a.id, actor="alice").fingerprint
    fb = case_file.determinations.record(b.id, actor="alice").fingerprint
    letter_a = case_file.documents.add(a.id, DocumentKind.LETTER, fa, b"%PDF a", 1, actor="mail")
    letter_b = case_file.documents.add(b.id, DocumentKind.LETTER, fb, b"%PDF b", 2, actor="mail")
    memo_a = case_file.documents.add(a.id, DocumentKind.CREDIT_MEMO, fa, b"%PDF m", 1, actor="mail")
    assert (letter_a.issue_number, letter_b.issue_number, memo_a.issue_number) == (1, 2, 1)
    again = case_file.documents.add(a.id, DocumentKind.LETTER, fa, b"%PDF other", 1, actor="mail")
    assert again == letter_a
    assert case_file.documents.pdf(letter_a.id) == b"%PDF a"
    assert case_file.documents.list(a.id) == [letter_a, memo_a]
    assert case_file.documents.get(b.id, DocumentKind.LETTER, fb) == letter_b
    with raw(case_file) as outside, pytest.raises(outside.refused, match="issued document cannot be"):
        outside.execute("UPDATE documents SET pdf = ?", (b"\x00",))
    assert case_file.verify().ok


def test_document_needs_a_recorded_determination(case_file):
    a = case_file.cases.create(shared_draft("01-"), actor="alice")
    with pytest.raises(RecordNotFound, match="determination"):
        case_file.documents.add(a.id, DocumentKind.LETTER, "0" * 64, b"%PDF", 1, actor="mail")


def test_a_copy_is_a_row_of_its_own_that_nobody_changes_or_removes(case_file):
    a = case_file.cases.create(shared_draft("01-"), actor="alice")
    fp = case_file.determinations.record(a.id, actor="alice").fingerprint
    letter = case_file.documents.add(a.id, DocumentKind.LETTER, fp, b"%PDF a", 1, actor="mail")
    copy = case_file.documents.add_copy(letter.id, "reprint", b"%PDF a COPY", 1, actor="mail")
    assert case_file.documents.copies(letter.id) == [copy]
    with raw(case_file) as outside:
        for sql in ("UPDATE document_copies SET pdf = ?", "DELETE FROM document_copies WHERE ? = ?"):
            with pytest.raises(outside.refused, match="copy of an issued document cannot be"):
                outside.execute(sql, (b"\x00",) if sql.count("?") == 1 else (1, 1))
        # a copy slipped in behind the application's back has no audit entry
        outside.execute("INSERT INTO document_copies (document_id, purpose, sha256, pdf, "
                        "page_count, file_name, created_at, created_by) VALUES (?, 'reprint', "
                        "?, ?, 1, NULL, ?, 'mail')",
                        (letter.id, hashlib.sha256(b"%PDF forged").hexdigest(), b"%PDF forged",
                         "2026-12-03T08:00:00Z"))
    assert case_file.documents.copy_pdf(copy.id) == b"%PDF a COPY"
    problem = case_file.verify().problem
    assert problem.startswith("copy #2 of document #1") and "behind the application" in problem
