"""Override one account's evidence in an incident (a customer who could have discovered
the error, say): the four evidence checkboxes with their clauses, and the reason, which
is required and kept in the incident's history. The store applies it (an approved case
overridden drops out of the incident's approval)."""

from __future__ import annotations

from .qt import QCheckBox, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from ..domain.case import Evidence
from ..domain.caseformat import EVIDENCE_KEYS
from ..domain.rulepacks import get_rule_pack
from .a11y import identify

_TEXT = {
    "customer_could_have_discovered": "The customer could have discovered the error through "
                                      "reasonable inquiry",
    "documentation_available": "Documentation of the overcharge is available",
    "documentation_confirmed": "The utility confirms the documentation from its records",
    "customer_concealed_error": "The customer knew of the error and concealed it",
}


class IncidentOverrideDialog(QDialog):
    def __init__(self, case_number: str, customer: str, evidence: Evidence, rule_pack: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        identify(self, "incident_override_dialog", "Override an account's evidence")
        self.setWindowTitle(f"Override evidence of {case_number} — Billing Desk")
        lay = QVBoxLayout(self)
        head = QLabel(f"<b>{case_number}</b> · {customer}<br>This account's evidence differs "
                      "from the incident's. The change is made on this case only and kept in "
                      "the incident's history with the reason; an approved case drops out of "
                      "the incident's approval and needs its own.")
        head.setWordWrap(True)
        identify(head, "override_header", description="What the override does")
        lay.addWidget(head)
        pack = get_rule_pack(rule_pack)
        self.boxes: dict[str, QCheckBox] = {}
        for key in EVIDENCE_KEYS:
            clauses = ", ".join(pack.evidence_clauses.get(key, ()))
            box = QCheckBox(f"{_TEXT[key]} ({clauses})")
            identify(box, f"override_{key}")
            box.setChecked(getattr(evidence, key))
            self.boxes[key] = box
            lay.addWidget(box)
        self.reason_label = QLabel("&Reason (required; kept in the history):")
        identify(self.reason_label, "override_reason_label")
        self.reason = QPlainTextEdit()
        identify(self.reason, "override_reason", "Reason for the override")
        self.reason.setPlaceholderText("e.g. the customer was told of the wrong factor in 2004")
        self.reason.setFixedHeight(self.fontMetrics().height() * 4)
        self.reason_label.setBuddy(self.reason)
        lay.addWidget(self.reason_label)
        lay.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Override")
        identify(ok, "override_ok", "Override the evidence of this account")
        identify(self.buttons.button(QDialogButtonBox.StandardButton.Cancel), "override_cancel",
                 "Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.reason.textChanged.connect(self._enable)
        self._enable()

    def _enable(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.reason.toPlainText().strip()))

    def evidence(self) -> Evidence:
        return Evidence(*(self.boxes[k].isChecked() for k in EVIDENCE_KEYS))

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()
