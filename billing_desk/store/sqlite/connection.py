"""One open case file: the SQLite connection, its settings, and SQLite's part of the
store's connection (:mod:`billing_desk.store.connection`, where writing is explained).

A write is one ``BEGIN IMMEDIATE`` transaction: SQLite lets one writer at a time hold the
file, so the audit chain's head and the next case and issue numbers are read inside it
without a race. SQLite failures are turned into the typed errors of
:mod:`billing_desk.store.errors` here and nowhere else.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from ..connection import Connection, TextMatch, Transaction
from ..errors import (
    CaseFileBusy,
    CaseFileIOError,
    CorruptFile,
    DiskFull,
    LocksLost,
    ReadOnlyFile,
    RefusedByFile,
)
from ..timestamps import Clock
from . import openfiles
from .openfiles import FileKey, LockWatch

if TYPE_CHECKING:
    from sqlite_utils import Database

#: How long a save waits for another window's save to finish before reporting "busy".
BUSY_TIMEOUT_MS = 5000


def database(conn: sqlite3.Connection) -> "Database":
    """The sqlite-utils handle over ``conn``, imported on first use: sqlite-utils (with
    click and pluggy) takes longer to import than the desktop app takes to open a file
    and show it, and opening, reading and saving cases never need it."""
    from sqlite_utils import Database

    return Database(conn, execute_plugins=False)


def connect(path: Path) -> sqlite3.Connection:
    """A raw connection in autocommit mode: transactions are always explicit here."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def configure(conn: sqlite3.Connection, path: Path | None = None) -> None:
    """Write-ahead log with a full sync at every commit: a save that returned survives a
    killed process *and* a power cut (in WAL mode ``NORMAL`` may lose the last commits on
    power loss; ``FULL`` syncs the log at each commit). Foreign keys are enforced."""
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        # (a network share or a file system without shared memory): without the log a
        # save is not safe against another program, so the file is not used
        raise CaseFileIOError(path or Path("the case file"), "this disk does not allow "
                              f"SQLite's write-ahead log; journal mode {mode}")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


@contextmanager
def translated_errors(path: Path) -> Iterator[None]:
    """Turn every SQLite failure into an error a clerk can act on (never a traceback)."""
    try:
        yield
    except sqlite3.Error as e:
        raise store_error(path, e) from e


def store_error(path: Path, e: sqlite3.Error) -> Exception:
    """The typed error for SQLite's ``e`` on the file ``path``."""
    name = getattr(e, "sqlite_errorname", "") or ""
    # SQLITE_IOERR_SHMSIZE: the shared-memory index could not grow, which on a full disk
    # is how SQLite first notices that there is no space left at all
    if name in ("SQLITE_FULL", "SQLITE_IOERR_SHMSIZE"):
        return DiskFull(path)
    if name.startswith("SQLITE_READONLY"):
        return ReadOnlyFile(path, "writing was refused by the system")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return CorruptFile(path, str(e))
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_PROTOCOL")):
        return CaseFileBusy(path)
    if name.startswith("SQLITE_CONSTRAINT"):
        return RefusedByFile(path, str(e))
    if name.startswith("SQLITE_CANTOPEN"):
        return CaseFileIOError(path, "it could not be opened")
    if name.startswith("SQLITE_IOERR"):
        return CaseFileIOError(path, f"disk I/O error, {name}")
    return CaseFileIOError(path, f"{type(e).__name__}: {e}")


