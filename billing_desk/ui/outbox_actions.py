"""Wires the email outbox into the main window: Documents > Email outbox… (Ctrl+Shift+E)
and, on the Documents tab, how the open case's notice goes out (paper, email, both, and
each email notice's state). Imports nothing of the mail or PDF code until used."""

from __future__ import annotations

from .qt import QAction, QKeySequence, QLabel, QMainWindow, QMenu, QObject

from ..store import CaseRecord, StoreError
from .a11y import identify
from .formatting import time_text
from .session import CaseSession


class OutboxActions(QObject):
    def __init__(self, window: QMainWindow, session: CaseSession, menu: QMenu,
                 delivery_label: QLabel) -> None:
        super().__init__(window)
        self.window, self.session, self.label = window, session, delivery_label
        self.record: CaseRecord | None = None
        self.outbox_window = None
        self.act = QAction("Email &outbox…", window)
        self.act.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.act.setObjectName("email_outbox")
        tip = ("The notices sent by email: their state, sending, retrying, and deciding "
               "about an uncertain one")
        self.act.setStatusTip(tip)
        self.act.setToolTip(tip)
        self.act.triggered.connect(self.open_outbox)
        menu.addSeparator()
        menu.addAction(self.act)
        identify(self.label, "documents_delivery", description="How the notice goes out")
        self.label.setWordWrap(True)
        session.fileOpened.connect(lambda _path: self.case_opened(None))
        self.case_opened(None)

    def case_opened(self, record: CaseRecord | None) -> None:
        self.record = record
        self.act.setEnabled(self.session.file is not None)
        self.show_delivery()

    def show_delivery(self) -> None:
        record, cf = self.record, self.session.file
        if record is None or cf is None:
            self.label.setText("")
            self.label.hide()
            return
        from ..issuing.notice_status import case_delivery

        try:
            lines = case_delivery(cf, record.id).lines(time_text)
        except StoreError as e:
            lines = [f"How the notice goes out could not be read: {e}"]
        self.label.setText("\n".join(["How the notice goes out:"] + lines))
        self.label.show()

    def open_outbox(self):
        if self.session.file is None:
            return None
        from .outbox_window import OutboxWindow

        if self.outbox_window is None:
            self.outbox_window = OutboxWindow(self.session, self.window)
            self.outbox_window.changed.connect(self.show_delivery)
        else:
            self.outbox_window.refresh()
        self.outbox_window.show()
        self.outbox_window.raise_()
        return self.outbox_window
