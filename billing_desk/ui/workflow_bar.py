"""The bar above the case: where the case stands in the workflow, in words (who submitted
or approved it and when, why it was returned or voided, what an edit would undo), and
the step the signed-in user can take next. The rules still decide each step."""

from __future__ import annotations

from .qt import QFrame, QHBoxLayout, QLabel, QPushButton, Signal

from ..domain.workflow import CaseStatus
from ..store.records import CaseRecord
from .a11y import identify
from .session import CaseSession
from .signatures import describe_signature, person

S = CaseStatus
#: states a case can still be voided from (DESIGN.md: any state before issued)
VOIDABLE = frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED})


class WorkflowBar(QFrame):
    submitRequested = Signal()
    reviewRequested = Signal()
    voidRequested = Signal()

    def __init__(self, session: CaseSession, parent=None) -> None:
        super().__init__(parent)
        identify(self, "workflow_bar", "Workflow")
        self.session = session
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel()
        identify(self.text, "workflow_status", description="Where the case stands")
        self.text.setWordWrap(True)
        # no Alt-letters here: every letter is taken on the Case tab; the buttons repeat
        # the Case menu's actions, which carry the shortcuts (named in the tooltips)
        self.submit = QPushButton("Submit for approval")
        self.submit.setToolTip("Submit the case for approval (Ctrl+Shift+Enter)")
        identify(self.submit, "submit_case", "Submit the case for approval")
        self.review = QPushButton("Review and approve…")
        self.review.setToolTip("Open the approval view (Ctrl+Shift+A)")
        identify(self.review, "review_case", "Open the approval view")
        self.void = QPushButton("Void…")
        self.void.setToolTip("Void the case, with a reason (Case > Void case…, Ctrl+Shift+V)")
        identify(self.void, "void_case", "Void the case, with a reason")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.addWidget(self.text, 1)
        for button, signal in ((self.submit, self.submitRequested), (self.review, self.reviewRequested),
                               (self.void, self.voidRequested)):
            lay.addWidget(button)
            button.clicked.connect(signal.emit)
        self.show_record(None)

    def show_record(self, r: CaseRecord | None) -> None:
        self.setVisible(r is not None)
        if r is None:
            self.text.setText("")
            for b in (self.submit, self.review, self.void):
                b.hide()
            return
        self.text.setText(self.describe(r))
        self.submit.setVisible(r.status in (S.DRAFT, S.RETURNED))
        self.submit.setText("Submit again" if r.status is S.RETURNED else "Submit for approval")
        self.review.setVisible(r.status is S.SUBMITTED and self.session.can_approve)
        self.void.setVisible(r.status in VOIDABLE)
        attention = r.status is S.RETURNED or (r.status is S.DRAFT and r.status_reason)
        self.setStyleSheet("WorkflowBar { background: #fff4e0; }" if attention else "")

    def describe(self, r: CaseRecord) -> str:
        s = self.session
        if r.status is S.DRAFT:
            if r.status_reason:
                return f"<b>Draft</b> — ⚠ {r.status_reason} Submit it for approval when it is ready."
            return "<b>Draft</b> — submit it for approval when the determination is complete."
        if r.status is S.SUBMITTED:
            return (f"{describe_signature(s, '<b>Submitted</b>', r.submitted)} Waiting for "
                    "approval; editing it withdraws the submission.")
        if r.status is S.RETURNED:
            to = person(s, r.submitted.login) if r.submitted else "the clerk"
            return (f"<b>↩ Returned</b> to {to}: “{r.status_reason}” Fix the case (or answer the "
                    "reason) and submit it again.")
        if r.status is S.APPROVED:
            return (f"{describe_signature(s, '✔ <b>Approved</b>', r.approved)} "
                    f"{describe_signature(s, 'Submitted', r.submitted)} Editing it voids the "
                    "approval.")
        if r.status in (S.ISSUED, S.CLOSED):
            return (f"<b>{r.status.value.capitalize()}</b> — the letter and memos are in the "
                    f"Documents tab. {describe_signature(s, 'Approved', r.approved)}")
        if r.status is S.VOID:
            return f"<b>Void</b> — {r.status_reason or ''}"
        return f"<b>{r.status.value.capitalize()}</b>."
