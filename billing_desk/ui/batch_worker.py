"""The batch issue as work for a thread of its own (ui/background.py): a connection of
its own to the store, opened in that thread (an SQLite connection belongs to the thread
that opened it; a server's is another connection with the same credentials), progress
reported and Cancel read through the task's :class:`~.background.Progress`, and never a
widget touched. The cases being rendered when Cancel comes are stored; the rest stay
approved."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .. import issuing  # its batch (and the documents) load when a batch runs
from ..store.timestamps import utc_now
from .background import Progress

if TYPE_CHECKING:
    from ..store.casefile import CaseFile


def run_batch(progress: Progress, open_store: Callable[[], CaseFile], *, actor: str,
              issue_date: date, out: Path, workers: int | None = None,
              chunk_size: int | None = None):
    """Issue every approved case of the store ``open_store`` opens (on this thread);
    return the report and the manifest's two paths (CSV, JSON)."""
    with open_store() as cf:
        manifest = issuing.Manifest(out, case_file=cf.where, actor=actor, issue_date=issue_date,
                                    started=utc_now())
        try:
            report = issuing.issue_batch(cf, actor=actor, issue_date=issue_date, workers=workers,
                                         cancel=progress.cancel_event, progress=progress,
                                         manifest=manifest, chunk_size=chunk_size)
        except BaseException:
            manifest.discard()
            raise
        return report, manifest.close(report, utc_now())
