"""The customer letter, read back out of the PDF as a customer would read it."""

from __future__ import annotations

import pytest

from billing_desk.documents.model import DocumentKind
from billing_desk.documents.readback import check_document, extract_text
from billing_desk.documents.render import render_document
from billing_desk.documents.settings import RefundMethod, document_settings
from tests.domain.builders import make_case, period
from tests.documents.inputs import document_input, with_account, worked

LETTER = DocumentKind.LETTER


def letter_text(inp) -> str:
    pdf = render_document(inp, LETTER).pdf
    check_document(inp, LETTER, pdf)
    return extract_text(pdf)


def test_mixed_case_letter_in_english():
    text = letter_text(document_input("18"))
    for expected in (
        "Pat Example 215 N Mason St Fort Collins, CO 80524",  # the envelope window
        "Account number 100-2000-01", "Case number BD-2026-000123",
        "Service address: 215 N Mason St, Fort Collins, CO 80524",
        "Dear Pat Example:",
        "found a billing error affecting 3 billing periods between June 1, 2010 and "
        "August 31, 2010",
        "you were billed $54.35 more than you should have been, and in others $14.35 less",
        "We will credit $54.35 to your account. The credit will appear on your next bill.",
        "refunds are made without interest",
        "We will add $14.35 to your next bill.",
        "these corrections lower your account balance by $40.00",
        "Jun 1 – 30, 2010 $212.40 $187.15 $25.25 $0.00",
        "Total $632.50 $592.50 $54.35 $14.35",
        "please call us at (970) 212-2900, Monday through Friday, 8 a.m. to 5 p.m.",
        "Please mention case number BD-2026-000123",
        "Page 1 of 1",
    ):
        assert expected in text
    assert "installments" not in text  # $14.35 is under the installment threshold


def test_mixed_case_letter_in_spanish():
    text = letter_text(document_input("18", locale="es_US"))
    for expected in (
        "Número de cuenta 100-2000-01", "Número de caso BD-2026-000123",
        "Estimado(a) Pat Example:",
        "encontramos un error de facturación que afecta a 3 periodos de facturación entre "
        "el 1 de junio de 2010 y el 31 de agosto de 2010",
        "se le cobró de más un total de $54.35",
        "se le cobró de menos un total de $14.35",
        "Acreditaremos $54.35 a su cuenta.",
        "Agregaremos $14.35 a su próxima factura.",
        "reducen el saldo de su cuenta en $40.00",
        "1–30 de jun de 2010 $212.40 $187.15 $25.25 $0.00",
        "llámenos al (970) 212-2900, de lunes a viernes, de 8 a. m. a 5 p. m.",
        "Atentamente,",
        "Página 1 de 2", "Página 2 de 2",
    ):
        assert expected in text


@pytest.mark.parametrize("locale, phrases", [
    ("en_US", ["$360.00 for 3 billing periods (Jul 1, 2004 – Mar 31, 2005) is not billed: "
               "it happened more than six years before we found the error.",
               "Because this raises your balance by more than $100.00, you do not have to pay "
               "it all at once: you may pay it in up to 12 monthly installments, for example "
               "11 installments of $16.63 and a last one of $16.64."]),
    ("es_US", ["$360.00 correspondientes a 3 periodos de facturación (1 de jul de 2004 – 31 "
               "de mar de 2005) no se facturan: el cobro ocurrió más de seis años antes de "
               "que detectáramos el error.",
               "Como esto aumenta su saldo en más de $100.00, no tiene que pagarlo todo de una "
               "vez: puede pagarlo en hasta 12 cuotas mensuales, por ejemplo 11 cuotas de "
               "$16.63 y una última de $16.64."]),
])
def test_concealed_undercharge_explains_exclusions_and_offers_installments(locale, phrases):
    text = letter_text(document_input("13", locale=locale))
    assert "Front Range Storage LLC" in text
    for phrase in phrases:
        assert phrase in text


