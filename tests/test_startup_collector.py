"""The app's start-up pauses Python's cyclic collector and its window resumes it once it is
complete (billing_desk/_startup.py); anything else (the tests, scripts, the CLI) never
has it paused, and a resume without a pause changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import gc
from billing_desk import _startup as startup
seen = [gc.isenabled()]
startup.resume_collector()           # nothing paused: nothing changes
seen.append(gc.isenabled())
startup.pause_collector()
seen += [gc.isenabled(), startup.collector_paused()]
frozen_before = gc.get_freeze_count()
startup.resume_collector()
seen += [gc.isenabled(), startup.collector_paused(), gc.get_freeze_count() > frozen_before]
startup.resume_collector()           # a second window: nothing more
seen.append(gc.isenabled())
print(seen)
"""

WINDOW = r"""
import gc, sys
from pathlib import Path
from billing_desk._startup import pause_collector
pause_collector()
from PySide6.QtCore import QSettings, QTimer
from billing_desk.ui.app import build_main_window, make_application
app = make_application()
w = build_main_window("akim", QSettings(sys.argv[2], QSettings.Format.IniFormat), Path(sys.argv[1]))
before = gc.isenabled()
w.show()
def done():
    print([before, w.workspace_built, gc.isenabled()])
    app.quit()
QTimer.singleShot(2000, done)
app.exec()
"""


def _run(code: str, *args: str) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, timeout=120, check=True)
    return out.stdout.strip().splitlines()[-1]


def test_pause_and_resume():
    assert _run(PROBE) == str([True, True, False, True, True, False, True, True])


def test_the_window_resumes_the_collector_once_its_workspace_is_built(tmp_path):
    from billing_desk.store.demo_file import create_demo_file

    create_demo_file(tmp_path / "office.bdesk", 5).close()
    assert _run(WINDOW, str(tmp_path / "office.bdesk"), str(tmp_path / "s.ini")) == str([False, True, True])


def test_the_entry_point_pauses_the_collector_before_the_app_loads_qt(monkeypatch):
    # ``billing-desk`` with no command: the collector is off by the time the app starts
    # (and PySide6 is not what turned it off); a command never pauses it
    import gc

    from billing_desk import __main__ as entry
    from billing_desk import _startup

    seen = []
    monkeypatch.setattr("billing_desk.ui.app.run_app",
                        lambda path=None: seen.append((gc.isenabled(), _startup.collector_paused())) or 0)
    try:
        assert entry.main([]) == 0
    finally:
        _startup.resume_collector()
    assert seen == [(False, True)] and gc.isenabled()
    monkeypatch.setattr("billing_desk.cli.main", lambda args: seen.append(gc.isenabled()) or 0)
    assert entry.main(["verify", "x.bdesk"]) == 0
    assert seen[-1] is True
