"""The batch issue as work for a thread of its own (ui/background.py): a connection of
its own to the case file (an SQLite connection belongs to the thread that opened it),
progress reported and Cancel read through the task's :class:`~.background.Progress`,
and never a widget touched. The cases being rendered when Cancel comes are stored; the
rest stay approved."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .. import issuing  # its batch (and the documents) load when a batch runs
from ..store import open_case_file
from ..store.timestamps import utc_now
from .background import Progress


def run_batch(progress: Progress, path: Path, *, actor: str, issue_date: date, out: Path,
              workers: int | None = None, chunk_size: int | None = None):
    """Issue every approved case of ``path``; return the report and the manifest's two
    paths (CSV, JSON)."""
    with open_case_file(path) as cf:
        manifest = issuing.Manifest(out, case_file=cf.path, actor=actor, issue_date=issue_date,
                                    started=utc_now())
        try:
            report = issuing.issue_batch(cf, actor=actor, issue_date=issue_date, workers=workers,
                                         cancel=progress.cancel_event, progress=progress,
                                         manifest=manifest, chunk_size=chunk_size)
        except BaseException:
            manifest.discard()
            raise
        return report, manifest.close(report, utc_now())
