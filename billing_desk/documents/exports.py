"""Writing an exported file (a report's CSV or PDF) whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import BillingDeskError

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
    fd, tmp = tempfile.mkstemp(prefix=".billing-desk-", suffix=".part",
                               dir=target.parent if str(target.parent) else ".")
    try:
        os.fchmod(fd, 0o644)  # (a report to share, not a secret: mkstemp makes it 0600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
