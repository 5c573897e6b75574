"""A Billing Desk database on a PostgreSQL server: psycopg 3's part of the store's
connection (:mod:`billing_desk.store.connection`, where writing is explained).

Connecting. A target is a ``postgresql://`` URL or a libpq connection string
(``service=office``, ``host=db dbname=billing``); a password never comes with it (it
would be in the shell history, the process list, the recent list): libpq finds it in
the usual places -- a service file, ``~/.pgpass`` or ``PGPASSFILE``, ``PGPASSWORD`` in a
script -- and otherwise, when the server asks for one, ``ask_password`` is called (the
CLI's prompt, the app's Connect dialog) and what it returns is kept in memory only, to
connect again after the connection drops. Each connection is in autocommit mode (a
transaction is always explicit: nothing is left "idle in transaction"), on UTC, with
Billing Desk's schema first on its search path, and waits at most ``LOCK_TIMEOUT`` for
another workstation's write before reporting "busy".

The same values as a case file. The columns have real types (``date``, ``timestamptz``,
the ``amount`` domain over ``numeric``, ``boolean``), and this connection reads them back
in the forms the case file stores -- ISO dates, ``2024-05-01T12:34:56.123456Z``
timestamps, money as its canonical text, booleans as 0 and 1 -- so the shared codecs,
the audit hashes and ``copy`` see exactly the same values from either backend. Python
``str`` parameters go to the server untyped and take the column's type.

Writing. Every write begins by locking the audit chain's head row (``SELECT ... FOR
UPDATE``): writers take turns on the one chain, as ``BEGIN IMMEDIATE`` makes them on a
file, which also makes the next case number and issue number safe to read. The database
checks what matters itself (postgres/schema.py). Inside :meth:`outer_transaction` (a
new store being filled, a copy) each write is a savepoint of one transaction, so the
whole is complete or absent.

Failures. A statement that fails because the connection dropped outside a write is
tried again once on a new connection (a read changes nothing). A write whose connection
drops is reported as :class:`ConnectionLost` -- not saved, or "may have been saved" when
it dropped during the commit itself; the next use connects again. Every other server
error becomes the store's typed error (busy, refused by the database's rules, disk full,
or a plain :class:`ServerFailure`).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator, Sequence

import psycopg
from psycopg import errors as pg_errors
from psycopg.adapt import Loader
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from ..connection import Connection, TextMatch, Transaction
from ..errors import (
    CaseFileBusy,
    ConnectionLost,
    DiskFull,
    NewerVersion,
    NotABillingDeskDatabase,
    NotAPersonOfTheDatabase,
    NotThePersonConnected,
    PasswordInTarget,
    RefusedByFile,
    SchemaNeedsUpgrade,
    ServerFailure,
    ServerSignInRefused,
    ServerUnreachable,
)
from ..timestamps import Clock
from .schema import CHANNEL, LATEST_VERSION, SCHEMA, schema_version

#: How long a write waits for another workstation's write before reporting "busy"
LOCK_TIMEOUT = "5s"
#: Connection defaults a target may override: how long to try to reach the server, and
#: how soon a connection whose server went silent counts as dropped (not a hung window)
DEFAULTS = {"connect_timeout": "10", "keepalives": "1", "keepalives_idle": "30",
            "keepalives_interval": "10", "keepalives_count": "3", "tcp_user_timeout": "30000"}

AskPassword = Callable[[str], "str | None"]


# -- targets ------------------------------------------------------------------------------

def server_conninfo(target: str, user: str | None = None) -> str:
    """The libpq connection string of ``target`` (a URL or key=value string), with
    ``user`` if given; refused with :class:`PasswordInTarget` if it holds a password."""
    try:
        params = conninfo_to_dict(target)
    except psycopg.ProgrammingError as e:
        raise ServerUnreachable(target, f"the server address is not understood: {e}") from None
    if "password" in params:
        raise PasswordInTarget()
    if user:
        params["user"] = user
    return make_conninfo(**params)


def _display(conn: psycopg.Connection) -> str:
    """``billing on db.office:5432``: the database and where it is."""
    info = conn.info
    host = info.host if not info.host.startswith("/") else "this computer"
    return f"{info.dbname} on {host}:{info.port}"


def _target_display(conninfo: str) -> str:
    """What a target is called before it is connected to."""
    params = conninfo_to_dict(conninfo)
    if "service" in params and "dbname" not in params:
        return f"service {params['service']}"
    db = params.get("dbname", "(default database)")
    host = params.get("host", "localhost")
    return f"{db} on {'this computer' if host.startswith('/') else host}:{params.get('port', '5432')}"


# -- what the columns read back as (see the module's note) --------------------------------

class _Text(Loader):
    """A date (DateStyle ISO) or an amount (the server prints ``12.30``): as text."""

    def load(self, data) -> str:
        return bytes(data).decode()


class _Timestamp(Loader):
    """``2024-05-01 12:34:56.5+00`` (TimeZone UTC) as ``2024-05-01T12:34:56.500000Z``."""

    def load(self, data) -> str:
        text = bytes(data).decode()
        day, clock = text[:10], text[11:19]
        rest = text[19:]
        fraction = ""
        if rest.startswith("."):
            digits = rest[1:].split("+", 1)[0].split("-", 1)[0]
            fraction = digits
        return f"{day}T{clock}.{fraction.ljust(6, '0')}Z"


class _Bool(Loader):
    def load(self, data) -> int:
        return 1 if bytes(data) == b"t" else 0


def _configure(conn: psycopg.Connection) -> None:
    adapters = conn.adapters
    adapters.register_loader("date", _Text)
    adapters.register_loader("numeric", _Text)
    adapters.register_loader("timestamptz", _Timestamp)
    adapters.register_loader("bool", _Bool)


@lru_cache(maxsize=1024)
def _pg_sql(sql: str) -> str:
    """The store's SQL with psycopg's placeholders: ``?`` becomes ``%s`` (the store's SQL
    has no other question mark, and no percent sign but this escape)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _detail(e: BaseException) -> str:
    """The server's or libpq's own words, without the connection boilerplate."""
    text = str(e).strip() or type(e).__name__
    text = text.rsplit(" failed: ", 1)[-1]
    text = text.replace("FATAL:  ", "").replace("ERROR:  ", "")
    return text.splitlines()[0].strip()


