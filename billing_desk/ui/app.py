"""Application start-up: QApplication, the main window, the event loop."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from .. import __version__


def run_app(argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Billing Desk")
    app.setOrganizationName("Billing Desk")
    window = QMainWindow()
    window.setWindowTitle(f"Billing Desk {__version__}")
    window.setCentralWidget(QLabel("Billing Desk"))
    window.resize(1200, 800)
    window.show()
    return app.exec()
