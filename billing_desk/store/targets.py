"""Where a store is: a case file, or a database on a PostgreSQL server -- one entry point
for both, which the app and the CLI call with whatever the user named.

A *target* is a server when it is

* a URL: ``postgresql://clerk@db.office.example/billing`` (or ``postgres://``), or
* a libpq connection string of ``key=value`` words: ``service=office`` (a section of the
  libpq service file, ``~/.pg_service.conf`` or ``PGSERVICEFILE``), ``host=db
  dbname=billing user=clerk``;

anything else is the path of a case file (a file whose name has an ``=`` in it is named
as ``./name``). A target never holds a password (:class:`~.errors.PasswordInTarget`):
libpq reads it from the service file, ``~/.pgpass`` (``PGPASSFILE``) or ``PGPASSWORD``,
or ``ask_password`` is asked when the server wants one.

Opening a server never changes its schema: a database at an older schema version is
refused with :class:`~.errors.SchemaNeedsUpgrade` until its owner runs ``billing-desk
upgrade`` (a workstation with a newer Billing Desk must not migrate the database under
the others). A case file is migrated when it is opened, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .casefile import CaseFile
from .errors import DatabaseNotEmpty, NotABillingDeskDatabase
from .timestamps import Clock, utc_now

if TYPE_CHECKING:
    from .postgres.connection import AskPassword

_URL = re.compile(r"^\s*postgres(ql)?://", re.IGNORECASE)
_KEYWORDS = re.compile(r"^\s*[A-Za-z_]+\s*=")


def is_server_target(target: str | Path) -> bool:
    """Whether ``target`` names a database on a server (see the module's note)."""
    if isinstance(target, Path):
        return False
    return bool(_URL.match(target) or _KEYWORDS.match(target))


_WORD = re.compile(r"(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)")


def target_label(target: str | Path) -> str:
    """How the recent list names a target, without connecting (and without loading the
    server's driver): a file by its path, a server as ``billing on db.example (as clerk)``."""
    if not is_server_target(target):
        return str(target)
    text = str(target).strip()
    if _URL.match(text):
        from urllib.parse import unquote, urlsplit

        url = urlsplit(text)
        params = {"host": url.hostname or "", "port": str(url.port or ""),
                  "dbname": unquote(url.path.lstrip("/")), "user": unquote(url.username or "")}
    else:
        params = {k: v.strip("'") for k, v in _WORD.findall(text)}
    if params.get("service") and not params.get("dbname"):
        where = f"service {params['service']}"
    else:
        host = params.get("host") or "localhost"
        host = "this computer" if host.startswith("/") else host
        port = f":{params['port']}" if params.get("port") else ""
        where = f"{params.get('dbname') or '(default database)'} on {host}{port}"
    user = f", as {params['user']}" if params.get("user") else ""
    return f"{where}{user} (server)"


def server_conninfo(target: str, user: str | None = None) -> str:
    """The connection string of a server target, with ``user`` if given (refused if it
    holds a password)."""
    from .postgres.connection import server_conninfo as conninfo

    return conninfo(target, user)


def open_store(target: str | Path, *, clock: Clock = utc_now, user: str | None = None,
               password: str | None = None, ask_password: AskPassword | None = None,
               read_only: bool = False) -> CaseFile:
    """The store at ``target``, open. A case file as :func:`~.sqlite.files.open_case_file`
    opens it; a server's database if it holds Billing Desk's current schema.

    Raises (each with a message for the clerk): for files those of ``open_case_file``;
    for servers PasswordInTarget, ServerUnreachable, ServerSignInRefused,
    NotABillingDeskDatabase, SchemaNeedsUpgrade, NewerVersion. ``read_only``: a case
    file opened for reading only (a copy on a read-only disk)."""
    if not is_server_target(target):
        from .sqlite.files import open_case_file

        return open_case_file(Path(target), clock=clock, read_only=read_only)
    from .postgres.connection import PostgresConnection

    return CaseFile(PostgresConnection(server_conninfo(str(target), user), clock,
                                       password=password, ask_password=ask_password))


def create_store(target: str | Path, *, clock: Clock = utc_now,
                 fill: Callable[[CaseFile], None] | None = None, user: str | None = None,
                 password: str | None = None, ask_password: AskPassword | None = None,
                 group: bool = False) -> CaseFile:
    """A new, empty store at ``target``, open: a new case file (never over an existing
    file), or Billing Desk's schema in an empty database (never in one that holds
    anything). ``fill``, if given, runs on the new store before anyone else can see it:
    it is complete or absent (a case file is made under a temporary name; on a server
    the schema and the filling are one transaction). A new case file is its owner's
    only, or its owner's and their group's with ``group``."""
    if not is_server_target(target):
        from .sqlite.files import create_case_file

        from .sqlite.files import GROUP_TOO, OWNER_ONLY

        return create_case_file(Path(target), clock=clock, fill=fill,
                                mode=GROUP_TOO if group else OWNER_ONLY)
    from .postgres.connection import PostgresConnection
    from .postgres.schema import migrate, schema_version

    connection = PostgresConnection(server_conninfo(str(target), user), clock, password=password,
                                    ask_password=ask_password, check_schema=False)
    try:
        with connection.translated():
            found = schema_version(connection.raw)
        if found is None:
            raise NotABillingDeskDatabase(connection.where)
        if found and _holds_anything(connection.raw):
            raise DatabaseNotEmpty(connection.where, "it holds a Billing Desk database already")
        store = CaseFile(connection)
        with connection.outer_transaction():
            migrate(connection.raw)
            if fill is not None:
                fill(store)
    except BaseException:
        connection.close()
        raise
    return store


def _holds_anything(raw) -> bool:
    """Whether a Billing Desk database holds anything an office wrote: a schema that
    ``billing-desk upgrade`` created and nobody has used yet (no history, no case, no
    user, no setting) is as good as empty for ``new`` and ``copy`` (README: the schema,
    then the first administrator or the office's file)."""
    from .postgres.schema import SCHEMA

    return bool(raw.execute(
        f"SELECT EXISTS (SELECT 1 FROM {SCHEMA}.audit) OR EXISTS (SELECT 1 FROM {SCHEMA}.cases) "
        f"OR EXISTS (SELECT 1 FROM {SCHEMA}.users) OR EXISTS (SELECT 1 FROM {SCHEMA}.settings)"
    ).fetchone()[0])


@dataclass(frozen=True, slots=True)
class Upgrade:
    """What ``billing-desk upgrade`` did: the schema version before and after."""

    where: str
    before: int
    after: int


def upgrade_store(target: str | Path, *, user: str | None = None, password: str | None = None,
                  ask_password: AskPassword | None = None) -> Upgrade:
    """Bring the store at ``target`` to this version's schema: a case file is migrated
    (as opening it does); on a server the schema is created in an empty database or the
    missing migrations are applied, each in its own transaction. A newer schema, or a
    database that is not Billing Desk's, is refused and left as it was."""
    if not is_server_target(target):
        from .sqlite.files import open_case_file
        from .sqlite.header import read_header
        from .sqlite.schema import LATEST_VERSION as FILE_VERSION

        path = Path(target)
        before = read_header(path).user_version
        open_case_file(path).close()  # (checks everything, migrates)
        return Upgrade(str(path), before, FILE_VERSION)
    from .errors import NewerVersion
    from .postgres.connection import PostgresConnection
    from .postgres.schema import LATEST_VERSION, migrate, schema_version

    connection = PostgresConnection(server_conninfo(str(target), user), utc_now,
                                    password=password, ask_password=ask_password,
                                    check_schema=False)
    try:
        with connection.translated():
            before = schema_version(connection.raw)
            if before is None:
                raise NotABillingDeskDatabase(connection.where)
            if before > LATEST_VERSION:
                raise NewerVersion(connection.where, before, LATEST_VERSION)
            migrate(connection.raw)
            after = schema_version(connection.raw)
        return Upgrade(connection.where, before, after)
    finally:
        connection.close()

