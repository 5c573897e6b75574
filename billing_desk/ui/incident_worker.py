"""A long incident step off the GUI thread: checking a CSV, creating the incident,
loading its view, submitting, approving, issuing, writing the memo.

Like the batch worker (ui/batch_worker.py): an object moved to a QThread, with its own
connection to the store, opened on that thread (an SQLite connection belongs to the
thread that opened it), reporting through signals only -- queued to the GUI thread -- and never touching a
widget. The step itself is a function of the issuing service or the store, given the
open file, a progress callback and the cancel event; Cancel sets the event, which the
step checks between cases (a cancelled transaction keeps nothing).
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from .qt import QObject, QThread, Signal, Slot

Step = Callable[[Any, Callable[[int, int], None], threading.Event], Any]


class IncidentWorker(QObject):
    progress = Signal(int, int)  # done, total
    finished = Signal(object)  # what the step returned
    failed = Signal(object)  # the exception that stopped it (IncidentCancelled when cancelled)

    def __init__(self, open_store: Callable[[], Any] | None, step: Step) -> None:
        """``open_store``: opens the store the step works on, on the worker's thread
        (None: a step that needs no store)."""
        super().__init__()
        self.open_store, self.step = open_store, step
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        """Safe from any thread."""
        self.cancel_event.set()

    @Slot()
    def run(self) -> None:
        try:
            if self.open_store is None:
                result = self.step(None, self.progress.emit, self.cancel_event)
            else:
                with self.open_store() as cf:
                    result = self.step(cf, self.progress.emit, self.cancel_event)
        except Exception as e:  # noqa: BLE001 - shown to the user by the window
            self.failed.emit(e)
            return
        self.finished.emit(result)


class StepRunner(QObject):
    """Runs one :class:`IncidentWorker` at a time on its own thread, for a window that
    shows its progress; ``busy`` while one runs."""

    progress = Signal(int, int)
    finished = Signal(str, object)  # the step's name, its result
    failed = Signal(str, object)  # the step's name, the exception

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread: QThread | None = None
        self.worker: IncidentWorker | None = None
        self.name = ""

    @property
    def busy(self) -> bool:
        return self.thread is not None

    def start(self, name: str, open_store: Callable[[], Any] | None, step: Step) -> bool:
        if self.busy:
            return False
        self.name = name
        self.worker = IncidentWorker(open_store, step)
        self.thread = QThread(self)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progress.connect(self.progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.thread.start()
        return True

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def wait(self) -> None:
        """Cancel the step and wait for its thread (a window closing never leaves one)."""
        if self.thread is not None:
            self.cancel()
            self.thread.quit()
            self.thread.wait()
            self._done()

    def _done(self) -> None:
        if self.thread is not None:
            self.thread.quit()
            self.thread.wait()
        self.thread = None
        self.worker = None

    def _finished(self, result: object) -> None:
        name = self.name
        self._done()
        self.finished.emit(name, result)

    def _failed(self, error: object) -> None:
        name = self.name
        self._done()
        self.failed.emit(name, error)
