"""Opening and creating case files (``*.bdesk``): the entry point of the store.

``open_case_file`` decides everything it can from the file header before SQLite opens
the file (see :mod:`.header`), so a file it refuses is left byte for byte as it was.
``create_case_file`` builds the new file under a temporary name and links it into
place only when complete: a crash during creation never leaves a half-made case file.
"""

from __future__ import annotations

import os
import sqlite3
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import openfiles
from .connection import Connection, configure, connect, database, translated_errors
from .errors import CaseFileExists, CorruptFile, NewerVersion, NotACaseFile, ReadOnlyFile
from .header import APPLICATION_ID, check_case_file, check_writable
from .listing import CaseListing
from .schema import LATEST_VERSION, migrate, user_version
from .timestamps import Clock, utc_now

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..domain.history import HistoryHead
    from .attachments import AttachmentRepository
    from .audit import AuditEntry
    from .bills_issued import BillsIssuedRepository
    from .cases import CaseRepository
    from .determinations import DeterminationRepository
    from .documents import DocumentRepository
    from .incidents import IncidentRepository
    from .issues import IssueRepository
    from .mailruns import MailRunRepository
    from .outbox import OutboxRepository
    from .queue import WorkQueue
    from .reports import ReportQueries
    from .settings import SettingsRepository
    from .users import UserRepository
    from .verify import VerifyReport
    from .workflow import WorkflowService

#: The file extension of case files.
SUFFIX = ".bdesk"
_CORE_TABLES = ("cases", "periods", "audit")


class CaseFile:
    """An open case file. The repositories are its attributes::

        with open_case_file(path) as cf:
            alice = cf.users.authenticate("alice", password)
            record = cf.cases.create(draft, actor=alice.login)
            cf.workflow.submit(record.id, actor=alice.login)
            waiting = cf.queue.submitted()
            hits = cf.listing.search("pena")
    """

    def __init__(self, connection: Connection) -> None:
        self._c = connection
        self.listing = CaseListing(connection)

    # The other repositories are made, and their modules imported, when first used: the
    # app's window shows the case list before it loads what editing and issuing need.

    @cached_property
    def settings(self) -> SettingsRepository:
        from .settings import SettingsRepository

        return SettingsRepository(self._c)

    @cached_property
    def cases(self) -> CaseRepository:
        from .cases import CaseRepository

        return CaseRepository(self._c)

    @cached_property
    def attachments(self) -> AttachmentRepository:
        from .attachments import AttachmentRepository

        return AttachmentRepository(self._c, self.settings)

    @cached_property
    def determinations(self) -> DeterminationRepository:
        from .determinations import DeterminationRepository

        return DeterminationRepository(self._c)

    @cached_property
    def documents(self) -> DocumentRepository:
        from .documents import DocumentRepository

        return DocumentRepository(self._c)

    @cached_property
    def users(self) -> UserRepository:
        from .users import UserRepository

        return UserRepository(self._c)

    @cached_property
    def workflow(self) -> WorkflowService:
        from .workflow import WorkflowService

        return WorkflowService(self._c)

    @cached_property
    def queue(self) -> WorkQueue:
        from .queue import WorkQueue

        return WorkQueue(self._c)

    @cached_property
    def issues(self) -> IssueRepository:
        from .issues import IssueRepository

        return IssueRepository(self._c)

    @cached_property
    def mail_runs(self) -> MailRunRepository:
        from .mailruns import MailRunRepository

        return MailRunRepository(self._c)

    @cached_property
    def incidents(self) -> IncidentRepository:
        from .incidents import IncidentRepository

        return IncidentRepository(self._c)

    @cached_property
    def bills_issued(self) -> BillsIssuedRepository:
        from .bills_issued import BillsIssuedRepository

        return BillsIssuedRepository(self._c)

    @cached_property
    def reports(self) -> ReportQueries:
        from .reports import ReportQueries

        return ReportQueries(self._c, self.settings)

    @cached_property
    def outbox(self) -> OutboxRepository:
        from .outbox import OutboxRepository

        return OutboxRepository(self._c)

    @property
    def path(self) -> Path:
        return self._c.path

    @property
    def db(self) -> Database:
        """The sqlite-utils handle (for tests, benchmarks and migrations, not the UI)."""
        return self._c.db

    def audit_log(self, after: int = 0, limit: int = 1000) -> list[AuditEntry]:
        """Audit entries with an id above ``after``, oldest first (the auditor's view)."""
        from .audit import AUDIT_COLUMNS, AuditEntry

        return [AuditEntry.from_row(r) for r in self._c.rows(
            f"SELECT {AUDIT_COLUMNS} FROM audit WHERE id > ? ORDER BY id LIMIT ?", (after, limit))]

    def history_head(self) -> HistoryHead | None:
        """The newest entry of the audit history and its hash (None: no entry yet): what
        an issued memo and a batch manifest carry, and ``billing-desk verify`` prints."""
        from .audit import history_head

        with translated_errors(self.path):
            return history_head(self._c.conn)

    def history_entry(self, entry: int) -> HistoryHead | None:
        """Entry ``entry`` of the history with its hash as stored now (None: no such entry)."""
        from .audit import history_entry

        with translated_errors(self.path):
            return history_entry(self._c.conn, entry)

    def verify(self) -> VerifyReport:
        from .verify import verify

        return verify(self._c)

    def verify_case(self, case_id: int) -> VerifyReport:
        """One case's history against the chain and the case (see :func:`.verify.verify_case`)."""
        from .verify import verify_case

        return verify_case(self._c, case_id)

    def check_locks(self) -> None:
        """Raise :class:`~.errors.LocksLost` if this process no longer holds the file's
        SQLite locks (see :mod:`.openfiles`); every write checks this itself."""
        self._c.check_locks()

    def close(self) -> None:
        self._c.close()

    def __enter__(self) -> "CaseFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_case_file(path: str | Path, *, clock: Clock = utc_now) -> CaseFile:
    """Open an existing case file, migrating it if it is from an older version.

    Raises (each with a message for the clerk): CaseFileNotFound, NotSQLite,
    NotACaseFile, NewerVersion, CorruptFile, ReadOnlyFile, CaseFileBusy."""
    path = Path(path)
    # The header is read outside SQLite only while no connection of this process has
    # the file open: closing that read would drop the connection's locks (openfiles).
    # An open file is a case file SQLite already reads, and is checked below as such.
    key, already_open = openfiles.claim(path)
    try:
        if not already_open:
            check_case_file(path, LATEST_VERSION)
        check_writable(path)
        conn = _connect_checked(path)
    except BaseException:
        openfiles.release(key, path)
        raise
    return CaseFile(Connection(path, conn, clock, key))