class SQLiteConnection(Connection):
    """An open case file. ``db`` is the sqlite-utils handle; ``conn`` the raw connection."""

    queue_totals = "json_extract(d.snapshot, '$.refund_total', '$.back_bill_total', '$.flags')"

    def __init__(self, path: Path, conn: sqlite3.Connection, clock: Clock,
                 key: FileKey | None = None, *, read_only: bool = False) -> None:
        super().__init__(path, clock)
        self._conn = conn
        #: opened for reading only (files.open_case_file): every write is refused
        self.read_only = read_only
        self._db: Database | None = None
        self._key = key
        self._watch = LockWatch(path)
        self._closed = False

    @property
    def conn(self) -> sqlite3.Connection:
        """The raw connection, for the store's own queries; refused once the process has
        lost the file's locks (nothing is read or written through it any more)."""
        if openfiles.is_lost(self._key):
            raise LocksLost(self.where)
        return self._conn

    @property
    def db(self) -> "Database":
        if self._db is None:
            self._db = database(self.conn)
        return self._db

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if openfiles.is_lost(self._key):
                openfiles.keep_forever(self._conn)  # (see openfiles: never closed)
            else:
                with translated_errors(self.where):
                    self._conn.close()
        finally:
            openfiles.release(self._key, self.where)

    @property
    def target(self) -> str:
        return str(self.where)

    def reopen(self) -> "SQLiteConnection":
        from .files import open_case_file

        return open_case_file(self.where, clock=self.clock, read_only=self.read_only)._c

    def check_locks(self) -> None:
        """Raise :class:`LocksLost` if this process no longer holds the file's locks
        (found now, or earlier by another connection to the same file)."""
        if openfiles.is_lost(self._key):
            raise LocksLost(self.where)
        if not self._watch.holds():
            if self._key is not None:
                openfiles.mark_lost(self._key)
            raise LocksLost(self.where)

    def translated(self):
        return translated_errors(self.where)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        with translated_errors(self.where):
            return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with translated_errors(self.where):
            self.conn.executemany(sql, rows)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        conn = self.conn
        if conn.in_transaction:  # (inside a write: that is one moment already)
            yield
            return
        with translated_errors(self.where):
            conn.execute("BEGIN")  # deferred: the first read fixes what is seen
            try:
                yield
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def _begin(self) -> None:
        if self.read_only:
            from ..errors import ReadOnlyCopy

            raise ReadOnlyCopy(self.where)
        self.conn.execute("BEGIN IMMEDIATE")  # (refused if the locks were lost before)

    def _commit(self) -> None:
        # nothing is committed unless the process still holds the file's locks
        # (openfiles explains how they can go, and what would follow): checked by write()
        self._conn.execute("COMMIT")

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    # -- what differs --------------------------------------------------------------------

    def next_case_id(self, tx: Transaction) -> int:
        # cases are never deleted (cases_no_delete) and the write holds the file
        return tx.value("SELECT coalesce(max(id), 0) + 1 FROM cases")

    def chain_head(self, tx: Transaction) -> tuple[int, str]:
        from ..audit import GENESIS

        last = tx.row("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
        return (last[0], last[1]) if last else (0, GENESIS)

    def text_match(self, text: str) -> TextMatch | None:
        from ..listing import fts_match

        match = fts_match(text)
        if match is None:
            return None
        return TextMatch("case_search JOIN cases ON cases.id = case_search.rowid",
                         "case_search MATCH ?", "case_search.rowid", (match,))

    def id_list(self, column: str, ids: Sequence[int]) -> tuple[str, Any]:
        import json  # (a search's rows only: not needed to open a file)

        return f"{column} IN (SELECT value FROM json_each(?))", json.dumps(list(ids))

    def unindexed(self, condition: str) -> str:
        # "+column" keeps SQLite's planner off that column's index
        return "+" + condition

    def integrity_problems(self) -> list[str]:
        problems = [r[0] for r in self.rows("PRAGMA integrity_check(5)")]
        return [] if problems == ["ok"] else ["SQLite integrity check failed: " + "; ".join(problems)]

    # -- copying (store/copying.py) ------------------------------------------------------

    def stream(self, sql: str) -> Iterator[tuple]:
        """The rows of ``sql``, read as they are needed (SQLite steps the cursor)."""
        with translated_errors(self.where):
            yield from self.conn.execute(sql)

    def load_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Append ``rows`` to ``table`` in one transaction; returns how many."""
        count = 0

        def counted():
            nonlocal count
            for row in rows:
                count += 1
                yield row

        marks = ", ".join("?" * len(columns))
        with translated_errors(self.where):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                      counted())
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        return count

    def table_columns(self, table: str) -> list[str]:
        return [r[1] for r in self.rows(f"PRAGMA table_info({table})")]
