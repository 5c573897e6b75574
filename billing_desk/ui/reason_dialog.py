"""Asking why (voiding a case): the reason is required by the rules and kept in the
history; the dialog passes on whatever was typed and the rules judge it."""

from __future__ import annotations

from .qt import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, Signal

from .a11y import identify


class ReasonDialog(QDialog):
    given = Signal(str)

    def __init__(self, title: str, question: str, action: str, parent=None) -> None:
        super().__init__(parent)
        identify(self, "reason_dialog", title)
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        label = QLabel(question)
        label.setWordWrap(True)
        lay.addWidget(label)
        self.reason = QPlainTextEdit()
        identify(self.reason, "reason_text", "Reason")
        label.setBuddy(self.reason)
        lay.addWidget(self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        identify(self.ok, "reason_ok")
        buttons.accepted.connect(self._give)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _give(self) -> None:
        self.accept()
        self.given.emit(self.reason.toPlainText())
