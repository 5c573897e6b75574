"""The desktop app (PySide6). Widgets call service functions; no rules, no SQL here."""

from __future__ import annotations

import PySide6.QtCore  # noqa: F401 - loads shiboken's import hook, adjusted below


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

    def uses_pyside(module) -> bool:
        name = getattr(module, "__name__", "")
        return name.startswith(("PySide6", "shiboken6", __name__))

    feature._mod_uses_pyside = uses_pyside


_skip_source_scan()
