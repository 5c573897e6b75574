"""Application start-up: QApplication, the case file to open, the main window.

With no file named or remembered, the app opens the demo case file under the user data
directory (created on first run), so the README's launch command lands on real cases; so
it does when the remembered file can no longer be opened (after saying why).
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from .errors import install_excepthook
from .main_window import MainWindow
from .session import CaseSession


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if existing is None:  # the policy can only be set before the application exists
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = existing or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Billing Desk")
    app.setOrganizationName("Billing Desk")
    app.setApplicationDisplayName("Billing Desk")
    return app  # type: ignore[return-value]


def file_to_open(settings: QSettings) -> Path:
    last = settings.value("last_file")
    if last and Path(str(last)).is_file():
        return Path(str(last))
    return demo_case_file()


def demo_case_file() -> Path:
    # the demo generator is loaded only when the demo file is wanted
    from ..store.demo_file import ensure_default_case_file

    return ensure_default_case_file()


def build_main_window(actor: str, settings: QSettings, path: Path | None = None) -> MainWindow:
    session = CaseSession(actor)
    window = MainWindow(session, settings)
    if not window.open_path(path or file_to_open(settings)) and path is None:
        window.open_path(demo_case_file())
    return window


def run_app(argv: list[str] | None = None, path: Path | None = None) -> int:
    """The desktop app on ``path`` (``billing-desk FILE.bdesk``), else as described above."""
    app = make_application(argv)
    settings = QSettings()
    window = build_main_window(getpass.getuser(), settings, path)
    install_excepthook(lambda: window)
    window.show()
    return app.exec()
