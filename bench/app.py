"""Desktop app figures, in one run (headless, QT_QPA_PLATFORM=offscreen):

1. cold start to the main window shown with a 10,000-case file, as a ratio to a bare
   PySide6 QMainWindow process started the same way (target <= 1.5x);
2. keystroke in the periods table (an amount typed and Enter) to the determination panel
   repainted, with 72 periods — including the save to the case file (target < 16 ms,
   median and p95);
3. resident memory with a 100,000-case file open (target < 250 MB).

Run:  .venv/bin/python bench/app.py [--keep DIR]
The case files are generated under a temporary directory (or DIR, kept for re-runs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BARE = r"""
import sys, time
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
from PySide6.QtCore import QTimer
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("bare")); w.resize(1600, 950); w.show()
def done():
    print(time.perf_counter() - t0); app.quit()
QTimer.singleShot(0, done)
app.exec()
"""

APP = r"""
import sys, time
t0 = time.perf_counter()
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from billing_desk.ui.app import make_application, build_main_window
app = make_application()
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
w = build_main_window("akim", settings, Path(sys.argv[1]))
w.show()
def done():
    print(time.perf_counter() - t0)
    if len(sys.argv) > 3:
        status = Path("/proc/self/status").read_text()
        rss = next(l for l in status.splitlines() if l.startswith("VmRSS"))
        print(int(rss.split()[1]) // 1024)
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def make_file(path: Path, n: int) -> Path:
    from billing_desk.store.demo_file import create_demo_file

    if not path.exists():
        t0 = time.perf_counter()
        create_demo_file(path, n).close()
        print(f"  (generated {n:,} demo cases in {time.perf_counter() - t0:.1f} s)")
    return path


def run_script(code: str, *args: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return out.stdout.split()


def cold_start(path: Path, tmp: Path, runs: int = 7) -> None:
    bare = [float(run_script(BARE)[0]) for _ in range(runs)]
    app = [float(run_script(APP, str(path), str(tmp / "settings.ini"))[0]) for _ in range(runs)]
    b, a = statistics.median(bare), statistics.median(app)
    print(f"cold start to main window shown, 10,000 cases: {a * 1e3:.0f} ms (median of {runs}); "
          f"bare QMainWindow {b * 1e3:.0f} ms; ratio {a / b:.2f}x (target <= 1.5x)")


def keystroke(path: Path, tmp: Path, runs: int = 60) -> None:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from billing_desk.domain.draft import CaseDraft, PeriodDraft
    from billing_desk.ui.app import build_main_window, make_application
    from datetime import date
    from decimal import Decimal
    from dateutil.relativedelta import relativedelta

    app = make_application()
    window = build_main_window("akim", QSettings(str(tmp / "k.ini"), QSettings.Format.IniFormat), path)
    window.show()
    window.new_case()
    first = date(2004, 8, 1)
    periods = tuple(PeriodDraft(first + relativedelta(months=k),
                                first + relativedelta(months=k + 1) - relativedelta(days=1), None,
                                Decimal("31.46"), Decimal("19.65")) for k in range(72))
    from dataclasses import replace
    from billing_desk.domain.draft import AccountDraft
    from billing_desk.domain.case import Service, Evidence
    draft = replace(CaseDraft(), account=AccountDraft("300-4400-17", "Peña Müller"),
                    service=Service.STORMWATER, discovered_on=date(2010, 7, 16),
                    evidence=Evidence(False, True, True, False), periods=periods)
    window._edited(draft, "bench: 72 periods")
    app.processEvents()
    model, view = window.editor.periods_model, window.editor.periods_view
    samples = []
    for k in range(runs):
        index = model.index(k % 72, 4)  # "correct"
        amount = f"{19 + (k % 7)}.{10 + k % 80:02d}"
        t0 = time.perf_counter()
        model.setData(index, amount)  # what the cell editor commits on Enter
        window.panel.repaint()  # the panel painted with the new figures
        QApplication.processEvents()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    med, p95 = statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]
    print(f"keystroke (commit a cell) to panel repainted, 72 periods, incl. save: median "
          f"{med * 1e3:.1f} ms, p95 {p95 * 1e3:.1f} ms (target < 16 ms)")
    assert window.panel.refund.text().startswith("$")
    window.close()


def memory(path: Path, tmp: Path) -> None:
    out = run_script(APP, str(path), str(tmp / "m.ini"), "rss")
    print(f"resident memory with the 100,000-case file open: {out[1]} MB (target < 250 MB)")
    bare = run_script(BARE.replace("print(time.perf_counter() - t0)",
                                   "print(time.perf_counter() - t0); import pathlib; "
                                   "print(int(next(l for l in pathlib.Path('/proc/self/status')"
                                   ".read_text().splitlines() if l.startswith('VmRSS')).split()[1])//1024)"))
    print(f"  (bare QMainWindow process: {bare[1]} MB)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", type=Path, help="directory for the generated files (kept)")
    args = ap.parse_args()
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="bench-app-"))
    tmp.mkdir(parents=True, exist_ok=True)
    small = make_file(tmp / "10k.bdesk", 10_000)
    big = make_file(tmp / "100k.bdesk", 100_000)
    cold_start(small, tmp)
    keystroke(small, tmp)
    memory(big, tmp)


if __name__ == "__main__":
    main()
