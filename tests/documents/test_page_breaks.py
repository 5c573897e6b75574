"""No heading stranded at the foot of a page, no page holding only the closing (issue
14, point 6), over letters and memos of every length in both languages: where each
heading and the closing fall is read back out of the PDF with pypdfium2."""

from __future__ import annotations

import dataclasses
from datetime import date

import pypdfium2 as pdfium
import pytest
from dateutil.relativedelta import relativedelta

from billing_desk.documents.model import DocumentKind
from billing_desk.documents.readback import check_document, split_lines
from billing_desk.documents.render import render_document
from billing_desk.documents.settings import document_settings
from billing_desk.documents.wording import wording_for
from tests.documents.inputs import document_input
from tests.domain.builders import make_case, period

WORDS = ("Your meter was read with the wrong multiplier for several months in a row, and "
         "the billing system did not flag the change. ")


def long_case(periods: int, cause_chars: int):
    """``periods`` monthly periods from 2003 (the oldest before the six-year cutoff, so
    some amounts are excluded), overcharged and undercharged in turn, with a cause of
    about ``cause_chars`` characters."""
    rows = []
    for i in range(periods):
        start = date(2003, 11, 1) + relativedelta(months=i)
        end = start + relativedelta(months=1, days=-1)
        billed, correct = ("80.00", "55.00") if i % 3 else ("40.00", "75.00")
        rows.append(period(start.isoformat(), end.isoformat(), billed, correct))
    case = make_case(periods=rows, discovered_on="2010-01-20",
                     evidence={"customer_could_have_discovered": False})
    cause = (WORDS * (cause_chars // len(WORDS) + 1))[:cause_chars].strip()
    return dataclasses.replace(case, cause=cause or None)


def pages_of(pdf: bytes) -> list[list[str]]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [list(split_lines(doc[i].get_textpage().get_text_range()))
                for i in range(len(doc))]
    finally:
        doc.close()


def body(lines: list[str], w) -> list[str]:
    """A page's lines without its footer (the last line: account, case, page n of m)."""
    assert w.text("page.footer", account="", case_number="").split()[0] in lines[-1]
    return lines[:-1]


def stranded(pages: list[list[str]], headings: list[str], w) -> list[str]:
    """Headings followed on their page by fewer than two lines of what they head."""
    out = []
    for number, lines in enumerate(pages, start=1):
        lines = body(lines, w)
        for i, line in enumerate(lines):
            if line in headings and len(lines) - i - 1 < 2:
                out.append(f"page {number}: {line!r}")
    return out


LETTER_VARIANTS = [(n, chars) for n in (1, 4, 8, 12) for chars in range(0, 600, 25)]


@pytest.mark.parametrize("locale", ["en_US", "es_US"])
def test_letters_never_strand_a_heading_nor_leave_the_closing_alone(locale):
    w = wording_for(locale)
    headings = [w.text(k) for k in ("letter.table_heading", "letter.excluded_heading",
                                    "letter.dispute_heading")]
    closing, contact = w.text("letter.closing"), w.text("letter.contact", phone="", hours="",
                                                           address="", case_number="")[:20]
    counts = set()
    for n, chars in LETTER_VARIANTS:
        inp = document_input(long_case(n, chars), locale=locale)
        pdf = render_document(inp, DocumentKind.LETTER).pdf
        check_document(inp, DocumentKind.LETTER, pdf)
        pages = pages_of(pdf)
        counts.add(len(pages))
        assert stranded(pages, headings, w) == [], (n, chars)
        last = body(pages[-1], w)
        assert closing in last, (n, chars)
        # above the closing on its page: the review section at least (heading and text)
        before = next(i for i, line in enumerate(last) if line.startswith(contact))
        assert before >= 3 and w.text("letter.dispute_heading") in last[:before], (n, chars)
    assert counts >= {1, 2}  # the variants break pages at every place


@pytest.mark.parametrize("locale", ["en_US", "es_US"])
def test_memos_never_strand_a_heading_nor_leave_the_sign_off_alone(locale):
    w = wording_for(locale)
    headings = [w.text(f"memo.{k}") for k in ("section_determination", "section_periods",
                                              "section_totals", "section_readings",
                                              "section_flags", "section_signoff")]
    office = document_settings({"office.locale": locale})
    counts = set()
    for n in range(1, 75, 2):
        inp = document_input(long_case(n, 0), locale=locale, settings=office)
        for kind in inp.kinds[1:]:
            pdf = render_document(inp, kind).pdf
            check_document(inp, kind, pdf)
            pages = pages_of(pdf)
            counts.add(len(pages))
            assert stranded(pages, headings, w) == [], (n, kind)
            last = body(pages[-1], w)
            signoff = last.index(w.text("memo.section_signoff"))
            assert signoff >= 2, (n, kind)  # the flags (at least) come with it
    assert counts >= {1, 2}
