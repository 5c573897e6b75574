"""The entry checks read the fonts' own tables (documents/glyphs.py, no ReportLab): they
must give exactly ReportLab's answers, or a name accepted at entry could still fail at
issue (or the reverse)."""

from __future__ import annotations

import pytest
from reportlab.pdfbase import pdfmetrics

from billing_desk.documents import fitting, glyphs
from billing_desk.documents.reportlab_setup import prepare_reportlab
from billing_desk.documents.typesetting import LETTER_TYPESETTING
from billing_desk.domain.printable import printable_problems
from tests.documents.inputs import worked, with_account

TEXTS = ("María Peña Núñez", "Nguyễn Thị Minh Khai", "WWWWWWWWWWWWWWWWWWWWWWWWWWWW",
         "1200 S College Ave, Fort Collins, CO 80525", "Łukasz Żółć & Søren Ærø",
         "(970)\u00a0212-2900", "Ⅻ ﬁ ‰ € ₫", "王小明")


@pytest.mark.parametrize("font", [glyphs.REGULAR, glyphs.BOLD])
def test_the_character_map_and_widths_are_reportlabs(font):
    prepare_reportlab()
    face = pdfmetrics.getFont(font).face
    ours = glyphs.metrics(font)
    assert set(ours.widths) == {c for c, g in face.charToGlyph.items() if g}
    assert all(face.charWidths[c] == w for c, w in ours.widths.items())
    for text in TEXTS:
        for size in (7.0, 8.0, 9.5, 10.0):
            assert ours.width(text, size) == pdfmetrics.stringWidth(text, font, size), text


def test_what_the_fonts_lack_is_found_without_reportlab():
    assert glyphs.missing_characters("Peña Müller Nguyễn Łukasz Ørsted") == ""
    assert glyphs.missing_characters("王小明 王") == "王小明"


def test_a_name_that_does_not_fit_the_window_is_found_at_entry_as_at_issue():
    line = " ".join(["W" * 12] * 3)  # 38 characters of the widest letter: wraps in the window
    case = with_account(worked("18"), customer_name="W" * 20,
                        mailing_address="\n".join([line] * 3 + ["WWWW, CO 80524"]))
    found = printable_problems(case, LETTER_TYPESETTING)
    assert {p.field for p in found} == {"account.mailing_address"}
    assert any("more than 5 lines of the envelope window (3.75 inches wide)" in p.message
               for p in found)
    from billing_desk.documents.errors import UnprintableText
    from billing_desk.documents.identity import identity_of

    ident = identity_of(case.account, "BD-1")
    with pytest.raises(UnprintableText):  # the renderer's own fit, the same answer
        fitting.fit_lines([ident.customer_name, *ident.mailing_lines], glyphs.REGULAR,
                          fitting.WINDOW_SIZES, fitting.WINDOW_X1 - fitting.WINDOW_X0,
                          fitting.WINDOW_LINES_MAX, "window")
