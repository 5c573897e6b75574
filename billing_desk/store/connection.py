"""One open case file: the SQLite connection, its settings, and the only way to write.

Every change goes through :meth:`Connection.write`: one ``BEGIN IMMEDIATE`` transaction
that must append at least one audit entry before it may commit (a change nobody can see
in the history is a bug, so it is refused). Once a file has users, the acting login must
be one of its active users (its spelling in the file is what the history records).
SQLite failures are turned into the typed errors of :mod:`.errors` here and nowhere else.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from . import openfiles
from .errors import (
    CaseFileBusy,
    CaseFileIOError,
    CorruptFile,
    DiskFull,
    LocksLost,
    NotAUser,
    ReadOnlyFile,
    RefusedByFile,
)
from .openfiles import FileKey, LockWatch
from .timestamps import Clock, format_utc

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


class Connection:
    """An open case file. ``db`` is the sqlite-utils handle; ``conn`` the raw connection."""

    def __init__(self, path: Path, conn: sqlite3.Connection, clock: Clock,
                 key: FileKey | None = None) -> None:
        self.path = path
        self._conn = conn
        self.clock = clock
        self._db: Database | None = None
        self._key = key
        self._watch = LockWatch(path)
        self._closed = False

    @property
    def conn(self) -> sqlite3.Connection:
        """The raw connection, for the store's own queries; refused once the process has
        lost the file's locks (nothing is read or written through it any more)."""
        if openfiles.is_lost(self._key):
            raise LocksLost(self.path)
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
                with translated_errors(self.path):
                    self._conn.close()
        finally:
            openfiles.release(self._key, self.path)

    def check_locks(self) -> None:
        """Raise :class:`LocksLost` if this process no longer holds the file's locks
        (found now, or earlier by another connection to the same file)."""
        if openfiles.is_lost(self._key):
            raise LocksLost(self.path)
        if not self._watch.holds():
            if self._key is not None:
                openfiles.mark_lost(self._key)
            raise LocksLost(self.path)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        if openfiles.is_lost(self._key):
            raise LocksLost(self.path)
        with translated_errors(self.path):
            return self.conn.execute(sql, params).fetchall()

    def row(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        if openfiles.is_lost(self._key):
            raise LocksLost(self.path)
        with translated_errors(self.path):
            return self.conn.execute(sql, params).fetchone()

    def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        found = self.row(sql, params)
        return None if found is None else found[0]

    @contextmanager
    def write(self, actor: str, *, as_user: bool = True) -> Iterator["Transaction"]:
        """One transaction for one user action by ``actor``; committed on a normal exit,
        rolled back on any exception (nothing half-written survives). ``as_user=False``
        only for what happens before anyone is signed in (a failed sign-in is counted)."""
        if not isinstance(actor, str) or not actor.strip():
            raise ValueError("every change needs the acting user's login")
        conn = self.conn  # (refused if the locks were lost before)
        with translated_errors(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                if as_user:
                    actor = self._acting_login(actor)
                tx = Transaction(conn, actor, self.clock())
                yield tx
                if tx.entries:
                    # nothing is committed unless the process still holds the file's
                    # locks (openfiles explains how they can go, and what would follow)
                    self.check_locks()
                    conn.execute("COMMIT")
                elif tx.is_unchanged:
                    conn.execute("ROLLBACK")
                else:
                    raise RuntimeError("a change without an audit entry was refused")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise


    def _acting_login(self, actor: str) -> str:
        """The login as the file spells it, when the file has users; refused when it
        names nobody, or a disabled account."""
        found = self.conn.execute("SELECT login, active FROM users WHERE login = ?",
                                  (actor.strip(),)).fetchone()
        if found is not None:
            if not found[1]:
                raise NotAUser(self.path, found[0], disabled=True)
            return found[0]
        if self.conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None:
            raise NotAUser(self.path, actor)
        return actor


class Transaction:
    """The write in progress: its time, its actor, and the audit entries it appends."""

    def __init__(self, conn: sqlite3.Connection, actor: str, at: datetime) -> None:
        self.conn = conn
        self.actor = actor
        self.at = at
        self.at_text = format_utc(at)
        self.entries: list[int] = []
        self.is_unchanged = False
        self._head: tuple[int, str] | None = None

    @property
    def head(self):
        """The newest entry this transaction appended (a ``HistoryHead``), or None."""
        if not self.entries or self._head is None:
            return None
        from ..domain.history import HistoryHead

        return HistoryHead(*self._head)

    def unchanged(self) -> None:
        """Declare that this action changed nothing: it ends without a write."""
        self.is_unchanged = True

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    @contextmanager
    def part(self) -> Iterator[None]:
        """One user action among several committed together (a batch storing many
        cases in one commit): if it raises, its writes and its audit entries are undone
        (an SQLite savepoint) and the others stay; nothing of it is ever half-kept."""
        head, entries = self._head, list(self.entries)
        self.conn.execute("SAVEPOINT part")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK TO part")
                    self.conn.execute("RELEASE part")
                except sqlite3.Error:
                    pass  # SQLite undid the whole transaction (disk full): the error raised says so
            self._head, self.entries = head, entries
            raise
        self.conn.execute("RELEASE part")

    def audit(self, action: str, entity: str, entity_id: str | int, case_id: int | None,
              before: dict | None, after: dict | None, *, actor: str | None = None) -> int:
        """Append one entry to the hash chain (by ``actor``, default the transaction's);
        return its id."""
        from ..domain.canonical import canonical_json  # (neither is needed to open a file
        from .audit import GENESIS, entry_hash  # and list its cases: see ui/main_window.py)

        if self._head is None:
            last = self.conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
            self._head = (last[0], last[1]) if last else (0, GENESIS)
        prev_id, prev_hash = self._head
        fields = {
            "id": prev_id + 1, "at": self.at_text, "actor": actor or self.actor, "action": action,
            "entity": entity, "entity_id": str(entity_id), "case_id": case_id,
            "before": None if before is None else canonical_json(before),
            "after": None if after is None else canonical_json(after),
            "prev_hash": prev_hash,
        }
        fields["hash"] = entry_hash(fields)
        self.conn.execute(
            "INSERT INTO audit (id, at, actor, action, entity, entity_id, case_id, before, "
            "after, prev_hash, hash) VALUES (:id, :at, :actor, :action, :entity, :entity_id, "
            ":case_id, :before, :after, :prev_hash, :hash)", fields)
        self._head = (fields["id"], fields["hash"])
        self.entries.append(fields["id"])
        return fields["id"]

