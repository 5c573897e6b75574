"""The outbox sent off the GUI thread: a worker object moved to a QThread, with its own
connection to the case file. It reports through signals only and never touches a
widget; Pause and Cancel set events the sender checks between messages."""

from __future__ import annotations

import threading
from pathlib import Path

from .qt import QObject, Signal, Slot

from ..store import open_case_file


class SendWorker(QObject):
    progress = Signal(int, int)  # messages done, messages due
    finished = Signal(object)  # SendReport
    failed = Signal(object)  # the MailError (or other failure) that stopped the run

    def __init__(self, path: Path, *, actor: str, password: str | None) -> None:
        super().__init__()
        self.path, self.actor, self._password = path, actor, password
        self.cancel_event = threading.Event()
        self.pause_event = threading.Event()

    def cancel(self) -> None:
        self.cancel_event.set()

    def set_paused(self, paused: bool) -> None:
        if paused:
            self.pause_event.set()
        else:
            self.pause_event.clear()

    @Slot()
    def run(self) -> None:
        from ..issuing.outbox import send_notices  # (smtplib and the PDF reader: now)

        try:
            with open_case_file(self.path) as cf:
                report = send_notices(cf, actor=self.actor, password=self._password,
                                      cancel=self.cancel_event, pause=self.pause_event,
                                      progress=self.progress.emit)
        except Exception as e:  # noqa: BLE001 - shown to the user by the window
            self.failed.emit(e)
            return
        finally:
            self._password = None
        self.finished.emit(report)
