"""The case editor: account and customer, dates, evidence with the clause text beside each
box, rule options, and the periods table.

The editor holds no rules and no SQL. It shows a :class:`CaseDraft`, and for every
finished edit emits ``draftEdited(new_draft, description)`` — the window turns that
into one undoable, saved action. While the clerk is still typing it emits
``draftTyped(preview_draft)`` so the determination is recomputed on every keystroke.
What the form shows but the draft does not hold (a date or an amount refused, a date
not yet a date while it is typed) is :meth:`CaseEditor.refused_problems`, and
``refusedChanged`` fires when that changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from .qt import (
    QBoxLayout, QCheckBox, QComboBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget, Qt, Signal,
)

from ..domain.case import Evidence, OccurredBasis, Options, Reading, Service
from ..domain.delivery import DEFAULT_DELIVERY, Delivery
from ..domain.draft import CaseDraft
from ..domain.problems import Problem
from ..domain.rulepacks import get_rule_pack
from .a11y import identify
from .date_field import DateField
from .formatting import money
from .periods_model import COLUMNS, FIELD_COLUMN, PeriodsModel
from .periods_view import PeriodsView
from .text_fields import CommitPlainTextEdit

LOCALES = (("en_US", "English (US)"), ("es_US", "Español (EE. UU.)"))
#: how the customer's notices go out (Billing Desk's case@1 extension, issue 20)
DELIVERIES = ((Delivery.PAPER, "Paper (mailed)"), (Delivery.EMAIL, "Email"),
              (Delivery.BOTH, "Paper and email"))
SERVICES = (("", "— choose —"),) + tuple((s.value, s.value.capitalize()) for s in Service)
EVIDENCE_LABELS = {
    "customer_could_have_discovered": "Customer could have discovered the error with reasonable inquiry",
    "documentation_available": "Documentation of the overcharge is available",
    "documentation_confirmed": "The utility confirmed the documentation from its records",
    "customer_concealed_error": "Customer knew of the error and concealed or withheld it",
}
#: how a period counts as occurred before the six-year cutoff: (short label, explanation)
BASIS_LABELS = {OccurredBasis.SERVICE_DAYS: ("Service days", "Service days: a period is pro-rated at the cutoff"),
                OccurredBasis.BILL_DATE: ("Bill date", "Bill date: the whole period counts on its bill date")}


def _not_held(text: str, why: str) -> str:
    """``“2/30/2019” is not a real calendar date; not saved`` (the text typed is named
    once: most reasons quote it already)."""
    typed = "" if f"“{text.strip()}”" in why else f" (typed: “{text.strip()}”)"
    return f"{why}{typed}; not saved"


@dataclass(frozen=True)
class Typing:
    """A field being typed in (or a period's cell, by row and column), what it holds so
    far and where the cursor is."""

    widget: QWidget | None
    cell: tuple[int, int] | None
    text: str
    cursor: int | None


class CaseEditor(QWidget):
    draftEdited = Signal(object, str)  # CaseDraft, description of the user action
    draftTyped = Signal(object)  # CaseDraft preview while typing (not saved)
    refusedChanged = Signal()  # refused_problems() is not what it was
    statusMessage = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        identify(self, "case_editor", "Case editor")
        self._draft = CaseDraft()
        self._loading = False
        self._problem_labels: dict[str, QLabel] = {}
        self._field_widgets: dict[str, QWidget] = {}
        self.pack = get_rule_pack("fort-collins-26-721")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        self.header = QLabel()
        identify(self.header, "case_header", description="Case number and status")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)  # a long header must not widen the form
        outer.addWidget(self.header)

        # side by side when there is room, one above the other when not (fit_width): the
        # form never scrolls sideways
        self._top = QHBoxLayout()
        outer.addLayout(self._top)
        self.account_box = self._build_account()
        self.dates_box = self._build_dates_and_options()
        self._top.addWidget(self.account_box, 4)
        self._top.addWidget(self.dates_box, 3)
        self.evidence_box = self._build_evidence()
        outer.addWidget(self.evidence_box)
        self.periods_box = self._build_periods()
        outer.addWidget(self.periods_box, 1)
        self.set_read_only(True)

    # -- width ---------------------------------------------------------------------------

    def minimum_width(self, *, stacked: bool = True) -> int:
        """The narrowest the form can be: with the account and the dates one above the
        other (``stacked``), or side by side."""
        a, d = self.account_box.minimumSizeHint().width(), self.dates_box.minimumSizeHint().width()
        top = max(a, d) if stacked else a + self._top.spacing() + d
        rest = max(self.evidence_box.minimumSizeHint().width(),
                   self.periods_box.minimumSizeHint().width())
        m = self.layout().contentsMargins()
        return max(top, rest) + m.left() + m.right()

    @property
    def stacked(self) -> bool:
        return self._top.direction() == QBoxLayout.Direction.TopToBottom

    def fit_width(self, width: int) -> None:
        """Lay the form out for ``width`` (its scroll area's): the account and the dates
        side by side if they fit, else one above the other."""
        stacked = width < self.minimum_width(stacked=False)
        if stacked != self.stacked:
            self._top.setDirection(QBoxLayout.Direction.TopToBottom if stacked
                                   else QBoxLayout.Direction.LeftToRight)

    # -- building ------------------------------------------------------------------------

    def _problem_label(self, path: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setStyleSheet("color: #9b1c1c;")
        identify(label, f"problem_{path}", description=f"Problem with {path}")
        label.hide()
        self._problem_labels[path] = label
        return label

    def _field(self, form: QFormLayout, caption: str, widget: QWidget, path: str,
               identifier: str) -> None:
        target = widget.edit if isinstance(widget, DateField) else widget
        if not isinstance(widget, (DateField, QLabel)):  # a value label keeps its text as name
            identify(widget, identifier, caption.rstrip(":").replace("&", ""))
        self._field_widgets[path] = target
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(1)
        v.addWidget(widget)
        v.addWidget(self._problem_label(path))
        label = QLabel(caption)
        label.setBuddy(target)
        form.addRow(label, box)

    def _build_account(self) -> QWidget:
        box = QGroupBox("Account and customer")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.number = QLineEdit()
        self.customer_name = QLineEdit()
        self.service_address = QLineEdit()
        self.mailing_address = CommitPlainTextEdit(max_lines=3)
        self.mailing_address.setPlaceholderText("As it goes on the letter, one line per line")
        self.locale = QComboBox()
        for code, name in LOCALES:
            self.locale.addItem(name, code)
        self.current_customer = QCheckBox("Current cus&tomer (still receives service)")
        # mnemonics are unique in the window: Alt+C, E, F, H, V are the menus, Alt+O, M, Y
        # the other tabs (tests/ui/test_keyboard.py checks)
        self._field(form, "Acco&unt number:", self.number, "account.number", "account_number")
        self._field(form, "Customer &name:", self.customer_name, "account.customer_name", "customer_name")
        self._field(form, "Service &address:", self.service_address, "account.service_address",
                    "service_address")
        self._field(form, "Mai&ling address:", self.mailing_address, "account.mailing_address",
                    "mailing_address")
        self._field(form, "Letter lan&guage:", self.locale, "account.locale", "locale")
        identify(self.current_customer, "current_customer", "Current customer")
        self._field_widgets["account.current_customer"] = self.current_customer
        form.addRow("", self.current_customer)
        self.email = QLineEdit()
        self.email.setPlaceholderText("name@example.com, for notices by email")
        self.delivery = QComboBox()
        for value, name in DELIVERIES:
            self.delivery.addItem(name, value.value)
        self._field(form, "Email address:", self.email, "account.email", "customer_email")
        self._field(form, "Notices by:", self.delivery, "account.delivery", "delivery")
        self.email.editingFinished.connect(
            lambda: self._commit_account("email", self.email.text().strip() or None, "email address"))
        self.email.textEdited.connect(lambda text: self._preview_account("email", text.strip() or None))
        self.delivery.activated.connect(lambda _i: self._commit_delivery())

        for edit, key, label in ((self.number, "number", "account number"),
                                 (self.customer_name, "customer_name", "customer name"),
                                 (self.service_address, "service_address", "service address")):
            edit.editingFinished.connect(lambda k=key, e=edit, lab=label: self._commit_account(k, e.text(), lab))
            edit.textEdited.connect(lambda text, k=key: self._preview_account(k, text))
        self.mailing_address.editingFinished.connect(
            lambda: self._commit_account("mailing_address", self.mailing_address.toPlainText(),
                                         "mailing address"))
        self.mailing_address.textChanged.connect(
            lambda: self._preview_account("mailing_address", self.mailing_address.toPlainText()))
        self.locale.activated.connect(lambda _i: self._commit_account("locale", self.locale.currentData(),
                                                                      "letter language"))
        self.current_customer.toggled.connect(
            lambda on: self._commit_account("current_customer", on, "current customer"))
        return box

    def _build_dates_and_options(self) -> QWidget:
        box = QGroupBox("Error, dates and rule options")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.service = QComboBox()
        for value, name in SERVICES:
            self.service.addItem(name, value)
        self.discovered_on = DateField("discovered_on", "Discovered on")
        self.made_known_on = DateField("made_known_on", "Made known on")
        self.made_known_on.edit.setPlaceholderText("if not the discovery date")
        self.reading = QComboBox()
        for r in Reading:
            info = self.pack.readings[r.value]
            self.reading.addItem(info.title, r.value)
            self.reading.setItemData(self.reading.count() - 1, info.source, Qt.ItemDataRole.ToolTipRole)
        self.basis = QComboBox()
        for b, (text, explanation) in BASIS_LABELS.items():
            self.basis.addItem(text, b.value)
            self.basis.setItemData(self.basis.count() - 1, explanation, Qt.ItemDataRole.ToolTipRole)
        self.threshold = QLabel()
        identify(self.threshold, "minimal_threshold",
                 description="Minimal threshold, an administrative setting under Sec. 26-720")
        self._field(form, "&Service:", self.service, "service", "service")
        self._field(form, "&Discovered on:", self.discovered_on, "discovered_on", "discovered_on")
        self._field(form, "Made &known on:", self.made_known_on, "made_known_on", "made_known_on")
        # the case's cause, printed in the customer's letter (case@1 "cause")
        self.cause = CommitPlainTextEdit(max_lines=2)
        self.cause.setPlaceholderText("What went wrong, in plain words: the letter prints it")
        self._field(form, "What went wrong:", self.cause, "cause", "cause")
        self._field(form, "&Reading of (a)(2):", self.reading, "options.undercharge_reading", "reading")
        self._field(form, "Occurred &by:", self.basis, "options.occurred_basis", "occurred_basis")
        self.threshold.setWordWrap(True)
        self._field(form, "Minimal threshold:", self.threshold, "options.minimal_threshold",
                    "minimal_threshold")
        for combo in (self.service, self.reading, self.basis, self.locale):
            # long item texts must not widen the form: the popup shows them in full
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)

        self.service.activated.connect(self._commit_service)
        self.discovered_on.dateCommitted.connect(lambda d: self._commit(replace(self._draft, discovered_on=d),
                                                                        "Set discovery date"))
        self.made_known_on.dateCommitted.connect(lambda d: self._commit(replace(self._draft, made_known_on=d),
                                                                        "Set made-known date"))
        self.discovered_on.dateTyped.connect(lambda d: self._preview(replace(self._draft, discovered_on=d)))
        self.made_known_on.dateTyped.connect(lambda d: self._preview(replace(self._draft, made_known_on=d)))
        self.cause.editingFinished.connect(lambda: self._commit(
            replace(self._draft, cause=self.cause.toPlainText() or None), "Edit what went wrong"))
        self.cause.textChanged.connect(lambda: self._preview(
            replace(self._draft, cause=self.cause.toPlainText() or None)))
        for field, path in ((self.discovered_on, "discovered_on"), (self.made_known_on, "made_known_on")):
            field.invalidChanged.connect(lambda msg, p=path: self._show_entry_error(p, msg))
            field.pendingChanged.connect(self._refused_changed)
        self.reading.activated.connect(self._commit_options)
        self.basis.activated.connect(self._commit_options)
        return box

    def _build_evidence(self) -> QWidget:
        box = QGroupBox("Evidence")
        identify(box, "evidence_group", "Evidence")
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        self.evidence: dict[str, QCheckBox] = {}
        for row, (key, text) in enumerate(EVIDENCE_LABELS.items()):
            check = QCheckBox(text)
            identify(check, f"evidence_{key}", text)
            clause_ids = self.pack.evidence_clauses[key]
            clause_text = " ".join(f"{cid}: {self.pack.clause(cid).text}" for cid in clause_ids)
            check.setAccessibleDescription(clause_text)
            clause = QLabel(clause_text)
            identify(clause, f"clause_{key}", description=f"Clause text for {text}")
            clause.setWordWrap(True)
            clause.setStyleSheet("color: palette(placeholder-text);")
            clause.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            grid.addWidget(check, row * 2, 0, 1, 2)
            grid.addWidget(clause, row * 2 + 1, 1)
            grid.addWidget(self._problem_label(f"evidence.{key}"), row * 2 + 1, 2)
            self._field_widgets[f"evidence.{key}"] = check
            check.toggled.connect(lambda on, k=key, t=text: self._commit_evidence(k, on, t))
            self.evidence[key] = check
        return box

    def _build_periods(self) -> QWidget:
        box = QGroupBox("Billing periods")
        v = QVBoxLayout(box)
        self.periods_model = PeriodsModel(self)
        self.periods_view = PeriodsView()
        self.periods_view.setModel(self.periods_model)
        self._field_widgets["periods"] = self.periods_view
        buttons = QHBoxLayout()
        self.add_row_button = QPushButton("Add ro&w")
        identify(self.add_row_button, "add_period_row", "Add a period row (Insert)")
        self.delete_rows_button = QPushButton("Delete rows")  # every letter is taken; Ctrl+Delete
        identify(self.delete_rows_button, "delete_period_rows", "Delete selected period rows (Ctrl+Delete)")
        self.paste_button = QPushButton("&Paste rows")
        identify(self.paste_button, "paste_period_rows", "Paste rows from a spreadsheet (Ctrl+V)")
        self.import_csv_button = QPushButton("&Import CSV…")
        identify(self.import_csv_button, "import_periods_csv", "Import periods from a CSV file")
        for b in (self.add_row_button, self.delete_rows_button, self.paste_button, self.import_csv_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.periods_summary = QLabel()
        identify(self.periods_summary, "periods_summary", description="Period count and totals")
        self.periods_summary.setWordWrap(True)
        v.addLayout(buttons)
        v.addWidget(self.periods_view, 1)
        v.addWidget(self.periods_summary)
        v.addWidget(self._problem_label("periods"))
        self.add_row_button.clicked.connect(self.periods_view.insert_row)
        self.delete_rows_button.clicked.connect(self.periods_view.delete_selected_rows)
        self.paste_button.clicked.connect(self.periods_view.paste_clipboard)
        self.periods_model.periodsEdited.connect(
            lambda periods, what: self._commit(replace(self._draft, periods=periods), what))
        self.periods_model.cellRejected.connect(
            lambda r, c, msg: self.statusMessage.emit(f"Period {r + 1}: {msg} (not saved)"))
        self.periods_model.rejectedChanged.connect(self._refused_changed)
        self.periods_view.pasteReport.connect(self.statusMessage)
        return box

    # -- loading -------------------------------------------------------------------------

    def load(self, draft: CaseDraft, *, header: str = "", editable: bool = True) -> None:
        """Show a draft (a case opened, an undo/redo, another window's save)."""
        self._loading = True
        try:
            self._draft = draft
            self.header.setText(header)
            a = draft.account
            for edit, value in ((self.number, a.number), (self.customer_name, a.customer_name),
                                (self.service_address, a.service_address or "")):
                if edit.text() != value:
                    edit.setText(value)
                    edit.setCursorPosition(0)  # a long address shows its beginning
            if self.mailing_address.toPlainText() != (a.mailing_address or ""):
                self.mailing_address.set_text_silently(a.mailing_address or "")
            self.locale.setCurrentIndex(max(0, self.locale.findData(a.locale or "en_US")))
            self.current_customer.setChecked(a.current_customer is not False)
            if self.email.text() != (a.email or ""):
                self.email.setText(a.email or "")
            self.delivery.setCurrentIndex(self.delivery.findData((a.delivery or DEFAULT_DELIVERY).value))
            self.service.setCurrentIndex(max(0, self.service.findData(draft.service.value if draft.service else "")))
            self.discovered_on.set_value(draft.discovered_on)
            self.made_known_on.set_value(draft.made_known_on)
            if self.cause.toPlainText() != (draft.cause or ""):
                self.cause.set_text_silently(draft.cause or "")
            for key, check in self.evidence.items():
                check.setChecked(getattr(draft.evidence, key))
            self.reading.setCurrentIndex(self.reading.findData(draft.options.reading.value))
            self.basis.setCurrentIndex(self.basis.findData(draft.options.basis.value))
            self.threshold.setText(f"{money(draft.options.threshold)} (administrative setting, Sec. 26-720)")
            if self.periods_model.periods() != draft.periods:
                self.periods_model.set_periods(draft.periods)
            self._update_summary(draft)
        finally:
            self._loading = False
        self.set_read_only(not editable)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for w in (self.number, self.customer_name, self.service_address, self.email):
            w.setReadOnly(read_only)
        self.mailing_address.setReadOnly(read_only)
        self.cause.setReadOnly(read_only)
        for w in (self.locale, self.current_customer, self.delivery, self.service, self.discovered_on,
                  self.made_known_on, self.reading, self.basis, self.add_row_button,
                  self.delete_rows_button, self.paste_button, self.import_csv_button,
                  *self.evidence.values()):
            w.setEnabled(not read_only)
        self.periods_view.setEditTriggers(self.periods_view.EditTrigger.NoEditTriggers if read_only else
                                          self.periods_view.EditTrigger.AnyKeyPressed
                                          | self.periods_view.EditTrigger.DoubleClicked
                                          | self.periods_view.EditTrigger.EditKeyPressed)
        self.periods_view.set_read_only(read_only)

    def draft(self) -> CaseDraft:
        return self._draft

    def refused_entries(self) -> list[str]:
        """What the clerk typed that was refused and so is not saved, in their words."""
        refused = [f"{field.edit.accessibleName()}: “{field.edit.text()}” — {field.error()}"
                   for field in (self.discovered_on, self.made_known_on) if field.error()]
        for (row, col), (text, why) in sorted(self.periods_model.rejected_cells().items()):
            refused.append(f"Period {row + 1} {COLUMNS[col][1].lower()}: “{text}” — {why}")
        return refused

    def refused_problems(self) -> tuple[Problem, ...]:
        """What the form shows but the case does not hold, each at its field: a date or an
        amount refused (kept on screen, marked, not saved), a date field whose text is
        not a date while it is typed."""
        found = []
        for field, path in ((self.discovered_on, "discovered_on"), (self.made_known_on, "made_known_on")):
            if why := field.pending_error():
                found.append(Problem(path, _not_held(field.edit.text(), why)))
        for (row, col), (text, why) in sorted(self.periods_model.rejected_cells().items()):
            found.append(Problem(f"periods[{row}].{COLUMNS[col][0]}", _not_held(text, why)))
        return tuple(found)

    def _refused_changed(self) -> None:
        if not self._loading:  # (a case being shown is determined once it is in)
            self.refusedChanged.emit()

    def typing(self) -> Typing | None:
        """What is being typed and is not committed yet -- a line of the form (a number, a
        name, an address, a date) or a period's cell -- so that a case reloaded under the
        clerk's hands (another workstation saved it) keeps it (:meth:`resume_typing`)."""
        from .qt import QApplication

        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            return None
        view = self.periods_view
        if (view.state() == view.State.EditingState and view.isAncestorOf(focus)
                and isinstance(focus, QLineEdit)):
            index = view.currentIndex()
            return Typing(None, (index.row(), index.column()), focus.text(), focus.cursorPosition())
        if isinstance(focus, QLineEdit) and focus.isModified():
            return Typing(focus, None, focus.text(), focus.cursorPosition())
        if focus is self.mailing_address and (self.mailing_address.toPlainText()
                                              != (self._draft.account.mailing_address or "")):
            return Typing(focus, None, self.mailing_address.toPlainText(), None)
        return None

    def resume_typing(self, typing: Typing) -> None:
        """Put back what was being typed, still not committed (it is saved as usual when
        the field is left, on the revision now shown)."""
        if typing.cell is not None:
            from .qt import QApplication

            index = self.periods_model.index(*typing.cell)
            if not index.isValid():
                return
            self.periods_view.setCurrentIndex(index)
            self.periods_view.edit(index)
            editor = QApplication.focusWidget()
            if isinstance(editor, QLineEdit) and self.periods_view.isAncestorOf(editor):
                editor.setText(typing.text)
                editor.setCursorPosition(typing.cursor)
        elif isinstance(typing.widget, QLineEdit):
            typing.widget.setText(typing.text)
            typing.widget.setModified(True)
            typing.widget.setCursorPosition(typing.cursor)
            typing.widget.setFocus()
        elif typing.widget is self.mailing_address:
            self.mailing_address.set_text_silently(typing.text)
            self.mailing_address.setFocus()

    def flush(self) -> None:
        """Commit an edit still in progress (the window is closing, another case opens)."""
        focus = self.focusWidget()
        if focus in (self.mailing_address, self.cause):
            focus.finish()
        elif isinstance(focus, QLineEdit):
            focus.editingFinished.emit()
        if self.periods_view.state() == self.periods_view.State.EditingState:
            self.periods_view.commit_current_editor()

    # -- problems ------------------------------------------------------------------------

    def set_problems(self, problems: tuple[Problem, ...]) -> None:
        by_path: dict[str, list[str]] = {}
        period_marks: dict[tuple[int, str | None], str] = {}
        for p in problems:
            if p.field.startswith("periods["):
                idx = int(p.field[len("periods["):p.field.index("]")])
                sub = p.field[p.field.index("]") + 2:] if "]." in p.field else None
                period_marks[(idx, sub)] = p.message
            else:
                by_path.setdefault(p.field, []).append(p.message)
        for path, label in self._problem_labels.items():
            if path in ("discovered_on", "made_known_on") and getattr(self, path).error():
                continue  # the typing error is shown instead
            msgs = by_path.get(path)
            label.setText("⚠ " + "; ".join(msgs) if msgs else "")
            label.setVisible(bool(msgs))
        self.periods_model.set_problems(period_marks)

    def _show_entry_error(self, path: str, message: str) -> None:
        label = self._problem_labels[path]
        label.setText(f"⚠ {message} — not saved" if message else "")
        label.setVisible(bool(message))
        if message:
            self.statusMessage.emit(f"{path.replace('_', ' ').capitalize()}: {message} (not saved)")

    def focus_field(self, path: str) -> bool:
        """Move the keyboard focus to the field a problem names."""
        if path.startswith("periods[") and "]" in path:
            idx = int(path[len("periods["):path.index("]")])
            sub = path[path.index("]") + 2:] if "]." in path else "start"
            col = FIELD_COLUMN.get(sub, 0)
            if idx < self.periods_model.rowCount():
                self.periods_view.setCurrentIndex(self.periods_model.index(idx, col))
                self.periods_view.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            return False
        widget = self._field_widgets.get(path)
        if widget is None:
            return False
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # -- edits ---------------------------------------------------------------------------

    def _commit(self, new: CaseDraft, description: str) -> None:
        if self._loading or self._read_only or new == self._draft:
            return
        self._draft = new
        self._update_summary(new)
        self.draftEdited.emit(new, description)

    def _preview(self, new: CaseDraft) -> None:
        if not self._loading and not self._read_only:
            self.draftTyped.emit(new)

    def _account_with(self, key: str, value) -> CaseDraft:
        if key in ("service_address", "mailing_address") and value == "":
            value = None
        return replace(self._draft, account=replace(self._draft.account, **{key: value}))

    def _commit_account(self, key: str, value, label: str) -> None:
        self._commit(self._account_with(key, value), f"Edit {label}")

    def _preview_account(self, key: str, value) -> None:
        self._preview(self._account_with(key, value))

    def _commit_delivery(self) -> None:
        chosen = Delivery(self.delivery.currentData())
        # keep "absent" for the default, so the case@1 file stays as it was written
        if chosen is DEFAULT_DELIVERY and self._draft.account.delivery is None:
            return
        self._commit_account("delivery", chosen, "delivery of notices")

    def _commit_service(self, _index: int) -> None:
        value = self.service.currentData()
        self._commit(replace(self._draft, service=Service(value) if value else None), "Set service")

    def _commit_evidence(self, key: str, on: bool, text: str) -> None:
        ev: Evidence = replace(self._draft.evidence, **{key: on})
        self._commit(replace(self._draft, evidence=ev), f"{'Tick' if on else 'Untick'}: {text}")

    def _commit_options(self, _index: int = 0) -> None:
        reading = Reading(self.reading.currentData())
        basis = OccurredBasis(self.basis.currentData())
        o = self._draft.options
        # keep "absent" for defaults, so the case@1 file stays as it was written
        new = Options(undercharge_reading=None if reading is Reading.ORDINANCE and o.undercharge_reading is None else reading,
                      minimal_threshold=o.minimal_threshold,
                      occurred_basis=None if basis is OccurredBasis.SERVICE_DAYS and o.occurred_basis is None else basis)
        self._commit(replace(self._draft, options=new), "Change rule options")

    def _update_summary(self, draft: CaseDraft) -> None:
        n = len(draft.periods)
        diffs = [p.difference for p in draft.periods if p.difference is not None]
        over = sum((d for d in diffs if d > 0), Decimal(0))
        under = sum((-d for d in diffs if d < 0), Decimal(0))
        self.periods_summary.setText(f"{n} period{'s' if n != 1 else ''}; overcharged {money(over)}, "
                                     f"undercharged {money(under)} before the rules")
