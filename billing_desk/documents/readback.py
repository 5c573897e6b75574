"""The read-back control: before a document is issued, its text is extracted from the
PDF bytes (pdfium, an engine independent of the one that wrote them) and checked
against the case it is issued for. A mismatch blocks the issue.

What is checked, on the text as a reader would see it, always whole fields (a value
is never found inside a longer one: "100 Main St" does not pass inside "1100 Main St"):
- at the fixed places where identity is printed, exactly the case's values: the
  envelope window (customer name and every line of the mailing address), the account
  and case numbers (letter reference block, memo identity block, with the memo's
  customer, mailing and service address), and on every page the footer (account, case)
  and "Page n of m" (no page missing or foreign);
- the COPY stamp on a reprint, and its absence on an original;
- the PREVIEW · NOT ISSUED watermark on every page of a preview, and its absence from
  every page of a document to be issued;
- every period row printed: the rows of the letter's table (each period or year, and
  the total) and of the memo's table of periods are, in order and one for one, the rows
  the determination gives -- no row missing, changed or added;
- whole lines: the letter's salutation and service address line, the memo's
  fingerprint and the history head it was rendered with;
- whole words: the totals as the document formats them (Babel, the document's locale).

Text on both sides is normalised the same way (NFKC, whitespace runs to one space):
extraction turns line breaks into CR LF, Babel's non-breaking and thin spaces into
spaces, ligatures into letters. The comparison itself is exact; lines are compared as
pdfium reads them (a table row is one line).
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from . import layout as L
from .errors import DocumentMismatch
from .identity import Identity, identity_of
from .letter import table_cells
from .memo import memo_direction, period_cells
from .model import DocumentInput, DocumentKind
from .render import document_wording
from .reportlab_setup import prepare_reportlab
from .summaries import affected, memo_rows
from .wording import Wording


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True, slots=True)
class Place:
    """A value that must be printed, exactly, inside ``rect`` on the first page."""

    label: str
    rect: L.Rect
    expected: str


@dataclass(frozen=True, slots=True)
class Rows:
    """The rows of a table, each read as one line: every line of the document that
    ``pattern`` matches whole must be, in order, exactly ``expected``."""

    label: str
    pattern: re.Pattern
    expected: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Expectations:
    places: tuple[Place, ...]
    footer: str
    page_of: str  # template with {page} and {pages}
    copy_stamp: str  # what the COPY box must show ("" on an original)
    preview_stamp: str  # the watermark of a preview, in the document's language
    preview: bool  # every page carries preview_stamp (True) or none does (False)
    lines: tuple[tuple[str, str], ...]  # (label, text) printed as whole lines
    words: tuple[tuple[str, str], ...]  # (label, text) printed as a whole word somewhere
    rows: tuple[Rows, ...]


def money_pattern(w: Wording) -> str:
    """An amount as the document's locale formats it ($1,234.56), as a regex."""
    m = w._money
    return (f"{re.escape(m.symbol)}[0-9]{{1,3}}(?:{re.escape(m.group)}[0-9]{{3}})*"
            f"{re.escape(m.decimal)}[0-9]{{2}}")


def _row_text(cells: list[str]) -> str:
    return normalise(" ".join(cells))


def letter_rows_expected(inp: DocumentInput, w: Wording) -> Rows | None:
    """The letter's table rows, as lines: a label then one amount a column."""
    rows = affected(inp.case, inp.determination)
    if not rows:
        return None
    _, body, widths, _ = table_cells(w, rows)
    money = money_pattern(w)
    pattern = re.compile(rf".+?(?: {money}){{{len(widths) - 1}}}")
    return Rows("letter table", pattern, tuple(_row_text(r) for r in body))


