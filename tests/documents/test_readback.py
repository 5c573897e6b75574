"""The read-back control: a document is issued only when the text read out of its PDF
is its own case's — the control against a letter carrying another customer's data."""

from __future__ import annotations

import dataclasses
import io

import pypdfium2 as pdfium
import pytest

from billing_desk.documents.errors import (DocumentMismatch, MissingMailingAddress,
                                           UnprintableText)
from billing_desk.documents.model import DocumentKind
from billing_desk.documents.readback import check_document, extract_text
from billing_desk.documents.render import render_document
from tests.documents.inputs import document_input

LETTER, CREDIT = DocumentKind.LETTER, DocumentKind.CREDIT_MEMO


def test_a_crossed_render_is_blocked_naming_what_is_wrong():
    a = document_input("18", case_number="BD-2026-000001")
    b = document_input("13", case_number="BD-2026-000002")
    pdf_of_a = render_document(a, LETTER).pdf
    with pytest.raises(DocumentMismatch) as caught:
        check_document(b, LETTER, pdf_of_a)
    message = str(caught.value)
    assert message.startswith("Issue blocked: the letter for case BD-2026-000002")
    assert ("envelope window (name and mailing address) shows 'Pat Example 215 N Mason St "
            "Fort Collins, CO 80524', expected 'Front Range Storage LLC 4100 S College Ave'"
            in message)
    assert "account number shows '100-2000-01', expected '778-1020-00'" in message
    assert "back-bill total '$199.57' is not in the document" in message


def test_same_customer_other_case_is_blocked_by_case_number():
    a = document_input("18", case_number="BD-2026-000001")
    b = document_input("18", case_number="BD-2026-000002")
    with pytest.raises(DocumentMismatch, match="case number shows 'BD-2026-000001'"):
        check_document(b, LETTER, render_document(a, LETTER).pdf)


def test_memo_of_another_case_is_blocked():
    a = document_input("01", case_number="BD-1")
    b = document_input("03", case_number="BD-2", customer_name="Jordan Blake")
    with pytest.raises(DocumentMismatch, match="customer name shows"):
        check_document(b, CREDIT, render_document(a, CREDIT).pdf)


def test_a_wrong_amount_is_blocked():
    right = document_input("01", locale="en_US")
    same_customer = {f.name: getattr(right.case.account, f.name)
                     for f in dataclasses.fields(right.case.account)}
    other_amounts = document_input("03", **same_customer)
    with pytest.raises(DocumentMismatch, match=r"refund total '\$38.25' is not in the document"):
        check_document(right, LETTER, render_document(other_amounts, LETTER).pdf)


@pytest.mark.parametrize("name, address", [
    ("Peña Müller", "Calle Señora Ñúñez 12, Fort Collins, CO 80521"),
    ("Nguyễn Thị Minh Khai", "1812 Peterson St, Apt 4, Fort Collins, CO 80524"),
    ("Łukasz Żółć & Søren Ærø", "Kirkevej 3\nDK-2100 København Ø\nDenmark"),
    ("R. (Bob) O'Brien \\ Trust", "PO Box (12), Fort Collins, CO 80522"),  # PDF escapes
])
@pytest.mark.parametrize("locale", ["en_US", "es_US"])
def test_non_ascii_names_survive_render_and_read_back(name, address, locale):
    inp = document_input("18", customer_name=name, mailing_address=address, locale=locale)
    for kind in inp.kinds:
        pdf = render_document(inp, kind).pdf
        assert check_document(inp, kind, pdf) == (2 if kind is LETTER and locale == "es_US" else 1)
        assert name in extract_text(pdf)


def test_decomposed_unicode_prints_as_composed_letters():
    decomposed = "Nguye\u0302\u0303n"  # e + circumflex + tilde typed as combining marks
    inp = document_input("18", customer_name=decomposed)
    pdf = render_document(inp, LETTER).pdf
    check_document(inp, LETTER, pdf)
    assert "Dear Nguyễn:" in extract_text(pdf)


def test_a_name_the_font_cannot_print_is_refused():
    with pytest.raises(UnprintableText, match="customer name contains characters .*'王'"):
        render_document(document_input("18", customer_name="王小明"), LETTER)


def test_an_address_too_long_for_the_window_is_refused():
    lines = "\n".join(f"Line {i} of a very long mailing address" for i in range(6))
    with pytest.raises(UnprintableText, match="customer name and mailing address is too long"):
        render_document(document_input("18", mailing_address=lines), LETTER)


def test_a_long_name_wraps_inside_the_window_and_still_checks():
    name = "Northern Colorado Foundry and Precision Machining Incorporated"
    inp = document_input("18", customer_name=name)
    pdf = render_document(inp, LETTER).pdf
    assert check_document(inp, LETTER, pdf) == 1


def test_no_address_at_all_is_refused():
    with pytest.raises(MissingMailingAddress, match="no mailing address and no service address"):
        render_document(document_input("18", mailing_address=" ", service_address=None), LETTER)


def test_a_reprint_is_stamped_copy_and_an_original_is_not():
    original = document_input("18")
    copy = original.as_copy()
    copy_pdf = render_document(copy, LETTER).pdf
    assert check_document(copy, LETTER, copy_pdf) == 1
    assert "COPY" in extract_text(copy_pdf)
    with pytest.raises(DocumentMismatch, match="copy stamp shows 'COPY', expected nothing"):
        check_document(original, LETTER, copy_pdf)
    with pytest.raises(DocumentMismatch, match="copy stamp shows nothing, expected 'COPY'"):
        check_document(copy, LETTER, render_document(original, LETTER).pdf)
    spanish = document_input("18", locale="es_US").as_copy()
    assert "COPIA" in extract_text(render_document(spanish, LETTER).pdf)


