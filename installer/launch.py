"""The bundle's entry point: ``billing-desk`` with the same arguments (no arguments
opens the desktop app; a command runs headless).

For the installer's smoke test (installer/smoke) and for timing a start, the desktop app
can stop by itself once its first window is on the screen:

    BILLING_DESK_EXIT_AFTER_FIRST_FRAME=1 billing-desk

Once the first window (the sign-in screen) has painted its first frame, one line goes to
standard error -- ``billing-desk: first frame at <Unix time> <window title>`` -- and the
windows are closed as a clerk closes them (the sign-in cancelled), so the app ends with
exit status 0. ``BILLING_DESK_SCREENSHOT=FILE.png`` also saves that window, as the screen
shows it, to FILE.png first. The same file run by the virtual environment's Python
(``.venv/bin/python installer/launch.py``) is the app from the checkout, started the
same way: the smoke test compares the two start times.
"""

import multiprocessing
import os
import sys


def _is_desktop_start(args: list[str]) -> bool:
    # as billing_desk.__main__.main decides: no arguments, or one case file
    return not args or (len(args) == 1 and args[0].endswith(".bdesk"))


def _exit_after_first_frame() -> None:
    import time

    from billing_desk._startup import pause_collector

    pause_collector()  # as the app's own start does, before Qt is loaded
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])  # the app's make_application() takes this instance
    screenshot = os.environ.get("BILLING_DESK_SCREENSHOT")

    def report(window: QWidget) -> None:
        at = time.time()  # the frame that was asked for has been painted
        if screenshot:
            window.screen().grabWindow(window.winId()).save(screenshot)
        print(f"billing-desk: first frame at {at:.6f} {window.windowTitle()}",
              file=sys.stderr, flush=True)
        watcher.closing = True
        app.closeAllWindows()  # a dialog is rejected: the sign-in is cancelled

    class FirstFrame(QObject):
        """Reports the first frame; from then on closes every window that is shown,
        as a clerk would -- the main window the cancelled sign-in leaves on its start
        screen, too -- from the event loop, so that the last one closed ends the app."""

        closing = reported = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if not (obj.isWidgetType() and obj.isWindow()):  # type: ignore[attr-defined]
                return False
            if self.closing:
                if event.type() == QEvent.Type.Show:
                    QTimer.singleShot(0, obj.close)  # type: ignore[attr-defined]
            elif event.type() == QEvent.Type.UpdateRequest and not self.reported:
                self.reported = True
                QTimer.singleShot(0, lambda: report(obj))  # type: ignore[arg-type]
            return False

    watcher = FirstFrame(app)
    app.installEventFilter(watcher)


def main() -> int:
    # the batch of letters runs in "spawn" worker processes: in a bundle they start the
    # bundle's executable again, and this turns such a start into the worker (which
    # exits when the batch is done with it)
    multiprocessing.freeze_support()
    if os.environ.get("BILLING_DESK_EXIT_AFTER_FIRST_FRAME") and _is_desktop_start(sys.argv[1:]):
        _exit_after_first_frame()
    from billing_desk.__main__ import main as billing_desk_main

    return billing_desk_main()


if __name__ == "__main__":
    sys.exit(main())
