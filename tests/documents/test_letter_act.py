"""Letters say what a customer needs to act (issue 14, point 6), read back out of the
PDF as the customer reads them: what went wrong and when it was found, the clause of a
refund and of a back-bill, what to pay by when and how, installments on the rise of the
balance (never when it goes down), how to ask for a review and whether collection
waits, the letter in the other language, and a subject that matches the outcome. Memos
are for staff: in the office's language and date format."""

from __future__ import annotations

import dataclasses

import pytest

from billing_desk.documents.model import DocumentKind
from billing_desk.documents.readback import check_document, extract_text
from billing_desk.documents.render import render_document
from billing_desk.documents.settings import RefundMethod, document_settings
from tests.documents.inputs import document_input, worked
from tests.domain.builders import make_case, period

LETTER = DocumentKind.LETTER
CAUSE = {"en_US": "Your meter was read with the wrong multiplier.",
         "es_US": "Su medidor se leyó con un multiplicador equivocado."}


def text_of(inp, kind=LETTER) -> str:
    pdf = render_document(inp, kind).pdf
    check_document(inp, kind, pdf)
    return extract_text(pdf)


def with_cause(stem: str, locale: str, **account):
    case = dataclasses.replace(worked(stem), cause=CAUSE[locale])
    return document_input(case, locale=locale, **account)


@pytest.mark.parametrize("stem, locale, subject", [
    ("01", "en_US", "A credit for your electric bills"),
    ("07", "en_US", "A correction to your water bills: an amount to pay"),
    ("18", "en_US", "A correction to your electric bills: a credit and a charge"),
    ("04", "en_US", "Review of your electric bills: no change to your account"),
    ("01", "es_US", "Un crédito por sus facturas de electricidad"),
    ("07", "es_US", "Corrección de sus facturas de agua: un importe a pagar"),
    ("18", "es_US", "Corrección de sus facturas de electricidad: un crédito y un cargo"),
    ("04", "es_US", "Revisión de sus facturas de electricidad: ningún cambio en su cuenta"),
])
def test_the_subject_matches_the_outcome(stem, locale, subject):
    text = text_of(document_input(stem, locale=locale))
    assert subject in text
    assert "Correction to your" not in text


def test_subjects_of_a_refund_check_and_of_bills_found_correct():
    assert "A refund for your electric bills" in text_of(
        document_input("01", locale="en_US", refund_method=RefundMethod.REFUND_CHECK))
    correct = make_case(periods=[period("2010-01-01", "2010-01-31", "40.00", "40.00")])
    assert "Review of your water bills: no error found" in text_of(document_input(correct))
    assert "Revisión de sus facturas de agua: no se encontró ningún error" in text_of(
        document_input(correct, locale="es_US"))


@pytest.mark.parametrize("locale, words", [
    ("en_US", ["What went wrong: Your meter was read with the wrong multiplier.",
               "We discovered this error on November 5, 2010."]),
    ("es_US", ["Qué falló: Su medidor se leyó con un multiplicador equivocado.",
               "Detectamos este error el 5 de noviembre de 2010."]),
])
def test_what_went_wrong_and_when_it_was_found(locale, words):
    text = text_of(with_cause("18", locale))
    for w in words:
        assert w in text


def test_the_day_it_was_reported_when_it_is_not_the_day_it_was_found():
    text = text_of(document_input("02", locale="en_US"))
    assert ("We discovered this error on June 15, 2009; it was reported to us on May 1, 2009."
            in text)


@pytest.mark.parametrize("locale, refund, back_bill", [
    ("en_US", "As Section 26-721(a)(1) of the Fort Collins City Code provides, refunds are made "
              "without interest.",
     "Section 26-721(a)(2) of the Fort Collins City Code allows us to bill a current customer "
     "for services that were billed too low."),
    ("es_US", "Conforme a lo dispuesto en la sección 26-721(a)(1) del Código Municipal de Fort "
              "Collins, los reembolsos se hacen sin intereses.",
     "La sección 26-721(a)(2) del Código Municipal de Fort Collins nos permite facturar a un "
     "cliente actual los servicios que se le facturaron de menos."),
])
def test_the_clause_of_a_refund_and_of_a_back_bill(locale, refund, back_bill):
    text = text_of(document_input("18", locale=locale))
    assert refund in text and back_bill in text
    assert back_bill not in text_of(document_input("01", locale=locale))  # a credit only