def memo_rows_expected(inp: DocumentInput, kind: DocumentKind, w: Wording) -> Rows:
    """The memo's table of periods, as lines: number, period, amounts, days, clause, key."""
    memos = [k for k in inp.kinds if k is not DocumentKind.LETTER]
    rows = memo_rows(inp.case, inp.determination, memo_direction(kind),
                     only_memo=len(memos) == 1)
    body, _, _ = period_cells(w, rows)
    money = money_pattern(w)
    # number, period, billed, correct, difference (signed), days, included, excluded,
    # clause, reason key
    pattern = re.compile(rf"[0-9,]+ .+? {money} {money} −?{money} \S+ {money} {money} \S+ "
                         rf"R[0-9]+")
    return Rows("memo table of periods", pattern, tuple(_row_text(r) for r in body))


def expectations(inp: DocumentInput, kind: DocumentKind,
                 identity: Identity | None = None) -> Expectations:
    """What the document for ``inp`` must show, computed from the case alone."""
    ident = identity or identity_of(inp.case.account, inp.case_number)
    w = document_wording(inp, kind)
    det = inp.determination
    lines: list[tuple[str, str]] = []
    if kind is DocumentKind.LETTER:
        places = (
            Place("envelope window (name and mailing address)", L.WINDOW_RECT,
                  " ".join((ident.customer_name, *ident.mailing_lines))),
            Place("account number", L.LETTER_ACCOUNT_RECT, ident.account_number),
            Place("case number", L.LETTER_CASE_RECT, ident.case_number),
        )
        amounts = []
        if det.refund_total > 0:
            amounts.append(("refund total", det.refund_total))
        if det.back_bill_total > 0:
            amounts.append(("back-bill total", det.back_bill_total))
        lines.append(("salutation (customer name)",
                      w.text("letter.salutation", name=ident.customer_name)))
        if ident.service_address:
            lines.append(("service address", w.text("letter.service_address",
                                                    address=ident.service_address)))
        table = letter_rows_expected(inp, w)
        rows = (table,) if table is not None else ()
    else:
        places = (
            Place("account number", L.MEMO_RECTS["account"], ident.account_number),
            Place("customer name", L.MEMO_RECTS["customer"], ident.customer_name),
            Place("mailing address", L.MEMO_RECTS["mailing"], ident.mailing_one_line),
            Place("service address", L.MEMO_RECTS["service"],
                  ident.service_address or w.text("memo.none_value")),
            Place("case number", L.MEMO_RECTS["case"], ident.case_number),
        )
        amounts = [("refund total", det.refund_total), ("back-bill total", det.back_bill_total)]
        lines.append(("determination fingerprint",
                      f"{w.text('memo.fingerprint')}: {inp.fingerprint}"))
        if inp.history_head is not None and not inp.preview:
            lines.append(("history head",
                          f"{w.text('memo.history_head')}: {inp.history_head.text()}"))
        rows = (memo_rows_expected(inp, kind, w),)
    return Expectations(
        places=tuple(Place(p.label, p.rect, normalise(p.expected)) for p in places),
        footer=normalise(w.text("page.footer", account=ident.account_number,
                                case_number=ident.case_number)),
        page_of=w.raw("page.page_of"),
        copy_stamp=normalise(w.text("page.copy_stamp")) if inp.copy else "",
        preview_stamp=normalise(w.text("page.preview_stamp")), preview=inp.preview,
        lines=tuple((label, normalise(text)) for label, text in lines),
        words=tuple((label, normalise(w.money(amount))) for label, amount in amounts),
        rows=rows)


@dataclass(frozen=True, slots=True)
class PageText:
    text: str  # the whole page, normalised
    places: dict[str, str]  # label -> normalised text inside that place
    lines: tuple[str, ...] = ()  # the page's lines as pdfium reads them, normalised


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(raw: str) -> tuple[str, ...]:
    return tuple(line for line in (normalise(part) for part in _LINE_BREAK.split(raw)) if line)


#: UTF-16 units a place's text is read into at once (a place holds a line or a few)
_PLACE_CHARS = 1024


