"""An open store -- a case file or a database on a server -- as the repositories see it.

The repositories are written once, against this interface; a backend supplies the rest
(:mod:`.sqlite.connection` for case files, :mod:`.postgres.connection` for servers):

* reading: ``execute`` (a cursor to iterate or fetch from), ``rows``, ``row``, ``value``;
  outside a write each statement sees what is committed at that moment, inside
  ``snapshot()`` every statement sees one moment (verify, copy, loading a case);
* writing: :meth:`Connection.write`, the only way to change anything: one transaction
  for one user action, which must append at least one audit entry before it may commit
  (a change nobody can see in the history is a bug, so it is refused). Once the store has
  users, the acting login must be one of its active users (its spelling in the store is
  what the history records). The backend begins it so that writers are serialised on
  the audit chain (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: the chain's head row locked);
* the audit chain itself (:meth:`Transaction.audit`): the entry and its hash are computed
  here, for both backends, by :mod:`.audit`.

The SQL of the repositories is the same on both backends: ``?`` placeholders (the server
connection turns them into psycopg's), standard statements both databases run (upserts
with ``ON CONFLICT``, ``RETURNING id``, savepoints), ``COLLATE NOCASE`` (a collation of
that name exists in the server's schema). The few statements that differ are methods
of the backend's connection, below under "what differs".

Driver failures are turned into the typed errors of :mod:`.errors` by the backend
(``translated``) and nowhere else.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ContextManager, Iterable, Iterator, Protocol, Sequence

from .errors import NotAUser
from .timestamps import Clock, format_utc


class Cursor(Protocol):
    """What ``execute`` returns (an sqlite3 or a psycopg cursor)."""

    rowcount: int

    def fetchone(self) -> tuple | None: ...

    def fetchall(self) -> list[tuple]: ...

    def __iter__(self) -> Iterator[tuple]: ...


@dataclass(frozen=True, slots=True)
class TextMatch:
    """How a backend finds the cases matching typed search text: the rows of ``source``
    (which includes ``cases``) where ``condition`` holds, newest first by ``newest``."""

    source: str
    condition: str
    newest: str
    params: tuple


class Reader(ABC):
    """Reading: what a connection and a transaction in progress both offer."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.translated():
            return self.execute(sql, params).fetchall()

    def row(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        with self.translated():
            return self.execute(sql, params).fetchone()

    def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        found = self.row(sql, params)
        return None if found is None else found[0]

    @abstractmethod
    def translated(self) -> ContextManager[None]:
        """Turns the driver's failures inside it into the store's typed errors."""

    @property
    @abstractmethod
    def noun(self) -> str:
        """How a message names the store a record is missing from."""


class Connection(Reader):
    """An open store. ``where`` is what messages name (a file's path, a server's
    database); ``path`` is the case file's path (``None`` on a server)."""

    #: True for a database on a server
    is_server: bool = False
    #: on a server whose people sign in as login roles of their own (schema version 8):
    #: the login of the person connected, who is the only one this connection acts as
    #: (the database checks it too); ``None`` on a case file and for everyone else
    person: str | None = None
    #: (login, private key) of the last signed write: it signs the head this workstation
    #: remembers when the store is closed (store/known_heads.py)
    last_signer = None

    def __init__(self, where: Path | str, clock: Clock) -> None:
        self.where = where
        self.clock = clock

    @property
    def path(self) -> Path | None:
        return self.where if isinstance(self.where, Path) else None

    @property
    def noun(self) -> str:
        return "this database" if self.is_server else "this case file"

    @property
    def name(self) -> str:
        """The store as a window title names it (a file's name, a server's database)."""
        return self.where.name if isinstance(self.where, Path) else str(self.where)

    # -- the backend's part -----------------------------------------------------------------

    @abstractmethod
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    @abstractmethod
    def snapshot(self) -> ContextManager[None]:
        """Every read inside sees the store at one moment (a read-only transaction)."""

    @abstractmethod
    def _begin(self) -> None:
        """Begin a write, serialised with every other writer of the store."""

    @abstractmethod
    def _commit(self) -> None: ...

    @abstractmethod
    def _rollback(self) -> None:
        """Undo the write in progress, if one is (never raises for a connection that the
        error being handled has already broken)."""

    @property
    @abstractmethod
    def target(self) -> str:
        """What opens this store again (a path, a connection string without password)."""

    @abstractmethod
    def reopen(self) -> "Connection":
        """Another connection to the same store, with the same credentials."""

    def listen(self):
        """A listener for the changes other connections commit, or None (see
        :meth:`~.casefile.CaseFile.listen`)."""
        return None

    def ping(self) -> None:
        """Check that the store can still be reached (a server: connect again)."""

    def check_locks(self) -> None:
        """Raise if this connection can no longer write safely (a case file whose locks
        this process lost); every write checks this just before it commits."""

    def close(self) -> None:
        """Close the connection (the store's typed error if it could not be closed
        cleanly; it is closed all the same)."""

    # -- what differs between the backends --------------------------------------------------

    @abstractmethod
    def next_case_id(self, tx: "Transaction") -> int:
        """The id of the case created next (cases are numbered 1, 2, 3 ... without gaps,
        each number given once: :func:`.cases.case_number_for`)."""

    @abstractmethod
    def chain_head(self, tx: "Transaction") -> tuple[int, str]:
        """The id and hash of the newest audit entry as this write sees it ((0, GENESIS)
        before the first), which the next entry follows."""

    @abstractmethod
    def text_match(self, text: str) -> TextMatch | None:
        """How to find the cases matching ``text`` as typed (None: nothing can match)."""

    #: SQL of a JSON array of the refund total, back-bill total and flags of the
    #: determination snapshot ``d.snapshot`` (the work queues' rows)
    queue_totals: str

    @abstractmethod
    def id_list(self, column: str, ids: Sequence[int]) -> tuple[str, Any]:
        """A condition that ``column`` is one of ``ids``, with its one parameter."""

    def unindexed(self, condition: str) -> str:
        """``condition`` written so that the database walks the sort's index instead of
        using an index of its own column (only SQLite's planner needs telling)."""
        return condition

    @abstractmethod
    def integrity_problems(self) -> list[str]:
        """What the database finds wrong with its own storage (empty: nothing)."""

    # -- whole tables, for a copy between stores (store/copying.py) -------------------------

    @abstractmethod
    def table_columns(self, table: str) -> list[str]:
        """The columns of ``table`` a copy carries (not those the database computes)."""

    @abstractmethod
    def stream(self, sql: str) -> Iterator[tuple]:
        """The rows of ``sql``, read a part at a time (never a whole table in memory)."""

    @abstractmethod
    def load_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Append ``rows`` to ``table`` as they are (the database's own rules check
        them); returns how many."""

    # -- writing ----------------------------------------------------------------------------

    @contextmanager
    def write(self, actor: str, *, as_user: bool = True) -> Iterator["Transaction"]:
        """One transaction for one user action by ``actor``; committed on a normal exit,
        rolled back on any exception (nothing half-written survives). ``as_user=False``
        only for what happens before anyone is signed in (a failed sign-in is counted)."""
        if not isinstance(actor, str) or not actor.strip():
            raise ValueError("every change needs the acting user's login")
        with self.translated():
            self._begin()
            try:
                signer = None
                if as_user:
                    actor, signer = self._acting_login(actor)
                tx = Transaction(self, actor, self.clock())
                tx.signer = signer
                yield tx
                if tx.entries:
                    self.check_locks()
                    self._commit()
                    if tx.signer is not None:  # (who signs this workstation's last sight)
                        self.last_signer = tx.signer
                elif tx.is_unchanged:
                    self._rollback()
                else:
                    raise RuntimeError("a change without an audit entry was refused")
            except BaseException:
                self._rollback()
                raise

    def _acting_login(self, actor: str):
        """The login as the store spells it, when the store has users, with the key that
        signs their changes (store/signing.py: opened when they signed in, here); refused
        when it names nobody, a disabled account, or someone not signed in here. A store
        without users (made before users existed) takes the login as it is, unsigned; so
        does a server whose people PostgreSQL signs in (its own rules bind them)."""
        from .signing import KEYRING, NotSignedIn

        found = self.row("SELECT login, active, public_key FROM users WHERE login = ?",
                         (actor.strip(),))
        if found is not None:
            login, active, public = found
            if not active:
                raise NotAUser(self.where, login, disabled=True)
            if self.person is not None:
                return login, None
            private = KEYRING.get(public)
            if private is None:
                raise NotSignedIn(self.where, login)
            return login, (login, private)
        if self.row("SELECT 1 FROM users LIMIT 1") is not None:
            raise NotAUser(self.where, actor)
        return actor, None


class Transaction(Reader):
    """The write in progress: its time, its actor, and the audit entries it appends."""

    def __init__(self, connection: Connection, actor: str, at: datetime) -> None:
        self.connection = connection
        self.actor = actor
        self.at = at
        self.at_text = format_utc(at)
        self.entries: list[int] = []
        self.is_unchanged = False
        self._head: tuple[int, str] | None = None
        #: (login, private key) that signs this write's entries (store/signing.py)
        self.signer = None

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

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self.connection.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.connection.executemany(sql, rows)

    def translated(self) -> ContextManager[None]:
        return self.connection.translated()

    @property
    def noun(self) -> str:
        return self.connection.noun

    @contextmanager
    def part(self) -> Iterator[None]:
        """One user action among several committed together (a batch storing many
        cases in one commit): if it raises, its writes and its audit entries are undone
        (a savepoint) and the others stay; nothing of it is ever half-kept."""
        head, entries = self._head, list(self.entries)
        self.execute("SAVEPOINT part")
        try:
            yield
        except BaseException:
            try:
                self.execute("ROLLBACK TO part")
                self.execute("RELEASE part")
            except Exception:  # noqa: BLE001 - the database undid the whole transaction
                pass  # (disk full, connection lost): the error raised says so
            self._head, self.entries = head, entries
            raise
        self.execute("RELEASE part")

    def audit(self, action: str, entity: str, entity_id: str | int, case_id: int | None,
              before: dict | None, after: dict | None, *, actor: str | None = None) -> int:
        """Append one entry to the hash chain (by ``actor``, default the transaction's);
        return its id."""
        from ..domain.canonical import canonical_json  # (neither is needed to open a file
        from .audit import HASHED, entry_hash  # and list its cases: see ui/main_window.py)

        if self._head is None:
            self._head = self.connection.chain_head(self)
        prev_id, prev_hash = self._head
        fields = {
            "id": prev_id + 1, "at": self.at_text, "actor": actor or self.actor, "action": action,
            "entity": entity, "entity_id": str(entity_id), "case_id": case_id,
            "before": None if before is None else canonical_json(before),
            "after": None if after is None else canonical_json(after),
            "prev_hash": prev_hash,
        }
        fields["hash"] = entry_hash(fields)
        signed_by = signature = None
        if self.signer is not None:
            from .signing import sign_entry

            signed_by, private = self.signer
            signature = sign_entry(private, fields["hash"])
        self.execute(
            "INSERT INTO audit (id, at, actor, action, entity, entity_id, case_id, before, "
            "after, prev_hash, hash, signed_by, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?)", tuple(fields[k] for k in HASHED + ("hash",)) + (signed_by, signature))
        self._head = (fields["id"], fields["hash"])
        self.entries.append(fields["id"])
        return fields["id"]

