"""Text fields that say when the clerk has finished an edit (one saved action each)."""

from __future__ import annotations

from .qt import QFocusEvent, QKeyEvent, QPlainTextEdit, Qt, Signal


class CommitPlainTextEdit(QPlainTextEdit):
    """A multi-line field (a mailing address, notes) that emits ``editingFinished`` when
    focus leaves it after a change — like QLineEdit does. Tab moves focus on (it does
    not type a tab), so the form keeps its keyboard order."""

    editingFinished = Signal()

    def __init__(self, parent=None, *, max_lines: int | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self._dirty = False
        self.textChanged.connect(self._mark)
        if max_lines:
            line = self.fontMetrics().lineSpacing()
            self.setFixedHeight(line * max_lines + 12)

    def _mark(self) -> None:
        self._dirty = True

    def set_text_silently(self, text: str) -> None:
        self.blockSignals(True)
        self.setPlainText(text)
        self.blockSignals(False)
        self._dirty = False

    def finish(self) -> None:
        if self._dirty:
            self._dirty = False
            self.editingFinished.emit()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.finish()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Ctrl+Enter commits without leaving the field
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.finish()
            return
        super().keyPressEvent(event)
