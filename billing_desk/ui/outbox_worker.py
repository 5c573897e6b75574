"""The outbox sent off the GUI thread: a worker object moved to a QThread, with its own
connection to the store (a case file or a server), opened on that thread. It reports
through signals only and never touches a widget; Pause and Cancel set events the sender
checks between messages."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Callable

from .qt import QObject, Signal, Slot

if TYPE_CHECKING:
    from ..store.casefile import CaseFile


class SendWorker(QObject):
    progress = Signal(int, int)  # messages done, messages due
    finished = Signal(object)  # SendReport
    failed = Signal(object)  # the MailError (or other failure) that stopped the run

    def __init__(self, open_store: Callable[[], CaseFile], *, actor: str,
                 password: str | None) -> None:
        """``open_store``: opens a connection of the worker's own (on its thread)."""
        super().__init__()
        self.open_store, self.actor, self._password = open_store, actor, password
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
            with self.open_store() as cf:
                report = send_notices(cf, actor=self.actor, password=self._password,
                                      cancel=self.cancel_event, pause=self.pause_event,
                                      progress=self.progress.emit)
        except Exception as e:  # noqa: BLE001 - shown to the user by the window
            self.failed.emit(e)
            return
        finally:
            self._password = None
        self.finished.emit(report)
