"""Document settings, declared in one schema (key, default, type, description): the
letterhead, the back-bill amount above which instalments are offered, how credits are
paid by default, and the memo language. The defaults are demo values; an office stores
its own values (the case file keeps them as text) and :func:`document_settings` turns
them into a validated :class:`DocumentSettings`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Callable, Mapping

from ..domain.money import MoneyError, money
from .errors import SettingInvalid


class RefundMethod(StrEnum):
    """How a credited overcharge reaches the customer (RULES.md §8.10: presentation only)."""

    BILL_CREDIT = "bill_credit"
    REFUND_CHECK = "refund_check"


#: Locales that have letter texts in resources/locales/.
SUPPORTED_LOCALES = ("en_US", "es_US")


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    default: Any
    type: str  # text | lines | localized | money | count | refund_method | locale
    description: str


SETTINGS: tuple[Setting, ...] = (
    Setting("letterhead.name", "City of Fort Collins Utilities", "text",
            "Utility name at the head of every letter and memo."),
    Setting("letterhead.address", "222 Laporte Ave\nFort Collins, CO 80521", "lines",
            "Utility postal address, one line per line; customers write to it."),
    Setting("letterhead.phone", "(970)\u00a0212-2900", "text",
            "Customer service telephone number printed on letters (a no-break space "
            "keeps it on one line)."),
    Setting("letterhead.hours",
            {"en_US": "Monday through Friday, 8\u00a0a.m. to 5\u00a0p.m.",
             "es_US": "de lunes a viernes, de 8\u00a0a.\u00a0m. a 5\u00a0p.\u00a0m."},
            "localized", "Customer service hours, per letter language (no-break spaces "
                         "keep \"8 a. m.\" together)."),
    Setting("letterhead.email", "utilities@fcgov.com", "text",
            "Customer service e-mail address (blank: not printed)."),
    Setting("letterhead.website", "fcgov.com/utilities", "text",
            "Web address printed in the letterhead (blank: not printed)."),
    Setting("letterhead.department",
            {"en_US": "Utility Billing Adjustments",
             "es_US": "Ajustes de Facturación de Servicios Públicos"},
            "localized", "The team that signs customer letters, per letter language."),
    Setting("letterhead.logo", "", "text",
            "Path of a PNG or JPEG logo for the letterhead (blank: no logo)."),
    Setting("backbill.installment_threshold", Decimal("100.00"), "money",
            "A back-bill above this amount offers the customer monthly installments."),
    Setting("backbill.installment_months", 12, "count",
            "The most monthly installments a back-bill may be spread over."),
    Setting("credit.refund_method", RefundMethod.BILL_CREDIT, "refund_method",
            "Default way a credit is paid: bill_credit (on the next bill) or refund_check."),
    Setting("memo.locale", "", "locale",
            "Language of internal memos (blank: the case's own language)."),
)

SETTINGS_BY_KEY: Mapping[str, Setting] = MappingProxyType({s.key: s for s in SETTINGS})


@dataclass(frozen=True, slots=True)
class Letterhead:
    name: str
    address_lines: tuple[str, ...]
    phone: str
    hours: tuple[tuple[str, str], ...]
    email: str
    website: str
    department: tuple[tuple[str, str], ...]
    logo: str

    def hours_in(self, locale: str) -> str:
        return dict(self.hours)[locale]

    def department_in(self, locale: str) -> str:
        return dict(self.department)[locale]


@dataclass(frozen=True, slots=True)
class DocumentSettings:
    letterhead: Letterhead
    installment_threshold: Decimal
    installment_months: int
    refund_method: RefundMethod
    memo_locale: str


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise SettingInvalid(f"Setting {key} must be text.")
    return value.strip(" \t\r\n")


def _lines(key: str, value: Any) -> tuple[str, ...]:
    lines = tuple(line.strip() for line in _text(key, value).splitlines() if line.strip())
    if not lines:
        raise SettingInvalid(f"Setting {key} needs at least one line.")
    return lines


def _localized(key: str, value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping):
        raise SettingInvalid(f"Setting {key} must give a text per language.")
    missing = [loc for loc in SUPPORTED_LOCALES if not str(value.get(loc, "")).strip()]
    if missing:
        raise SettingInvalid(f"Setting {key} has no text for {', '.join(missing)}.")
    return tuple((loc, _text(key, value[loc])) for loc in SUPPORTED_LOCALES)


def _money(key: str, value: Any) -> Decimal:
    try:
        amount = money(value)
    except MoneyError:
        raise SettingInvalid(f"Setting {key} must be an amount such as 100.00.") from None
    if amount < 0:
        raise SettingInvalid(f"Setting {key} must not be negative.")
    return amount


def _count(key: str, value: Any) -> int:
    try:
        n = int(value) if not isinstance(value, bool) else -1
    except (TypeError, ValueError):
        n = -1
    if n < 1 or str(n) != str(value).strip():
        raise SettingInvalid(f"Setting {key} must be a whole number of at least 1.")
    return n


def _refund_method(key: str, value: Any) -> RefundMethod:
    try:
        return RefundMethod(value)
    except ValueError:
        allowed = ", ".join(m.value for m in RefundMethod)
        raise SettingInvalid(f"Setting {key} must be one of: {allowed}.") from None


def _locale(key: str, value: Any) -> str:
    text = _text(key, value)
    if text and text not in SUPPORTED_LOCALES:
        raise SettingInvalid(f"Setting {key} must be blank or one of: "
                             f"{', '.join(SUPPORTED_LOCALES)}.")
    return text


_PARSERS: Mapping[str, Callable[[str, Any], Any]] = MappingProxyType({
    "text": _text, "lines": _lines, "localized": _localized, "money": _money,
    "count": _count, "refund_method": _refund_method, "locale": _locale,
})


def document_settings(values: Mapping[str, Any] | None = None) -> DocumentSettings:
    """Validated settings: the declared defaults overridden by ``values`` (key -> value,
    as stored). An unknown key or a value of the wrong kind raises :class:`SettingInvalid`
    naming the setting."""
    values = dict(values or {})
    unknown = sorted(set(values) - set(SETTINGS_BY_KEY))
    if unknown:
        raise SettingInvalid(f"Unknown document setting(s): {', '.join(unknown)}.")
    v = {s.key: _PARSERS[s.type](s.key, values.get(s.key, s.default)) for s in SETTINGS}
    for key in ("letterhead.name", "letterhead.phone"):
        if not v[key]:
            raise SettingInvalid(f"Setting {key} must not be blank: letters print it.")
    letterhead = Letterhead(
        name=v["letterhead.name"],
        address_lines=v["letterhead.address"], phone=v["letterhead.phone"],
        hours=v["letterhead.hours"], email=v["letterhead.email"],
        website=v["letterhead.website"], department=v["letterhead.department"],
        logo=v["letterhead.logo"])
    return DocumentSettings(letterhead, v["backbill.installment_threshold"],
                            v["backbill.installment_months"], v["credit.refund_method"],
                            v["memo.locale"])


DEFAULT_SETTINGS = document_settings()