def test_installments_follow_the_threshold_setting():
    settings = document_settings({"backbill.installment_threshold": "500.00",
                                  "backbill.installment_months": "6"})
    assert "installments" not in letter_text(document_input("13", settings=settings))
    settings = document_settings({"backbill.installment_threshold": "50.00",
                                  "backbill.installment_months": "6"})
    assert ("more than $50.00, you do not have to pay it all at once: you may pay it in up to "
            "6 monthly installments, for example 5 installments of $33.26 and a last one of "
            "$33.27." in letter_text(document_input("13", settings=settings)))


def test_refund_by_check_instead_of_bill_credit():
    inp = document_input("01", locale="en_US", refund_method=RefundMethod.REFUND_CHECK)
    text = letter_text(inp)
    assert "We will mail you a refund check for $38.25." in text
    assert "credit will appear on your next bill" not in text
    text = letter_text(document_input("01", refund_method=RefundMethod.REFUND_CHECK))
    assert "Le enviaremos por correo un cheque de reembolso por $38.25." in text


def test_former_customer_is_refunded_by_check_and_not_back_billed():
    text = letter_text(document_input("14"))
    assert "We will mail you a refund check for $10.00." in text
    assert ("is not billed: the City Code allows us to bill an undercharge only to a current "
            "customer of the account.") in text


@pytest.mark.parametrize("locale, phrases", [
    ("en_US", ["Under Fort Collins City Code Section 26-721, no change will be made to your "
               "account.",
               "is not credited: the City Code allows a refund only when the error could not "
               "have been noticed on the bills and the overcharge is documented and confirmed "
               "by our records; here, the error could have been noticed on the bills."]),
    ("es_US", ["Conforme a la sección 26-721 del Código Municipal de Fort Collins, no se hará "
               "ningún cambio en su cuenta.",
               "no se acreditan: el Código Municipal solo permite un reembolso cuando el error "
               "no se podía detectar en las facturas"]),
])
def test_no_adjustment_letter_says_nothing_changes_and_why(locale, phrases):
    text = letter_text(document_input("04", locale=locale))
    for phrase in phrases:
        assert phrase in text
    assert "We will credit" not in text and "Acreditaremos" not in text


def test_bills_found_correct_get_a_letter_saying_so():
    case = make_case(periods=[period("2010-01-01", "2010-01-31", "40.00", "40.00")])
    text = letter_text(document_input(case))
    assert ("We reviewed the water bills for your account from January 1, 2010 to January "
            "31, 2010 and found that they were correct.") in text


def test_seventy_two_months_are_summarised_by_year():
    text = letter_text(document_input("23"))
    assert "The 72 billing periods are grouped by calendar year." in text
    assert "2004 (12 billing periods) $377.52 $235.80 $141.72" in text
    assert "2003 (6 billing periods)" in text and "2009 (6 billing periods)" in text
    assert "Total $2,265.12 $1,414.80 $844.61" in text
    assert "$5.71 for 1 billing period (Jul 1 – 31, 2003) is not credited" in text


def test_mailing_address_is_used_and_service_address_is_the_fallback():
    inp = document_input("18", mailing_address="PO Box 580\nFort Collins, CO 80522")
    text = letter_text(inp)
    assert "Pat Example PO Box 580 Fort Collins, CO 80522 Date" in text
    inp = document_input("18", mailing_address=None)
    assert "Pat Example 215 N Mason St Fort Collins, CO 80524" in letter_text(inp)


def test_large_amounts_are_grouped():
    text = letter_text(document_input("21"))
    assert "$999,999.99" in text and "$333,333.33" in text


def test_a_letter_that_runs_over_is_numbered_and_identified_on_every_page():
    case = with_account(worked("13"), locale="es_US")
    text = letter_text(document_input(case))
    assert "Página 1 de 2" in text and "Página 2 de 2" in text
    assert text.count("Cuenta 778-1020-00 · Caso BD-2026-000123") == 2


def test_rendering_is_deterministic():
    inp = document_input("18")
    assert render_document(inp, LETTER).pdf == render_document(inp, LETTER).pdf
