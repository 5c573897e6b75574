"""The words of the documents, per locale: every sentence comes from
``resources/locales/<locale>/documents.toml``; money, dates, counts and lists are
formatted by Babel for that locale. Nothing here knows about pages or PDFs.

Templates are ``str.format`` strings with named fields. :meth:`Wording.text` fills them
with plain values; :meth:`Wording.runs` also reads the template's ``<b>`` tags into
bold runs (the only markup the texts use; values are never read as markup).
"""

from __future__ import annotations

import re
import string
import tomllib
from datetime import date, datetime, timezone
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any, Iterable, Mapping

from babel import Locale
from babel.dates import format_date, format_datetime, format_interval, format_skeleton
from babel.lists import format_list
from babel.numbers import (format_currency, format_decimal, get_currency_symbol,
                           get_decimal_symbol, get_group_symbol, get_minus_sign_symbol)

from ..domain.determination import Reason
from ..resources import resource_path
from .errors import UnsupportedLocale
from .settings import SUPPORTED_LOCALES

_FORMATTER = string.Formatter()
_BOLD_TAG = re.compile(r"(</?b>)")


def template_fields(template: str) -> set[str]:
    """The named fields a template uses (``{amount}`` -> ``amount``)."""
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        # a table whose keys are plural categories is one plural entry, not a section
        if isinstance(value, Mapping) and not (value and set(value) <= _PLURAL_CATEGORIES):
            out.update(_flatten(value, path + "."))
        else:
            out[path] = value
    return out


_PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})


class _MoneyFormat:
    """USD amounts in a locale's currency format, as Babel writes them.

    Babel's ``format_currency`` re-reads the CLDR pattern on every call, and a memo of
    72 periods formats some 500 amounts. When the locale's pattern is the plain
    ``¤#,##0.00`` shape (symbol first, groups of three, two decimals; en_US and es_US
    are), the same text is produced from Babel's own symbols with one f-string; the
    shortcut is used only after it reproduces Babel on a set of probe amounts, and any
    other pattern goes through Babel every time."""

    _PROBES = ("0.00", "0.01", "7.50", "999.99", "1000.00", "1234.56", "-1234.56",
               "100000.00", "999999999.99", "-0.05")

    def __init__(self, locale: Locale) -> None:
        self.locale = locale
        pattern = locale.currency_formats["standard"]
        self.symbol = get_currency_symbol("USD", locale)
        self.decimal = get_decimal_symbol(locale)
        self.group = get_group_symbol(locale)
        self.minus = get_minus_sign_symbol(locale)
        self.fast = (pattern.prefix == ("¤", "-¤") and pattern.suffix == ("", "")
                     and pattern.grouping == (3, 3) and pattern.frac_prec == (2, 2))
        if self.fast:
            self.fast = all(self._fast(Decimal(p)) == self._babel(Decimal(p))
                            for p in self._PROBES)

    def _babel(self, amount: Decimal) -> str:
        return format_currency(amount, "USD", locale=self.locale)

    def _fast(self, amount: Decimal) -> str:
        digits = f"{abs(amount):,.2f}"
        if self.group != "," or self.decimal != ".":
            digits = digits.translate({ord(","): self.group, ord("."): self.decimal})
        sign = self.minus if amount < 0 else ""
        return f"{sign}{self.symbol}{digits}"

    def __call__(self, amount: Decimal) -> str:
        return self._fast(amount) if self.fast else self._babel(amount)


