"""The email outbox: every notice with its state, filtered by state; send what is due
(on a worker thread, with progress, Pause and Cancel); retry a failed notice; decide
about an uncertain one -- mark it sent, or resend it as a copy. The rules (which move is
allowed, what "exactly once" takes) are the issuing service's and the case file's; this
window shows what they say."""

from __future__ import annotations

import os

from .qt import (
    QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QInputDialog, QLabel, QLineEdit,
    QProgressBar, QPushButton, QTableView, QThread, QVBoxLayout, QWidget, Signal,
)

from ..domain.outbox import Move, MoveRefused, NoticeState
from .a11y import identify
from .errors import show_error
from .outbox_model import OutboxModel
from .outbox_worker import SendWorker
from .session import CaseSession

#: (label, states) of the filter
FILTERS = (("All notices", None),
           ("Need a person (uncertain, failed)", (NoticeState.UNCERTAIN, NoticeState.FAILED_PERMANENT)),
           *((s.label.capitalize(), (s,)) for s in NoticeState))
PASSWORD_VARIABLE = "BILLING_DESK_SMTP_PASSWORD"


class OutboxWindow(QDialog):
    changed = Signal()

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        identify(self, "outbox_window", "Email outbox")
        self.setWindowTitle("Email outbox")
        self.session = session
        self.thread: QThread | None = None
        self.worker: SendWorker | None = None
        self.last_error_box = None
        self.ask_password = self._ask_password  # (tests answer it themselves)

        self.filter = QComboBox()
        identify(self.filter, "outbox_filter", "Show notices")
        for label, _states in FILTERS:
            self.filter.addItem(label)
        self.counts = QLabel()
        identify(self.counts, "outbox_counts", description="Notices by state")
        self.counts.setWordWrap(True)
        self.model = OutboxModel(self)
        self.table = QTableView()
        identify(self.table, "outbox_table", "Notices")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()

        def button(text: str, ident: str, tip: str) -> QPushButton:
            b = QPushButton(text)
            identify(b, ident, text.replace("&", "").rstrip("…"), tip)
            b.setToolTip(tip)
            return b

        self.send_button = button("&Send due notices", "outbox_send",
                                  "Queue the issued letters of customers who chose email, then "
                                  "send every notice due")
        self.pause_button = button("&Pause", "outbox_pause", "Hold after the message being sent")
        self.pause_button.setCheckable(True)
        self.cancel_button = button("Cancel sendin&g", "outbox_cancel",
                                    "Stop after the message being sent; the rest stay queued")
        self.retry_button = button("&Retry", "outbox_retry", "Send a failed notice again now")
        self.mark_button = button("Mar&k as sent", "outbox_mark_sent",
                                  "The customer has this uncertain notice: record it as sent")
        self.copy_button = button("Resend as cop&y", "outbox_resend_copy",
                                  "Send this uncertain notice again, marked as a copy (same "
                                  "Message-ID, so a mail system can drop a duplicate)")
        self.bar = QProgressBar()
        identify(self.bar, "outbox_progress", "Sending progress")
        self.bar.setFormat("%v of %m notices")
        self.bar.hide()
        self.status = QLabel()
        identify(self.status, "outbox_status", description="What the last action did")
        self.status.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.filter)
        top.addWidget(self.counts, 1)
        actions = QHBoxLayout()
        for b in (self.send_button, self.pause_button, self.cancel_button):
            actions.addWidget(b)
        actions.addStretch(1)
        for b in (self.retry_button, self.mark_button, self.copy_button):
            actions.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.bar)
        layout.addLayout(actions)
        layout.addWidget(self.status)

        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.send_button.clicked.connect(self.send)
        self.pause_button.toggled.connect(self._pause)
        self.cancel_button.clicked.connect(self.cancel)
        self.retry_button.clicked.connect(lambda: self.decide(Move.RETRY))
        self.mark_button.clicked.connect(lambda: self.decide(Move.MARK_SENT))
        self.copy_button.clicked.connect(lambda: self.decide(Move.RESEND_COPY))
        self.resize(1100, 520)
        self.refresh()

    # -- what is shown ---------------------------------------------------------------------

    def refresh(self) -> None:
        cf = self.session.file
        if cf is None:
            self.model.set_notices([])
            return
        states = FILTERS[self.filter.currentIndex()][1]
        selected = self.selected()
        self.model.set_notices(cf.outbox.list(states))
        self.table.resizeColumnsToContents()
        counts = cf.outbox.counts()
        self.counts.setText(" · ".join(f"{n:,} {s.label}" for s, n in counts.items() if n)
                            or "No notices yet.")
        if selected is not None:
            for row, n in enumerate(self.model.notices):
                if n.id == selected.id:
                    self.table.selectRow(row)
        self._enable()

    def selected(self):
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.notice(rows[0].row()) if rows else None

    def select_notice(self, notice_id: int) -> None:
        for row, n in enumerate(self.model.notices):
            if n.id == notice_id:
                self.table.selectRow(row)

    def _enable(self) -> None:
        n = self.selected()
        running = self.thread is not None
        self.send_button.setEnabled(not running and self.session.file is not None)
        self.pause_button.setEnabled(running)
        self.cancel_button.setEnabled(running)
        state = n.state if n is not None else None
        self.retry_button.setEnabled(state in (NoticeState.FAILED_PERMANENT,
                                               NoticeState.FAILED_TEMPORARY))
        self.mark_button.setEnabled(state is NoticeState.UNCERTAIN)
        self.copy_button.setEnabled(state is NoticeState.UNCERTAIN)

    # -- a person's decisions ----------------------------------------------------------------

    def decide(self, move: Move, note: str | None = None) -> None:
        from ..issuing.outbox import decide_notice

        n = self.selected()
        if n is None:
            return
        if note is None and move in (Move.MARK_SENT, Move.RESEND_COPY):
            note, ok = QInputDialog.getText(self, "Why", "Note for the history (optional):")
            if not ok:
                return
        try:
            done = decide_notice(self.session.file, n.id, move, actor=self.session.actor,
                                 note=note or "")
        except MoveRefused as e:
            self.last_error_box = show_error(self, "Not changed", e)
            return
        self.status.setText(f"Notice #{done.id} to {done.to_address} is now {done.state.label}"
                            + (" and will go out as a copy." if move is Move.RESEND_COPY else "."))
        self.refresh()
        self.changed.emit()

    # -- sending ---------------------------------------------------------------------------

    def _ask_password(self, login: str, host: str) -> str | None:
        if PASSWORD_VARIABLE in os.environ:
            return os.environ[PASSWORD_VARIABLE]
        text, ok = QInputDialog.getText(self, "Mail server password",
                                        f"Password of {login} at {host}:",
                                        QLineEdit.EchoMode.Password)
        return text if ok else None

    def send(self) -> None:
        from ..issuing.outbox import mail_settings

        if self.thread is not None or self.session.file is None:
            return
        settings = mail_settings(self.session.file)
        password = None
        if settings.login:
            password = self.ask_password(settings.login, settings.host)
            if password is None:
                return
        self.worker = SendWorker(self.session.file.reopen, actor=self.session.actor,
                                 password=password)
        self.thread = QThread(self)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progress.connect(self._progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.bar.setRange(0, 0)
        self.bar.show()
        self.status.setText("Sending…")
        self.thread.start()
        self._enable()

    def _pause(self, paused: bool) -> None:
        if self.worker is not None:
            self.worker.set_paused(paused)
            self.status.setText("Paused after the message being sent." if paused else "Sending…")

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker.set_paused(False)
            self.status.setText("Cancelling after the message being sent…")

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)

    def _finished(self, report) -> None:
        self._done()
        lines = [report.summary()]
        lines += [f"Uncertain: notice #{n.id}, case {n.case_number}, to {n.to_address}: "
                  "decide below." for n in report.uncertain_found]
        lines += report.blocked
        self.status.setText("\n".join(lines))
        self.changed.emit()

    def _failed(self, error: BaseException) -> None:
        self._done()
        self.status.setText(f"Nothing sent: {error}")
        self.last_error_box = show_error(self, "Notices not sent", error)

    def _done(self) -> None:
        if self.thread is not None:
            self.thread.quit()
            self.thread.wait()
            self.thread = None
        self.worker = None
        self.pause_button.setChecked(False)
        self.bar.hide()
        self.session.poll()
        self.refresh()

    def wait_until_done(self, timeout_ms: int = 60_000) -> None:
        """(tests) Wait for a run started here to end and its result to be shown."""
        from .qt import QCoreApplication, QDeadlineTimer

        deadline = QDeadlineTimer(timeout_ms)
        while self.thread is not None and not deadline.hasExpired():
            QCoreApplication.processEvents()
            QThread.msleep(5)

    def reject(self) -> None:
        if self.thread is not None:  # never leave a run going behind a closed window
            self.cancel()
            return
        super().reject()
