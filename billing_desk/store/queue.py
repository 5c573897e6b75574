"""The work queues: submitted cases waiting for a supervisor, oldest submission first,
and the cases returned to a clerk, each with the totals and flags of the determination
recorded when it was submitted (read from the snapshot, not recomputed)."""

from __future__ import annotations

import json
from decimal import Decimal

from ..domain.workflow import CaseStatus
from .connection import Connection
from .records import QueueItem, Signature
from .timestamps import parse_utc

_SELECT = """
SELECT c.id, c.case_number, c.status, c.revision, c.account_number, c.customer_name,
       c.prepared_by, c.submitted_by, c.submitted_at, c.submitted_fingerprint, c.status_reason,
       {totals}
FROM cases AS c
LEFT JOIN determinations AS d ON d.case_id = c.id AND d.fingerprint = c.submitted_fingerprint
"""


def _item(row: tuple) -> QueueItem:
    (case_id, number, status, revision, account, name, prepared_by, by, at, fingerprint,
     reason, totals) = row
    # one JSON array of three values: the snapshot is parsed once per row
    refund, back_bill, flags = json.loads(totals) if totals else (None, None, [])
    return QueueItem(
        case_id, number, CaseStatus(status), revision, account, name, prepared_by,
        None if by is None else Signature(by, parse_utc(at), fingerprint),
        None if refund is None else Decimal(refund),
        None if back_bill is None else Decimal(back_bill), tuple(flags), reason)


class WorkQueue:
    """``cf.queue``."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection
        self._select = _SELECT.format(totals=connection.queue_totals)

    def count_submitted(self) -> int:
        return self._c.value("SELECT count(*) FROM cases WHERE status = 'submitted'")

    def submitted(self, limit: int = 1000) -> list[QueueItem]:
        """Cases waiting for approval, the longest-waiting first (a case submitted under
        case-file version 1 has no submission time and comes first)."""
        return [_item(r) for r in self._c.rows(
            f"{self._select} WHERE c.status = 'submitted' ORDER BY c.submitted_at, c.id LIMIT ?",
            (limit,))]

    def returned_to(self, login: str, limit: int = 1000) -> list[QueueItem]:
        """Cases a supervisor returned to ``login`` (who submitted them), oldest first,
        each with the supervisor's reason."""
        return [_item(r) for r in self._c.rows(
            f"{self._select} WHERE c.status = 'returned' AND c.submitted_by = ? COLLATE NOCASE "
            "ORDER BY c.updated_at, c.id LIMIT ?", (login.strip(), limit))]

