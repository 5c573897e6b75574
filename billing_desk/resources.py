"""Where the files in ``resources/`` (fonts, letter texts per locale, icons) are found:
beside the package in a checkout or an editable install, or in a PyInstaller bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller one-dir/one-file bundle
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates.append(Path(__file__).resolve().parent.parent / "resources")
    candidates.append(Path(sys.prefix) / "share" / "billing-desk" / "resources")
    for c in candidates:
        if c.is_dir():
            return c
    raise FileNotFoundError("Billing Desk resources not found; looked in: "
                            + ", ".join(str(c) for c in candidates))


def resource_path(*parts: str) -> Path:
    """Path of a file under resources/, e.g. ``resource_path("fonts", "DejaVuSans.ttf")``."""
    return resources_dir().joinpath(*parts)
