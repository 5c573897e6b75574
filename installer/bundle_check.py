"""bundle-check: can the installed bundle's Qt do what Billing Desk needs on this machine?

    /opt/billing-desk/bundle-check            (dist/billing-desk/bundle-check before install)

A second program in the one-folder bundle, beside ``billing-desk``, sharing its Python,
Qt and libraries. It loads every Qt plugin the bundle carries (a plugin whose system
libraries are missing fails to load, and says which), imports the Qt modules the app
uses or is about to use (QtCharts for the reports), and exercises each on this machine:
a chart drawn, a PDF made by ReportLab and rendered by QtPdf, a page printed to a PDF
file through Qt's print support, the app's SVG icon and fonts found through fontconfig.
It prints one line per check and exits 1 if any failed. It needs no display
(``QT_QPA_PLATFORM=offscreen`` unless a platform is set); installer/smoke runs it on a
bare Debian after ``apt-get install ./billing-desk_*.deb``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

failures: list[str] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)
    if not ok:
        failures.append(name)


def inked(image) -> int:
    """Pixels of ``image`` that are not (near) white: something was drawn."""
    from PySide6.QtGui import QColor

    step = max(1, min(image.width(), image.height()) // 100)
    count = 0
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            if QColor(image.pixel(x, y)).lightness() < 200:
                count += 1
    return count


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtCharts, QtCore, QtGui, QtPdf, QtPrintSupport, QtWidgets  # noqa: F401
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLibraryInfo, QPluginLoader, QSize
    from PySide6.QtGui import QFontDatabase, QIcon, QImageReader, QPainter
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    check("Qt", True, f"{QtCore.qVersion()} on the {app.platformName()} platform")

    # every plugin the bundle carries loads here: its system libraries are installed
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    found = sorted(plugins.rglob("*.so")) + sorted(plugins.rglob("*.dll"))
    check("Qt plugins in the bundle", bool(found),
          ", ".join(f"{p.parent.name}/{p.name}" for p in found))
    for plugin in found:
        loader = QPluginLoader(str(plugin))
        check(f"plugin {plugin.parent.name}/{plugin.name} loads", loader.load(),
              loader.errorString() if not loader.isLoaded() else "")
    for needed in ("platforms/libqxcb.so", "platforms/libqoffscreen.so",
                   "printsupport/libcupsprintersupport.so", "imageformats/libqsvg.so"):
        if sys.platform.startswith("linux"):
            check(f"plugin {needed} present", (plugins / needed).is_file())

    families = QFontDatabase.families()
    check("fonts (fontconfig)", bool(families), f"{len(families)} families, "
          f"default {app.font().family()!r}")

    formats = {bytes(f).decode() for f in QImageReader.supportedImageFormats()}
    check("image formats", {"png", "svg", "ico", "jpeg", "gif"} <= formats, " ".join(sorted(formats)))

    from billing_desk.resources import resource_path

    icon = QIcon(str(resource_path("icons", "billing-desk.svg")))
    pixmap = icon.pixmap(QSize(64, 64))
    check("the app's icon (SVG)", not pixmap.isNull() and inked(pixmap.toImage()) > 50)

    # a chart, as the reports will draw them
    chart = QtCharts.QChart()
    series = QtCharts.QLineSeries()
    for x, y in ((0, 1.0), (1, 3.0), (2, 2.0), (3, 5.0)):
        series.append(x, y)
    chart.addSeries(series)
    chart.createDefaultAxes()
    chart.setTitle("Adjusted bills per 10,000")
    view = QtCharts.QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.resize(480, 320)
    drawn = view.grab().toImage()
    check("QtCharts draws a chart", inked(drawn) > 100, f"{drawn.width()}x{drawn.height()}")

    # a PDF made as the letters are (ReportLab, the bundled DejaVu font), shown by QtPdf
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(resource_path("fonts", "DejaVuSans.ttf"))))
    with tempfile.TemporaryDirectory() as tmp:
        made = Path(tmp) / "check.pdf"
        c = canvas.Canvas(str(made), pagesize=letter)
        c.setFont("DejaVuSans", 28)
        c.drawString(72, 600, "Billing Desk — bundle check, Núñez")
        c.save()
        data = made.read_bytes()
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        doc = QtPdf.QPdfDocument()
        doc.load(buffer)
        ready = doc.status() == QtPdf.QPdfDocument.Status.Ready and doc.pageCount() == 1
        page = doc.render(0, QSize(612, 792)) if ready else None
        check("QtPdf renders a ReportLab PDF", bool(page) and inked(page) > 50,
              f"{doc.pageCount()} page(s)")

        import pypdfium2

        text = pypdfium2.PdfDocument(data)[0].get_textpage().get_text_range()
        check("pdfium reads its text back", "Núñez" in text, text.strip())

        # print support: a page through QPrinter, to a PDF file
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printed = Path(tmp) / "printed.pdf"
        printer.setOutputFileName(str(printed))
        painter = QPainter()
        started = painter.begin(printer)
        if started:
            painter.drawText(100, 100, "Billing Desk print check")
            painter.end()
        check("print support (QPrinter to PDF)", started and printed.stat().st_size > 500)
        names = QPrinterInfo.availablePrinterNames()
        check("printers (CUPS)", True, f"{len(names)} found: {', '.join(names) or 'none'}")

    print(f"bundle-check: {len(failures)} failed" + (f": {', '.join(failures)}" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
