"""The batch issue run off the GUI thread: a worker object moved to a QThread, with its
own connection to the case file (an SQLite connection belongs to the thread that opened
it). It reports through signals only -- queued to the GUI thread -- and never touches a
widget; Cancel sets an event the batch checks between cases."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from .. import issuing  # its batch (and the documents) load when a batch runs
from ..store import open_case_file
from ..store.timestamps import utc_now


class BatchWorker(QObject):
    progress = Signal(int, int)  # cases decided, cases selected
    finished = Signal(object, object)  # BatchReport, (csv path, json path)
    failed = Signal(object)  # the exception that stopped the run before it had a report

    def __init__(self, path: Path, *, actor: str, issue_date: date, out: Path,
                 workers: int | None = None, chunk_size: int | None = None) -> None:
        super().__init__()
        self.path, self.actor, self.issue_date, self.out = path, actor, issue_date, out
        self.workers, self.chunk_size = workers, chunk_size
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        """Safe from any thread: cases being rendered are stored, the rest stay approved."""
        self.cancel_event.set()

    @Slot()
    def run(self) -> None:
        try:
            with open_case_file(self.path) as cf:
                manifest = issuing.Manifest(self.out, case_file=cf.path, actor=self.actor,
                                    issue_date=self.issue_date, started=utc_now())
                try:
                    report = issuing.issue_batch(cf, actor=self.actor, issue_date=self.issue_date,
                                         workers=self.workers, cancel=self.cancel_event,
                                         progress=self.progress.emit, manifest=manifest,
                                         chunk_size=self.chunk_size)
                except BaseException:
                    manifest.discard()
                    raise
                paths = manifest.close(report, utc_now())
        except Exception as e:  # noqa: BLE001 - shown to the user by the dialog
            self.failed.emit(e)
            return
        self.finished.emit(report, paths)
