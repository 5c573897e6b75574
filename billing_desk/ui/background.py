"""Slow work off the GUI thread: issuing, previews, the batch, reports, copying a store.

:func:`run_in_background` runs ``work(progress)`` on a thread of its own and hands its
result (or the error that stopped it) back to the GUI thread, where ``done`` runs; the
window stays live meanwhile and, if the work takes longer than a moment, a progress
dialog shows what is being done (with Cancel when the work can stop between steps). An
error the user can act on is shown in one dialog (ui/errors.py); anything else goes to
the crash dialog with its details.

The work never touches a widget, and reaches the store through a connection of its own
(an SQLite connection belongs to the thread that opened it): the caller gives it a
function that opens one, e.g. :meth:`~billing_desk.ui.session.CaseSession.reopened`.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Callable, Generic, TypeVar

from .qt import QObject, QThread, QTimer, Signal, Slot

if TYPE_CHECKING:
    from .qt import QProgressDialog, QWidget

T = TypeVar("T")

#: how long work may run before the progress dialog shows (quick work shows nothing)
SHOW_PROGRESS_AFTER_MS = 400


class Progress:
    """What the work reports as it goes, and whether the user asked it to stop. Safe to
    use from the work's thread: it only emits queued signals and reads an event."""

    def __init__(self, signal: Signal) -> None:
        self._signal = signal
        self._cancel = threading.Event()

    def report(self, done: int, total: int, text: str = "") -> None:
        self._signal.emit(done, total, text)

    def __call__(self, done: int, total: int) -> None:  # (as issuing's progress callbacks)
        self.report(done, total)

    @property
    def cancel_event(self) -> threading.Event:
        return self._cancel

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Worker(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self._work = work
        self.progress = Progress(self.progressed)

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(self.progress)
        except BaseException as e:  # noqa: BLE001 - handed to the GUI thread, shown there
            self.failed.emit(e)
        else:
            self.succeeded.emit(result)
        finally:
            # the thread ends with the work (its result is queued for the GUI thread):
            # whoever waits for it (the window closing) waits for the work, no longer
            self.thread().quit()


class BackgroundTask(QObject, Generic[T]):
    """One piece of work running on its own thread; see :func:`run_in_background`."""

    finished = Signal()

    def __init__(self, parent: QWidget | None, title: str, work: Callable[[Progress], T],
                 done: Callable[[T], None], *, text: str, cancellable: bool,
                 failed: Callable[[BaseException], None] | None,
                 progressed: Callable[[int, int, str], None] | None = None) -> None:
        super().__init__(parent)
        self.title, self.text, self.cancellable = title, text, cancellable
        self.result: T | None = None
        self.error: BaseException | None = None
        #: the work has ended and its result or error has been handed on
        self.ended = False
        self.error_box = None
        self._done, self._on_failed, self._parent = done, failed, parent
        self.dialog: QProgressDialog | None = None
        self.thread = QThread(self)
        self.worker = _Worker(work)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        # the caller's own display (a dialog with a bar of its own), or the progress dialog
        self._own_display = progressed is not None
        self.worker.progressed.connect(progressed or self._progressed)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)
        self._last: tuple[int, int, str] = (0, 0, text)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_dialog)

    @property
    def progress(self) -> Progress:
        return self.worker.progress

    @property
    def running(self) -> bool:
        return self.thread.isRunning()

    def start(self) -> None:
        if not self._own_display:
            self._timer.start(SHOW_PROGRESS_AFTER_MS)
        self.thread.start()

    def cancel(self) -> None:
        self.progress.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(f"{self.text} Stopping after the step in hand…")

    def wait(self, ms: int = 60_000) -> bool:
        """Block until the work has ended (tests; the window closing)."""
        return self.thread.wait(ms)

    def _show_dialog(self) -> None:
        from .qt import QProgressDialog

        if not self.running:
            return
        dialog = QProgressDialog(self.text, "Cancel" if self.cancellable else "", 0, 0, self._parent)
        dialog.setObjectName("progress_dialog")
        dialog.setAccessibleIdentifier("progress_dialog")
        dialog.setWindowTitle(self.title)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not self.cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self.cancel)
        from .qt import Qt

        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog = dialog
        self._progressed(*self._last)
        dialog.show()

    def _progressed(self, done: int, total: int, text: str) -> None:
        self._last = (done, total, text)
        if self.dialog is not None:
            self.dialog.setRange(0, total)  # (0, 0: busy, no known end)
            self.dialog.setValue(min(done, total) if total else 0)
            if text:
                self.dialog.setLabelText(text)

    def _end(self) -> None:
        self._timer.stop()
        self.thread.quit()
        self.thread.wait()
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _succeeded(self, result: T) -> None:
        self._end()
        self.result = result
        try:
            self._done(result)
        finally:
            self.ended = True
            self.finished.emit()

    def _failed(self, error: BaseException) -> None:
        from .errors import expected_errors, show_error

        self._end()
        self.error = error
        try:
            if self._on_failed is not None:
                self._on_failed(error)
            elif isinstance(error, expected_errors()):
                self.error_box = show_error(self._parent, self.title, error)
            else:  # a defect: the crash dialog, with its details
                self.error_box = show_error(self._parent, f"{self.title}: unexpected error", error)
        finally:
            self.ended = True
            self.finished.emit()


def run_in_background(parent: QWidget | None, title: str, work: Callable[[Progress], T],
                      done: Callable[[T], None], *, text: str = "Working…",
                      cancellable: bool = False,
                      failed: Callable[[BaseException], None] | None = None,
                      progressed: Callable[[int, int, str], None] | None = None,
                      ) -> BackgroundTask[T]:
    """Start ``work(progress)`` on a thread of its own; ``done(result)`` runs on the GUI
    thread when it returns. If it raises, ``failed(error)`` runs instead, or by default
    the error is shown under ``title`` (ui/errors.py). ``progressed(done, total, text)``
    shows the progress in the caller's own way instead of the progress dialog. Keep the
    task returned while it runs (its thread belongs to it)."""
    task = BackgroundTask(parent, title, work, done, text=text, cancellable=cancellable,
                          failed=failed, progressed=progressed)
    task.start()
    return task
