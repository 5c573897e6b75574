"""The app's one way to Qt: every module of the app takes its Qt classes from here
(``from .qt import QLabel, QTimer``), never from PySide6 directly (tests/ui/test_qt_import.py
checks it), so what this process does to Qt is done in one place you can read:

* The modules the first frame needs (QtCore, QtGui, QtWidgets) are loaded at once; the
  others -- QtPdf and its view, print support, charts -- only when a name of theirs is
  first asked for (a preview, a printout, a report), so the first frame does not pay
  for them (tests/ui/test_startup.py checks what it loads).
* ``Qt``, the namespace of Qt's enums, is handed out only when asked for: creating it
  makes all of its hundred enums at once (25-40 ms, a seventh of a bare window's start;
  see docs/performance.md), so the first frame's modules ask for it only inside the
  functions that run later.
* PySide6's source scan is skipped for Billing Desk's own modules (:func:`_skip_source_scan`).

A name is looked up once and kept (PEP 562 module ``__getattr__``): the cost is a
dictionary lookup, as for any import.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

#: loaded now: what the first frame shows
_NOW: tuple[ModuleType, ...] = (QtWidgets, QtGui, QtCore)
#: loaded when one of their names is first asked for: the module for a name's prefix
_LATER = (("QPdfView", "PySide6.QtPdfWidgets"), ("QPdf", "PySide6.QtPdf"),
          ("QPrint", "PySide6.QtPrintSupport"), ("QPageSetup", "PySide6.QtPrintSupport"),
          ("QAbstractPrint", "PySide6.QtPrintSupport"), ("QSvg", "PySide6.QtSvg"),
          ("", "PySide6.QtCharts"))  # (QChart, QBarSeries, QValueAxis, ...)
#: the modules loaded later, by name: imported by no ``import`` statement, so a bundle
#: (installer/billing-desk.spec) must be told of them
LATER_MODULES: tuple[str, ...] = tuple(sorted({m for _, m in _LATER}))


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    if name == "Qt":  # (see the module's note: all of Qt's enums are made now)
        value = QtCore.Qt
    else:
        value = _find(name)
    globals()[name] = value  # the next use is a plain lookup
    return value


def _find(name: str) -> Any:
    for module in _NOW:
        if hasattr(module, name):
            return getattr(module, name)
    for prefix, module_name in _LATER:
        if name.startswith(prefix):
            module = importlib.import_module(module_name)
            if hasattr(module, name):
                return getattr(module, name)
            break
    raise AttributeError(f"Qt has no {name!r} in {', '.join(m.__name__ for m in _NOW)} or "
                         f"the modules loaded later ({', '.join(LATER_MODULES)})")


def _skip_source_scan() -> None:
    """Once QtCore is loaded, PySide6 reads the source of every module imported after it
    (``inspect.getsource``) to see whether it mentions PySide6, for its opt-in
    ``from __feature__ import ...`` syntax. Billing Desk never opts in, and that read cost
    50-85 ms of importing the domain, the store and the ui (some eighty modules,
    measured in-process). The answer only matters to a module that opts in, so it is
    given from the module's name: PySide's own modules and ours under ``ui`` use PySide,
    the rest do not. Should PySide6 change this internal, nothing breaks: the scan just
    stays as it was."""
    try:
        from shibokensupport import feature  # type: ignore[import-not-found]
    except ImportError:
        return
    if not callable(getattr(feature, "_mod_uses_pyside", None)):
        return
    ours = __name__.rpartition(".")[0]  # billing_desk.ui

    def uses_pyside(module) -> bool:
        name = getattr(module, "__name__", "")
        return name.startswith(("PySide6", "shiboken6", ours))

    feature._mod_uses_pyside = uses_pyside


_skip_source_scan()
