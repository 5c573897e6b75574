"""Issue batch: every approved case issued at once (as ``billing-desk issue-batch``),
with a progress bar and Cancel, the reconciliation line and refusals at the end, and the
manifest written beside the case file. The run happens on a worker thread
(ui/background.py, ui/batch_worker.py); this dialog only shows what it reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .qt import (
    QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QProgressBar, QPushButton, QVBoxLayout,
    QWidget, Signal,
)

from .a11y import identify
from .background import BackgroundTask, run_in_background
from .batch_worker import run_batch
from .session import CaseSession


class BatchIssueDialog(QDialog):
    batchFinished = Signal(object)  # BatchReport

    def __init__(self, session: CaseSession, parent: QWidget | None = None, *,
                 workers: int | None = None, chunk_size: int | None = None,
                 out: Path | None = None) -> None:
        super().__init__(parent)
        identify(self, "batch_dialog", "Issue batch")
        self.setWindowTitle("Issue batch")
        self.session = session
        self.workers, self.chunk_size = workers, chunk_size
        self.out = out or (session.path.parent if session.path else Path.cwd())
        self.task: BackgroundTask | None = None  # the batch running, if one is
        self.report = None
        waiting = session.issuable_count()
        self.summary = QLabel(
            f"{waiting:,} approved case{'s' if waiting != 1 else ''} waiting for their "
            f"documents. Each is rendered, read back against its case and stored; the "
            f"manifest is written to {self.out}.")
        identify(self.summary, "batch_summary", description="What the batch will do")
        self.summary.setWordWrap(True)
        self.bar = QProgressBar()
        identify(self.bar, "batch_progress", "Batch progress")
        self.bar.setRange(0, max(1, waiting))
        self.bar.setValue(0)
        self.bar.setFormat("%v of %m cases (%p%)")
        self.result = QPlainTextEdit()
        identify(self.result, "batch_result", "Batch result")
        self.result.setReadOnly(True)
        self.result.setPlaceholderText("The reconciliation appears here when the batch ends.")
        self.start_button = QPushButton("&Start")
        identify(self.start_button, "batch_start", "Start the batch")
        self.start_button.setEnabled(waiting > 0)
        self.cancel_button = QPushButton("&Cancel batch")
        identify(self.cancel_button, "batch_cancel", "Cancel the batch",
                 "Cases being rendered are stored; the rest stay approved")
        self.cancel_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        identify(self.close_button, "batch_close", "Close")
        buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addWidget(self.result, 1)
        layout.addWidget(buttons)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        buttons.rejected.connect(self.reject)
        self.resize(720, 420)

    def start(self) -> None:
        if self.running or self.session.file is None:
            return
        reopen, actor, today = self.session.file.reopen, self.session.actor, date.today()
        self.task = run_in_background(
            self, "Issue batch",
            lambda progress: run_batch(progress, reopen, actor=actor, issue_date=today, out=self.out,
                                       workers=self.workers, chunk_size=self.chunk_size),
            lambda result: self._finished(*result), failed=self._failed, cancellable=True,
            progressed=lambda done, total, _text: self._progress(done, total))
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.close_button.setEnabled(False)
        self.result.setPlainText("Issuing…")

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.ended

    def cancel(self) -> None:
        if self.running:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.result.setPlainText("Cancelling: the cases being rendered are stored, the "
                                     "rest stay approved…")

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)

    def _finished(self, report, paths) -> None:
        self.report = report
        lines = [f"Reconciliation: {report.reconciliation()}"]
        lines += [f"refused {r.case.case_number} (account {r.case.account_number}, "
                  f"{r.case.customer_name}): {r.reason}" for r in report.refused]
        if report.stopped:
            lines.append(f"Stopped: {report.stopped} {len(report.not_attempted):,} case(s) not "
                         "attempted are still approved; run the batch again to issue them.")
        if report.history_head is not None:  # (issue 23: to write down, as the manifest has it)
            lines.append(f"History head after the batch: {report.history_head.text()}")
        lines.append(f"Manifest: {paths[0]} and {paths[1]}")
        self.result.setPlainText("\n".join(lines))
        self._done()
        self.batchFinished.emit(report)

    def _failed(self, error: BaseException) -> None:
        self.result.setPlainText(f"The batch stopped: {error}")
        self._done()

    def _done(self) -> None:
        self.cancel_button.setEnabled(False)
        self.close_button.setEnabled(True)

    def reject(self) -> None:
        if self.running:  # never leave a batch running behind a closed dialog
            self.cancel()
            return
        super().reject()
