"""Application start-up: QApplication, the store to open, signing in, the main window.

With no store named or remembered, the app opens the demo case file under the user data
directory (created on first run), so the README's launch command lands on real cases; so
it does when the remembered file can no longer be opened (after saying why). A server
that cannot be opened -- named on the command line or used last -- is not replaced
silently: the window opens with the start screen, which says why and offers the recent
list (ui/start_dialog.py). The demo
file's sign-in screen shows the demo logins and passwords. Signing out closes the window
and asks who signs in next. Cancelling a sign-in opens nothing and leaves the window up
at its start screen (ui/start_screen.py): File > Quit ends the application.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .qt import QApplication, QSettings

from ..store.summaries import UserRecord
from .errors import install_excepthook
from .main_window import MainWindow
from .session import CaseSession, SignIn


def make_application(argv: list[str] | None = None) -> QApplication:
    # (fractional scale factors such as 150% are used as they are: Qt 6's default rounding
    # policy, PassThrough, so nothing is set -- setting it would import ``Qt``, whose
    # hundred enums cost the first frame about 30 ms; see ui/main_window.py)
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Billing Desk")
    app.setOrganizationName("Billing Desk")
    app.setApplicationDisplayName("Billing Desk")
    return app  # type: ignore[return-value]


def file_to_open(settings: QSettings) -> Path | str:
    """The store used last (a case file that still exists, or a server), else the demo."""
    from ..store.targets import is_server_target

    last = settings.value("last_file")
    if last and is_server_target(str(last)):
        return str(last)
    if last and Path(str(last)).is_file():
        return Path(str(last))
    return demo_case_file()


def demo_case_file() -> Path:
    # the demo generator is loaded only when the demo file is wanted
    from ..store.demo_file import ensure_default_case_file

    return ensure_default_case_file()


def build_main_window(actor: str | UserRecord | None, settings: QSettings,
                      path: Path | str | None = None, *,
                      sign_in: SignIn | None = None) -> MainWindow:
    """The main window on ``path`` -- a case file or a server (default: the store used
    last, or the demo file). With ``sign_in`` (the app: the sign-in dialog) whoever signs
    in acts; if they cancel, the window shows its start screen, with no file open.
    Without it the window acts as ``actor`` (scripts, benchmarks, screenshots). A server
    that cannot be opened leaves the window on the start screen (``window.start_failure``:
    shown with the window)."""
    from ..store.targets import is_server_target

    session = CaseSession(actor or "", sign_in=sign_in)
    window = MainWindow(session, settings)
    target = path or file_to_open(settings)
    server = is_server_target(target)
    opened = window.open_path(target, quiet=server)
    window.start_failure = None
    if not opened and server:
        window.start_failure = (str(target), window.open_error)
        return window
    if not opened and path is None:  # the remembered file went bad: the demo file instead
        window.open_path(demo_case_file())
    return window  # (a file that cannot be opened is reported in the window)


def run_app(argv: list[str] | None = None, path: Path | str | None = None) -> int:
    """The desktop app on ``path`` (``billing-desk FILE.bdesk``, ``billing-desk
    postgresql://...``), else as described above."""
    from .sign_in_dialog import ask_to_sign_in

    app = make_application(argv)
    settings = QSettings()
    current: list[MainWindow] = []
    install_excepthook(lambda: current[-1] if current else None)
    code, first = 0, True
    while True:
        # the file named on the command line first; after a sign-out, the file in use
        window = build_main_window(None, settings, path if first else None,
                                   sign_in=ask_to_sign_in)
        first = False
        current[:] = [window]  # (a signed-out window, its file closed, is not kept)
        window.show()
        if window.start_failure is not None:
            window.show_start_screen(*window.start_failure)
        code = app.exec()
        if not window.workflow.signed_out:
            return code
        window.deleteLater()
