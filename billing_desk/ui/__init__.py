"""The desktop app (PySide6). Widgets call service functions; no rules, no SQL here.

Qt is reached through one module, :mod:`.qt`, imported first (it tunes PySide6 for this
app before anything else of the app is imported under it)."""

from __future__ import annotations

from . import qt  # noqa: F401 - first: the one Qt import point (see qt.py)
