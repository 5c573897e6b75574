"""Hearing what other workstations commit: LISTEN on the channel every committed change is
announced on (postgres/schema.py, ``audit_notify``), on a connection of its own.

Nothing here waits: the app watches :meth:`ChangeListener.fileno` with a
``QSocketNotifier`` and calls :meth:`ChangeListener.changes` when the socket is readable,
which returns at once with what has arrived. A dropped connection raises
:class:`~billing_desk.store.errors.ConnectionLost`; the app then polls the change
counter until a new listener connects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import psycopg

from ..errors import ConnectionLost


@dataclass(frozen=True, slots=True)
class Change:
    """One committed change as announced: the newest audit entry it wrote, the ids of
    the cases it touched (``None``: too many to list -- a copy, an import), the kinds of
    what changed (``case``, ``user``, ``document`` ...)."""

    last_entry: int
    cases: frozenset[int] | None
    kinds: frozenset[str]

    @classmethod
    def from_payload(cls, payload: str) -> "Change":
        data = json.loads(payload)
        cases = data.get("cases")
        return cls(int(data.get("last") or 0), None if cases is None else frozenset(cases),
                   frozenset(data.get("kinds") or ()))


class ChangeListener:
    def __init__(self, conn: psycopg.Connection, channel: str) -> None:
        self._conn = conn
        self.where = f"{conn.info.dbname} on {conn.info.host}:{conn.info.port}"
        conn.execute(f"LISTEN {channel}")

    def fileno(self) -> int:
        """The socket to watch for readability."""
        return self._conn.pgconn.socket

    def changes(self) -> list[Change]:
        """The changes announced since the last call (never waits)."""
        try:
            return [Change.from_payload(n.payload) for n in self._conn.notifies(timeout=0)]
        except psycopg.Error as e:
            raise ConnectionLost(self.where, str(e).strip() or type(e).__name__) from None

    def close(self) -> None:
        if not self._conn.closed:
            self._conn.close()
