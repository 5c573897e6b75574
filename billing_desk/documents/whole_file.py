"""Writing a document out of the case file -- a stored PDF saved or exported, a case or
incident summary -- whole or not at all: a temporary file beside the target, synced,
then renamed over it, so a failed write (a full disk, a cancelled save, a crash) never
leaves half a PDF behind nor replaces a good one. The standard library only: the window
and the command line call it without loading ReportLab."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_whole(data: bytes, path: str | Path, *, suffix: str = ".pdf",
                mode: int | None = None) -> Path:
    """Write ``data`` to ``path`` whole or not at all; ``OSError`` when it cannot be.
    ``suffix``: the temporary file's; ``mode``: the file's permissions (``mkstemp``
    makes it readable by its owner only)."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".billing-desk-", suffix=suffix,
                               dir=target.parent if str(target.parent) else ".")
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
