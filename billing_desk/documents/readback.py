"""The read-back control: before a document is issued, its text is extracted from the
PDF bytes (pdfium, an engine independent of the one that wrote them) and checked
against the case it is issued for. A mismatch blocks the issue.

What is checked, on the text as a reader would see it:
- at the fixed places where identity is printed, exactly the case's values: the
  envelope window (customer name and every line of the mailing address), the account
  and case numbers (letter reference block, memo identity block), and on every page the
  footer (account, case) and "Page n of m" (no page missing or foreign);
- the COPY stamp on a reprint, and its absence on an original;
- the PREVIEW · NOT ISSUED watermark on every page of a preview, and its absence from
  every page of a document to be issued;
- anywhere in the document: the customer name, the service address, the totals as the
  document formats them (Babel, the document's locale) and, in a memo, the fingerprint
  and the history head it was rendered with.

Text on both sides is normalised the same way (NFKC, whitespace runs to one space):
extraction turns line breaks into CR LF, Babel's non-breaking and thin spaces into
spaces, ligatures into letters. The comparison itself is exact.
"""

from __future__ import annotations

import ctypes
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from . import layout as L
from .errors import DocumentMismatch
from .identity import Identity, identity_of
from .model import DocumentInput, DocumentKind
from .render import document_wording


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True, slots=True)
class Place:
    """A value that must be printed, exactly, inside ``rect`` on the first page."""

    label: str
    rect: L.Rect
    expected: str


@dataclass(frozen=True, slots=True)
class Expectations:
    places: tuple[Place, ...]
    footer: str
    page_of: str  # template with {page} and {pages}
    copy_stamp: str  # what the COPY box must show ("" on an original)
    preview_stamp: str  # the watermark of a preview, in the document's language
    preview: bool  # every page carries preview_stamp (True) or none does (False)
    present: tuple[tuple[str, str], ...]  # (label, text) that must appear somewhere


def expectations(inp: DocumentInput, kind: DocumentKind,
                 identity: Identity | None = None) -> Expectations:
    """What the document for ``inp`` must show, computed from the case alone."""
    ident = identity or identity_of(inp.case.account, inp.case_number)
    w = document_wording(inp, kind)
    det = inp.determination
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
        present = [("customer name", ident.customer_name)]
    else:
        places = (
            Place("account number", L.MEMO_RECTS["account"], ident.account_number),
            Place("customer name", L.MEMO_RECTS["customer"], ident.customer_name),
            Place("mailing address", L.MEMO_RECTS["mailing"], ident.mailing_one_line),
            Place("case number", L.MEMO_RECTS["case"], ident.case_number),
        )
        amounts = [("refund total", det.refund_total), ("back-bill total", det.back_bill_total)]
        present = [("determination fingerprint", inp.fingerprint)]
        if inp.history_head is not None and not inp.preview:
            present.append(("history head", inp.history_head.text()))
    if ident.service_address:
        present.append(("service address", ident.service_address))
    present += [(label, w.money(amount)) for label, amount in amounts]
    return Expectations(
        places=tuple(Place(p.label, p.rect, normalise(p.expected)) for p in places),
        footer=normalise(w.text("page.footer", account=ident.account_number,
                                case_number=ident.case_number)),
        page_of=w.raw("page.page_of"),
        copy_stamp=normalise(w.text("page.copy_stamp")) if inp.copy else "",
        preview_stamp=normalise(w.text("page.preview_stamp")), preview=inp.preview,
        present=tuple((label, normalise(text)) for label, text in present))


@dataclass(frozen=True, slots=True)
class PageText:
    text: str  # the whole page, normalised
    places: dict[str, str]  # label -> normalised text inside that place


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
                pages.append(PageText(normalise(tp.get_text_range()), places))
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
    whole = " ".join(p.text for p in pages)
    for label, text in exp.present:
        if text not in whole:
            problems.append(f"{label} {_shown(text)} is not in the document")
    if problems:
        raise DocumentMismatch(case_number, kind, problems)
    return n


def _shown(text: str) -> str:
    return f"'{text}'" if text else "nothing"


def check_document(inp: DocumentInput, kind: DocumentKind, pdf: bytes,
                   identity: Identity | None = None) -> int:
    """Check that ``pdf`` is the ``kind`` document of ``inp``'s case; returns its page
    count or raises :class:`DocumentMismatch`."""
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