class _PlaceReader:
    """The text inside a rectangle of a text page, read with one pdfium call into a
    reused buffer (pypdfium2's ``get_text_bounded`` makes two: one to measure, one to
    copy; each scans every character of the page). A text that fills the buffer is read
    again the two-call way, so nothing is ever cut."""

    def __init__(self) -> None:
        self._buffer = ctypes.create_string_buffer(_PLACE_CHARS * 2)
        self._units = ctypes.cast(self._buffer, ctypes.POINTER(ctypes.c_ushort))

    def read(self, textpage, r: L.Rect) -> str:
        n = pdfium_c.FPDFText_GetBoundedText(textpage, r.x0, r.y1, r.x1, r.y0, self._units,
                                             _PLACE_CHARS)
        if n >= _PLACE_CHARS:
            return textpage.get_text_bounded(*_box(r))
        return self._buffer.raw[:2 * n].decode("utf-16-le", errors="ignore").rstrip("\x00")


def read_pdf(pdf: bytes, exp: Expectations) -> list[PageText]:
    """The normalised text of every page, and of each place the expectations name
    (first-page places on page 1, footer places on every page)."""
    pages = []
    reader = _PlaceReader()
    doc = pdfium.PdfDocument(pdf)
    try:
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            try:
                places = {
                    "footer": normalise(reader.read(tp, L.FOOTER_RECT)),
                    "page number": normalise(reader.read(tp, L.PAGE_NUMBER_RECT)),
                    "copy stamp": normalise(reader.read(tp, L.COPY_BOX)),
                }
                if i == 0:
                    for place in exp.places:
                        places[place.label] = normalise(reader.read(tp, place.rect))
                raw = tp.get_text_range()
                pages.append(PageText(normalise(raw), places, split_lines(raw)))
            finally:
                tp.close()
                page.close()
    finally:
        doc.close()
    return pages


def _box(r: L.Rect) -> tuple[float, float, float, float]:
    return (r.x0, r.y0, r.x1, r.y1)


def check_pdf(pdf: bytes, exp: Expectations, case_number: str, kind: str) -> int:
    """Check ``pdf`` against ``exp``; returns the page count. Raises
    :class:`DocumentMismatch` listing every difference found."""
    try:
        pages = read_pdf(pdf, exp)
    except pdfium.PdfiumError as e:
        raise DocumentMismatch(case_number, kind, [f"the PDF cannot be read back ({e})"]) from None
    problems: list[str] = []
    if not pages:
        problems.append("the PDF has no pages")
    else:
        first = pages[0].places
        for place in exp.places:
            got = first.get(place.label, "")
            if got != place.expected:
                problems.append(f"{place.label} shows {_shown(got)}, expected {_shown(place.expected)}")
    n = len(pages)
    for number, page in enumerate(pages, start=1):
        if page.places["footer"] != exp.footer:
            problems.append(f"page {number} footer shows {_shown(page.places['footer'])}, "
                            f"expected {_shown(exp.footer)}")
        want = normalise(exp.page_of.format(page=number, pages=n))
        if page.places["page number"] != want:
            problems.append(f"page {number} is numbered {_shown(page.places['page number'])}, "
                            f"expected {_shown(want)}")
        if page.places["copy stamp"] != exp.copy_stamp:
            problems.append(f"page {number} copy stamp shows {_shown(page.places['copy stamp'])}, "
                            f"expected {_shown(exp.copy_stamp)}")
        if (exp.preview_stamp in page.text) != exp.preview:
            problems.append(f"page {number} {'lacks' if exp.preview else 'carries'} the "
                            f"preview watermark {_shown(exp.preview_stamp)}")
    all_lines = [line for p in pages for line in p.lines]
    for label, text in exp.lines:
        if not _lines_read(all_lines, text):
            problems.append(f"{label} {_shown(text)} is not printed as a whole line")
    whole = " ".join(p.text for p in pages)
    for label, text in exp.words:
        if not _whole_word(whole, text):
            problems.append(f"{label} {_shown(text)} is not in the document")
    for rows in exp.rows:
        problems += _row_problems(all_lines, rows)
    if problems:
        raise DocumentMismatch(case_number, kind, problems)
    return n


