"""The internal memos: which a case gets, and what they say, read back from the PDF."""

from __future__ import annotations

import pytest

from billing_desk.documents.model import DocumentKind
from billing_desk.documents.readback import check_document, extract_text
from billing_desk.documents.render import render_document
from billing_desk.documents.settings import document_settings
from tests.documents.inputs import document_input

LETTER, CREDIT, BACK = DocumentKind.LETTER, DocumentKind.CREDIT_MEMO, DocumentKind.BACK_BILL_MEMO


def memo_text(inp, kind) -> str:
    pdf = render_document(inp, kind).pdf
    check_document(inp, kind, pdf)
    return extract_text(pdf)


@pytest.mark.parametrize("case, kinds", [
    ("01", (LETTER, CREDIT)),          # credit
    ("07", (LETTER, BACK)),            # back-bill
    ("18", (LETTER, CREDIT, BACK)),    # mixed: both memos
    ("04", (LETTER,)),                 # nothing posted: the letter alone
])
def test_a_case_gets_the_documents_its_outcome_calls_for(case, kinds):
    assert document_input(case).kinds == kinds


def test_credit_memo_of_a_mixed_case():
    inp = document_input("18")
    text = memo_text(inp, CREDIT)
    for expected in (
        "Credit memo", "Account number 100-2000-01", "Customer Pat Example",
        "Mailing address 215 N Mason St, Fort Collins, CO 80524",
        "Case number BD-2026-000123", "Issued March 4, 2026",
        "Fort Collins City Code Sec. 26-721, Billing errors · v1.0.0",
        "Reading used ordinance text",
        "1 6/1/2010 – 6/30/2010 $212.40 $187.15 $25.25 30/30 $25.25 $0.00 26-721(a)(1) R1",
        "3 8/1/2010 – 8/31/2010 $230.10 $201.00 $29.10 31/31 $29.10 $0.00 26-721(a)(1) R1",
        "R1 (a)(1): refunded without interest; within six years of the date made known.",
        "Credited to the customer $54.35", "Case net (back-bill minus refund) −$40.00",
        "staff practice $54.35 $0.00 −$54.35 Credit",
        "The readings give different totals. This determination uses the ordinance text reading",
        "Prepared by Alex Clerk on Mar 2, 2026, 3:04:00 PM UTC",
        "Approved by Sam Supervisor on Mar 3, 2026, 9:30:00 AM UTC",
        f"Determination fingerprint: {inp.fingerprint}",
        "Credit paid as Credit on the next bill",
    ):
        assert expected in text
    # the undercharge period belongs to the back-bill memo of this mixed case
    assert "7/1/2010 – 7/31/2010" not in text
    assert "7/1/2010 – 7/31/2010 $190.00 $204.35 −$14.35" in memo_text(inp, BACK)


def test_back_bill_memo_in_spanish_lists_included_and_excluded_with_clauses():
    text = memo_text(document_input("13", locale="es_US"), BACK)
    for expected in (
        "Nota de cobro retroactivo", "Cliente Front Range Storage LLC",
        "4 1/7/2005–30/9/2005 $300.00 $420.00 −$120.00 61/92 $79.57 $40.43 26-721(a)(2) R2",
        "R1 (a)(2), práctica del personal: no cobrado; más de seis años de antigüedad.",
        "Cobrado retroactivamente al cliente $199.57", "Excluido $400.43",
        "El cliente ocultó el error: posible infracción de la 26-721(b).",
        "Preparado por Alex Clerk el 2 mar 2026",
        "Interpretación aplicada práctica del personal",
    ):
        assert expected in text


def test_memo_language_can_be_fixed_by_setting():
    inp = document_input("13", locale="es_US", settings=document_settings({"memo.locale": "en_US"}))
    assert "Back-bill memo" in memo_text(inp, BACK)
    letter = render_document(inp, LETTER).pdf
    assert "Estimado(a) Front Range Storage LLC:" in extract_text(letter)


def test_a_long_memo_repeats_its_identity_on_every_page():
    inp = document_input("23")
    rendered = render_document(inp, CREDIT)
    assert rendered.pages == 3
    text = extract_text(rendered.pdf)
    assert text.count("Account 620-3318-44 · Case BD-2026-000123") == 3
    assert "72 6/1/2009 – 6/30/2009" in text
    assert check_document(inp, CREDIT, rendered.pdf) == 3
