"""The Documents menu of the main window: Issue (Ctrl+Shift+I, enabled only for an
approved case), Preview, Print, Save as PDF, Save case summary as PDF (the internal
summary of the case: never issued nor stored), Issue batch. The window adds the menu and
tells it which case is open; the work is the issuing service's, through the session,
and refusals go to the one error dialog (``errors.show_error``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .qt import QAction, QKeySequence, QMainWindow, QMenu, QObject, QTabWidget, Signal

from ..domain.workflow import Action, TransitionRefused
from ..store import CaseRecord
from .availability import refused_move, set_available
from .background import BackgroundTask, Progress, run_in_background
from .batch_dialog import BatchIssueDialog
from .documents_tab import DocumentsTab
from .errors import reported, show_error
from .session import CaseSession

if TYPE_CHECKING:
    from ..store import CaseFile
    from ..store.issues import Issue


class DocumentActions(QObject):
    caseIssued = Signal(object)  # CaseRecord, now issued

    def __init__(self, window: QMainWindow, session: CaseSession, tab: DocumentsTab,
                 tabs: QTabWidget, flush: Callable[[], None], menu: QMenu | None = None) -> None:
        """``flush`` commits an edit still being typed (it is saved before an issue, and
        an edit sends an approved case back to draft: the issue is then refused).
        ``menu``: the window's (empty) Documents menu to fill, else a new one."""
        super().__init__(window)
        self.window, self.session, self.tab, self.tabs = window, session, tab, tabs
        self.flush = flush
        self.record: CaseRecord | None = None
        self.last_error_box = None
        self.batch_dialog: BatchIssueDialog | None = None
        self.task: BackgroundTask | None = None  # the issue running, if one is

        def action(text: str, slot, shortcut, name: str, tip: str) -> QAction:
            act = QAction(text, window)
            act.setShortcut(QKeySequence(shortcut))
            act.setObjectName(name)
            act.setStatusTip(tip)
            act.setToolTip(tip)
            act.triggered.connect(slot)
            return act

        self.confirm_box = None  # the question asked before issuing (confirm_step.py)
        self.issue_act = action("&Issue documents…", self.ask_issue, "Ctrl+Shift+I", "issue_documents",
                                "Render, check and store the letter and memos of the approved "
                                "case (Ctrl+Shift+I)")
        self.preview_act = action("&Preview documents", self.show_tab, "Ctrl+Shift+D",
                                  "preview_documents", "Show the case's letter and memos")
        self.print_act = action("P&rint document…", self.print_current,
                                QKeySequence.StandardKey.Print, "print_document",
                                "Print the document shown (again: a copy stamped COPY)")
        self.save_act = action("&Save document as PDF…", self.save_current, "Ctrl+Shift+S",
                               "save_document", "Save the document shown as a PDF file")
        self.summary_act = action("Save case s&ummary as PDF…", self.save_summary, "Ctrl+Shift+U",
                                  "save_case_summary",
                                  "Save a printable summary of the case: its periods, the "
                                  "determination, the history (internal, not issued)")
        self.batch_act = action("Issue &batch…", self.open_batch, "Ctrl+Shift+B", "issue_batch",
                                "Issue every approved case, with a manifest")
        self.settings_act = action("Le&tter settings…", self.open_settings, "", "letter_settings",
                                   "The office's settings printed on letters (administrators "
                                   "change them)")
        self.settings_dialog = None
        self.menu = menu if menu is not None else QMenu("Documents", window)
        self.menu.setObjectName("documents_menu")
        for act in (self.issue_act, self.preview_act, self.print_act, self.save_act):
            self.menu.addAction(act)
        self.menu.addSeparator()
        self.menu.addAction(self.summary_act)
        self.menu.addSeparator()
        self.menu.addAction(self.batch_act)
        self.menu.addSeparator()
        self.menu.addAction(self.settings_act)
        tab.issueRequested.connect(self.ask_issue)
        session.fileOpened.connect(lambda _path: self.case_opened(None))
        self.case_opened(None)

    def case_opened(self, record: CaseRecord | None) -> None:
        self.record = record
        # (disabled with the reason, which the shortcut says: ui/availability.py)
        set_available(self.issue_act, refused_move(record, Action.ISSUE))
        for act in (self.preview_act, self.print_act, self.save_act, self.summary_act):
            set_available(act, None if record is not None else "no case is open.")
        set_available(self.batch_act, None if self.session.file is not None else
                      "no case file is open.")
        set_available(self.settings_act, None if self.session.file is not None else
                      "no case file is open.")
        self.tab.show_case(record)

    def ask_issue(self) -> None:
        """Issue, after a question that says what goes out (the documents, the customer,
        where the letter goes, the amounts): issued documents cannot be taken back."""
        from .confirm_step import ask_to_issue, figures

        if self.record is None:
            return
        self.flush()  # (an edit sends an approved case back to draft: then refused)
        asked = self.session.load(self.record.id)
        d = figures(asked) if refused_move(asked, Action.ISSUE) is None else None
        if d is None:  # the rules refuse it: they say why, nothing to ask
            self.issue()
            return
        self.confirm_box = ask_to_issue(asked, d, lambda: self._issue_as_asked(asked), self.window)

    def _issue_as_asked(self, asked: CaseRecord) -> None:
        current = self.session.load(asked.id)
        if current.revision != asked.revision:
            message = f"Not issued: {asked.case_number} changed while you were asked; look at it again."
            self.window.statusBar().showMessage(message, 10000)
            self.last_error_box = show_error(self.window, "Documents not issued", TransitionRefused(message))
            return
        self.issue()

    def issue(self) -> BackgroundTask | None:
        """Render, read back and store the case's documents on a worker thread (the
        window stays live; a progress dialog shows if it takes more than a moment)."""
        if self.record is None or (self.task is not None and self.task.running):
            return None
        self.flush()
        work = self.session.issue_work(self.record.id)

        def issue_on_worker(progress: Progress) -> Issue:
            progress.report(0, 0, f"Issuing the documents of {number}: rendering, reading "
                                  "them back against the case, storing…")
            with self.session.reopened() as cf:
                return work(cf)

        def failed(error: BaseException) -> None:
            self.last_error_box = show_error(self.window, "Documents not issued", error)

        number, store = self.record.case_number, self.session.file
        self.task = run_in_background(self.window, "Issuing documents", issue_on_worker,
                                      lambda issue: self._issued(issue, store),
                                      text=f"Issuing the documents of {number}…",
                                      failed=failed)
        return self.task

    def _issued(self, issue: Issue, store: CaseFile) -> None:
        if self.session.file is not store:
            # the file (or the window) was closed while the documents were being stored:
            # they are stored in it, there is no view of it left to tell
            self.window.statusBar().showMessage(
                f"Issued: {issue.case.case_number}, {len(issue.documents)} document(s), in "
                f"{store.name} (closed since)", 8000)
            return
        issue = self.session.issued(issue)
        self.window.statusBar().showMessage(
            f"{'Issued' if issue.created else 'Already issued'}: {issue.case.case_number}, "
            f"{len(issue.documents)} document(s)", 8000)
        self.caseIssued.emit(issue.case)
        self.show_tab()

    def show_tab(self) -> None:
        self.tabs.setCurrentWidget(self.tab)

    def print_current(self) -> None:
        if (kind := self.tab.preview.current_kind()) is not None:
            self.tab.print_kind(kind)

    def save_current(self) -> None:
        if (kind := self.tab.preview.current_kind()) is not None:
            self.tab.save_kind(kind)

    def save_summary(self) -> None:
        """Ask where, then write the case summary of the open case as it is saved now."""
        if self.record is None:
            return
        self.flush()  # (an edit still being typed is saved first: the summary shows it)
        path = self._summary_path(f"{self.record.case_number}-summary.pdf")
        if path is not None:
            self.save_summary_to(path)

    def _summary_path(self, name: str) -> Path | None:
        """Where to save: the summary's one file dialog (asked here and nowhere else)."""
        from .file_dialogs import save_file

        folder = self.session.path.parent if self.session.path else Path.home()
        return save_file(self.window, "Save case summary as PDF", folder / name, "PDF files (*.pdf)")

    def save_summary_to(self, path: Path) -> None:
        if self.record is None:
            return
        with reported(self.window, "Case summary not saved") as outcome:
            summary = self.session.save_case_summary(self.record.id, path)
        if outcome.failed:
            self.last_error_box = outcome.box
            return
        self.window.statusBar().showMessage(
            f"Saved the case summary of {summary.case_number} ({summary.pages} page"
            f"{'s' if summary.pages != 1 else ''}) as {path.name}", 8000)

    def open_settings(self):
        """The letter settings: an administrator edits and saves them, others read them."""
        if self.session.file is None:
            return None
        from .settings_dialog import LetterSettingsDialog

        self.settings_dialog = LetterSettingsDialog(self.session, self.window)
        # the preview shown follows the settings just saved
        self.settings_dialog.saved.connect(lambda: self.tab.show_case(self.record))
        self.settings_dialog.open()
        return self.settings_dialog

    def open_batch(self) -> BatchIssueDialog | None:
        if self.session.file is None:
            return None
        self.batch_dialog = BatchIssueDialog(self.session, self.window)
        self.batch_dialog.batchFinished.connect(lambda _report: self._after_batch())
        self.batch_dialog.open()
        return self.batch_dialog

    def _after_batch(self) -> None:
        # the batch wrote through its own connection: the session's poll notices, and the
        # open case (perhaps issued by the batch) is shown as it is now
        self.session.poll()
        if self.record is not None:
            self.caseIssued.emit(self.session.load(self.record.id))
