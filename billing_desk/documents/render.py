"""Render one document of a case to PDF bytes (ReportLab platypus, embedded DejaVu
fonts). Output is deterministic: the same input gives the same bytes (ReportLab's
invariant mode fixes the creation date and document id), so an issued document can be
re-rendered and compared byte for byte."""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from functools import partial

from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from . import layout as L
from . import letter, memo
from .fonts import REGULAR
from .reportlab_setup import prepare_reportlab
from .identity import Identity, identity_of
from .model import DocumentInput, DocumentKind
from .wording import Wording, wording_for


class _BodyFrame(Frame):
    """The body frame. Platypus's KeepTogether measures its content in a deep copy of
    the current frame; a frame's state is numbers and a few short lists, so a copy with
    its lists copied is the same thing, without deep-copying every attribute (that was
    a twentieth of a memo's rendering)."""

    def __deepcopy__(self, memo: dict) -> "_BodyFrame":
        clone = copy.copy(self)
        for name, value in vars(self).items():
            if isinstance(value, list):
                setattr(clone, name, list(value))
        return clone


@dataclass(frozen=True, slots=True)
class RenderedPdf:
    kind: DocumentKind
    pdf: bytes
    pages: int


def document_wording(inp: DocumentInput, kind: DocumentKind) -> Wording:
    """Letters are in the customer's language, dates written out in full; memos, for
    staff, in the office's language and date format (settings office.locale and
    office.date_format)."""
    if kind is DocumentKind.LETTER:
        return wording_for(inp.locale)
    return wording_for(inp.memo_locale, inp.settings.date_format)


def render_document(inp: DocumentInput, kind: DocumentKind,
                    identity: Identity | None = None) -> RenderedPdf:
    """Render ``kind`` for the case. Raises a :class:`~.errors.DocumentError` subclass
    when the case cannot be printed (no address, unprintable or over-long name)."""
    ident = identity or identity_of(inp.case.account, inp.case_number)
    w = document_wording(inp, kind)
    prepare_reportlab()
    if kind is DocumentKind.LETTER:
        draw_first = letter.first_page(inp, ident, w)
        flowables = letter.story(inp, ident, w)
        first_top = L.LETTER_FIRST_TOP
        title = w.text("letter.document_title")
    else:
        draw_first = memo.first_page(inp, ident, w, kind)
        flowables = memo.story(inp, ident, w, kind)
        first_top = L.MEMO_FIRST_TOP
        title = w.text("memo.credit_title" if kind is DocumentKind.CREDIT_MEMO
                       else "memo.back_bill_title")
    decor = L.PageDecor(
        footer=w.text("page.footer", account=ident.account_number,
                      case_number=ident.case_number),
        page_of=w.raw("page.page_of"),
        copy_stamp=w.text("page.copy_stamp") if inp.copy else None,
        preview_stamp=w.text("page.preview_stamp") if inp.preview else None,
        characters=w.glyph_seed)
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=(L.PAGE_WIDTH, L.PAGE_HEIGHT), leftMargin=L.MARGIN,
        rightMargin=L.MARGIN, topMargin=L.PAGE_HEIGHT - L.LATER_PAGE_TOP,
        bottomMargin=L.BODY_BOTTOM, invariant=1, title=title,
        author=inp.settings.letterhead.name, subject=f"{ident.case_number} {kind.value}",
        creator="Billing Desk", lang=w.locale_name.replace("_", "-"),
        # the canvas's initial font: ReportLab's default, Helvetica, would be declared on
        # every page and loaded by every reader (pdfium: about 0.2 ms a document) unused
        initialFontName=REGULAR)
    body_h = L.LATER_PAGE_TOP - L.BODY_BOTTOM
    first = PageTemplate(
        id="first", autoNextPageTemplate="later", onPage=draw_first,
        frames=[_BodyFrame(L.MARGIN, L.BODY_BOTTOM, L.BODY_WIDTH, first_top - L.BODY_BOTTOM,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                      id="first-body")])
    later = PageTemplate(
        id="later",
        frames=[_BodyFrame(L.MARGIN, L.BODY_BOTTOM, L.BODY_WIDTH, body_h, leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0, id="body")])
    doc.addPageTemplates([first, later])
    doc.build(flowables, canvasmaker=partial(L.DecoratedCanvas, decor=decor))
    return RenderedPdf(kind, buf.getvalue(), decor.pages)