def connect(conninfo: str, *, password: str | None = None,
            ask_password: AskPassword | None = None) -> tuple[psycopg.Connection, str | None]:
    """A configured connection to the server, and the password it needed (``None`` when
    libpq found one itself). Raises :class:`ServerUnreachable` or
    :class:`ServerSignInRefused`."""
    params = {**DEFAULTS, **conninfo_to_dict(conninfo)}
    options = params.get("options", "")
    params["options"] = (f"{options} -c search_path={SCHEMA},pg_catalog -c TimeZone=UTC "
                         f"-c DateStyle=ISO -c lock_timeout={LOCK_TIMEOUT}").strip()
    params.setdefault("application_name", "Billing Desk")
    where = _target_display(conninfo)
    while True:
        try:
            conn = psycopg.connect(make_conninfo(**params), autocommit=True,
                                   **({"password": password} if password is not None else {}))
        except psycopg.OperationalError as e:
            pgconn = getattr(e, "pgconn", None)
            needs = bool(pgconn is not None and pgconn.needs_password)
            if needs and password is None and ask_password is not None:
                asked = ask_password(where)
                if asked:
                    password = asked
                    continue
            raise _connect_error(where, e, needs_password=needs) from None
        _configure(conn)
        return conn, password


def _connect_error(where: str, e: psycopg.OperationalError, *, needs_password: bool) -> Exception:
    detail = _detail(e)
    if needs_password:
        return ServerSignInRefused(where, "no password was given", needs_password=True)
    lowered = detail.lower()
    if "password authentication failed" in lowered:
        user = re.search(r'for user "([^"]*)"', detail)
        who = f" for {user.group(1)}" if user else ""
        return ServerSignInRefused(where, f"the password{who} is not correct")
    if any(s in lowered for s in ("authentication failed", "does not exist", "pg_hba.conf",
                                  "permission denied", "role", "not permitted")):
        return ServerSignInRefused(where, detail)
    return ServerUnreachable(where, detail)


