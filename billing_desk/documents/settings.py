"""Document settings, declared in one schema (key, default, type, description): the
letterhead, the back-bill amount above which instalments are offered and their number,
when a back-bill is due, how long a customer has to ask for a review and whether
collection waits meanwhile, how credits are paid by default, the office's language and
date format (memos and case summaries), and how far ahead a letter may be dated. The
defaults are demo values; an office stores its own values (the case file keeps them as
text, and changing them is an administrator's audited action) and
:func:`document_settings` turns them into a validated :class:`DocumentSettings`. Text
printed on letters is refused when it could not be printed (domain/printable.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Callable, Mapping

from ..domain.money import MoneyError, money
from ..domain.printable import character_problems
from .errors import SettingInvalid
from .glyphs import missing_characters


class RefundMethod(StrEnum):
    """How a credited overcharge reaches the customer (RULES.md §8.10: presentation only)."""

    BILL_CREDIT = "bill_credit"
    REFUND_CHECK = "refund_check"


#: Locales that have letter texts in resources/locales/.
SUPPORTED_LOCALES = ("en_US", "es_US")
#: How the office's documents (memos, case summaries) write a date: Babel's long,
#: medium and short date formats of the office's language, or ISO 8601 (2026-03-04).
DATE_FORMATS = ("long", "medium", "short", "iso")


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    default: Any
    # text | lines | localized | money | count | days | yes_no | refund_method | locale |
    # office_locale | date_format
    type: str
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
    Setting("backbill.due_days", 30, "count",
            "Days after the letter's date by which an amount the customer owes is due (the "
            "letter prints the date)."),
    Setting("dispute.days", 30, "count",
            "Days after the letter's date within which the customer may ask for a review "
            "(the letter prints the date)."),
    Setting("dispute.collection_waits", True, "yes_no",
            "Whether collecting an amount the customer disputes waits until the review is "
            "decided (yes or no; the letter says which)."),
    Setting("credit.refund_method", RefundMethod.BILL_CREDIT, "refund_method",
            "Default way a credit is paid: bill_credit (on the next bill) or refund_check."),
    Setting("office.locale", "en_US", "office_locale",
            "The office's language: memos and case summaries are written in it, whatever "
            "the customer's language (en_US or es_US)."),
    Setting("office.date_format", "long", "date_format",
            "How memos and case summaries write dates: long (March 4, 2026), medium (Mar 4, "
            "2026), short (3/4/26) or iso (2026-03-04)."),
    Setting("memo.locale", "", "locale",
            "Former name of office.locale, read from older files when office.locale is not "
            "set (blank: not used)."),
    Setting("issue.max_days_ahead", 30, "days",
            "How many days after today a letter may be dated at most (0: not after today)."),
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
    office_locale: str
    date_format: str = "long"
    due_days: int = 30
    dispute_days: int = 30
    collection_waits: bool = True
    max_days_ahead: int = 30


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise SettingInvalid(f"Setting {key} must be text.")
    text = value.strip(" \t\r\n")
    # printed on letters: what could not be printed as typed is refused here
    problems = character_problems(key, text, multiline=True)
    if problems:
        raise SettingInvalid(f"Setting {key} {problems[0].message}.")
    missing = missing_characters(text)
    if missing:
        raise SettingInvalid(f"Setting {key} contains characters the letter font cannot "
                             f"print: {', '.join(repr(c) for c in missing[:5])}.")
    return text


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


def _days(key: str, value: Any) -> int:
    try:
        n = int(value) if not isinstance(value, bool) else -1
    except (TypeError, ValueError):
        n = -1
    if n < 0 or n > 366 or str(n) != str(value).strip():
        raise SettingInvalid(f"Setting {key} must be a whole number of days from 0 to 366.")
    return n


def _yes_no(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true"):
        return True
    if text in ("no", "false"):
        return False
    raise SettingInvalid(f"Setting {key} must be yes or no.")


def _office_locale(key: str, value: Any) -> str:
    text = _locale(key, value)
    if not text:
        raise SettingInvalid(f"Setting {key} must be one of: {', '.join(SUPPORTED_LOCALES)}.")
    return text


def _date_format(key: str, value: Any) -> str:
    text = _text(key, value)
    if text not in DATE_FORMATS:
        raise SettingInvalid(f"Setting {key} must be one of: {', '.join(DATE_FORMATS)}.")
    return text


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
    "count": _count, "days": _days, "yes_no": _yes_no, "refund_method": _refund_method,
    "locale": _locale, "office_locale": _office_locale, "date_format": _date_format,
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
    # (a file from before office.locale existed names the memo language memo.locale)
    office_locale = v["office.locale"]
    if "office.locale" not in values and v["memo.locale"]:
        office_locale = v["memo.locale"]
    return DocumentSettings(letterhead, v["backbill.installment_threshold"],
                            v["backbill.installment_months"], v["credit.refund_method"],
                            office_locale, date_format=v["office.date_format"],
                            due_days=v["backbill.due_days"], dispute_days=v["dispute.days"],
                            collection_waits=v["dispute.collection_waits"],
                            max_days_ahead=v["issue.max_days_ahead"])


DEFAULT_SETTINGS = document_settings()
