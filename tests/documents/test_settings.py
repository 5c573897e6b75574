"""Document settings: one declared schema, defaults that print a sensible letterhead,
and a clear refusal of a wrong value."""

from __future__ import annotations

from decimal import Decimal

import pytest

from billing_desk.documents.errors import SettingInvalid
from billing_desk.documents.settings import (DEFAULT_SETTINGS, SETTINGS, RefundMethod,
                                             document_settings)


def test_every_setting_is_declared_with_a_description():
    assert len({s.key for s in SETTINGS}) == len(SETTINGS)
    assert all(s.description.endswith(".") for s in SETTINGS)


def test_demo_defaults():
    lh = DEFAULT_SETTINGS.letterhead
    assert lh.name == "City of Fort Collins Utilities"
    assert lh.address_lines == ("222 Laporte Ave", "Fort Collins, CO 80521")
    assert lh.phone == "(970)\u00a0212-2900"  # no-break: the number never splits
    assert lh.hours_in("es_US") == "de lunes a viernes, de 8\u00a0a.\u00a0m. a 5\u00a0p.\u00a0m."
    assert DEFAULT_SETTINGS.installment_threshold == Decimal("100.00")
    assert DEFAULT_SETTINGS.refund_method is RefundMethod.BILL_CREDIT


def test_stored_text_values_are_read():
    s = document_settings({"backbill.installment_threshold": "250.00",
                           "credit.refund_method": "refund_check",
                           "letterhead.address": "PO Box 580\nFort Collins, CO 80522"})
    assert s.installment_threshold == Decimal("250.00")
    assert s.refund_method is RefundMethod.REFUND_CHECK
    assert s.letterhead.address_lines == ("PO Box 580", "Fort Collins, CO 80522")


@pytest.mark.parametrize("values, message", [
    ({"backbill.installment_threshold": "1.005"}, "installment_threshold must be an amount"),
    ({"backbill.installment_threshold": 12.5}, "installment_threshold must be an amount"),
    ({"backbill.installment_months": "0"}, "installment_months must be a whole number"),
    ({"credit.refund_method": "cash"}, "refund_method must be one of"),
    ({"letterhead.hours": {"en_US": "9-5"}}, "letterhead.hours has no text for es_US"),
    ({"letterhead.name": " "}, "letterhead.name must not be blank"),
    ({"memo.locale": "fr_FR"}, "memo.locale must be blank or one of"),
    ({"letterhead.colour": "red"}, "Unknown document setting"),
])
def test_wrong_values_are_refused_naming_the_setting(values, message):
    with pytest.raises(SettingInvalid, match=message):
        document_settings(values)
