"""The document preview: shows a case's documents, asks for print and save by kind."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument

from billing_desk.documents.issue import prepare_issue
from billing_desk.ui.document_preview import DocumentPreview
from tests.documents.inputs import document_input

LABELS = {"letter": "Letter", "credit_memo": "Credit memo", "back_bill_memo": "Back-bill memo"}


def preview_of(qtbot, case: str) -> tuple[DocumentPreview, tuple]:
    widget = DocumentPreview()
    qtbot.addWidget(widget)
    issued = prepare_issue(document_input(case))
    widget.set_documents([(d.kind.value, LABELS[d.kind.value], d.pdf) for d in issued])
    widget.show()
    return widget, issued


def test_shows_each_document_of_the_case(qtbot):
    widget, issued = preview_of(qtbot, "23")
    assert [widget.chooser.itemText(i) for i in range(widget.chooser.count())] == [
        "Letter", "Credit memo"]
    assert widget.pdf.status() == QPdfDocument.Status.Ready
    assert widget.pdf.pageCount() == issued[0].pages
    widget.chooser.setCurrentIndex(1)
    assert widget.current_kind() == "credit_memo"
    assert widget.pdf.pageCount() == issued[1].pages == 3
    assert widget.pages.text() == "3 page(s)"


def test_print_and_save_ask_for_the_shown_document(qtbot):
    widget, _ = preview_of(qtbot, "18")
    widget.chooser.setCurrentIndex(2)
    with qtbot.waitSignal(widget.printRequested) as printed:
        qtbot.mouseClick(widget.print_button, Qt.MouseButton.LeftButton)
    assert printed.args == ["back_bill_memo"]
    with qtbot.waitSignal(widget.saveRequested) as saved:
        qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == ["back_bill_memo"]


def test_without_documents_nothing_can_be_printed(qtbot):
    widget = DocumentPreview()
    qtbot.addWidget(widget)
    widget.set_documents([])
    assert not widget.print_button.isEnabled() and not widget.save_button.isEnabled()
    assert widget.pages.text() == "No documents"
