"""Every sentence exists in every locale: a reason code, flag or key without its
translation fails here, not in front of a customer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from billing_desk.documents.errors import UnsupportedLocale
from billing_desk.documents.settings import SUPPORTED_LOCALES
from billing_desk.documents.wording import template_fields, wording_for
from billing_desk.domain.determination import Reason
from billing_desk.domain.rulepacks import get_rule_pack
from billing_desk.domain.rulepacks.fort_collins_26_721 import REASON_TEXTS

PACK = "fort-collins-26-721"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("audience", ["letter", "memo"])
def test_every_reason_code_has_wording_in_every_locale(locale, audience):
    w = wording_for(locale)
    missing = [code for code in REASON_TEXTS
               if not w.has(f"packs.{PACK}.{audience}_reasons.{code}")]
    assert not missing, f"{locale} has no {audience} wording for reason codes {missing}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("audience", ["letter", "memo"])
def test_reason_wording_uses_only_values_the_reason_carries(locale, audience):
    w = wording_for(locale)
    for code, english in REASON_TEXTS.items():
        template = w.raw(f"packs.{PACK}.{audience}_reasons.{code}")
        extra = template_fields(template) - template_fields(english)
        assert not extra, f"{locale} {audience} reason {code} uses unknown values {extra}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_flag_and_condition_has_wording(locale):
    w = wording_for(locale)
    pack = get_rule_pack(PACK)
    assert [f for f in pack.flag_texts if not w.has(f"packs.{PACK}.flags.{f}")] == []
    for label in ("(a)(1)(i)", "(a)(1)(ii)", "(a)(1)(iii)"):
        assert w.text(f"packs.{PACK}.conditions.{label}")


def test_locales_have_the_same_keys():
    en, es = (set(wording_for(loc).keys()) for loc in ("en_US", "es_US"))
    assert en - es == set(), f"missing in es_US: {sorted(en - es)}"
    assert es - en == set(), f"missing in en_US: {sorted(es - en)}"


def test_locales_fill_the_same_values_in_each_sentence():
    en, es = wording_for("en_US"), wording_for("es_US")
    for key in en.keys():
        a, b = en.raw(key), es.raw(key)
        if isinstance(a, str):
            assert template_fields(a) == template_fields(b), key
            assert a.count("<b>") == b.count("<b>"), f"bold marks differ in {key}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_plural_forms_cover_the_locale_rules(locale):
    w = wording_for(locale)
    forms = w.raw("counts.billing_periods")
    assert set(w.locale.plural_form.tags) | {"other"} <= set(forms)


def test_plurals_and_counts_read_naturally():
    en, es = wording_for("en_US"), wording_for("es_US")
    assert en.plural("counts.billing_periods", 1) == "1 billing period"
    assert en.plural("counts.billing_periods", 72) == "72 billing periods"
    assert es.plural("counts.billing_periods", 1) == "1 periodo de facturación"
    assert es.plural("counts.billing_periods", 3) == "3 periodos de facturación"
    assert es.plural("counts.billing_periods", 1_000_000) == "1,000,000 de periodos de facturación"


def test_money_and_dates_follow_the_locale():
    en, es = wording_for("en_US"), wording_for("es_US")
    assert en.money(Decimal("1234.56")) == "$1,234.56"
    assert es.money(Decimal("1234.56")) == "$1,234.56"  # CLDR es_US: US separators
    assert en.date(date(2010, 6, 1)) == "June 1, 2010"
    assert es.date(date(2010, 6, 1)) == "1 de junio de 2010"


def test_reasons_are_worded_for_the_customer_with_formatted_values():
    reason = Reason("under.ordinance.old_minimal", "x",
                    (("old_total", Decimal("12.50")), ("threshold", Decimal("25.00"))))
    assert wording_for("en_US").reason(PACK, reason, "letter") == (
        "it happened more than six years before we found the error, and all undercharges "
        "that old add up to only $12.50, a minimal amount (no more than $25.00).")
    assert "solo $12.50" in wording_for("es_US").reason(PACK, reason, "letter")
    conditions = Reason("over.conditions", "x", (("conditions", "(a)(1)(i), (a)(1)(iii)"),))
    assert wording_for("en_US").reason(PACK, conditions, "letter").endswith(
        "here, the error could have been noticed on the bills and our records could not "
        "confirm the overcharge.")
    assert "(a)(1)(i), (a)(1)(iii)" in wording_for("es_US").reason(PACK, conditions, "memo")


def test_bold_marks_become_runs_and_values_are_never_markup():
    runs = wording_for("en_US").runs("letter.credit_bill", amount="<b>$1.00</b>")
    assert runs[0] == ("We will credit ", False)
    assert runs[1] == ("<b>$1.00</b>", True)


def test_unknown_locale_is_refused_with_a_clear_message():
    with pytest.raises(UnsupportedLocale, match="fr_CA"):
        wording_for("fr_CA")
