"""Issue preparation: every document of a case, rendered, read back, hashed — or a
refusal that names the reason, and nothing to store."""

from __future__ import annotations

import dataclasses
import hashlib
import pickle

import pytest

from billing_desk.documents.errors import DocumentMismatch, StaleDetermination
from billing_desk.documents.issue import prepare_document, prepare_issue
from billing_desk.documents.model import DocumentInput, DocumentKind
from billing_desk.documents.readback import check_copy, extract_text
from tests.documents.inputs import APPROVED, ISSUED_ON, PREPARED, document_input, worked
from tests.shared_cases import worked_cases


VALID_CASES = [p.stem for p in worked_cases() if not p.stem.startswith("bad-")]


#: worked case 14 refunds a former customer whose mailing address is the service address
#: they left: its letter goes to a forwarding address (test_a_former_customer_...)
FORWARDING = {"14-former-customer-undercharge": "1630 Pearl St, Boulder, CO 80302"}


@pytest.mark.parametrize("stem", VALID_CASES)
@pytest.mark.parametrize("locale", ["en_US", "es_US"])
def test_every_worked_case_issues_in_both_languages(stem, locale):
    forwarding = {"mailing_address": FORWARDING[stem]} if stem in FORWARDING else {}
    inp = document_input(stem, locale=locale, **forwarding)
    issued = prepare_issue(inp)
    assert tuple(d.kind for d in issued) == inp.kinds
    for doc in issued:
        assert doc.sha256 == hashlib.sha256(doc.pdf).hexdigest()
        assert doc.pages >= 1 and doc.fingerprint == inp.fingerprint
        assert doc.case_number == "BD-2026-000123" and not doc.copy


def test_issuing_the_same_input_twice_gives_the_same_bytes():
    inp = document_input("18")
    first, second = prepare_issue(inp), prepare_issue(inp)
    assert [d.sha256 for d in first] == [d.sha256 for d in second]


def test_a_case_edited_after_approval_is_refused():
    inp = document_input("18")
    edited = dataclasses.replace(inp.case, discovered_on=inp.case.discovered_on.replace(day=6))
    stale = dataclasses.replace(inp, case=edited)
    with pytest.raises(StaleDetermination, match="changed after it was approved"):
        prepare_issue(stale)


def test_the_approved_fingerprint_is_what_the_case_must_still_match():
    case = worked("18")
    approved = document_input(case).fingerprint
    edited = dataclasses.replace(case, discovered_on=case.discovered_on.replace(day=6))
    inp = DocumentInput.for_case("BD-1", edited, prepared=PREPARED, approved=APPROVED,
                                 issue_date=ISSUED_ON, fingerprint=approved)
    with pytest.raises(StaleDetermination, match="changed after it was approved"):
        prepare_issue(inp)


def test_another_cases_determination_is_refused():
    inp = document_input("18")
    other = document_input("13")
    with pytest.raises(StaleDetermination, match="not the one its case produces"):
        prepare_issue(dataclasses.replace(inp, determination=other.determination))


def test_a_determination_under_other_rules_is_refused():
    inp = document_input("18")
    old = dataclasses.replace(inp.determination, rule_pack_version="0.9.0")
    with pytest.raises(StaleDetermination, match="approve it again"):
        prepare_issue(dataclasses.replace(inp, determination=old))


def test_a_reprint_is_marked_copy():
    issued = prepare_issue(document_input("01").as_copy())
    assert all(d.copy for d in issued)
    assert "COPIA" in extract_text(issued[0].pdf)


def test_inputs_travel_to_worker_processes_intact():
    inp = document_input(worked("23"))
    assert pickle.loads(pickle.dumps(inp)) == inp


def test_letter_comes_first_then_memos():
    kinds = [d.kind for d in prepare_issue(document_input("18"))]
    assert kinds == [DocumentKind.LETTER, DocumentKind.CREDIT_MEMO, DocumentKind.BACK_BILL_MEMO]


def test_a_reprint_reads_page_for_page_as_the_issued_document_with_the_stamp():
    inp = document_input("23", locale="es_US")
    memo = prepare_issue(inp)[1]
    copy = prepare_document(inp.as_copy(), DocumentKind.CREDIT_MEMO)
    assert copy.copy and copy.pages == memo.pages == 3 and copy.sha256 != memo.sha256
    check_copy(inp.as_copy(), DocumentKind.CREDIT_MEMO, memo.pdf, copy.pdf)
    other = prepare_document(document_input("01", locale="es_US").as_copy(), DocumentKind.LETTER)
    with pytest.raises(DocumentMismatch, match="the copy has 1 page"):
        check_copy(inp.as_copy(), DocumentKind.CREDIT_MEMO, memo.pdf, other.pdf)


def test_a_document_the_case_does_not_call_for_is_not_rendered():
    with pytest.raises(StaleDetermination, match="calls for no back bill memo"):
        prepare_document(document_input("23"), DocumentKind.BACK_BILL_MEMO)


def test_a_former_customer_is_never_written_to_at_the_service_address_they_left():
    from billing_desk.documents.errors import MissingMailingAddress

    # worked case 14 as written: a refund check to a former customer, mailing address =
    # the service address they left (approved before the rule existed): refused at issue
    with pytest.raises(MissingMailingAddress, match="forwarding address"):
        prepare_issue(document_input("14"))
    # no mailing address: never the service address for a former customer
    with pytest.raises(MissingMailingAddress, match="former customer's and has no mailing"):
        prepare_issue(document_input("14", mailing_address=None))
    # a current customer without one: the service address, as before
    current = document_input("18", mailing_address=None)
    assert "215 N Mason St" in extract_text(prepare_issue(current)[0].pdf)
