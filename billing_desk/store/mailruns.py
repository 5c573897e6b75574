"""The mail ledger: which issued documents have gone to the mail room, kept in the
audit history (entries of entity ``mail_run``, no case), so that every document a batch
issues is listed in exactly one manifest, also when a run is killed half-way.

A run (``billing-desk issue-batch``, the app's batch) records three kinds of entry,
each its own transaction:

- ``mail_run_start``: the run's name (its manifest's stem), where its manifest files
  are written, who runs it, its issue date, and the newest document id when it
  started;
- ``mail_run_record``: documents whose manifest rows are written and on disk (after
  the file's fsync): from then on they are *recorded as mailed*;
- ``mail_run_finish``: the run ended and its manifest is complete (or was finished by
  a later run, ``recovered``).

A document is *recorded as mailed* when a run recorded it, or when its original left
the case file otherwise: printed, reprinted or saved as a file (those uses are in the
history too). A document issued since the ledger began (the first run's start) and not
recorded as mailed is *not yet mailed*: a document of a run killed between its commit
and its manifest row, or one issued on its own (``billing-desk issue``, the app) and
not printed or saved; the next run lists and records it. Documents issued before the
ledger began were mailed by the means of their time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from .connection import Connection
from .documents import COLUMNS as DOCUMENT_COLUMNS
from .documents import document_record
from .records import DocumentRecord

ENTITY = "mail_run"
START, RECORD, FINISH = "mail_run_start", "mail_run_record", "mail_run_finish"
#: uses of a document that hand its original out of the case file
HANDED_OUT = ("print", "reprint", "save")


@dataclass(frozen=True, slots=True)
class MailRun:
    """A run as its start entry recorded it (``details``: the start entry's values)."""

    name: str
    entry: int
    actor: str
    details: dict[str, Any]


class MailRunRepository:
    """``cf.mail_runs``."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def start(self, name: str, details: dict[str, Any], *, actor: str) -> int:
        """Record that run ``name`` starts (``details``: where its manifest is written,
        its issue date...); the newest document id is recorded with it."""
        with self._c.write(actor) as tx:
            last = tx.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]
            return tx.audit(START, ENTITY, name, None, None,
                            {**details, "last_document": last})

    def record(self, name: str, document_ids: Iterable[int], *, actor: str) -> None:
        """Record that run ``name`` wrote these documents' manifest rows to disk."""
        ids = sorted(set(document_ids))
        if not ids:
            return
        with self._c.write(actor) as tx:
            tx.audit(RECORD, ENTITY, name, None, None, {"documents": ids})

    def finish(self, name: str, details: dict[str, Any], *, actor: str) -> None:
        """Record that run ``name`` ended with its manifest complete."""
        with self._c.write(actor) as tx:
            tx.audit(FINISH, ENTITY, name, None, None, details)

    def _entries(self, action: str) -> list[tuple[int, str, str, dict]]:
        return [(entry, name, who, json.loads(after)) for entry, name, who, after in self._c.rows(
            "SELECT id, entity_id, actor, after FROM audit WHERE case_id IS NULL AND "
            "entity = ? AND action = ? ORDER BY id", (ENTITY, action))]

    def unfinished(self) -> list[MailRun]:
        """Runs that started and never finished (killed, or failed), oldest first."""
        finished = {name for _, name, _, _ in self._entries(FINISH)}
        return [MailRun(name, entry, who, details)
                for entry, name, who, details in self._entries(START) if name not in finished]

    def recorded(self) -> set[int]:
        """Every document a run recorded as mailed."""
        return {d for _, _, _, details in self._entries(RECORD) for d in details["documents"]}

    def handed_out(self, document_ids: Sequence[int]) -> set[int]:
        """Those of ``document_ids`` whose original was printed, reprinted or saved."""
        if not document_ids:
            return set()
        found: set[int] = set()
        for i in range(0, len(document_ids), 500):
            part = [int(d) for d in document_ids[i:i + 500]]
            marks = ', '.join('?' * len(part))
            # (through the cases' own entries, index audit_case: never the whole history)
            found |= {int(e) for (e,) in self._c.rows(
                f"SELECT DISTINCT entity_id FROM audit WHERE case_id IN (SELECT case_id FROM "
                f"documents WHERE id IN ({marks})) AND entity = 'document' AND action IN "
                f"({', '.join('?' * len(HANDED_OUT))}) AND entity_id IN ({marks})",
                (*part, *HANDED_OUT, *map(str, part)))}
        return found

    def mailed(self, document_ids: Sequence[int]) -> set[int]:
        """Those of ``document_ids`` recorded as mailed (see the module docstring)."""
        recorded = self.recorded()
        return {d for d in document_ids if d in recorded} | self.handed_out(document_ids)

    def not_yet_mailed(self, *, before: int | None = None) -> list[DocumentRecord]:
        """Documents issued since the ledger began (the first run's start) and not
        recorded as mailed, oldest first; ``before``: only ids up to it. None before the
        first run has started."""
        starts = self._entries(START)
        if not starts:
            return []
        since = starts[0][3]["last_document"]
        rows = self._c.rows(f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id > ? "
                            "ORDER BY id", (since,))
        recorded = self.recorded()
        candidates = [document_record(r) for r in rows if r[0] not in recorded
                      and (before is None or r[0] <= before)]
        out = self.handed_out([d.id for d in candidates])
        return [d for d in candidates if d.id not in out]
