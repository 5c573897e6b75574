"""The batch issue run off the GUI thread: a worker object moved to a QThread, with its
own connection to the store, opened in that thread (an SQLite connection belongs to the
thread that opened it; a server's is another connection with the same credentials). It reports through signals only -- queued to the GUI thread -- and never touches a
widget; Cancel sets an event the batch checks between cases."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Signal, Slot

from .. import issuing  # its batch (and the documents) load when a batch runs
from ..store.casefile import CaseFile
from ..store.timestamps import utc_now


class BatchWorker(QObject):
    progress = Signal(int, int)  # cases decided, cases selected
    finished = Signal(object, object)  # BatchReport, (csv path, json path)
    failed = Signal(object)  # the exception that stopped the run before it had a report

    def __init__(self, open_store: Callable[[], CaseFile], *, actor: str, issue_date: date,
                 out: Path, workers: int | None = None, chunk_size: int | None = None) -> None:
        super().__init__()
        self.open_store, self.actor, self.issue_date, self.out = open_store, actor, issue_date, out
        self.workers, self.chunk_size = workers, chunk_size
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        """Safe from any thread: cases being rendered are stored, the rest stay approved."""
        self.cancel_event.set()

    @Slot()
    def run(self) -> None:
        try:
            with self.open_store() as cf:
                manifest = issuing.Manifest(self.out, case_file=cf.where, actor=self.actor,
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
