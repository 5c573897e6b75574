"""Printing a stored document through QPrinter (offscreen) and saving it as a file."""

from __future__ import annotations

import pypdfium2 as pdfium

from billing_desk.documents.issue import prepare_issue
from billing_desk.ui.printing import print_pdf_to_file, save_pdf_as
from tests.documents.inputs import document_input


def _ink(page) -> float:
    """Share of the page that is not white, from a small rendering."""
    histogram = page.render(scale=0.5).to_pil().convert("L").histogram()
    return sum(histogram[:200]) / sum(histogram)


def test_printing_to_a_pdf_file_prints_every_page(qtbot, tmp_path):
    memo = prepare_issue(document_input("23"))[1]
    target = tmp_path / "printed.pdf"
    assert print_pdf_to_file(memo.pdf, target) == memo.pages == 3
    printed = pdfium.PdfDocument(str(target))
    assert len(printed) == 3
    assert printed[0].get_size() == (612.0, 792.0)  # US Letter, true size
    original = pdfium.PdfDocument(memo.pdf)
    for i in range(3):  # the same marks on each page (rasterised, so not to the pixel)
        assert _ink(original[i]) > 0.005
        assert abs(_ink(printed[i]) - _ink(original[i])) < 0.25 * _ink(original[i])


def test_save_as_writes_the_stored_bytes(tmp_path):
    letter = prepare_issue(document_input("18"))[0]
    target = tmp_path / "letter.pdf"
    save_pdf_as(letter.pdf, target)
    assert target.read_bytes() == letter.pdf
    assert [p.name for p in tmp_path.iterdir()] == ["letter.pdf"]
