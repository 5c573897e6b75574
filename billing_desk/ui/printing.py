"""Printing a stored document: the PDF's pages rendered by QtPdf onto a QPrinter (a
physical printer chosen in the print dialog, or a PDF file), and saving the stored PDF
as a file. The bytes printed are the stored, checked bytes — never a re-render."""

from __future__ import annotations

from pathlib import Path

from .qt import (
    QBuffer, QByteArray, QDialog, QIODevice, QMarginsF, QPageLayout, QPageSize, QPainter,
    QPdfDocument, QPrintDialog, QPrinter, QRectF, QSize, QWidget,
)

from ..documents.whole_file import write_whole
from ..errors import BillingDeskError

#: Raster resolution for a page sent to the printer: sharp text on paper, and a Letter
#: page stays a 2550 x 3300 image (a printer's native 1200 dpi would be 16 times that).
PRINT_DPI = 300


class PrintFailed(BillingDeskError):
    """The document could not be printed; the message says why."""


def _open(pdf: bytes) -> tuple[QPdfDocument, QBuffer]:
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    doc.load(buffer)
    if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
        raise PrintFailed(f"The stored document cannot be opened for printing "
                          f"({doc.error().name}).")
    return doc, buffer


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Print every page of ``pdf`` on ``printer`` at its true size (US Letter, the
    page's own margins); returns the number of pages printed."""
    doc, buffer = _open(pdf)
    try:
        printer.setFullPage(True)
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.Letter),
                                          QPageLayout.Orientation.Portrait,
                                          QMarginsF(0, 0, 0, 0)))
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
            printer.setResolution(PRINT_DPI)
        dpi = min(printer.resolution(), PRINT_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintFailed("The printer could not be started; check that it is "
                              "connected and try again.")
        try:
            target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            for index in range(doc.pageCount()):
                if index:
                    printer.newPage()
                points = doc.pagePointSize(index)
                size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                image = doc.render(index, size)
                painter.drawImage(target, image)
        finally:
            painter.end()
        return doc.pageCount()
    finally:
        doc.close()
        buffer.close()


def print_pdf_to_file(pdf: bytes, path: str | Path) -> int:
    """Print ``pdf`` through a QPrinter into a PDF file (what "Print to file" does)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return print_pdf(pdf, printer)


def choose_printer(parent: QWidget | None = None) -> QPrinter | None:
    """Ask for a printer (QPrintDialog); None if the user cancelled. Choosing comes
    first so that what is printed (an original, or a COPY) is decided, and recorded,
    only for a print that happens."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setObjectName("print-dialog")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def print_with_dialog(pdf: bytes, parent: QWidget | None = None) -> int:
    """Ask for a printer (QPrintDialog) and print; returns pages printed, 0 if the user
    cancelled."""
    printer = choose_printer(parent)
    return 0 if printer is None else print_pdf(pdf, printer)


def save_pdf_as(pdf: bytes, path: str | Path) -> None:
    """Write the stored PDF to ``path`` whole or not at all (temporary file, then an
    atomic rename), so a failed save never leaves half a document behind."""
    write_whole(pdf, path)
