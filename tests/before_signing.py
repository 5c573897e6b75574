"""A case file as Billing Desk 8 left it -- users with password hashes, a hash-chained
history, no signing keys and no signatures -- made from a file of today: the keys taken
out of the users and their history (every hash recomputed, as version 8 would have
written them), the signature columns dropped, the version set back to 8. Opening it
again upgrades it to version 9, and its history is signed from then on."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from billing_desk.domain.canonical import canonical_json
from billing_desk.store.audit import AUDIT_COLUMNS, GENESIS, HASHED, entry_hash


def without_keys(text: str | None) -> str | None:
    if not text:
        return text
    state = json.loads(text)
    state.pop("public_key", None)
    return canonical_json(state) if state else None


def as_before_signing(path: Path) -> Path:
    raw = sqlite3.connect(path, isolation_level=None)
    trigger = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_no_update'").fetchone()[0]
    raw.execute("DROP TRIGGER audit_no_update")
    prev_hash = GENESIS
    for row in raw.execute(f"SELECT {AUDIT_COLUMNS} FROM audit ORDER BY id").fetchall():
        fields = dict(zip(HASHED + ("hash",), row))
        if fields["entity"] == "user":
            fields["before"], fields["after"] = (without_keys(fields["before"]),
                                                 without_keys(fields["after"]))
        fields["prev_hash"] = prev_hash
        fields["hash"] = entry_hash(fields)
        raw.execute("UPDATE audit SET before = ?, after = ?, prev_hash = ?, hash = ? WHERE id = ?",
                    (fields["before"], fields["after"], fields["prev_hash"], fields["hash"],
                     fields["id"]))
        prev_hash = fields["hash"]
    raw.execute(trigger)
    for table, column in (("users", "public_key"), ("users", "sealed_key"),
                          ("audit", "signed_by"), ("audit", "signature")):
        raw.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    raw.execute("PRAGMA user_version = 8")
    raw.close()
    return path
