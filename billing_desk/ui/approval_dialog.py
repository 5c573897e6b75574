"""The approval view: exactly the determination the clerk submitted (the snapshot kept at
submission, shown in the same panel the clerk saw), the three readings side by side
when they differ, and Approve / Return with a reason.

The rules decide (own case, limit, validity, acknowledgement, what was submitted); a
refusal is shown with its reason and nothing changes.
"""

from __future__ import annotations

from dataclasses import replace

from .qt import (
    QCheckBox, QDialog, QDialogButtonBox, QGroupBox, QLabel, QPlainTextEdit, QPushButton,
    QVBoxLayout, QWidget, Signal,
)

from ..domain.determination import determination_from_json
from ..domain.fingerprint import case_fingerprint
from ..domain.rulepacks import get_rule_pack
from ..domain.workflow import CaseStatus
from ..errors import BillingDeskError
from ..store.records import CaseRecord
from .a11y import identify
from .determination_panel import DeterminationPanel
from .errors import show_error
from .session import CaseSession
from .signatures import describe_signature, person


class ApprovalDialog(QDialog):
    decided = Signal(object)  # CaseRecord, approved or returned

    def __init__(self, session: CaseSession, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        identify(self, "approval_dialog", "Approve or return a case")
        self.session = session
        self.record: CaseRecord = session.load(case_id)
        self.snapshot = session.submitted_determination(case_id)
        self.last_error_box = None
        r = self.record
        self.setWindowTitle(f"Approve {r.case_number} — {r.draft.account.customer_name} — Billing Desk")

        lay = QVBoxLayout(self)
        self.header = QLabel()
        identify(self.header, "approval_header", description="The case and its submission")
        self.header.setWordWrap(True)
        lay.addWidget(self.header)
        self.warning = QLabel()
        identify(self.warning, "approval_warning", description="Why this case cannot be approved as it is")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a4b00; font-weight: bold;")
        lay.addWidget(self.warning)

        self.panel = DeterminationPanel()
        lay.addWidget(self.panel, 1)

        self.acknowledge = QCheckBox("I reviewed the divergence between the readings of "
                                     "26-721(a)(2) and approve the determination under the "
                                     "reading used")
        identify(self.acknowledge, "acknowledge_divergence")
        lay.addWidget(self.acknowledge)

        reason_box = QGroupBox("Return to the clerk")
        rb = QVBoxLayout(reason_box)
        self.reason = QPlainTextEdit()
        identify(self.reason, "return_reason", "Reason for returning the case")
        self.reason.setPlaceholderText("Why the case goes back (required; the clerk sees it)")
        self.reason.setFixedHeight(self.fontMetrics().height() * 4)
        rb.addWidget(self.reason)
        lay.addWidget(reason_box)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.approve_button = QPushButton("&Approve")
        identify(self.approve_button, "approve_button", "Approve the determination submitted")
        self.return_button = QPushButton("&Return to clerk")
        identify(self.return_button, "return_button", "Return the case with the reason")
        buttons.addButton(self.approve_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.return_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.approve_button.clicked.connect(self.approve)
        self.return_button.clicked.connect(self.return_case)
        lay.addWidget(buttons)
        self._show()
        self.resize(980, 900)

    def _show(self) -> None:
        r, snap = self.record, self.snapshot
        submitted = describe_signature(self.session, "Submitted", r.submitted)
        self.header.setText(
            f"<b>{r.case_number}</b> · {r.draft.account.customer_name} · account "
            f"{r.draft.account.number} · {r.draft.service.value if r.draft.service else '—'}<br>"
            f"Prepared by {person(self.session, r.prepared_by)}; last edited by "
            f"{person(self.session, r.last_edited_by)}.<br>{submitted}<br>"
            + (f"<i>Below: the determination recorded when it was submitted "
               f"({snap.rule_pack} {snap.rule_pack_version}), exactly as the clerk saw it.</i>"
               if snap is not None else ""))
        check = r.draft.check()
        warnings = []
        if r.status is not CaseStatus.SUBMITTED:
            warnings.append(f"The case is {r.status.value}, not waiting for approval.")
        if snap is None:
            warnings.append("No determination was recorded when this case was submitted "
                            "(it was submitted under an older Billing Desk): return it so "
                            "that the clerk submits it again.")
            self.panel.show_nothing()
        else:
            determination = determination_from_json(snap.determination, snap.rule_pack_version)
            # the snapshot is canonical JSON (sorted keys): the readings in the pack's order
            order = get_rule_pack(determination.rule_pack).readings
            determination = replace(determination, readings={
                k: determination.readings[k] for k in order if k in determination.readings})
            if check.case is None:
                self.panel.show_problems(check.problems)
            else:
                self.panel.show_determination(check.case, determination)
                pack = get_rule_pack(check.case.rule_pack)
                if case_fingerprint(check.case, pack.name, pack.version) != snap.fingerprint:
                    warnings.append("The case, or the rules, changed since it was submitted: "
                                    "this is what the clerk submitted, not what the case gives "
                                    "now. It cannot be approved; return it.")
            self.acknowledge.setVisible(determination.readings_differ)
        if snap is None:
            self.acknowledge.hide()
        self.warning.setText(" ".join(f"⚠ {w}" for w in warnings))
        self.warning.setVisible(bool(warnings))

    def approve(self) -> None:
        self._decide("Not approved", lambda: self.session.approve(
            self.record.id, self.record.revision, self.acknowledge.isChecked()))

    def return_case(self) -> None:
        self._decide("Not returned", lambda: self.session.return_case(
            self.record.id, self.reason.toPlainText(), self.record.revision))

    def _decide(self, title: str, action) -> None:
        try:
            record = action()
        except BillingDeskError as e:
            self.last_error_box = show_error(self, title, e)
            return
        self.record = record
        self.decided.emit(record)
        self.accept()
