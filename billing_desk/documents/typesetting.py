"""The letters' typesetting as the case editor, the import and the workflow ask about it
(:class:`billing_desk.domain.printable.Typesetting`): which characters the fonts lack,
and what would not fit its fixed place on the letter or the memo. Answered from the
fonts' own tables (:mod:`.glyphs`, :mod:`.fitting`), without loading ReportLab, and
the same answer the renderer acts on."""

from __future__ import annotations

from ..domain.mailing import clean, window_lines
from ..domain.problems import Problem
from . import fitting, glyphs


class LetterTypesetting:
    """DejaVu Sans in the places of :mod:`.fitting`."""

    def missing_characters(self, text: str) -> str:
        return glyphs.missing_characters(text)

    def place_problems(self, account) -> list[Problem]:
        window = window_lines(account) if (account.customer_name or "").strip() else None
        # the window shows the mailing address, or the service address it falls back to
        window_field = ("account.mailing_address" if (account.mailing_address or "").strip()
                        else "account.service_address")
        found = fitting.place_problems(clean(account.customer_name or ""),
                                       None if window is None else list(window[1]),
                                       clean(account.number or ""),
                                       clean(account.service_address or ""))
        return [Problem(window_field if field == "window" else field, message)
                for field, message in found]


#: the typesetting every letter and memo is set with
LETTER_TYPESETTING = LetterTypesetting()
