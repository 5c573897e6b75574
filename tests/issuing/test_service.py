"""The issue service on a real case file: letters and memos rendered, read back, stored
with their hashes and issue numbers; refusals; idempotence; reprints and prints."""

from __future__ import annotations

import hashlib

import pypdfium2 as pdfium
import pytest

from billing_desk.documents import DocumentMismatch, SettingInvalid, extract_text
from billing_desk.documents import render as render_module
from billing_desk.domain.workflow import CaseStatus
from billing_desk.issuing import (NotApproved, current_fingerprint, issue_documents,
                                  preview_documents, print_document, reprint_document,
                                  save_document, set_document_settings, signoffs_for)
from billing_desk.store import DocumentKind, create_store
from tests.backends import rows as query
from tests.documents.inputs import document_input

from .cases import (CLERK, ISSUE_DATE, MAIL_ROOM, SUPERVISOR, approved_case, draft_of,
                    ensure_office, name_of)

PEÑA = dict(number="300-4400-17", customer_name="María Peña Núñez",
            service_address="1200 S College Ave, Fort Collins, CO 80525",
            mailing_address="PO Box 2214, Fort Collins, CO 80522")
# worked case 18: $54.35 credited, $14.35 back-billed
AMOUNTS = {"en_US": ("$54.35", "$14.35"), "es_US": ("$54.35", "$14.35")}
# (the memos are in the office's language -- English by default -- whatever the customer's)
WORDS = {"en_US": ("We will credit", "Credit memo", "Back-bill memo"),
         "es_US": ("Acreditaremos", "Credit memo", "Back-bill memo")}


@pytest.fixture
def cf(store_target):
    with create_store(store_target) as f:
        yield f


