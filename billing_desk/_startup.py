"""The desktop app's start-up: Python's cyclic garbage collector is paused while the app
starts and resumed once its window is complete.

Starting the app creates some hundreds of thousands of objects that live as long as the
process: PySide's type and signature tables, every Qt class and enum the window uses,
our modules and the case list's first page. While they are being made, the collector
runs again and again over all of them and finds nothing to free: about 40 ms of a
300 ms start on the reference VM (a bare PySide6 window spends as much of its 200 ms).
So the entry point pauses it before Qt is imported, and the main window resumes it when
its case workspace is built, first moving everything made so far into the permanent
generation (``gc.freeze``), which later collections skip. Plain reference counting
frees everything else as usual in between; only cyclic garbage waits, and the start
makes next to none.

Nothing here imports Qt: this module runs before it is loaded.
"""

from __future__ import annotations

import gc

_paused = False


def pause_collector() -> None:
    """Pause the cyclic collector for the start-up (the app's entry point only)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector() -> None:
    """Resume it if :func:`pause_collector` paused it, the start-up's objects frozen out
    of later collections; otherwise (tests, scripts, a second window) do nothing."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def collector_paused() -> bool:
    return _paused
