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

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from ..domain.canonical import canonical_json
from ..domain.history import HistoryHead
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
    import hashlib  # loaded at the first use (it loads OpenSSL)

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


def history_head(conn) -> HistoryHead | None:
    """The newest entry of the history, None while it is empty (see domain/history.py)."""
    row = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else HistoryHead(row[0], row[1])


def history_entry(conn, entry: int) -> HistoryHead | None:
    """Entry ``entry`` of the history with its hash as stored, None if there is none."""
    row = conn.execute("SELECT id, hash FROM audit WHERE id = ?", (entry,)).fetchone()
    return None if row is None else HistoryHead(row[0], row[1])


#: the key of a list field's change recorded as a patch (see :func:`changes`)
PATCH = "$patch"


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict, dict]:
    """The fields that differ, as (old values, new values); ``None`` = absent.

    A list field (a case's periods) that changed in a few of its items is recorded as a
    patch rather than whole: ``{"$patch": {"length": n, "set": {"40": item}}}`` on each
    side, the old length and items before, the new ones after (an amount edited in a
    six-year case records one period twice, not seventy-two: a smaller entry, a
    quicker save). :func:`replay` applies either form."""
    keys = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    old = {k: before.get(k) for k in keys}
    new = {k: after.get(k) for k in keys}
    for k in keys:
        if isinstance(old[k], list) and isinstance(new[k], list):
            old[k], new[k] = _list_patch(old[k], new[k])
    return old, new


def _list_patch(old: list, new: list) -> tuple[Any, Any]:
    """The two sides of a list's change: patches when they are smaller than the lists."""
    changed = [i for i in range(max(len(old), len(new)))
               if i >= len(old) or i >= len(new) or old[i] != new[i]]
    if 2 * len(changed) >= max(len(old), len(new)):
        return old, new  # most of it changed: the lists themselves say it plainly
    return ({PATCH: {"length": len(old), "set": {str(i): old[i] for i in changed if i < len(old)}}},
            {PATCH: {"length": len(new), "set": {str(i): new[i] for i in changed if i < len(new)}}})


def patched(value: Any, change: Any) -> Any:
    """``value`` (a list, or absent) with ``change`` applied: a patch, or the new value."""
    if not (isinstance(change, dict) and PATCH in change):
        return change
    patch = change[PATCH]
    items = list(value or [])[:patch["length"]]
    items += [None] * (patch["length"] - len(items))
    for index, item in patch["set"].items():
        items[int(index)] = item
    return items


def replay(state: dict | None, after: Mapping[str, Any]) -> dict:
    """Apply one entry's ``after`` to a state (``None`` removes a field)."""
    new = dict(state or {})
    for key, value in after.items():
        if key == DETAILS:
            continue
        if value is None:
            new.pop(key, None)
        else:
            new[key] = patched(new.get(key), value)
    return new
