"""An open store -- a case file or a database on a server -- and its repositories: the
object the app, the CLI and the issuing service use, whichever backend holds the cases.

Opened with :func:`~.targets.open_store` (a file path, a ``postgresql://`` URL or a
libpq service); a case file also with :func:`~.sqlite.files.open_case_file`.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .connection import Connection
from .listing import CaseListing

if TYPE_CHECKING:
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



class CaseFile:
    """An open store (a case file, or a database on a server). The repositories are its
    attributes::

        with open_store(target) as cf:
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
    def path(self) -> Path | None:
        """The case file's path (``None`` for a database on a server)."""
        return self._c.path

    @property
    def where(self) -> Path | str:
        """What messages name: the case file's path, or the server's database."""
        return self._c.where

    @property
    def name(self) -> str:
        """What a window title names: the file's name, or the server's database."""
        return self._c.name

    @property
    def is_server(self) -> bool:
        return self._c.is_server

    @property
    def read_only(self) -> bool:
        """A case file opened for reading only (a copy on a read-only disk)."""
        return bool(getattr(self._c, "read_only", False))

    def exposure(self) -> str | None:
        """Why this case file is not private to its owner (and group), or ``None`` (and
        always ``None`` on a server, whose files are PostgreSQL's)."""
        if self.path is None:
            return None
        from .sqlite.files import exposure

        return exposure(self.path)

    @property
    def server_user(self) -> str | None:
        """The user the server connection signed in as (None for a case file)."""
        return getattr(self._c, "user", None)

    @property
    def db(self):
        """A case file's sqlite-utils ``Database`` (for tests, benchmarks and migrations,
        not the UI); a server has none."""
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

        with self._c.translated():
            return history_head(self._c)

    def history_entry(self, entry: int) -> HistoryHead | None:
        """Entry ``entry`` of the history with its hash as stored now (None: no such entry)."""
        from .audit import history_entry

        with self._c.translated():
            return history_entry(self._c, entry)

    def newest_entry(self) -> AuditEntry | None:
        """The newest audit entry, the head of the chain (None before the first)."""
        from .audit import AUDIT_COLUMNS, AuditEntry

        row = self._c.row(f"SELECT {AUDIT_COLUMNS} FROM audit ORDER BY id DESC LIMIT 1")
        return None if row is None else AuditEntry.from_row(row)

    def verify(self) -> VerifyReport:
        from .verify import verify

        return verify(self._c)

    def verify_case(self, case_id: int) -> VerifyReport:
        """One case's history against the chain and the case (see :func:`.verify.verify_case`)."""
        from .verify import verify_case

        return verify_case(self._c, case_id)

    @property
    def target(self) -> str:
        """What opens this store again: the file's path, or the server's connection
        string (never with a password)."""
        return self._c.target

    def reopen(self) -> "CaseFile":
        """The same store on a new connection (a worker thread's own), with the same
        credentials."""
        return CaseFile(self._c.reopen())

    def listen(self):
        """A listener that hears each change other connections commit (a
        :class:`~.postgres.notify.ChangeListener`), or ``None`` where there is none to
        hear (a case file: poll ``listing.change_counter()``)."""
        return self._c.listen()

    def ping(self) -> None:
        """Check that the store can be reached, connecting again to a server if the
        connection dropped (:class:`~.errors.ServerUnreachable` if it cannot)."""
        self._c.ping()

    def check_locks(self) -> None:
        """Raise :class:`~.errors.LocksLost` if this process no longer holds a case file's
        SQLite locks (see :mod:`.sqlite.openfiles`); every write checks this itself."""
        self._c.check_locks()

    def close(self) -> None:
        try:
            self._remember_head()
        finally:
            self._c.close()

    def file_id(self) -> str | None:
        """What this workstation knows the file by: the hash of its first history entry
        (None before it has one)."""
        first = self.history_entry(1)
        if first is None:
            return None
        from .demo_file import is_demo_file

        # a demo file is made the same, byte for byte, every time (and its passwords are
        # public): one demo file cannot be told from another, nor needs guarding
        return None if is_demo_file(self) else first.hash

    def known_head_problem(self) -> str | None:
        """Why the history disagrees with the newest entry this workstation saw of this
        case file (store/known_heads.py), or None."""
        if self.path is None:
            return None
        from . import known_heads

        def hash_of(n: int) -> str | None:
            entry = self.history_entry(n)
            return None if entry is None else entry.hash

        head = self.history_head()
        return known_heads.problem(self.file_id(), hash_of, 0 if head is None else head.entry,
                                   self.where)

    def _remember_head(self) -> None:
        """A case file signed in to here: its head is remembered, signed by the last one
        who signed a change in it (the workstation's own record; nothing in the file)."""
        signer = getattr(self._c, "last_signer", None)
        if signer is None or self.path is None or getattr(self._c, "read_only", False):
            return
        from . import known_heads
        from .errors import StoreError
        from .timestamps import format_utc, utc_now

        try:
            head, file_id = self.history_head(), self.file_id()
            if head is not None and file_id is not None:
                known_heads.remember(file_id, head.entry, head.hash, format_utc(utc_now()),
                                     signer[0], signer[1])
        except (OSError, StoreError):  # (a data folder that cannot be written: no record)
            pass

    def __enter__(self) -> "CaseFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
