"""Writing an exported file (a report's CSV or PDF) whole or not at all."""

from __future__ import annotations

from pathlib import Path

from ..errors import BillingDeskError
from .whole_file import write_whole

#: what a case file is called: an export never takes such a name
CASE_FILE_SUFFIXES = (".bdesk", ".bdesk-wal", ".bdesk-shm", ".bdesk-journal")


class ExportRefused(BillingDeskError, OSError):
    """The path chosen for an export is a case file (or one of its side files)."""


def write_export(data: bytes, path: str | Path) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and an
    atomic rename, so a failed write never leaves half a file (nor replaces a good one).
    A path ending like a case file is refused: an export must never overwrite cases."""
    target = Path(path)
    if target.name.lower().endswith(CASE_FILE_SUFFIXES):
        raise ExportRefused(f"{target} is named like a case file; a report is never written "
                            "over a case file. Choose a name ending in .csv or .pdf.")
    # (a report to share, not a secret: readable by others, as a saved file is)
    write_whole(data, target, suffix=".part", mode=0o644)
    return target