def test_bytes_that_are_not_a_pdf_are_blocked():
    with pytest.raises(DocumentMismatch, match="cannot be read back"):
        check_document(document_input("18"), LETTER, b"%PDF-1.4 not really")


def test_a_page_missing_from_a_long_document_is_caught():
    inp = document_input("23")
    doc = pdfium.PdfDocument(render_document(inp, CREDIT).pdf)
    doc.del_page(1)
    out = io.BytesIO()
    doc.save(out)
    with pytest.raises(DocumentMismatch, match=r"page 2 is numbered 'Page 3 of 3', expected "
                                               r"'Page 2 of 2'"):
        check_document(inp, CREDIT, out.getvalue())


def test_a_place_is_read_as_pypdfium2_reads_it_even_past_the_buffer(monkeypatch):
    from billing_desk.documents import layout as L
    from billing_desk.documents import readback

    pdf = render_document(document_input("18"), DocumentKind.LETTER).pdf
    doc = pdfium.PdfDocument(pdf)
    textpage = doc[0].get_textpage()
    places = (L.FOOTER_RECT, L.PAGE_NUMBER_RECT, L.COPY_BOX, L.WINDOW_RECT, L.LETTER_ACCOUNT_RECT,
              L.LETTER_CASE_RECT, L.Rect(0, 0, L.PAGE_WIDTH, L.PAGE_HEIGHT))
    expected = [textpage.get_text_bounded(r.x0, r.y0, r.x1, r.y1) for r in places]
    assert "Page 1 of 1" in expected[1] and expected[2] == ""
    assert [readback._PlaceReader().read(textpage, r) for r in places] == expected
    monkeypatch.setattr(readback, "_PLACE_CHARS", 8)  # every longer text: read the other way
    assert [readback._PlaceReader().read(textpage, r) for r in places] == expected
    textpage.close()
    doc.close()


# -- whole fields and every row (issue 14, point 4) -------------------------------------

SHORT, LONG = "100 Main St, Fort Collins, CO 80524", "1100 Main St, Fort Collins, CO 80524"


@pytest.mark.parametrize("kind", [LETTER, CREDIT])
def test_a_field_is_compared_whole_not_found_inside_a_longer_one(kind):
    """"100 Main St" must not pass inside "1100 Main St": the letter of the case at
    1100 Main St is not the letter of the same customer's case at 100 Main St."""
    mailing = "PO Box 580, Fort Collins, CO 80522"  # the same envelope window for both
    printed = document_input("18", service_address=LONG, mailing_address=mailing)
    expected = document_input("18", service_address=SHORT, mailing_address=mailing)
    pdf = render_document(printed, kind).pdf
    assert SHORT in extract_text(pdf)  # as a substring it is there...
    with pytest.raises(DocumentMismatch, match="service address"):  # ...as a field it is not
        check_document(expected, kind, pdf)
    assert check_document(printed, kind, pdf) >= 1


def swapped():
    """Two periods whose amounts are swapped between the rows: every total is the same."""
    from tests.domain.builders import make_case, period

    one = make_case(periods=[period("2010-01-01", "2010-01-31", "100.00", "80.00"),
                             period("2010-02-01", "2010-02-28", "70.00", "60.00")])
    other = make_case(periods=[period("2010-01-01", "2010-01-31", "90.00", "80.00"),
                               period("2010-02-01", "2010-02-28", "80.00", "60.00")])
    return document_input(one), document_input(other)


@pytest.mark.parametrize("kind", [LETTER, CREDIT])
def test_every_period_row_printed_is_checked_against_the_determination(kind):
    expected, printed = swapped()
    assert expected.determination.refund_total == printed.determination.refund_total
    pdf = render_document(printed, kind).pdf
    with pytest.raises(DocumentMismatch, match=r"row 1 shows '.*\$90\.00.*', expected '.*\$100\.00"):
        check_document(expected, kind, pdf)


def test_a_row_missing_or_added_is_caught():
    from tests.domain.builders import make_case, period

    two = make_case(periods=[period("2010-01-01", "2010-01-31", "100.00", "80.00"),
                             period("2010-02-01", "2010-02-28", "70.00", "60.00")])
    three = make_case(periods=[period("2010-01-01", "2010-01-31", "100.00", "80.00"),
                               period("2010-02-01", "2010-02-28", "70.00", "60.00"),
                               period("2010-03-01", "2010-03-31", "50.00", "50.00")])
    # the third period has no difference: not in the letter's table, in the memo's
    pdf = render_document(document_input(three), CREDIT).pdf
    with pytest.raises(DocumentMismatch, match="prints 3 row.s., the determination has 2"):
        check_document(document_input(two), CREDIT, pdf)


def test_an_amount_is_a_whole_word():
    from billing_desk.documents.readback import _whole_word

    text = "We will credit $114.35 to your account. A net of −$14.35."
    assert not _whole_word(text, "$14.35") and _whole_word(text, "$114.35")
    assert _whole_word("credit $14.35.", "$14.35") and not _whole_word("$14.357", "$14.35")
