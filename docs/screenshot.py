"""Take the README screenshot: the app on a demo case file, a demo case open.

Run under a real X server (not offscreen), e.g.:
    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/screenshot.py [OUT.png] [CASE-NUMBER]
At 200% scaling (check that nothing is clipped):
    QT_SCALE_FACTOR=2 xvfb-run -a -s "-screen 0 3200x2000x24" .venv/bin/python docs/screenshot.py /tmp/x2.png

Without a case number it opens the demo case that shows the most of the panel: amounts
excluded, readings of 26-721(a)(2) that differ, a credit and a back bill.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from billing_desk.domain.determination import Outcome  # noqa: E402
from billing_desk.domain.rulepacks import determine  # noqa: E402
from billing_desk.store.casefile import CaseFile  # noqa: E402
from billing_desk.store.demo_file import create_demo_file  # noqa: E402
from billing_desk.store.records import CaseRecord  # noqa: E402
from billing_desk.ui.app import build_main_window, make_application  # noqa: E402


def showcase(cf: CaseFile) -> CaseRecord | None:
    """The case a reader learns the most from (amounts excluded, readings that differ,
    a credit and a back bill, in that order of weight) whose periods fit on the screen."""
    best, best_score = None, None
    for s in cf.listing.page(limit=200):
        r = cf.cases.load(s.id)
        case = r.draft.check().case
        if case is None or not 6 <= len(case.periods) <= 14:
            continue
        d = determine(case)
        score = (any(line.excluded_amount for line in d.periods), d.readings_differ,
                 d.outcome is Outcome.CREDIT_AND_BACK_BILL, len(d.flags))
        if best_score is None or score > best_score:
            best, best_score = r, score
    return best


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/main-window.png")
    case_number = sys.argv[2] if len(sys.argv) > 2 else None
    app = make_application()
    tmp = Path(tempfile.mkdtemp())
    create_demo_file(tmp / "demo.bdesk", 200).close()
    window = build_main_window("akim", QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat),
                               tmp / "demo.bdesk")
    window.show()
    cf = window.session.file
    record = cf.cases.find(case_number) if case_number else showcase(cf)
    if record is not None:
        window.open_case(record.id)

    def shoot() -> None:
        window.screen().grabWindow(window.winId()).save(str(out))
        print(f"wrote {out} ({record.case_number if record else 'no case'})")
        app.quit()

    QTimer.singleShot(800, shoot)
    app.exec()


if __name__ == "__main__":
    main()
