"""Asking before a step that sends a case on: submitting it for approval, issuing its
documents. The question says what will happen -- the case, the customer, the amounts as
money, where the letter goes -- and one keypress answers it: Enter (or Alt and the
button's letter) confirms, Esc cancels.

A letter typed without Alt does nothing here (a QMessageBox would take it as the
button's letter): the question may come up while the clerk is typing -- a shortcut hit
by mistake -- and the next letter typed must not be the answer.

When each step asks (main window, workflow_actions.py and document_actions.py): issuing
always, from the menu, its shortcut or the Documents tab -- letters go out and cannot be
taken back; submitting from the Case menu and its shortcut (Ctrl+Shift+Enter, easily
pressed by mistake), not from the Submit button beside the case's status, a click on
which is the answer. A case the rules would refuse is not asked about: the refusal says
why instead.
"""

from __future__ import annotations

from html import escape
from typing import Callable

from .qt import QKeyEvent, QMessageBox, QWidget, Qt

from ..documents.model import kinds_for
from ..domain.determination import Determination
from ..domain.problems import Problem
from ..domain.rulepacks import determine
from ..store.records import CaseRecord
from .determination_panel import OUTCOME_TEXT, describe_field
from .formatting import KIND_LABELS, money


class ConfirmStep(QMessageBox):
    """A question with one button that takes the step and Cancel (window-modal, not
    blocking: ``then`` runs when the step is confirmed)."""

    def __init__(self, title: str, question: str, details: str, button: str,
                 then: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(QMessageBox.Icon.Question, title, question, parent=parent)
        self.setObjectName("confirm_step")
        self.setAccessibleIdentifier("confirm_step")
        self.setInformativeText(details)
        self.confirm = self.addButton(button, QMessageBox.ButtonRole.AcceptRole)
        self.confirm.setObjectName("confirm_step_yes")
        self.confirm.setAccessibleIdentifier("confirm_step_yes")
        self.cancel = self.addButton(QMessageBox.StandardButton.Cancel)
        self.cancel.setObjectName("confirm_step_cancel")
        self.cancel.setAccessibleIdentifier("confirm_step_cancel")
        self.setDefaultButton(self.confirm)
        self.setEscapeButton(self.cancel)
        self.confirmed = False
        self._then = then
        self.buttonClicked.connect(self._answered)

    def _answered(self, button) -> None:
        if button is self.confirm:
            self.confirmed = True
            self._then()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        chord = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | \
            Qt.KeyboardModifier.MetaModifier
        if event.text().isalnum() and not event.modifiers() & chord:
            event.accept()  # (not an answer: see the module's note)
            return
        super().keyPressEvent(event)


def figures(record: CaseRecord) -> Determination | None:
    """The determination of the case as saved (None: not valid, the rules will say)."""
    check = record.draft.check()
    return determine(check.case) if check.case is not None else None


def _account(record: CaseRecord) -> str:
    a = record.draft.account
    return f"{escape(a.customer_name)}, account {escape(a.number)}"


def _totals(d: Determination) -> str:
    net_word = ("owed to the customer" if d.net < 0 else "owed by the customer" if d.net > 0
                else "even")
    return (f"Refund (credit) <b>{money(d.refund_total)}</b> · back bill "
            f"<b>{money(d.back_bill_total)}</b> · net {money(d.net)} ({net_word}).<br>"
            f"Outcome: {OUTCOME_TEXT[d.outcome]}.")


def ask_to_submit(record: CaseRecord, d: Determination, refused: tuple[Problem, ...],
                  then: Callable[[], None], parent: QWidget | None = None) -> ConfirmStep:
    again = " again" if record.status.value == "returned" else ""
    unsaved = ""
    if refused:
        names = ", ".join(dict.fromkeys(describe_field(p.field) for p in refused))
        unsaved = (f"<br><br>⚠ <b>Not part of it:</b> {escape(names)} — what is typed there "
                   "is not valid and is not saved.")
    box = ConfirmStep(
        f"Submit {record.case_number}{again}?",
        f"Submit <b>{record.case_number}</b>{again} for approval?",
        f"{_account(record)}.<br>{_totals(d)}<br><br>The case goes to the supervisors' queue "
        f"with this determination; editing it afterwards withdraws the submission.{unsaved}",
        "&Submit for approval", then, parent)
    box.open()
    return box


def ask_to_issue(record: CaseRecord, d: Determination, then: Callable[[], None],
                 parent: QWidget | None = None) -> ConfirmStep:
    documents = [KIND_LABELS[k].lower() for k in kinds_for(d)]
    listed = documents[0] if len(documents) == 1 else ", ".join(documents[:-1]) + " and " + documents[-1]
    address = record.draft.account.mailing_address or record.draft.account.service_address or ""
    to = f" to {escape(address).replace(chr(10), ', ')}" if address else ""
    box = ConfirmStep(
        f"Issue the documents of {record.case_number}?",
        f"Issue the documents of <b>{record.case_number}</b>?",
        f"{_account(record)}.<br>{_totals(d)}<br><br>The {listed} are rendered, read back "
        f"against the case and stored, dated today; the letter goes{to}. Issued documents "
        "cannot be withdrawn; printing one again prints a copy stamped COPY.",
        "&Issue documents", then, parent)
    box.open()
    return box
