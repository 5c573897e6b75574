"""Preview of a case's documents (letter, memos) with Print and Save as PDF.

The widget shows PDF bytes it is given — the stored, checked documents of the open
case — and holds no rules: Print and Save ask the caller through signals, because
whether a print is the original or a reprint stamped COPY, and its audit entry, are the
case file's business."""

from __future__ import annotations

from .qt import (
    QBuffer, QByteArray, QComboBox, QHBoxLayout, QIODevice, QLabel, QPdfDocument, QPdfView,
    QPushButton, QVBoxLayout, QWidget, Signal,
)


def _named(widget, name: str):
    widget.setObjectName(name)
    widget.setAccessibleIdentifier(name)
    return widget


class DocumentPreview(QWidget):
    """Documents of one case, one at a time, fitted to the width of the view."""

    printRequested = Signal(str)  # document kind
    saveRequested = Signal(str)  # document kind

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _named(self, "document-preview")
        self._documents: list[tuple[str, str, bytes]] = []  # (kind, label, pdf)
        self._buffer: QBuffer | None = None
        self.pdf = QPdfDocument(self)
        self.chooser = _named(QComboBox(), "document-chooser")
        self.chooser.setAccessibleName(self.tr("Document"))
        self.pages = _named(QLabel(), "document-pages")
        self.print_button = _named(QPushButton(self.tr("&Print…")), "document-print")
        self.save_button = _named(QPushButton(self.tr("&Save as PDF…")), "document-save")
        self.view = _named(QPdfView(), "document-view")
        self.view.setAccessibleName(self.tr("Document preview"))
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        bar = QHBoxLayout()
        bar.addWidget(self.chooser, 1)
        bar.addWidget(self.pages)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        self.chooser.currentIndexChanged.connect(self._show)
        self.print_button.clicked.connect(lambda: self._request(self.printRequested))
        self.save_button.clicked.connect(lambda: self._request(self.saveRequested))
        self._show(-1)

    def set_documents(self, documents: list[tuple[str, str, bytes]]) -> None:
        """Show ``documents``: (kind, label, PDF bytes), the first one selected."""
        self._documents = list(documents)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for _, label, _ in self._documents:
            self.chooser.addItem(label)
        self.chooser.blockSignals(False)
        self._show(0 if self._documents else -1)

    def documents(self) -> list[tuple[str, str, bytes]]:
        return list(self._documents)

    def current_kind(self) -> str | None:
        index = self.chooser.currentIndex()
        return self._documents[index][0] if 0 <= index < len(self._documents) else None

    def _show(self, index: int) -> None:
        self.pdf.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer = None
        has = 0 <= index < len(self._documents)
        self.print_button.setEnabled(has)
        self.save_button.setEnabled(has)
        self.chooser.setEnabled(bool(self._documents))
        if not has:
            self.pages.setText(self.tr("No documents"))
            return
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(self._documents[index][2]))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self._buffer)
        self.pages.setText(self.tr("%n page(s)", "", self.pdf.pageCount()))

    def _request(self, signal) -> None:
        kind = self.current_kind()
        if kind is not None:
            signal.emit(kind)
