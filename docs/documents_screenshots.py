"""Screenshots of the Documents tab (a preview before issue, the stored documents after)
and of the batch dialog (during and after a run), on a case file of approved worked
cases. Run under a real X server (not offscreen):

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/documents_screenshots.py [OUT-DIR]

Writes documents-preview.png, documents-issued.png, batch-running.png, batch-done.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from billing_desk.store import create_case_file  # noqa: E402
from billing_desk.ui.app import build_main_window, make_application  # noqa: E402
from tests.issuing.cases import approved_case, approved_cases  # noqa: E402


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    app = make_application()
    tmp = Path(tempfile.mkdtemp())
    path = tmp / "office.bdesk"
    with create_case_file(path) as cf:
        approved_case(cf, "18", customer_name="María Peña Núñez", locale="es_US",
                      mailing_address="PO Box 2214, Fort Collins, CO 80522")
        approved_cases(cf, 240)
    window = build_main_window("mailroom", QSettings(str(tmp / "s.ini"),
                                                     QSettings.Format.IniFormat), path)
    window.resize(1580, 960)
    window.show()
    window.open_case(1)
    window.document_actions.preview_act.trigger()
    steps = []

    def shoot(widget, name: str) -> None:
        widget.screen().grabWindow(widget.winId()).save(str(out / name))
        print(f"wrote {out / name}")

    def step(delay: int):
        def register(fn):
            steps.append((delay, fn))
            return fn
        return register

    @step(1500)
    def preview() -> None:
        shoot(window, "documents-preview.png")
        window.document_actions.issue_act.trigger()

    @step(1500)
    def issued() -> None:
        shoot(window, "documents-issued.png")
        dialog = window.document_actions.open_batch()
        dialog.start_button.click()

    @step(200)
    def running() -> None:
        bar = window.document_actions.batch_dialog.bar
        poll = QTimer(window)

        def check() -> None:  # a moment well into the run
            if bar.value() >= bar.maximum() * 0.4:
                poll.stop()
                shoot(window.document_actions.batch_dialog, "batch-running.png")

        poll.timeout.connect(check)
        poll.start(50)

    def done(_report) -> None:
        QTimer.singleShot(500, lambda: (shoot(window.document_actions.batch_dialog,
                                              "batch-done.png"), app.quit()))

    def run(i: int = 0) -> None:
        if i == 2:
            window.document_actions.batch_dialog.batchFinished.connect(done)
        if i < len(steps):
            delay, fn = steps[i]
            QTimer.singleShot(delay, lambda: (fn(), run(i + 1)))

    run()
    app.exec()


if __name__ == "__main__":
    main()
