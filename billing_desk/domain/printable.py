"""What a letter can print: the names, addresses and the cause a clerk types, checked
where they are typed (the case editor's fields, ``billing-desk import``, submission and
approval), so that nothing is found unprintable after a supervisor approved it.

These are the app's rules, not the engine's: RULES.md accepts any string as a name and
``determine`` copies it as given (a worked case always determines). What a letter
cannot print is refused here, each problem naming its field:

- control characters (a tab, a form feed...): a line break only in an address or the
  cause;
- direction marks and overrides (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C):
  invisible, and they make a text display in another order than it was typed;
- zero-width and other invisible format characters (U+200B, U+200D, U+2060, U+FEFF,
  a soft hyphen...), private-use, unassigned and surrogate code points, line and
  paragraph separators;
- right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko...): the letters are set
  with ReportLab, which neither joins Arabic letters nor reverses right-to-left text, so
  such a name would print reversed and unjoined; it is refused with a request to enter
  it in Latin letters, as the billing system spells it;
- more than one accent left on one letter after composition (NFC): the fonts have no
  such letter and stacked marks would print on top of each other;
- characters the letter fonts lack, and a name and address that do not fit the
  envelope window: which glyphs DejaVu Sans has and how wide a line is set are the
  documents' answers, asked through ``typesetting``
  (:data:`billing_desk.documents.typesetting.LETTER_TYPESETTING`); without it these
  two checks are left to the documents, which refuse the issue then;
- lengths that fit their places on paper (limits below; docs/documents.md).
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Protocol, Sequence

from .mailing import address_lines, clean, mailing_problems
from .problems import Problem

#: the customer's name: one line of the envelope window, two at most when it wraps
MAX_NAME_CHARS = 70
#: the account number: one line of the letter's reference block
MAX_ACCOUNT_NUMBER_CHARS = 30
#: a line of an address in the envelope window (USPS: 40 characters a line is usual)
MAX_ADDRESS_LINE_CHARS = 45
#: lines of the mailing address (the window holds five lines with the name)
MAX_MAILING_LINES = 4
#: the service address: one line of the letter, two of the memo
MAX_SERVICE_ADDRESS_CHARS = 100
#: the cause, a paragraph of the letter
MAX_CAUSE_CHARS = 600

#: invisible characters that change the order text is displayed in
BIDI_CONTROLS = frozenset({0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)})
#: bidirectional classes of right-to-left letters and of Arabic digits
RIGHT_TO_LEFT = frozenset({"R", "AL", "AN"})


class Typesetting(Protocol):
    """What the documents layer answers about printing a text in the letters."""

    def missing_characters(self, text: str) -> str:
        """The characters of ``text`` the letter fonts cannot draw, each once."""

    def place_problems(self, account) -> list[Problem]:
        """What of ``account`` (name, address lines, account number) would not fit its
        fixed place on the letter or the memo, each at its field."""


def _shown(chars: Sequence[str]) -> str:
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed').lower()}"
                     for c in list(dict.fromkeys(chars))[:3])


def character_problems(field: str, text: str, *, multiline: bool) -> list[Problem]:
    """Characters of ``text`` a letter cannot print as typed (see the module docstring)."""
    controls, bidi, invisible, unassigned, rtl, breaks = [], [], [], [], [], []
    for ch in text:
        cp = ord(ch)
        category = unicodedata.category(ch)
        if ch in "\r\n":
            if not multiline:
                breaks.append(ch)
        elif category == "Cc":
            controls.append(ch)
        elif cp in BIDI_CONTROLS:
            bidi.append(ch)
        elif category == "Cf":
            invisible.append(ch)
        elif category in ("Co", "Cs", "Cn", "Zl", "Zp"):
            unassigned.append(ch)
        elif unicodedata.bidirectional(ch) in RIGHT_TO_LEFT:
            rtl.append(ch)
    out = []
    if breaks:
        out.append(Problem(field, "must be on one line (it contains a line break)"))
    if controls:
        out.append(Problem(field, f"contains a control character ({_shown(controls)}); "
                                  "retype it without it"))
    if bidi:
        out.append(Problem(field, f"contains an invisible direction mark or override "
                                  f"({_shown(bidi)}), which makes text show in another order "
                                  "than it was typed; remove it"))
    if invisible:
        out.append(Problem(field, f"contains an invisible character ({_shown(invisible)}); "
                                  "remove it"))
    if unassigned:
        out.append(Problem(field, f"contains a character that has no printed form "
                                  f"({_shown(unassigned)}); remove it"))
    if rtl:
        scripts = sorted({unicodedata.name(c, "right-to-left").split()[0].title() for c in rtl})
        out.append(Problem(field, f"is written in a right-to-left script ({', '.join(scripts)}), "
                                  "which the letters cannot print correctly (it would come out "
                                  "reversed): enter it in Latin letters, as the billing system "
                                  "spells it"))
    composed = unicodedata.normalize("NFC", text)
    # a mark left over after composition on a letter that has one already (a mark, or a
    # letter whose decomposition carries one): the fonts have no such letter
    stacked = [composed[i] for i in range(1, len(composed))
               if unicodedata.combining(composed[i])
               and any(unicodedata.combining(c)
                       for c in unicodedata.normalize("NFD", composed[i - 1]))]
    if stacked:
        out.append(Problem(field, "has more than one accent on a letter, which the letter "
                                  "fonts cannot print; enter the name as the billing system "
                                  "spells it"))
    return out


def _glyph_problems(field: str, text: str, typesetting: Typesetting | None) -> list[Problem]:
    if typesetting is None:
        return []
    missing = typesetting.missing_characters(clean(text))
    if not missing:
        return []
    shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:5])
    return [Problem(field, f"contains characters the letter font cannot print: {shown}; "
                           "spell it in Latin letters")]


def _too_long(field: str, what: str, n: int, limit: int) -> list[Problem]:
    if n <= limit:
        return []
    return [Problem(field, f"{what} is {n} characters long; at most {limit} fit on the letter")]


def _fields(case) -> list[tuple[str, str | None, bool]]:
    """(field, text, may span lines) of what the letter and memos print."""
    a = case.account
    return [("account.number", a.number, False), ("account.customer_name", a.customer_name, False),
            ("account.service_address", a.service_address, True),
            ("account.mailing_address", a.mailing_address, True),
            ("cause", getattr(case, "cause", None), True)]


def printable_problems(case, typesetting: Typesetting | None = None) -> list[Problem]:
    """Every problem that would keep ``case``'s letter (a :class:`~.case.Case` or a
    :class:`~.draft.CaseDraft`) from printing what was typed, with its field. Blank
    fields are the validator's business (a name is required), not a problem here."""
    out: list[Problem] = []
    for field, text, multiline in _fields(case):
        if not text or not text.strip():
            continue
        found = character_problems(field, text, multiline=multiline)
        found += _glyph_problems(field, text, typesetting)
        if field == "account.number":
            found += _too_long(field, "it", len(clean(text)), MAX_ACCOUNT_NUMBER_CHARS)
        elif field == "account.customer_name":
            found += _too_long(field, "the name", len(clean(text)), MAX_NAME_CHARS)
        elif field == "account.service_address":
            found += _too_long(field, "the address", len(clean(text)), MAX_SERVICE_ADDRESS_CHARS)
        elif field == "account.mailing_address":
            lines = address_lines(text)
            if len(lines) > MAX_MAILING_LINES:
                found.append(Problem(field, f"has {len(lines)} lines; at most "
                                            f"{MAX_MAILING_LINES} fit in the envelope window"))
            for line in lines:
                found += _too_long(field, f"the line “{line[:20]}…”" if len(line) > 20
                                   else f"the line “{line}”", len(line), MAX_ADDRESS_LINE_CHARS)
        else:
            found += _too_long(field, "the cause", len(clean(text)), MAX_CAUSE_CHARS)
        out += found
    if typesetting is not None:
        # how wide the values are set decides whether they fit; the fields that fail
        # above are reported once, for the reason found first
        failed = {p.field for p in out}
        out += [p for p in typesetting.place_problems(case.account) if p.field not in failed]
    return out


def letter_problems(case, refund_total: Decimal | None = None,
                    typesetting: Typesetting | None = None) -> list[Problem]:
    """What keeps ``case``'s letter from being printed and mailed as it should: the
    problems above, and where it is mailed (:func:`~.mailing.mailing_problems`)."""
    return printable_problems(case, typesetting) + mailing_problems(case.account, refund_total)


def problems_message(verb: str, problems: Sequence[Problem]) -> str:
    """"This case cannot be submitted until its letter can be printed and mailed: ..."."""
    n = len(problems)
    first = "; ".join(str(p) for p in problems[:3])
    more = f" (and {n - 3} more)" if n > 3 else ""
    return (f"The case cannot be {verb} until its letter can be printed and mailed as it "
            f"should ({n} problem{'s' if n != 1 else ''}): {first}{more}.")