def _shown(text: str) -> str:
    return f"'{text}'" if text else "nothing"


def _lines_read(lines: list[str], text: str) -> bool:
    """``text`` is printed as one or more whole consecutive lines (a paragraph that
    wraps): it starts at the start of a line and ends at the end of one."""
    for i, first in enumerate(lines):
        if not text.startswith(first):
            continue
        joined, j = first, i
        while len(joined) < len(text) and j + 1 < len(lines):
            j += 1
            joined = f"{joined} {lines[j]}"
            if not text.startswith(joined):
                break
        if joined == text:
            return True
    return False


def _whole_word(text: str, word: str) -> bool:
    """``word`` occurs in ``text`` with nothing of another word or number against it:
    after a start, a space or "("; before an end, a space or punctuation that ends a
    word ($14.35 is not in $114.35, nor in $14.357)."""
    return re.search(rf"(?:^|(?<=[\s(]))(?<![−-]){re.escape(word)}(?=$|[\s);:]|[.,](?![0-9]))",
                     text) is not None


def _row_problems(lines: list[str], rows: Rows) -> list[str]:
    """Every line the table's pattern matches is a row of the table: they must be the
    expected rows, in order, one for one."""
    printed = [line for line in lines if rows.pattern.fullmatch(line)]
    if printed == list(rows.expected):
        return []
    problems = []
    for k, (got, want) in enumerate(zip(printed, rows.expected), start=1):
        if got != want:
            problems.append(f"{rows.label} row {k} shows {_shown(got)}, expected {_shown(want)}")
            break
    if len(printed) != len(rows.expected):
        problems.append(f"{rows.label} prints {len(printed)} row(s), the determination has "
                        f"{len(rows.expected)}")
    return problems or [f"{rows.label} rows differ from the determination"]


def check_document(inp: DocumentInput, kind: DocumentKind, pdf: bytes,
                   identity: Identity | None = None) -> int:
    """Check that ``pdf`` is the ``kind`` document of ``inp``'s case; returns its page
    count or raises :class:`DocumentMismatch`. (What the page should print is measured
    with the document fonts: ReportLab is set up first, as for rendering.)"""
    prepare_reportlab()
    return check_pdf(pdf, expectations(inp, kind, identity), inp.case_number, kind.value)


def page_texts(pdf: bytes) -> list[str]:
    """The normalised text of each page of a PDF."""
    doc = pdfium.PdfDocument(pdf)
    try:
        parts = []
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            parts.append(normalise(tp.get_text_range()))
            tp.close()
            page.close()
        return parts
    finally:
        doc.close()


def extract_text(pdf: bytes) -> str:
    """The whole text of a PDF, normalised (for tests, search and the manifest)."""
    return normalise(" ".join(page_texts(pdf)))


def check_copy(inp: DocumentInput, kind: DocumentKind, original: bytes, copy: bytes) -> None:
    """A reprint is the issued document again and nothing else: page for page the text
    of ``original`` (the stored issue) with only the COPY stamp added (drawn last on
    each page). Raises :class:`DocumentMismatch` naming the first page that differs."""
    stamp = normalise(document_wording(inp, kind).text("page.copy_stamp"))
    issued, copied = page_texts(original), page_texts(copy)
    problems = []
    if len(copied) != len(issued):
        problems.append(f"the copy has {len(copied)} page(s), the issued document {len(issued)}")
    else:
        problems += [f"page {n} of the copy does not read as the issued page"
                     for n, (a, b) in enumerate(zip(issued, copied), start=1)
                     if b != f"{a} {stamp}"]
    if problems:
        raise DocumentMismatch(inp.case_number, kind.value, problems[:1])
