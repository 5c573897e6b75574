"""Take the README screenshot: the app on a demo case file, a demo case open.

Run under a real X server (not offscreen), e.g.:
    xvfb-run -a -s "-screen 0 1700x1000x24" .venv/bin/python docs/screenshot.py [OUT.png] [CASE-NUMBER]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from billing_desk.store.demo_file import create_demo_file  # noqa: E402
from billing_desk.ui.app import build_main_window, make_application  # noqa: E402


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/main-window.png")
    case_number = sys.argv[2] if len(sys.argv) > 2 else None
    app = make_application()
    tmp = Path(tempfile.mkdtemp())
    create_demo_file(tmp / "demo.bdesk", 200).close()
    window = build_main_window("akim", QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat),
                               tmp / "demo.bdesk")
    window.resize(1680, 980)
    window.show()
    cf = window.session.file
    record = cf.cases.find(case_number) if case_number else None
    if record is None:  # the first case with a mixed outcome and diverging readings
        for s in cf.listing.page(limit=200):
            r = cf.cases.load(s.id)
            check = r.draft.check()
            if check.case is not None and len(check.case.periods) >= 4:
                from billing_desk.domain.rulepacks import determine
                d = determine(check.case)
                if d.readings_differ and d.outcome.value == "credit_and_back_bill":
                    record = r
                    break
    if record is not None:
        window.open_case(record.id)

    def shoot() -> None:
        screen = window.screen()
        screen.grabWindow(window.winId()).save(str(out))
        print(f"wrote {out} ({record.case_number if record else 'no case'})")
        app.quit()

    QTimer.singleShot(800, shoot)
    app.exec()


if __name__ == "__main__":
    main()
