"""Determination snapshots: what the engine said about a case, bound to its fingerprint.

A snapshot is taken of the case as stored (never of unsaved edits), so the fingerprint
-- the hash of the canonical case inputs with the rule pack's name and version -- names
exactly the inputs the determination was computed from. An approval binds to it; any
later edit gives another fingerprint. Recording the same fingerprint twice keeps the
first snapshot.
"""

from __future__ import annotations

import json
from typing import Callable

from ..domain.fingerprint import canonical_json, case_fingerprint
from ..domain.problems import CaseInvalid
from ..domain.rulepacks import get_rule_pack
from .cases import fetch_record
from .connection import Connection, Transaction
from .records import CaseRecord, DeterminationRecord
from .timestamps import parse_utc

_COLUMNS = ("id, case_id, case_revision, fingerprint, rule_pack, rule_pack_version, snapshot, "
            "created_at, created_by")


def _record(row: tuple) -> DeterminationRecord:
    id_, case_id, revision, fp, pack, version, snapshot, created_at, created_by = row
    return DeterminationRecord(id_, case_id, revision, fp, pack, version, json.loads(snapshot),
                               parse_utc(created_at), created_by)


class DeterminationRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def record(self, case_id: int, *, actor: str) -> DeterminationRecord:
        """Determine the stored case and keep the result. Raises ``CaseInvalid`` (with
        every problem) when the case is not complete and valid yet."""
        with self._c.write(actor) as tx:
            record, created = snapshot(tx, fetch_record(tx.conn, case_id))
            if not created:
                tx.unchanged()
                return record
            tx.audit("determine", "determination", record.id, case_id, None,
                     snapshot_summary(record))
            return record

    def get(self, case_id: int, fingerprint: str) -> DeterminationRecord | None:
        row = self._c.row(f"SELECT {_COLUMNS} FROM determinations WHERE case_id = ? AND "
                          "fingerprint = ?", (case_id, fingerprint))
        return None if row is None else _record(row)

    def latest(self, case_id: int) -> DeterminationRecord | None:
        row = self._c.row(f"SELECT {_COLUMNS} FROM determinations WHERE case_id = ? "
                          "ORDER BY id DESC LIMIT 1", (case_id,))
        return None if row is None else _record(row)


def snapshot(tx: Transaction, stored: CaseRecord) -> tuple[DeterminationRecord, bool]:
    """The determination of ``stored`` (the case as the transaction sees it), recorded
    unless it is already; returns it and whether it was recorded now. The caller writes
    the audit entry."""
    check = stored.draft.check()
    if check.case is None:
        raise CaseInvalid(check.problems)
    pack = get_rule_pack(check.case.rule_pack)
    fingerprint = case_fingerprint(check.case, pack.name, pack.version)
    return keep_snapshot(tx, stored, fingerprint, pack.name, pack.version,
                         lambda: pack.determine(check.case).to_json())


def keep_snapshot(tx: Transaction, stored: CaseRecord, fingerprint: str, rule_pack: str,
                  rule_pack_version: str, result: Callable[[], dict]
                  ) -> tuple[DeterminationRecord, bool]:
    """Record ``result()`` -- the engine's determination@1 JSON for ``stored`` at its
    revision under ``rule_pack`` ``rule_pack_version``, whose fingerprint is
    ``fingerprint`` -- unless a snapshot with that fingerprint is recorded already;
    returns it and whether it was recorded now."""
    existing = tx.execute(f"SELECT {_COLUMNS} FROM determinations WHERE case_id = ? "
                          "AND fingerprint = ?", (stored.id, fingerprint)).fetchone()
    if existing is not None:
        return _record(existing), False
    determination = result()
    cur = tx.execute(
        "INSERT INTO determinations (case_id, case_revision, fingerprint, rule_pack, "
        "rule_pack_version, snapshot, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (stored.id, stored.revision, fingerprint, rule_pack, rule_pack_version,
         canonical_json(determination), tx.at_text, tx.actor))
    return DeterminationRecord(cur.lastrowid, stored.id, stored.revision, fingerprint,
                               rule_pack, rule_pack_version, determination, tx.at,
                               tx.actor), True


def snapshot_summary(record: DeterminationRecord) -> dict:
    """What the history says about a recorded determination."""
    result = record.determination
    return {"fingerprint": record.fingerprint, "case_revision": record.case_revision,
            "rule_pack": record.rule_pack, "rule_pack_version": record.rule_pack_version,
            "outcome": result["outcome"], "refund_total": result["refund_total"],
            "back_bill_total": result["back_bill_total"]}
