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

from ..domain.case import Case
from ..domain.fingerprint import canonical_json, case_fingerprint
from ..domain.problems import CaseInvalid
from ..domain.rulepacks import RulePack, get_rule_pack
from .caserows import fetch_record
from .connection import Connection, Transaction
from .records import DeterminationRecord
from .timestamps import parse_utc

_COLUMNS = ("id, case_id, case_revision, fingerprint, rule_pack, rule_pack_version, snapshot, "
            "created_at, created_by")


def _record(row: tuple) -> DeterminationRecord:
    id_, case_id, revision, fp, pack, version, snapshot, created_at, created_by = row
    return DeterminationRecord(id_, case_id, revision, fp, pack, version, json.loads(snapshot),
                               parse_utc(created_at), created_by)


def fingerprint_of(case: Case) -> tuple[RulePack, str]:
    """The case's rule pack and the fingerprint of the case under it, now."""
    pack = get_rule_pack(case.rule_pack)
    return pack, case_fingerprint(case, pack.name, pack.version)


def keep_snapshot(tx: Transaction, case_id: int, revision: int, case: Case
                  ) -> tuple[DeterminationRecord, bool]:
    """Determine ``case`` (the stored case ``case_id`` at ``revision``) and keep the
    result unless this fingerprint was kept already. Returns the snapshot and whether it
    is new. The caller's audit entry names it (by fingerprint)."""
    pack, fingerprint = fingerprint_of(case)
    return store_snapshot(tx, case_id, revision, fingerprint, pack.name, pack.version,
                          lambda: pack.determine(case).to_json())


def store_snapshot(tx: Transaction, case_id: int, revision: int, fingerprint: str,
                   rule_pack: str, rule_pack_version: str, result: Callable[[], dict]
                   ) -> tuple[DeterminationRecord, bool]:
    """Record ``result()`` -- the engine's determination@1 JSON for the stored case
    ``case_id`` at ``revision`` under ``rule_pack`` ``rule_pack_version``, whose
    fingerprint is ``fingerprint`` -- unless a snapshot with that fingerprint is
    recorded already (then ``result`` is not called: an issue passes the determination
    its documents were checked against, rather than computing it again); returns it and
    whether it was recorded now."""
    existing = tx.execute(f"SELECT {_COLUMNS} FROM determinations WHERE case_id = ? "
                          "AND fingerprint = ?", (case_id, fingerprint)).fetchone()
    if existing is not None:
        return _record(existing), False
    determination = result()
    new_id = tx.value(
        "INSERT INTO determinations (case_id, case_revision, fingerprint, rule_pack, "
        "rule_pack_version, snapshot, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        (case_id, revision, fingerprint, rule_pack, rule_pack_version,
         canonical_json(determination), tx.at_text, tx.actor))
    return DeterminationRecord(new_id, case_id, revision, fingerprint, rule_pack,
                               rule_pack_version, determination, tx.at, tx.actor), True


def snapshot_summary(record: DeterminationRecord) -> dict:
    """What the history says about a recorded determination."""
    result = record.determination
    return {"fingerprint": record.fingerprint, "case_revision": record.case_revision,
            "rule_pack": record.rule_pack, "rule_pack_version": record.rule_pack_version,
            "outcome": result["outcome"], "refund_total": result["refund_total"],
            "back_bill_total": result["back_bill_total"]}


class DeterminationRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def record(self, case_id: int, *, actor: str) -> DeterminationRecord:
        """Determine the stored case and keep the result. Raises ``CaseInvalid`` (with
        every problem) when the case is not complete and valid yet."""
        with self._c.write(actor) as tx:
            stored = fetch_record(tx, case_id)
            check = stored.draft.check()
            if check.case is None:
                raise CaseInvalid(check.problems)
            record, created = keep_snapshot(tx, case_id, stored.revision, check.case)
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

    def submitted(self, case_id: int) -> DeterminationRecord | None:
        """The snapshot named by the case's current submission: exactly the determination
        the clerk submitted (``None`` if the case has no recorded submission)."""
        row = self._c.row(f"SELECT {', '.join('d.' + c for c in _COLUMNS.split(', '))} "
                          "FROM determinations AS d JOIN cases AS c ON c.id = d.case_id AND "
                          "c.submitted_fingerprint = d.fingerprint WHERE c.id = ?", (case_id,))
        return None if row is None else _record(row)

    def latest(self, case_id: int) -> DeterminationRecord | None:
        row = self._c.row(f"SELECT {_COLUMNS} FROM determinations WHERE case_id = ? "
                          "ORDER BY id DESC LIMIT 1", (case_id,))
        return None if row is None else _record(row)

