"""Qt is reached through one module (billing_desk/ui/qt.py): no other module of the app
imports PySide6 itself, and the lazily loaded parts stay unloaded until asked for."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_module_but_ui_qt_imports_pyside6():
    offenders = []
    for path in (ROOT / "billing_desk").rglob("*.py"):
        if path == ROOT / "billing_desk" / "ui" / "qt.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_the_import_point_loads_pdf_print_and_charts_only_when_asked():
    code = """
import sys
from billing_desk.ui import qt
from billing_desk.ui.qt import QLabel, QTimer  # the first frame's kind of names
assert QLabel.__module__.startswith("PySide6.QtWidgets")
late = ("PySide6.QtPdf", "PySide6.QtPrintSupport", "PySide6.QtCharts")
print([m for m in late if m in sys.modules])
from billing_desk.ui.qt import QPdfDocument, QPrinter
print(QPdfDocument.__module__, QPrinter.__module__, "PySide6.QtCharts" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}, timeout=60)
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.splitlines()
    assert first == "[]"
    assert second == "PySide6.QtPdf PySide6.QtPrintSupport False"


def test_an_unknown_name_says_where_it_was_looked_for():
    import pytest

    from billing_desk.ui import qt

    with pytest.raises(AttributeError, match="Qt has no 'QNoSuchWidget' in PySide6.QtWidgets"):
        qt.QNoSuchWidget  # noqa: B018