class Wording:
    """The texts and formats of one locale; ``date_format`` is how dates are written
    (``long`` in letters; the office's setting in memos: long, medium, short or iso)."""

    def __init__(self, locale: str, date_format: str = "long") -> None:
        if locale not in SUPPORTED_LOCALES:
            raise UnsupportedLocale(
                f"There are no letter texts for the language {locale!r}; letters can be "
                f"written in {', '.join(SUPPORTED_LOCALES)}. Change the account's language.")
        self.locale_name = locale
        self.date_format = date_format
        self.locale = Locale.parse(locale)
        path = resource_path("locales", locale, "documents.toml")
        with open(path, "rb") as f:
            self._texts = _flatten(tomllib.load(f))
        self._money = _MoneyFormat(self.locale)
        self._seed: str | None = None
        # Periods and dates repeat across a batch (monthly periods, one issue date)
        self.date = lru_cache(maxsize=4096)(self._date)
        self.period = lru_cache(maxsize=4096)(self._period)
        self.period_short = lru_cache(maxsize=4096)(self._period_short)
        self.number = lru_cache(maxsize=4096)(self._number)

    @property
    def glyph_seed(self) -> str:
        """Every non-ASCII character this locale's texts and Babel formats can print,
        in a fixed order (see :mod:`.fonts`: pre-assigning them keeps the embedded font
        subset the same from one document to the next)."""
        if self._seed is None:
            chars: set[str] = set()
            for value in self._texts.values():
                for text in (value.values() if isinstance(value, Mapping) else (value,)):
                    chars.update(c for c in str(text) if ord(c) > 127)
            probes = (self.period(date(2010, 1, 1), date(2010, 1, 31)),
                      self.period(date(2010, 1, 15), date(2010, 2, 14)),
                      self.period(date(2009, 12, 15), date(2010, 1, 14)),
                      self.period_short(date(2010, 1, 1), date(2010, 1, 31)),
                      self.timestamp(datetime(2026, 1, 1, 15, 0, tzinfo=timezone.utc)),
                      self.money(Decimal("-1234.56")))
            for text in probes:
                chars.update(c for c in text if ord(c) > 127)
            self._seed = "".join(sorted(chars))
        return self._seed

    # --- lookup ---------------------------------------------------------------------

    def has(self, key: str) -> bool:
        return key in self._texts

    def keys(self) -> Iterable[str]:
        return self._texts.keys()

    def raw(self, key: str) -> Any:
        try:
            return self._texts[key]
        except KeyError:
            raise KeyError(f"{self.locale_name}: no text for {key!r} in documents.toml") from None

    def text(self, key: str, **values: Any) -> str:
        """The sentence ``key`` with plain values filled in."""
        return self.raw(key).format(**values)

    def runs(self, key: str, **values: Any) -> list[tuple[str, bool]]:
        """The sentence ``key`` as (text, bold) runs: the template's ``<b>...</b>`` marks
        bold; values are filled in as plain text (no markup is read from them)."""
        out = []
        bold = False
        for piece in _BOLD_TAG.split(self.raw(key)):
            if piece == "<b>":
                bold = True
            elif piece == "</b>":
                bold = False
            elif piece:
                out.append((piece.format(**values), bold))
        return out

    def plural(self, key: str, count: int) -> str:
        """``3 billing periods``: the form for ``count`` by the locale's plural rules."""
        forms = self.raw(key)
        category = self.locale.plural_form(count)
        return forms.get(category, forms["other"]).format(count=self.number(count))

    # --- Babel formats --------------------------------------------------------------

    def money(self, amount: Decimal) -> str:
        return self._money(amount)

    def _number(self, n: int) -> str:
        return format_decimal(n, locale=self.locale)

    def _date(self, d: date) -> str:
        """A date as written in a letter: June 1, 2010 / 1 de junio de 2010 (or in the
        office's date format, in a memo)."""
        if self.date_format == "iso":
            return d.isoformat()
        return format_date(d, self.date_format, locale=self.locale)

    def short_date(self, d: date) -> str:
        return format_skeleton("yMMMd", d, locale=self.locale)

    def _period(self, start: date, end: date) -> str:
        """A billing period: Jun 1 – 30, 2010 / 1–30 de jun de 2010."""
        return format_interval(start, end, "yMMMd", locale=self.locale)

    def _period_short(self, start: date, end: date) -> str:
        """A billing period in figures, for narrow table columns: 6/1/2010 – 6/30/2010
        (2010-06-01 – 2010-06-30 in the iso date format)."""
        if self.date_format == "iso":
            return f"{start.isoformat()}\u2009–\u2009{end.isoformat()}"
        return format_interval(start, end, "yMd", locale=self.locale)

    def timestamp(self, at: datetime) -> str:
        """A UTC time stamp for sign-offs, marked as UTC."""
        utc = at.astimezone(timezone.utc)
        if self.date_format == "iso":
            return f"{utc:%Y-%m-%d %H:%M:%S} UTC"
        return format_datetime(utc, "medium", tzinfo=timezone.utc, locale=self.locale) + " UTC"

    def join(self, items: Iterable[str]) -> str:
        """a, b and c / a, b y c."""
        return format_list(list(items), locale=self.locale)

    # --- rule-pack wording ----------------------------------------------------------

    def reason(self, pack: str, reason: Reason, audience: str) -> str:
        """A determination reason in this locale's words: ``audience`` is ``letter``
        (for the customer) or ``memo`` (for staff). Amounts and dates among the reason's
        arguments are formatted here; 26-721(a)(1) conditions become their descriptions."""
        template = self.raw(f"packs.{pack}.{audience}_reasons.{reason.code}")
        values = {name: self._reason_value(pack, name, value, audience)
                  for name, value in reason.args}
        return template.format(**values)

    def _reason_value(self, pack: str, name: str, value: Any, audience: str) -> str:
        if isinstance(value, Decimal):
            return self.money(value)
        if isinstance(value, date):
            return self.date(value)
        if name == "conditions":
            labels = [c.strip() for c in str(value).split(",") if c.strip()]
            if audience == "memo":
                return ", ".join(labels)
            return self.join(self.text(f"packs.{pack}.conditions.{label}") for label in labels)
        return str(value)


@cache
def wording_for(locale: str, date_format: str = "long") -> Wording:
    return Wording(locale, date_format)
