"""Documents > Letter settings…: the office's settings printed on letters (letterhead,
telephone, e-mail, hours, signatures) and those that decide what letters say
(installments, due and review days, languages, date format). An administrator changes
them here; saving is one action, one audit entry, refused as a whole -- with the
setting named -- when a value could not be used. Anyone else reads them. If the
settings in the file disagree with their history, the dialog says so (nothing is
issued until an administrator sets them again).

No rules here: what is valid and who may change it are the issuing service's and the
store's (through the session)."""

from __future__ import annotations

from .qt import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QScrollArea, QVBoxLayout,
    QWidget, Signal,
)

from .a11y import identify
from .errors import show_error
from .session import CaseSession
from .text_fields import CommitPlainTextEdit


class LetterSettingsDialog(QDialog):
    saved = Signal()

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        identify(self, "letter_settings_dialog", "Letter settings")
        self.setWindowTitle("Letter settings")
        self.session = session
        self.last_error_box = None
        self.views = {v.key: v for v in session.letter_settings()}
        self.fields: dict[str, QLineEdit | CommitPlainTextEdit] = {}
        editable = session.is_administrator

        lay = QVBoxLayout(self)
        self.note = QLabel()
        identify(self.note, "letter_settings_note", description="Who may change the settings")
        self.note.setWordWrap(True)
        problem = session.letter_settings_problem()
        if problem is not None:
            self.note.setText(f"⚠ {problem} Nothing is issued until an administrator sets the "
                              "settings again.")
            self.note.setStyleSheet("color: #9b1c1c;")
        elif editable:
            self.note.setText("Printed on every letter and memo. Saving records the change in "
                              "the history.")
        else:
            self.note.setText("Only an administrator can change these settings.")
        lay.addWidget(self.note)

        body = QWidget()
        form = QFormLayout(body)
        for key, view in self.views.items():
            if view.lines:
                field = CommitPlainTextEdit(max_lines=3)
                field.setPlainText("\n".join(view.value.split(" / ")))
            else:
                field = QLineEdit(view.value)
            identify(field, f"setting_{key}", key, view.description)
            field.setToolTip(view.description)
            field.setReadOnly(not editable)
            caption = QLabel(key)
            caption.setBuddy(field)
            form.addRow(caption, field)
            self.fields[key] = field
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        lay.addWidget(scroll, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        identify(self.save_button, "letter_settings_save", "Save the letter settings")
        self.save_button.setEnabled(editable)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(640, 560)

    def _text(self, key: str) -> str:
        field = self.fields[key]
        return field.toPlainText() if isinstance(field, CommitPlainTextEdit) else field.text()

    def changes(self) -> dict[str, str | list[str]]:
        """The settings whose field differs from the value shown when it opened."""
        out: dict[str, str | list[str]] = {}
        for key, view in self.views.items():
            text = self._text(key)
            if view.lines:
                lines = [line for line in text.splitlines() if line.strip()]
                if " / ".join(lines) != view.value:
                    out[key] = lines
            elif text != view.value:
                out[key] = text
        return out

    def save(self) -> bool:
        """Save every change as one action; a refusal is shown and nothing is saved."""
        from ..errors import BillingDeskError

        changes = self.changes()
        if changes:
            try:
                self.session.change_letter_settings(changes)
            except BillingDeskError as e:  # (a value refused, not an administrator, the file)
                self.last_error_box = show_error(self, "Settings not saved", e)
                return False
            self.saved.emit()
        self.accept()
        return True
