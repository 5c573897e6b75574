"""One place that turns a failure into what the user sees: a dialog with the clerk-readable
message for expected failures (the store's and the rules' typed errors), and a crash
dialog that keeps the details for anything unexpected."""

from __future__ import annotations

import sys
import traceback
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from .qt import QMessageBox, QWidget


def expected_errors() -> tuple[type[BaseException], ...]:
    """The failures whose message is for the user (no details to keep): every
    :class:`~billing_desk.errors.BillingDeskError`, and the operating system's (a file
    that cannot be read or written)."""
    from ..errors import BillingDeskError

    return (BillingDeskError, OSError)


class Outcome:
    """What :func:`reported` saw: the error shown, if any, and its dialog."""

    def __init__(self) -> None:
        self.error: BaseException | None = None
        self.box: QMessageBox | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


@contextmanager
def reported(parent: QWidget | None, title: str) -> Iterator[Outcome]:
    """Run the block as one thing the user asked for: a failure with a message for them
    is shown under ``title`` and the block ends there (``outcome.failed``); anything
    else is a defect and goes on to the crash dialog::

        with reported(self, "Not printed") as outcome:
            self.session.print_document(...)
        if outcome.failed:
            return
    """
    outcome = Outcome()
    try:
        yield outcome
    except expected_errors() as e:
        outcome.error = e
        outcome.box = show_error(parent, title, e)


def show_error(parent: QWidget | None, title: str, error: BaseException) -> QMessageBox:
    """Show the message without blocking the event loop (window-modal); returns the box."""
    from .qt import Qt
    from .qt import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(str(error) or type(error).__name__)
    box.setObjectName("error_dialog")
    box.setAccessibleIdentifier("error_dialog")
    if not isinstance(error, expected_errors()):
        box.setDetailedText("".join(traceback.format_exception(error)))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def install_excepthook(parent_getter) -> None:
    """Unexpected exceptions in slots show a dialog instead of vanishing into stderr."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        previous(kind, value, tb)
        try:
            show_error(parent_getter(), "Billing Desk: unexpected error", value)
        except Exception:  # never fail while reporting a failure
            pass

    sys.excepthook = hook
