"""Approving an incident by sample: the review's sample (each case with why it is in
it), what the approval covers (every case the review listed, with its fingerprint),
the incident's totals, and the acknowledgements the rules ask for. The store decides
(own incident, limits on the total and each case, what was reviewed); this dialog only
asks."""

from __future__ import annotations

from .qt import (
    QCheckBox, QDialog, QDialogButtonBox, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from ..domain.sampling import SAMPLE_RULE
from ..issuing.incidents import IncidentView
from .a11y import identify
from .periods_model import format_amount


class IncidentApproveDialog(QDialog):
    def __init__(self, view: IncidentView, sample_cases, parent: QWidget | None = None) -> None:
        """``sample_cases``: the cases of the review's sample (IncidentCase)."""
        super().__init__(parent)
        identify(self, "incident_approve_dialog", "Approve the incident by sample")
        review = view.review
        assert review is not None
        r, t = view.record, view.totals
        self.setWindowTitle(f"Approve incident {r.incident_number} — Billing Desk")
        lay = QVBoxLayout(self)
        head = QLabel(
            f"<b>{r.incident_number}</b> · {r.incident.description}<br>"
            f"Review #{review.id} drawn by {review.drawn_by} from seed <tt>{review.seed}</tt>: "
            f"{review.listed:,} submitted cases listed, {len(review.sample):,} in the sample. "
            f"The approval covers exactly the {review.listed:,} cases listed, each as it was "
            f"when the sample was drawn; a case changed since refuses the approval.<br>"
            f"Refunds {format_amount(t.refund)}, back bills {format_amount(t.back_bill)}, kept "
            f"back by the six-year limit {format_amount(t.six_year)}.")
        head.setWordWrap(True)
        identify(head, "approve_header", description="What the approval covers")
        lay.addWidget(head)
        rule = QLabel(SAMPLE_RULE)
        rule.setWordWrap(True)
        identify(rule, "approve_sample_rule", description="How the sample is drawn")
        lay.addWidget(rule)
        by_id = {c.case_id: c for c in sample_cases}
        self.table = QTableWidget(len(review.sample), 5)
        identify(self.table, "approve_sample_table", "The review sample")
        self.table.setHorizontalHeaderLabels(["Case", "Account", "Customer", "Amount", "Why"])
        for row, (case_id, why) in enumerate(review.sample.items()):
            c = by_id.get(case_id)
            amount = "" if c is None or c.figures is None else format_amount(c.figures.amount)
            for col, text in enumerate((c.case_number if c else str(case_id),
                                        c.account_number if c else "",
                                        c.customer_name if c else "", amount, why.value)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        lay.addWidget(self.table, 1)
        self.reviewed = QCheckBox(f"I reviewed the {len(review.sample):,} cases of the sample")
        identify(self.reviewed, "approve_reviewed")
        lay.addWidget(self.reviewed)
        divergent = view.divergent
        self.acknowledge = QCheckBox(
            f"I reviewed the {divergent:,} accounts where the readings of 26-721(a)(2) diverge "
            "and approve them under the reading used")
        identify(self.acknowledge, "approve_acknowledge_divergence")
        self.acknowledge.setVisible(divergent > 0)
        lay.addWidget(self.acknowledge)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Approve the incident")
        identify(ok, "approve_ok", "Approve the incident")
        identify(self.buttons.button(QDialogButtonBox.StandardButton.Cancel), "approve_cancel",
                 "Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._divergent = divergent
        self.reviewed.toggled.connect(self._enable)
        self.acknowledge.toggled.connect(self._enable)
        self._enable()
        self.resize(760, 520)

    def _enable(self) -> None:
        ready = self.reviewed.isChecked() and (not self._divergent or self.acknowledge.isChecked())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    @property
    def acknowledge_divergence(self) -> bool:
        return self.acknowledge.isChecked()
