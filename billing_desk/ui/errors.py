"""One place that turns a failure into what the user sees: a dialog with the clerk-readable
message for expected failures (the store's and the rules' typed errors), and a crash
dialog that keeps the details for anything unexpected."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget


def expected_errors() -> tuple[type[BaseException], ...]:
    """The failures whose message is for the clerk (no details to keep): the store's,
    the rules', the documents' and the operating system's."""
    from ..documents.errors import DocumentError
    from ..domain.problems import CaseInvalid
    from ..domain.workflow import TransitionRefused
    from ..store.errors import StoreError

    return (StoreError, TransitionRefused, CaseInvalid, DocumentError, OSError)


def show_error(parent: QWidget | None, title: str, error: BaseException) -> QMessageBox:
    """Show the message without blocking the event loop (window-modal); returns the box."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

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
