"""What the app loads to show its window: a clerk waits for every module imported before
the main window appears, so the parts used only later (documents, PDF reading, printing,
password hashing, the demo generator, the schema tools) must load when first used.

Run in a fresh interpreter: this test process has long since imported everything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from billing_desk.store.demo_file import create_demo_file
from billing_desk.store.listing import CaseQuery
from billing_desk.ui.case_list import STATUS_FILTERS

ROOT = Path(__file__).resolve().parents[2]

SHOW_WINDOW = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings
from billing_desk.ui.app import build_main_window, make_application
app = make_application()
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
window = build_main_window("akim", settings, Path(sys.argv[1]))
window.show()
app.processEvents()
print(json.dumps({"rows": window.case_list.model.rowCount(), "modules": sorted(sys.modules)}))
window.session.close()
"""

#: loaded on first use, never to show the window
LATER = ("reportlab", "pypdfium2", "PIL", "argon2", "sqlite_utils", "babel", "platformdirs",
         "PySide6.QtPrintSupport", "billing_desk.documents.render", "billing_desk.demo",
         "billing_desk.ui.printing")


def test_the_window_shows_without_loading_what_is_used_later(tmp_path):
    path = tmp_path / "office.bdesk"
    with create_demo_file(path, 30) as cf:
        open_cases = cf.listing.count(CaseQuery(statuses=STATUS_FILTERS[0][1]))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", SHOW_WINDOW, str(path), str(tmp_path / "s.ini")],
                         capture_output=True, text=True, env=env, timeout=120, check=True)
    shown = json.loads(out.stdout.strip().splitlines()[-1])
    assert shown["rows"] == open_cases > 20  # the window opened the file and lists its cases
    loaded = [m for m in shown["modules"] if m.split(".")[0] in LATER or m in LATER]
    assert loaded == []


def test_pyside_no_longer_reads_the_source_of_our_modules_but_qt_still_works():
    # the answer PySide6's feature scan gets for our modules (see billing_desk/ui/__init__)
    import billing_desk.ui  # noqa: F401
    from shibokensupport import feature

    import billing_desk.store.listing as listing
    import billing_desk.ui.case_list as case_list

    assert feature._mod_uses_pyside(case_list) is True
    assert feature._mod_uses_pyside(listing) is False
    assert feature.pyside_feature_dict.get("billing_desk.ui.case_list") in (0, None)
