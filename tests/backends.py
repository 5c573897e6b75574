"""The two backends in the tests: a case file in the test's temp folder, or a fresh
database on this worker's PostgreSQL server (tests/pg_server.py), each test its own.

``store_target`` (tests/conftest.py) gives an empty target of the backend a test is
parametrised with; ``case_file`` (tests/store/conftest.py) an open, empty store. The
helpers here reach a store from *outside* the app, as another program would -- a raw
``sqlite3`` or ``psycopg`` connection -- to read what it holds or to try to get past its
controls, with the same test code for both backends (``?`` placeholders on both).
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

from billing_desk.store import CaseFile

BACKENDS = ("file", "server")

#: what each backend's tables are cleared of, by the tamper helper, to edit them
GUARDED = ("audit", "documents", "document_copies", "determinations", "cases", "users", "incidents", "issue_facts",
           "incident_cases", "incident_reviews", "incident_review_cases", "incident_approvals")


def prepare_template(conninfo: str) -> None:
    """The template every server test's database copies: the current schema, no data."""
    from billing_desk.store import upgrade_store

    upgrade_store(conninfo)


class Raw:
    """A connection from outside the app (autocommit; ``?`` placeholders)."""

    def __init__(self, cf_or_target: CaseFile | str | Path) -> None:
        target = cf_or_target.target if isinstance(cf_or_target, CaseFile) else cf_or_target
        from billing_desk.store import is_server_target

        self.is_server = is_server_target(str(target))
        if self.is_server:
            import psycopg

            self._conn = psycopg.connect(str(target), autocommit=True,
                                         options="-c search_path=billing_desk,pg_catalog")
            #: what the database raises when its own rules refuse a statement
            self.refused: tuple[type[Exception], ...] = (psycopg.IntegrityError,)
        else:
            self._conn = sqlite3.connect(str(target), isolation_level=None)
            self.refused = (sqlite3.IntegrityError,)

    def execute(self, sql: str, params: Sequence[Any] = ()):
        if self.is_server:
            return self._conn.execute(sql.replace("?", "%s") if params else sql,
                                      tuple(params) if params else None)
        return self._conn.execute(sql, params)

    def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.execute(sql, params).fetchone()[0]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "Raw":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def raw(cf: CaseFile | str | Path) -> Raw:
    return Raw(cf)


def rows(cf: CaseFile, sql: str, *params: Any) -> list[tuple]:
    """What the store holds, read through its own connection (values as the app sees
    them: the same on both backends)."""
    return cf._c.rows(sql, params)


def state_of(target: str | Path) -> str:
    """Something that changes whenever anything in the store changes: a case file's
    bytes (its sha256), a database's rows (every table's row count and the chain head)."""
    import hashlib

    from billing_desk.store import is_server_target

    if not is_server_target(str(target)):
        return hashlib.sha256(Path(target).read_bytes()).hexdigest()
    with raw(target) as r:
        tables = [t for (t,) in r.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "'billing_desk' ORDER BY table_name").fetchall()]
        counts = [(t, r.value(f"SELECT count(*) FROM {t}")) for t in tables]
        head = r.execute("SELECT id, hash FROM audit_head").fetchone() if tables else None
    return repr((counts, head))


def exists(target: str | Path) -> bool:
    """Whether a store is there: a case file, or Billing Desk's schema in the database."""
    from billing_desk.store import is_server_target

    if not is_server_target(str(target)):
        return Path(target).exists()
    with raw(target) as r:
        return r.value("SELECT to_regclass('billing_desk.schema_version') IS NOT NULL")


def tamper(cf: CaseFile | str | Path, *statements: str, params: Sequence[Any] = (),
           restore: bool = False) -> None:
    """What someone with the database itself must do to edit what it guards: drop or
    disable the guards (triggers), edit, leave them off -- or, with ``restore``, turn a
    server's back on (its triggers also keep the chain's head and the case counter, which
    the app goes on using after the edit)."""
    with raw(cf) as r:
        if r.is_server:
            for table in GUARDED:
                r.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for (name,) in r.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                     "AND (name LIKE '%no_update' OR name LIKE '%no_delete')"
                                     ).fetchall():
                r.execute(f"DROP TRIGGER {name}")
        for s in statements:
            r.execute(s, params)
        if r.is_server and restore:
            for table in GUARDED:
                r.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


@contextmanager
def other_window(cf: CaseFile, **kwargs: Any) -> Iterator[CaseFile]:
    """The same store opened again (another window, another workstation)."""
    from billing_desk.store import open_store

    other = open_store(cf.target, **kwargs)
    try:
        yield other
    finally:
        other.close()
