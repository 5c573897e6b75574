"""The document fonts: subsets the same from one document to the next, text encoded
exactly as ReportLab encodes it, unprintable characters detected."""

from __future__ import annotations

import io

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from billing_desk.documents.fonts import (BOLD, REGULAR, missing_characters,
                                          preassign_characters)
from billing_desk.documents.reportlab_setup import prepare_reportlab

SAMPLES = ["Pat Example", "Peña Müller · $1,234.56", "Jun 1\u2009–\u200930, 2010",
           "no\u00a0break", "Nguyễn Thị", "ASCII only 0123456789", "王", "", "áéíóúñü¿¡"]


def test_fast_encoding_matches_reportlab_for_every_sample():
    prepare_reportlab()
    ours = pdfmetrics.getFont(REGULAR)
    plain = TTFont("PlainForComparison", ours.face.filename)
    doc_ours = Canvas(io.BytesIO())._doc
    doc_plain = Canvas(io.BytesIO())._doc
    for doc, font in ((doc_ours, ours), (doc_plain, plain)):
        font.splitString("·áéíñóúü\u2009–—", doc)  # same pre-assignment on both
    for text in SAMPLES * 2:  # the second round takes the fast path for new characters
        assert ours.splitString(text, doc_ours) == plain.splitString(text, doc_plain), text


def test_preassigned_characters_make_subsets_repeat():
    prepare_reportlab()
    font = pdfmetrics.getFont(REGULAR)
    subsets = []
    for text in ("ñ then é", "é then ñ"):
        doc = Canvas(io.BytesIO())._doc
        preassign_characters(doc, "éñ")
        font.splitString(text, doc)
        subsets.append(font.state[doc].subsets[0][:])
    assert subsets[0] == subsets[1]


def test_characters_the_fonts_lack_are_named():
    assert missing_characters("Peña Müller Nguyễn Łukasz Ørsted") == ""
    assert missing_characters("王小明 王") == "王小明"
    assert BOLD != REGULAR
