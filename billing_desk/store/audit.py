"""The audit history: one hash-chained entry per change.

Each entry records who (actor login), when (UTC), what (action on an entity), and the
state before and after as canonical JSON. Its hash covers all of that plus the previous
entry's hash, so editing, removing or reordering any entry breaks the chain at that
entry (``billing-desk verify``). The table itself refuses UPDATE and DELETE (triggers).

For a case, ``after`` of its creation is the whole case; later entries hold only the
fields that changed (``before`` their old values, ``after`` the new ones, ``null`` for a
field that became empty), so replaying a case's entries gives its current state. An
entry may also carry, under :data:`DETAILS` in ``after``, what the action recorded
beside the case's own fields (an issue: the documents stored and what they were
rendered from); replaying leaves it out.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from ..domain.fingerprint import canonical_json
from .timestamps import parse_utc

#: ``prev_hash`` of the first entry.
GENESIS = "0" * 64

#: The key of a case entry's ``after`` holding what the action recorded beside the
#: case's fields (no case field has this name); :func:`replay` skips it.
DETAILS = "details"

#: The columns an entry's hash covers, in the order they are stored.
HASHED = ("id", "at", "actor", "action", "entity", "entity_id", "case_id", "before", "after",
          "prev_hash")


def entry_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of an entry's fields (``before``/``after`` as the
    exact text stored)."""
    return hashlib.sha256(canonical_json({k: fields[k] for k in HASHED}).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    case_id: int | None
    before: dict | None
    after: dict | None
    prev_hash: str
    hash: str

    @classmethod
    def from_row(cls, row: tuple) -> "AuditEntry":
        id_, at, actor, action, entity, entity_id, case_id, before, after, prev, own = row
        return cls(id_, parse_utc(at), actor, action, entity, entity_id, case_id,
                   None if before is None else json.loads(before),
                   None if after is None else json.loads(after), prev, own)


AUDIT_COLUMNS = "id, at, actor, action, entity, entity_id, case_id, before, after, prev_hash, hash"


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict, dict]:
    """The fields that differ, as (old values, new values); ``None`` = absent."""
    keys = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def replay(state: dict | None, after: Mapping[str, Any]) -> dict:
    """Apply one entry's ``after`` to a state (``None`` removes a field)."""
    new = dict(state or {})
    for key, value in after.items():
        if key == DETAILS:
            continue
        if value is None:
            new.pop(key, None)
        else:
            new[key] = value
    return new