@pytest.mark.parametrize("locale, words", [
    ("en_US", ["Please pay $199.57 by April 3, 2026. You can pay online at fcgov.com/utilities, "
               "by phone at (970) 212-2900, or by mail or in person at City of Fort Collins "
               "Utilities, 222 Laporte Ave, Fort Collins, CO 80521.",
               "you may pay it in up to 12 monthly installments, for example 11 installments of "
               "$16.63 and a last one of $16.64. To set up a payment plan, please call us by "
               "April 3, 2026."]),
    ("es_US", ["Le rogamos que pague $199.57 a más tardar el 3 de abril de 2026. Puede pagar en "
               "línea en fcgov.com/utilities, por teléfono al (970) 212-2900, o por correo o en "
               "persona en City of Fort Collins Utilities, 222 Laporte Ave, Fort Collins, CO "
               "80521.",
               "puede pagarlo en hasta 12 cuotas mensuales, por ejemplo 11 cuotas de $16.63 y "
               "una última de $16.64."]),
])
def test_what_to_pay_by_when_and_how_with_installments(locale, words):
    text = text_of(document_input("13", locale=locale))
    for w in words:
        assert w in text


def test_installments_are_on_the_rise_of_the_balance_never_when_it_goes_down():
    # $150 back-billed (above the $100 threshold) and $400 credited: the balance goes down
    down = make_case(periods=[period("2010-01-01", "2010-01-31", "500.00", "100.00"),
                              period("2010-02-01", "2010-02-28", "100.00", "250.00")])
    text = text_of(document_input(down))
    assert "We will add $150.00 to your next bill." in text
    assert "lower your account balance by $250.00" in text
    assert "installments" not in text and "Please pay" not in text
    # $130 back-billed, $40 credited on the bill: the balance rises $90 -- under $100
    small = make_case(periods=[period("2010-01-01", "2010-01-31", "140.00", "100.00"),
                               period("2010-02-01", "2010-02-28", "100.00", "230.00")])
    text = text_of(document_input(small))
    assert "Please pay $90.00 by" in text and "installments" not in text
    # the same credit paid by check: the balance rises by the whole $130, over $100
    text = text_of(document_input(small, refund_method=RefundMethod.REFUND_CHECK))
    assert "Please pay $130.00 by" in text
    assert "for example 11 installments of $10.83 and a last one of $10.87" in text


@pytest.mark.parametrize("locale, waits, continues", [
    ("en_US", "While we review it, you do not have to pay the amount you dispute, and no late "
              "fees will be charged on it.",
     "The amount stays due by April 3, 2026 while we review it"),
    ("es_US", "Mientras la revisamos, no tiene que pagar la cantidad que impugna",
     "Mientras la revisamos, la cantidad debe pagarse igualmente a más tardar el 3 de abril "
     "de 2026"),
])
def test_how_to_dispute_by_when_and_whether_collection_waits(locale, waits, continues):
    text = text_of(document_input("13", locale=locale))
    deadline = {"en_US": "by April 3, 2026 and mention case number BD-2026-000123",
                "es_US": "a más tardar el 3 de abril de 2026 y mencione el número de caso"}[locale]
    assert deadline in text and waits in text and continues not in text
    settings = document_settings({"dispute.collection_waits": "no", "dispute.days": "45"})
    text = text_of(document_input("13", locale=locale, settings=settings))
    assert continues in text and waits not in text
    assert ("April 18, 2026" if locale == "en_US" else "18 de abril de 2026") in text
    # a credit asks for no payment: the review's deadline, no word of collection
    text = text_of(document_input("01", locale=locale))
    assert waits not in text and continues not in text


def test_the_letter_offers_itself_in_the_other_language():
    assert ("Si desea recibir esta carta en español, llámenos al (970) 212-2900."
            in text_of(document_input("18", locale="en_US")))
    assert ("If you would like this letter in English, please call us at (970) 212-2900."
            in text_of(document_input("18", locale="es_US")))


def test_a_former_customer_is_refunded_at_their_forwarding_address():
    text = text_of(document_input("14", mailing_address="1630 Pearl St, Boulder, CO 80302"))
    assert "Jordan Blake 1630 Pearl St Boulder, CO 80302" in text
    assert "We will mail you a refund check for $10.00." in text
    assert "A refund for your electric bills" in text and "Please pay" not in text


@pytest.mark.parametrize("customer", ["en_US", "es_US"])
def test_memos_follow_the_office_not_the_customer(customer):
    inp = document_input("18", locale=customer)
    credit = text_of(inp, DocumentKind.CREDIT_MEMO)
    assert "Credit memo" in credit and "Error discovered November 5, 2010" in credit
    office = document_settings({"office.locale": "es_US", "office.date_format": "iso"})
    spanish = text_of(document_input("18", locale=customer, settings=office),
                      DocumentKind.CREDIT_MEMO)
    assert "Nota de crédito" in spanish and "Error detectado 2010-11-05" in spanish
    assert "1 2010-06-01 – 2010-06-30 $212.40" in spanish
    assert "Preparado por Alex Clerk el 2026-03-02 15:04:00 UTC" in spanish
