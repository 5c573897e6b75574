"""The workflow in the main window: the bar above the case, the work-queue dock, the menu
actions (submit, review and approve, void, sign out), the signed-in user in the status
bar. Installed by the main window with one line; it only adds to the window.

Every step goes through the session (the rules decide); a refusal is shown by
``show_error`` with the rules' message (and in the status bar). An action the open case
or the signed-in user does not allow is disabled with the rules' reason, which its
shortcut then says (ui/availability.py). After a step the case is shown again as the
file now holds it.

Ctrl+4 goes to the work queues: it shows the dock if it was closed and moves the focus
into it (again: to the other queue); View > Show work queues shows or hides them.
"""

from __future__ import annotations

from .qt import QAction, QApplication, QKeySequence, QMainWindow, QObject, Qt

from ..domain.workflow import Action, CaseStatus, TransitionRefused
from ..errors import BillingDeskError
from ..store.records import CaseRecord
from .approval_dialog import ApprovalDialog
from .availability import refused_move, set_available
from .reason_dialog import ReasonDialog
from .work_queue import WorkQueue
from .workflow_bar import WorkflowBar


class WorkflowActions(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.signed_out = False
        self.dialog: ApprovalDialog | None = None
        self.reason_dialog: ReasonDialog | None = None
        self.confirm_box = None  # the last question asked before a step (confirm_step.py)

        self.bar = WorkflowBar(self.session)
        window.case_pane_layout.insertWidget(0, self.bar)  # above the case tabs

        self.queue = WorkQueue(self.session)
        self.dock = window.queue_dock  # (the window's, placed before its first frame)
        self.dock.setWidget(self.queue)

        # asked first from the menu and its shortcut; the bar's button submits (confirm_step.py)
        self.submit_act = self._action("&Submit for approval…", self.ask_submit, "Ctrl+Shift+Return",
                                       "submit_case_action", "Submit the case for approval")
        self.review_act = self._action("Review and &approve…", self.review_current, "Ctrl+Shift+A",
                                       "review_case_action", "Open the approval view of the case")
        self.void_act = self._action("&Void case…", self.ask_void, "Ctrl+Shift+V", "void_case_action",
                                     "Void the case, with a reason")
        # Ctrl+4 goes to the queues; showing and hiding them is the View menu's toggle
        self.queue_act = self._action("Work &queues", self.focus_queues, "Ctrl+4", "focus_queues",
                                      "Go to the work queues (again: the other queue)")
        self.show_queues_act = self.dock.toggleViewAction()
        self.show_queues_act.setText("Show work &queues")
        self.show_queues_act.setObjectName("show_queues")
        self.sign_out_act = self._action("&Sign out / switch user…", self.sign_out, None, "sign_out",
                                         "Close the case file's window and sign in again")
        window.case_menu.addSeparator()
        for act in (self.submit_act, self.review_act, self.void_act, self.queue_act):
            window.case_menu.addAction(act)
        window.view_menu.insertAction(window.reset_layout_act, self.show_queues_act)
        window.file_menu.insertAction(window.quit_act, self.sign_out_act)
        window.file_menu.insertSeparator(window.quit_act)

        self.bar.submitRequested.connect(self.submit)
        self.bar.reviewRequested.connect(self.review_current)
        self.bar.voidRequested.connect(self.ask_void)
        self.queue.reviewRequested.connect(self.review)
        self.queue.openRequested.connect(window.open_case)
        window.caseOpened.connect(self._show_record)
        self.session.caseSaved.connect(self._saved)
        self.session.externalChange.connect(lambda _ids: self._refresh())
        self.session.fileOpened.connect(lambda _p: self._refresh())
        self.session.userChanged.connect(lambda _u: self._refresh())
        self._refresh()

    def _action(self, text: str, slot, shortcut, ident: str, tip: str) -> QAction:
        act = QAction(text, self.window)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.setObjectName(ident)
        act.setStatusTip(f"{tip} ({act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                         if shortcut else tip)
        act.triggered.connect(slot)
        return act

    # -- what is shown ----------------------------------------------------------------

    def _refresh(self) -> None:
        self.queue.refresh()
        self._show_record(self.window.record)

    def _saved(self, record: CaseRecord) -> None:
        # an edit of a draft changes no queue; a step, or an edit that withdraws a
        # submission, does
        if record.status in (CaseStatus.SUBMITTED, CaseStatus.RETURNED) or self.queue.shows(record.id):
            self.queue.refresh()
        if self.window.record is not None and record.id == self.window.record.id:
            self._show_record(record)

    def _show_record(self, record: CaseRecord | None) -> None:
        self.bar.show_record(record)
        set_available(self.submit_act, refused_move(record, Action.SUBMIT))
        review = refused_move(record, Action.APPROVE)
        if review is None and not self.session.can_approve:
            user = self.session.user
            who = f"{user.login}, a {user.role.value}" if user is not None else self.session.actor
            review = (f"you ({who}) have no approval authority: a supervisor or an "
                      "administrator with an approval limit approves cases.")
        set_available(self.review_act, review)
        set_available(self.void_act, refused_move(record, Action.VOID))

    # -- the queues -------------------------------------------------------------------

    def focus_queues(self) -> None:
        """The work queues, shown if they were closed, with the focus in one of them: the
        one the user works from (waiting cases for an approver, else the returned ones,
        if any), and on a second press the other."""
        self.dock.show()
        self.dock.raise_()
        if self.dock.isFloating():
            self.dock.activateWindow()
        q = self.queue
        focus = QApplication.focusWidget()
        if focus is q.waiting_table:
            table = q.returned_table
        elif focus is q.returned_table:
            table = q.waiting_table
        elif self.session.can_approve or not q.returned.rowCount():
            table = q.waiting_table
        else:
            table = q.returned_table
        table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not table.currentIndex().isValid() and table.model().rowCount():
            table.setCurrentIndex(table.model().index(0, 0))
        box = q.waiting_box if table is q.waiting_table else q.returned_box
        self.window.statusBar().showMessage(f"Work queue: {box.title()}", 4000)

    # -- steps ------------------------------------------------------------------------

    def submit(self) -> None:
        w = self.window
        if w.record is None:
            return
        w.editor.flush()  # what is still being typed is saved first, then submitted
        self._step("Not submitted", lambda r: self.session.submit(r.id, r.revision))

    def ask_submit(self) -> None:
        """Submit from the Case menu or Ctrl+Shift+Enter: after a question that says what
        goes to the supervisors (the case, the customer, the amounts)."""
        from .confirm_step import ask_to_submit, figures

        w = self.window
        if w.record is None:
            return
        w.editor.flush()  # what is still being typed is saved first
        asked = w.record
        d = figures(asked) if refused_move(asked, Action.SUBMIT) is None else None
        if d is None:  # the rules refuse it: they say why, nothing to ask
            self.submit()
            return
        self.confirm_box = ask_to_submit(asked, d, w.editor.refused_problems(),
                                         lambda: self._submit_as_asked(asked), w)

    def _submit_as_asked(self, asked: CaseRecord) -> None:
        w = self.window
        r = w.record
        if r is None or (r.id, r.revision) != (asked.id, asked.revision):
            message = (f"Not submitted: {asked.case_number} changed while you were asked; "
                       "look at it again")
            w.statusBar().showMessage(message, 10000)
            w.error("Not submitted", TransitionRefused(message + "."))
            return
        self.submit()

    def ask_void(self) -> None:
        if self.window.record is None:
            return
        self.window.editor.flush()
        self.reason_dialog = ReasonDialog(
            f"Void {self.window.record.case_number}",
            "Why is this case voided? The reason is kept in its history.", "&Void case",
            self.window)
        self.reason_dialog.given.connect(lambda reason: self._step(
            "Not voided", lambda r: self.session.void(r.id, reason, r.revision)))
        self.reason_dialog.open()

    def _step(self, title: str, step) -> None:
        w = self.window
        try:
            record = step(w.record)
        except BillingDeskError as e:
            w.statusBar().showMessage(f"{title}: {e}", 10000)
            w.error(title, e)
            return
        w.open_case(record.id)
        w.statusBar().showMessage(f"{record.case_number} is now {record.status.value}", 6000)

    def review_current(self) -> None:
        if self.window.record is not None:
            self.window.editor.flush()
            self.review(self.window.record.id)

    def review(self, case_id: int) -> ApprovalDialog:
        """The approval view of a submitted case (window-modal, not blocking)."""
        self.dialog = ApprovalDialog(self.session, case_id, self.window)
        self.dialog.decided.connect(self._decided)
        self.dialog.open()
        return self.dialog

    def _decided(self, record: CaseRecord) -> None:
        w = self.window
        if w.record is not None and w.record.id == record.id:
            w.open_case(record.id)
        w.statusBar().showMessage(f"{record.case_number} is now {record.status.value}", 6000)

    def sign_out(self) -> None:
        """Close the window; the application asks who signs in next (or ends)."""
        self.signed_out = True
        self.window.close()