def _refusal(e: psycopg.Error) -> Exception | None:
    """A refusal by the database's own rules (schema version 8) as the app's own: the
    workflow's (SQLSTATE BD001) or the users' (BD002), with the rule's code (the hint)
    and the message the app shows for that rule."""
    diag = getattr(e, "diag", None)
    state = getattr(e, "sqlstate", None)
    if diag is None or state not in ("BD001", "BD002"):
        return None
    from ...domain.accounts import AccountRefused
    from ...domain.workflow import WorkflowRefused

    kind = WorkflowRefused if state == "BD001" else AccountRefused
    return kind(diag.message_hint or "refused", diag.message_primary or _detail(e))


class PostgresConnection(Connection):
    """A Billing Desk database on a server (see the module's note)."""

    is_server = True

    #: the queue's totals, from the snapshot text (kept as the app wrote it, byte for byte)
    queue_totals = ("CASE WHEN d.snapshot IS NOT NULL THEN json_build_array("
                    "d.snapshot::json -> 'refund_total', d.snapshot::json -> 'back_bill_total', "
                    "d.snapshot::json -> 'flags')::text END")

    def __init__(self, conninfo: str, clock: Clock, *, password: str | None = None,
                 ask_password: AskPassword | None = None, check_schema: bool = True) -> None:
        self._conninfo = conninfo
        self._ask = ask_password
        self._pg, self._password = connect(conninfo, password=password, ask_password=ask_password)
        super().__init__(_display(self._pg), clock)
        self.user = self._pg.info.user
        self._depth = 0          # transactions and savepoints open
        self._outer = False      # inside outer_transaction(): writes are savepoints
        self._head: tuple[int, str] | None = None
        if check_schema:
            self._check_schema()

    def _check_schema(self) -> None:
        try:
            version = schema_version(self._pg)
        except psycopg.Error as e:
            self._pg.close()
            raise ServerFailure(self.where, _detail(e)) from None
        problem: Exception | None = None
        if version is None:
            problem = NotABillingDeskDatabase(self.where)
        elif version > LATEST_VERSION:
            problem = NewerVersion(self.where, version, LATEST_VERSION)
        elif version < LATEST_VERSION:
            problem = SchemaNeedsUpgrade(self.where, version, LATEST_VERSION)
        if problem is None:
            problem = self._find_person()
        if problem is not None:
            self._pg.close()
            raise problem

    def _find_person(self) -> Exception | None:
        """Who is connected (:attr:`person`); refused when the database has people and
        the connection is none of them (schema version 8: superusers and the owner are
        for IT's maintenance, never for work)."""
        try:
            self.person = self._pg.execute(f"SELECT {SCHEMA}.acting_person()").fetchone()[0]
            has_people = self.person is None and self._pg.execute(
                f"SELECT EXISTS (SELECT FROM {SCHEMA}.users WHERE password_hash IS NULL)"
            ).fetchone()[0]
        except psycopg.Error as e:
            return ServerFailure(self.where, _detail(e))
        if self.person is None and has_people:
            return NotAPersonOfTheDatabase(self.where, self.user)
        return None

    def _acting_login(self, actor: str):
        if self.person is not None:
            from ...domain.workflow import same_login

            if not same_login(actor.strip(), self.person):
                raise NotThePersonConnected(self.where, self.person, actor.strip())
        return super()._acting_login(actor)

    def password_verifier(self, login: str, password: str) -> str:
        """What the server keeps of a person's password: its SCRAM-SHA-256 verifier,
        made here by libpq (the password itself never goes to the server)."""
        return self._pg.pgconn.encrypt_password(password.encode(), login.encode(),
                                                b"scram-sha-256").decode()

    def check_password(self, password: str) -> bool:
        """Whether the server accepts ``password`` for the person connected (a second
        connection signs in with it: PostgreSQL checks it, not the app)."""
        try:
            conn, _ = connect(self._conninfo, password=password)
        except ServerSignInRefused:
            return False
        conn.close()
        return True

    @property
    def target(self) -> str:
        return self._conninfo

    @property
    def raw(self) -> psycopg.Connection:
        """The psycopg connection (migrations, copy, tests), connected again if it broke."""
        self._ensure_connected()
        return self._pg

    def reopen(self) -> "PostgresConnection":
        """Another connection to the same database, with the same credentials."""
        return PostgresConnection(self._conninfo, self.clock, password=self._password,
                                  ask_password=self._ask)

    def listen(self):
        """A connection that hears every committed change (postgres/notify.py)."""
        from .notify import ChangeListener

        conn, _ = connect(self._conninfo, password=self._password)
        return ChangeListener(conn, CHANNEL)

    def close(self) -> None:
        if not self._pg.closed:
            self._pg.close()

    # -- connecting again ------------------------------------------------------------------

    def _ensure_connected(self) -> None:
        if self._pg.closed or self._pg.broken:
            if self._depth:
                raise ConnectionLost(self.where, "the server connection closed")
            old = self._pg
            self._pg, self._password = connect(self._conninfo, password=self._password)
            try:
                old.close()
            except Exception:  # noqa: BLE001 - it is broken already
                pass

    def ping(self) -> None:
        """Connect again if the connection dropped; :class:`ServerUnreachable` if the
        server cannot be reached."""
        self.value("SELECT 1")

    # -- reading and writing ---------------------------------------------------------------

    @contextmanager
    def translated(self) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as e:
            raise self._store_error(e) from e

    def _store_error(self, e: psycopg.Error) -> Exception:
        detail = _detail(e)
        if isinstance(e, psycopg.OperationalError) and (self._pg.broken or self._pg.closed
                                                       or isinstance(e, pg_errors.AdminShutdown)):
            return ConnectionLost(self.where, detail)
        if isinstance(e, (pg_errors.LockNotAvailable, pg_errors.DeadlockDetected,
                          pg_errors.SerializationFailure)):
            return CaseFileBusy(self.where)
        if isinstance(e, pg_errors.QueryCanceled) and "lock timeout" in detail:
            return CaseFileBusy(self.where)
        if isinstance(e, pg_errors.DiskFull):
            return DiskFull(self.where)
        refusal = _refusal(e)
        if refusal is not None:
            return refusal
        if isinstance(e, (psycopg.IntegrityError, pg_errors.InsufficientPrivilege)):
            return RefusedByFile(self.where, detail)
        return ServerFailure(self.where, detail)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor:
        query = _pg_sql(sql) if params else sql
        args = tuple(params) if params else None
        with self.translated():
            self._ensure_connected()
            try:
                return self._pg.execute(query, args)
            except psycopg.OperationalError:
                if self._depth or not (self._pg.broken or self._pg.closed):
                    raise
            # the connection dropped under a read: once more, on a new connection
            self._ensure_connected()
            return self._pg.execute(query, args)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.translated():
            self._ensure_connected()
            self._pg.cursor().executemany(_pg_sql(sql), list(rows))

    def _start(self, statement: str) -> psycopg.Cursor:
        """Begin a transaction with ``statement``. A connection that dropped while idle
        (the server restarted, an administrator ended it) is only noticed here, before
        anything was read or written: the transaction begins again on a new connection."""
        for attempt in (1, 2):
            self._ensure_connected()
            try:
                return self._pg.execute(statement)
            except psycopg.OperationalError:
                if attempt == 2 or self._depth or not (self._pg.broken or self._pg.closed):
                    raise

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        if self._depth:  # (inside a write: it sees its own changes, as it must)
            yield
            return
        with self.translated():
            self._start("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if not self._pg.broken:
                    self._pg.execute("COMMIT")

    def _begin(self) -> None:
        # writers take turns on the one chain: the head row stays locked until the commit
        # (sent with BEGIN, one round trip: the lock is held from here on)
        lock = "SELECT id, hash FROM audit_head FOR UPDATE"
        try:
            if self._outer:
                self._pg.execute("SAVEPOINT write")
                cursor = self._pg.execute(lock)
            else:
                cursor = self._start(f"BEGIN; {lock}")
                cursor.nextset()
        except psycopg.Error:
            if not (self._pg.broken or self._pg.closed) and self._pg.info.transaction_status != \
                    psycopg.pq.TransactionStatus.IDLE:
                self._pg.execute("ROLLBACK TO write; RELEASE write" if self._outer else "ROLLBACK")
            raise
        self._depth += 1
        row = cursor.fetchone()
        self._head = (row[0], row[1])

    def _commit(self) -> None:
        self._depth -= 1
        if self._outer:
            self._pg.execute("RELEASE write")
            return
        try:
            self._pg.execute("COMMIT")
        except psycopg.OperationalError as e:
            if not (self._pg.broken or self._pg.closed):
                raise
            # the commit was sent, or was being sent: whether the server made it durable
            # before the connection went is not known here
            raise ConnectionLost(self.where, _detail(e), uncertain=True) from e

    def _rollback(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if self._pg.broken or self._pg.closed:
            return  # the server undoes a transaction whose connection went away
        try:
            if self._outer:
                self._pg.execute("ROLLBACK TO write")
                self._pg.execute("RELEASE write")
            else:
                self._pg.execute("ROLLBACK")
        except psycopg.OperationalError:
            pass  # (the connection broke now: the same)

    @contextmanager
    def outer_transaction(self) -> Iterator[None]:
        """Everything inside is one transaction: each write is a savepoint of it, and an
        exception undoes all of it (a new store being filled, a copy: complete or absent)."""
        with self.translated():
            self._start("BEGIN")
            self._depth += 1
            self._outer = True
            try:
                yield
            except BaseException:
                self._outer = False
                self._depth -= 1
                if not (self._pg.broken or self._pg.closed):
                    self._pg.execute("ROLLBACK")
                raise
            self._outer = False
            self._commit()

    # -- what differs ----------------------------------------------------------------------

    def next_case_id(self, tx: Transaction) -> int:
        # the counter row stays locked until the commit, and the insert moves it on
        # (cases_numbered): a rolled-back case gives its number back
        return tx.value("SELECT value + 1 FROM counters WHERE name = 'cases' FOR UPDATE")

    def chain_head(self, tx: Transaction) -> tuple[int, str]:
        assert self._head is not None, "the head is locked when a write begins"
        return self._head

    def text_match(self, text: str) -> TextMatch | None:
        if not re.search(r"[^\W_]", text):
            return None
        words = re.findall(r"[^\W_]+", text)
        if len(words) > 1:  # (words typed apart may be one account number: listing.fts_match)
            key = "".join(words).lower()
            return TextMatch("cases", "(cases.search @@ search_query(?) OR cases.account_key "
                             "LIKE ?)", "cases.id", (text, key + "%"))
        return TextMatch("cases", "cases.search @@ search_query(?)", "cases.id", (text,))

    def id_list(self, column: str, ids: Sequence[int]) -> tuple[str, Any]:
        return f"{column} = ANY(?)", list(ids)

    def integrity_problems(self) -> list[str]:
        problems = []
        head = self.row("SELECT h.id, h.hash, a.id, a.hash FROM audit_head h LEFT JOIN audit a "
                        "ON a.id = (SELECT max(id) FROM audit)")
        if head is not None and (head[0] != (head[2] or 0) or (head[2] and head[1] != head[3])):
            problems.append(f"the head of the audit chain names entry {head[0]}, but the newest "
                            f"entry is {head[2] or 0}: the history was cut or added to behind "
                            "the database's back")
        counter, newest = self.row("SELECT (SELECT value FROM counters WHERE name = 'cases'), "
                                   "(SELECT coalesce(max(id), 0) FROM cases)")
        if counter != newest:
            problems.append(f"the case counter is at {counter}, but the newest case is "
                            f"#{newest}")
        return problems

    # -- copying (store/copying.py) --------------------------------------------------------

    def stream(self, sql: str) -> Iterator[tuple]:
        """The rows of ``sql`` a few thousand at a time (a server-side cursor: a table of
        documents is never in memory at once). Inside :meth:`snapshot`."""
        with self.translated():
            cur = self._pg.cursor(name="copying")
            cur.itersize = 1000
            try:
                cur.execute(sql)
                yield from cur
            finally:
                cur.close()

    def load_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Append ``rows`` to ``table`` with COPY (the database's triggers check each row:
        the chain, the case numbers); returns how many."""
        count = 0
        with self.translated():
            cur = self._pg.cursor()
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            sequence = self._pg.execute("SELECT pg_get_serial_sequence(%s, 'id')",
                                        (f"{SCHEMA}.{table}",)).fetchone()[0] if "id" in columns else None
            if sequence is not None:  # the next row the app adds takes the next id
                self._pg.execute(f"SELECT setval(%s, coalesce((SELECT max(id) FROM {table}), 0) + 1, "
                                 "false)", (sequence,))
        return count

    def table_columns(self, table: str) -> list[str]:
        """The columns a copy carries (the search column is computed by the database),
        whether or not the connection may read them (the catalogue, not
        information_schema, which lists only those)."""
        return [r[0] for r in self.rows(
            "SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = to_regclass(?) "
            "AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum",
            (f"{SCHEMA}.{table}",))]
