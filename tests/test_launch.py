"""The bundle's entry point (installer/launch.py) started as the installer's smoke test
times it: on a fresh home the app creates the demo file, shows the sign-in window,
reports its first frame and then ends by itself, exit 0 -- the sign-in cancelled and
the main window it leaves on the start screen closed, as a clerk closes them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_timed_start_reports_its_first_frame_and_ends_by_itself(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "BILLING_DESK_EXIT_AFTER_FIRST_FRAME": "1"}
    env.pop("XDG_DATA_HOME", None)
    env.pop("XDG_CONFIG_HOME", None)
    for start in ("first (the demo file made)", "again"):
        done = subprocess.run([sys.executable, str(ROOT / "installer" / "launch.py")], env=env,
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, (start, done.stderr[-2000:])
        assert "billing-desk: first frame at" in done.stderr
        assert "Sign in — demo.bdesk — Billing Desk" in done.stderr
    assert (tmp_path / ".local" / "share" / "billing-desk" / "demo.bdesk").is_file()