def _connect_checked(path: Path) -> sqlite3.Connection:
    with translated_errors(path):
        conn = connect(path)
    try:
        with translated_errors(path):
            # the header said so already; ask SQLite too, which sees the write-ahead log
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise NotACaseFile(path)
            version = user_version(conn)
            if version > LATEST_VERSION:
                raise NewerVersion(path, version, LATEST_VERSION)
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if version and not set(_CORE_TABLES) <= tables:
                raise CorruptFile(path, "its case tables are missing")
            configure(conn, path)
            if version < LATEST_VERSION:
                migrate(database(conn))
    except BaseException:
        with translated_errors(path):
            conn.close()
        raise
    return conn


def create_case_file(path: str | Path, *, clock: Clock = utc_now,
                     fill: Callable[[CaseFile], None] | None = None) -> CaseFile:
    """Create a new, empty case file at ``path`` (never over an existing file) and open
    it. ``fill``, if given, runs on the new file before it appears at ``path`` (a demo
    file is either complete or absent)."""
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise CaseFileExists(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ReadOnlyFile(path, f"its folder {folder} cannot be written")
    import secrets  # (it loads OpenSSL: not needed to open a file)

    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.creating")
    try:
        with translated_errors(path):
            conn = connect(temp)
            try:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                migrate(database(conn))
                configure(conn)
                if fill is not None:
                    # a crash while filling leaves only the temporary file, which is never
                    # used: syncing each of its commits would buy nothing (it is synced
                    # once, complete, below)
                    conn.execute("PRAGMA synchronous = OFF")
                    fill(CaseFile(Connection(temp, conn, clock)))
                # closing the last connection copies the log into the file and removes it
            finally:
                conn.close()
        _fsync(temp)
        _place(temp, path)
        _fsync(folder, directory=True)
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-wal"), temp.with_name(temp.name + "-shm")):
            leftover.unlink(missing_ok=True)
    return open_case_file(path, clock=clock)


def _place(temp: Path, path: Path) -> None:
    """Put the finished file at ``path`` unless something appeared there meanwhile."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise CaseFileExists(path) from None
    except OSError:  # a file system without hard links: check, then rename
        if path.exists():
            raise CaseFileExists(path) from None
        os.replace(temp, path)


def _fsync(p: Path, directory: bool = False) -> None:
    """Make the new file, and its name in the folder, durable before we report success."""
    try:
        fd = os.open(p, os.O_RDONLY)
    except OSError:
        if directory:  # some systems cannot open a folder; the file itself is synced
            return
        raise
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