def pdf_text(pdf: bytes) -> str:
    """The text as pdfium reads it from the stored bytes (independent of our helpers)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return " ".join(" ".join(doc[i].get_textpage().get_text_range().split())
                        for i in range(len(doc)))
    finally:
        doc.close()


@pytest.mark.parametrize("locale", ["en_US", "es_US"])
def test_letter_and_memos_are_issued_stored_and_read_right(cf, locale):
    record = approved_case(cf, "18", locale=locale, **PEÑA)
    issue = issue_documents(cf, record.id, actor=MAIL_ROOM, issue_date=ISSUE_DATE)
    assert issue.created and issue.case.status is CaseStatus.ISSUED
    fingerprint = current_fingerprint(record)
    rows = query(cf, "SELECT kind, issue_number, fingerprint, sha256, pdf, page_count, "
                     "created_by FROM documents ORDER BY id")
    assert [(r[0], r[1], r[2], r[6]) for r in rows] == [
        ("letter", 1, fingerprint, MAIL_ROOM), ("credit_memo", 1, fingerprint, MAIL_ROOM),
        ("back_bill_memo", 1, fingerprint, MAIL_ROOM)]
    for kind, number, _, sha, pdf, pages, _ in rows:
        assert sha == hashlib.sha256(pdf).hexdigest() and pages == len(pdfium.PdfDocument(pdf))
    letter, credit, back_bill = (pdf_text(r[4]) for r in rows)
    for text in (letter, credit, back_bill):
        assert "300-4400-17" in text and "María Peña Núñez" in text and record.case_number in text
    assert "PO Box 2214" in letter and "Fort Collins, CO 80522" in letter
    assert "1200 S College Ave, Fort Collins, CO 80525" in letter
    credited, back_billed = AMOUNTS[locale]
    assert credited in letter and back_billed in letter and WORDS[locale][0] in letter
    assert WORDS[locale][1] in credit and credited in credit and fingerprint in credit
    assert WORDS[locale][2] in back_bill and back_billed in back_bill
    assert f"{SUPERVISOR}" in credit and f"{CLERK}" in credit  # prepared / approved by
    assert cf.verify().ok


def test_a_case_that_is_not_approved_is_refused_naming_its_status(cf):
    ensure_office(cf)
    record = cf.cases.create(draft_of("18"), actor=CLERK)
    record = cf.workflow.submit(record.id, actor=CLERK)
    with pytest.raises(NotApproved, match=r"BD-000001 is submitted, not approved"):
        issue_documents(cf, record.id, actor=MAIL_ROOM, issue_date=ISSUE_DATE)
    assert query(cf, "SELECT count(*) FROM documents")[0][0] == 0


def test_a_crossed_render_is_blocked_and_nothing_is_stored(cf, monkeypatch):
    a = approved_case(cf, "13")
    b = approved_case(cf, "18", **PEÑA)
    entries = len(cf.audit_log())
    snapshots = query(cf, "SELECT count(*) FROM determinations")[0][0]
    render = render_module.render_document
    other = document_input("13", case_number=a.case_number)

    def crossed(inp, kind, identity=None):  # a renderer that draws case A into B's issue
        return render(other, kind)

    monkeypatch.setattr("billing_desk.documents.issue.render_document", crossed)
    with pytest.raises(DocumentMismatch) as blocked:
        issue_documents(cf, b.id, actor=MAIL_ROOM, issue_date=ISSUE_DATE)
    message = str(blocked.value)
    assert message.startswith(f"Issue blocked: the letter for case {b.case_number}")
    assert "account number shows '778-1020-00', expected '300-4400-17'" in message
    assert query(cf, "SELECT count(*) FROM documents")[0][0] == 0
    # nothing new: only the snapshots kept when the two cases were submitted
    assert query(cf, "SELECT count(*) FROM determinations")[0][0] == snapshots == 2
    assert len(cf.audit_log()) == entries
    assert cf.cases.load(b.id).status is CaseStatus.APPROVED


def test_issuing_again_returns_the_same_documents_and_creates_nothing(cf):
    record = approved_case(cf, "23")
    first = issue_documents(cf, record.id, actor=MAIL_ROOM, issue_date=ISSUE_DATE)
    entries = len(cf.audit_log())
    again = issue_documents(cf, record.id, actor="other", issue_date=ISSUE_DATE.replace(day=9))
    assert not again.created and again.documents == first.documents
    assert again.case.status is CaseStatus.ISSUED
    assert len(cf.audit_log()) == entries
    assert [d.kind for d in first.documents] == [DocumentKind.LETTER, DocumentKind.CREDIT_MEMO]


def test_a_reprint_is_stamped_copy_audited_and_creates_no_document(cf):
    record = approved_case(cf, "23", locale="es_US")
    memo = issue_documents(cf, record.id, actor=MAIL_ROOM, issue_date=ISSUE_DATE).documents[1]
    rows = query(cf, "SELECT count(*) FROM documents")[0][0]
    reprint = reprint_document(cf, memo.id, MAIL_ROOM)
    assert reprint.copy and reprint.sha256 != memo.sha256 and reprint.pages == memo.page_count
    text = extract_text(reprint.pdf)
    assert text.count("COPY") == memo.page_count  # (a memo: in the office's language)
    assert "March 4, 2026" in text  # the issue date of the issue, not of the reprint
    assert extract_text(cf.documents.pdf(memo.id)).count("COPY") == 0
    entry = cf.audit_log()[-1]
    assert (entry.action, entry.actor, entry.entity, entry.entity_id) == (
        "reprint", MAIL_ROOM, "document", str(memo.id))
    assert entry.after["copy_sha256"] == hashlib.sha256(reprint.pdf).hexdigest()
    assert entry.after["sha256"] == memo.sha256
    assert query(cf, "SELECT count(*) FROM documents")[0][0] == rows
    assert cf.cases.load(record.id).status is CaseStatus.ISSUED
    assert cf.verify().ok


def test_the_first_print_is_the_original_and_every_later_one_a_copy(cf, tmp_path):
    record = approved_case(cf, "18")
    letter = issue_documents(cf, record.id, actor=MAIL_ROOM, issue_date=ISSUE_DATE).documents[0]
    sent: list[bytes] = []

    def send(pdf: bytes) -> int:
        sent.append(pdf)
        return 1

    cancelled = print_document(cf, letter.id, MAIL_ROOM, lambda pdf: 0)  # dialog cancelled
    first = print_document(cf, letter.id, MAIL_ROOM, send)
    second = print_document(cf, letter.id, MAIL_ROOM, send)
    assert not cancelled.copy and not first.copy and sent[0] == cf.documents.pdf(letter.id)
    assert second.copy and "COPY" in extract_text(sent[1])
    saved = tmp_path / "letter.pdf"
    save_document(cf, letter.id, saved, MAIL_ROOM, lambda pdf, path: path.write_bytes(pdf))
    assert saved.read_bytes() == cf.documents.pdf(letter.id)
    assert [u.action for u in cf.documents.uses(letter.id)] == ["print", "reprint", "save"]
    assert cf.verify().ok


def test_a_preview_before_issue_is_watermarked_and_stores_nothing(cf):
    record = cf.cases.create(draft_of("18", **PEÑA), actor=CLERK)
    previews = preview_documents(cf, record, issue_date=ISSUE_DATE)
    assert [d.kind.value for d in previews] == ["letter", "credit_memo", "back_bill_memo"]
    assert all("PREVIEW · NOT ISSUED" in extract_text(d.pdf) for d in previews)
    assert "Not yet submitted for approval" in extract_text(previews[1].pdf)
    assert query(cf, "SELECT count(*) FROM documents")[0][0] == 0
    assert len(cf.audit_log()) == 1  # only the creation


def test_sign_offs_come_from_the_latest_submission_and_approval(cf):
    record = approved_case(cf, "18")
    signoffs = signoffs_for(cf, record)
    assert (signoffs.prepared.name, signoffs.approved.name) == (
        f"{name_of(CLERK)} ({CLERK})", f"{name_of(SUPERVISOR)} ({SUPERVISOR})")
    assert signoffs.prepared.at < signoffs.approved.at
    assert signoffs.fingerprint == current_fingerprint(record)
    edited = cf.cases.save(record.id, draft_of("18", customer_name="Pat Example Jr."),
                           expected_revision=record.revision, actor=CLERK)  # back to draft
    assert edited.status is CaseStatus.DRAFT
    assert signoffs_for(cf, edited).approved is None and signoffs_for(cf, edited).prepared is None


def test_the_offices_document_settings_are_what_the_letter_prints(cf):
    with pytest.raises(SettingInvalid, match="letterhead.phone must not be blank"):
        set_document_settings(cf, {"letterhead.phone": " "}, actor="admin")
    set_document_settings(cf, {"letterhead.name": "Loveland Water & Power"}, actor="admin")
    record = approved_case(cf, "01")
    letter = issue_documents(cf, record.id, actor=MAIL_ROOM, issue_date=ISSUE_DATE).documents[0]
    assert "Loveland Water & Power" in extract_text(cf.documents.pdf(letter.id))
    set_document_settings(cf, {}, actor="admin")  # later changes do not touch a reprint
    assert "Loveland Water & Power" in extract_text(reprint_document(cf, letter.id, MAIL_ROOM).pdf)
