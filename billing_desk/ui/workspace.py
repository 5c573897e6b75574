"""The case workspace of the main window: the editor, the determination panel, the
notes, attachments, history and documents tabs, the Documents menu's actions, the
workflow bar and the work queues.

It is an object of its own, built by :meth:`Workspace.build` -- which the window calls
through :meth:`MainWindow.build_workspace <billing_desk.ui.main_window.MainWindow.build_workspace>`
once its first frame is painted, or the moment a part of it is asked for (each part is a
property of the window that builds the workspace first) -- so that the window shows its
case list quickly: the modules of these parts, and the domain's case model they load,
are imported only here (docs/performance.md; tests/ui/test_startup.py checks it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .a11y import identify
from .qt import QCoreApplication, QEvent

if TYPE_CHECKING:
    from .main_window import MainWindow


class Workspace:
    """The parts, as attributes, once :meth:`build` has made them."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.built = False

    def build(self) -> None:
        if self.built:
            return
        self.built = True  # (the window's methods run while it is built see it as built)
        w = self.window
        from .attachments_view import AttachmentsView
        from .case_editor import CaseEditor
        from .determination_panel import DeterminationPanel
        from .document_actions import DocumentActions
        from .documents_tab import DocumentsTab
        from .editor_scroll import EditorScrollArea
        from .history_view import HistoryView
        from .live_determination import LiveDetermination
        from .qt import QTabWidget
        from .text_fields import CommitPlainTextEdit
        from .undo import FieldFirstUndo
        from .workflow_actions import WorkflowActions

        w.setUpdatesEnabled(False)  # one repaint with everything in place
        try:
            self.editor = CaseEditor()
            self.panel = DeterminationPanel()
            self.live = LiveDetermination(self.editor, self.panel, w)
            self.notes = CommitPlainTextEdit()
            identify(self.notes, "case_notes", "Case notes")
            self.notes.setPlaceholderText("Notes about this case (saved when you leave the field)")
            self.attachments = AttachmentsView(w.session)
            self.history = HistoryView(w.session)

            self.tabs = QTabWidget()
            identify(self.tabs, "case_tabs", "Case sections")
            # Alt+C is the Case menu: the Case tab is reached with Ctrl+2 (View > Case editor)
            # up and down when the window is short, never sideways (editor_scroll.py)
            self.editor_scroll = EditorScrollArea(self.editor)
            self.tabs.addTab(self.editor_scroll, "Case")
            self.tabs.addTab(self.notes, "N&otes")
            self.tabs.addTab(self.attachments, "Attach&ments")
            self.tabs.addTab(self.history, "Histor&y")
            self.documents = DocumentsTab(w.session)
            self.tabs.addTab(self.documents, "Documents")  # Ctrl+Shift+D shows it (Alt+D: Discovered on)
            w.case_pane_layout.addWidget(self.tabs, 1)
            w.panel_pane_layout.addWidget(self.panel)

            self.document_actions = DocumentActions(w, w.session, self.documents, self.tabs,
                                                    self.editor.flush, menu=w.documents_menu)
            w.caseOpened.connect(self.document_actions.case_opened)
            from .outbox_actions import OutboxActions  # (issue 20: email notices)

            self.outbox_actions = OutboxActions(w, w.session, w.documents_menu,
                                                self.documents.delivery)
            w.caseOpened.connect(self.outbox_actions.case_opened)
            self.document_actions.caseIssued.connect(lambda record: w.open_case(record.id))
            self.editor.draftEdited.connect(w._edited)
            self.editor.statusMessage.connect(lambda m: w.statusBar().showMessage(m, 8000))
            self.editor.import_csv_button.clicked.connect(w.import_periods_csv)
            self.notes.editingFinished.connect(w._notes_edited)
            self.attachments.changed.connect(w._attachments_changed)
            self.attachments.failed.connect(lambda e: w.error("Attachment not changed", e))
            w._show_no_case()
            # Ctrl+Z / Ctrl+Y in a text field: its own edit first, else the case's (undo.py)
            self.field_undo = FieldFirstUndo(w.undo_stack, w.undo_act, w.redo_act, w)
            e = self.editor
            self.field_undo.watch(e.number, e.customer_name, e.service_address, e.mailing_address,
                                  e.email, e.discovered_on.edit, e.made_known_on.edit, self.notes,
                                  w.case_list.search)
            self.workflow = WorkflowActions(w)  # submit, approve, queues, sign out (issue 7)
            from .incident_menu import IncidentActions

            self.incident_actions = IncidentActions(w, w.session)  # issue 18
            w.caseOpened.connect(self.incident_actions.case_opened)
            w.case_list.enable_sorting()
            w._restore_splitter()
        finally:
            w.setUpdatesEnabled(True)
        if w.isVisible():
            # a widget added to a window already shown is shown by a queued call: make that
            # call now, so the workspace is there (and visible) as soon as this returns
            for part in (self.tabs, self.panel, self.workflow.bar, self.workflow.dock):
                QCoreApplication.sendPostedEvents(part, QEvent.Type.MetaCall)
