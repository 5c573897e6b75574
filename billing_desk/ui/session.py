"""The open store -- a case file, or a database on a server -- and the signed-in user,
as the windows see them.

All reads and writes of the app go through here (the store's repositories; never SQL).
After a change, one signal tells every view to refresh itself (``caseSaved``), and this
window learns when *another* window, workstation or clerk saved something
(``externalChange``): on a server the database announces every committed change
(LISTEN/NOTIFY) on a connection of its own, watched by a ``QSocketNotifier`` so the Qt
thread never waits on it; a case file is polled (its change counter, every
``POLL_MS``); a server is polled too, more rarely, in case an announcement was missed.

A server's connection can drop (the network, a restarted server). Then
``connectionChanged`` says so, every use of the store is refused at once with that
error (nothing waits on a dead connection), and a thread tries to connect again every
``RECONNECT_MS`` on a connection of its own; once it can, ``connectionChanged(None)``
says the store is back (the main window then saves what could not be saved).

Every store has its own users, so opening one means signing in to it: ``sign_in`` (the
sign-in dialog in the app) is asked, with a :class:`SignInGate` on the store, and
returns the user or ``None`` (cancelled: the store is not opened). Without ``sign_in``
(tests, benchmarks) the session acts as the login it was made with. Connecting to a
server (its own login, for now the office's application role: issue 17 gives each
person theirs) comes first and is separate (:meth:`CaseSession.open`, ``password``,
``ask_password``); :meth:`CaseSession.adopt` signs in to a store already connected.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .qt import QObject, QTimer, Signal

from .. import issuing
from ..domain.workflow import Action, Role, may_approve
from ..store.casefile import CaseFile
from ..store.errors import ServerUnavailable, StoreError
from ..store.summaries import UserRecord
from ..store.targets import open_store

if TYPE_CHECKING:  # the documents, the demo office, the case model load when first wanted
    from ..store.errors import LocksLost
    from ..demo import DemoUser
    from ..documents import IssuedDocument
    from ..domain.draft import CaseDraft
    from ..store.audit import AuditEntry
    from ..store.issues import Issue
    from ..store.records import (
        AttachmentRecord, CaseRecord, DeterminationRecord, DocumentRecord, QueueItem,
    )
    from ..store.verify import VerifyReport

POLL_MS = 1500
#: a server announces its changes; its change counter is read now and then all the same
SERVER_POLL_MS = 10_000
#: how often a dropped server connection is tried again
RECONNECT_MS = 2000

#: failures that mean "the server cannot be used right now" (not "refused")
CONNECTION_ERRORS = ServerUnavailable


class SignInGate:
    """What the sign-in dialog may ask of a case file that nobody is signed in to yet."""

    def __init__(self, cf: CaseFile) -> None:
        self._cf = cf

    @property
    def path(self) -> Path | None:
        return self._cf.path

    @property
    def name(self) -> str:
        """The store as the dialog names it (a file's name, a server's database)."""
        return self._cf.name

    @property
    def needs_first_administrator(self) -> bool:
        return self._cf.users.needs_first_administrator()

    @property
    def demo_users(self) -> tuple[DemoUser, ...]:
        """The demo office, whose passwords are public: for a demo file only."""
        from ..demo import DEMO_USERS
        from ..store.demo_file import is_demo_file

        return DEMO_USERS if is_demo_file(self._cf) else ()

    def delay(self, login: str) -> float:
        """Seconds the next sign-in with ``login`` must wait (after repeated failures)."""
        return self._cf.users.sign_in_delay(login)

    def sign_in(self, login: str, password: str, *, waited: bool = False) -> UserRecord:
        """The user, or :class:`~billing_desk.store.errors.SignInRefused`. ``waited``:
        the dialog already waited ``delay(login)`` on a timer (the window stays live)."""
        return self._cf.users.authenticate(login, password,
                                           sleep=(lambda _s: None) if waited else None)

    def create_first_administrator(self, login: str, name: str, password: str) -> UserRecord:
        return self._cf.users.create_first_administrator(login, name, password)


SignIn = Callable[[SignInGate], "UserRecord | None"]


class CaseSession(QObject):
    caseSaved = Signal(object)  # CaseRecord, saved by this window
    externalChange = Signal(object)  # frozenset of case ids changed by someone else
    fileOpened = Signal(object)  # Path of a case file, or a server's connection string
    fileClosed = Signal()
    userChanged = Signal(object)  # UserRecord | None
    locksLost = Signal(object)  # LocksLost: nothing more can be saved to the open file
    connectionChanged = Signal(object)  # a StoreError: the server cannot be used; None: back

    def __init__(self, actor: str | UserRecord = "", parent=None, *,
                 sign_in: SignIn | None = None) -> None:
        super().__init__(parent)
        self.user: UserRecord | None = actor if isinstance(actor, UserRecord) else None
        self._login = actor.login if isinstance(actor, UserRecord) else actor
        self._sign_in = sign_in
        self.file: CaseFile | None = None
        self.lost: LocksLost | None = None
        #: what the user named to open the store (a path, or a server's target as typed)
        self.target: Path | str | None = None
        #: why the server cannot be used now (None: it can)
        self.connection_error: StoreError | None = None
        self._counter = 0
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        self._listener = None
        self._notifier = None
        self._reconnect_timer = QTimer(self)
        self._reconnect_timer.setInterval(RECONNECT_MS)
        self._reconnect_timer.timeout.connect(self._try_reconnect)
        self._reconnecting = False

    # -- the file ------------------------------------------------------------------------

    @property
    def actor(self) -> str:
        """The signed-in user's login: who every change is recorded as."""
        return self.user.login if self.user is not None else self._login

    def open(self, target: Path | str, *, password: str | None = None,
             ask_password: Callable[[str], str | None] | None = None) -> CaseFile | None:
        """Open a case file, or connect to a server (``password``, or ``ask_password``
        when libpq finds none and the server wants one), and sign in to it (the store
        raises a typed, clerk-readable error if it can't). ``None`` if the sign-in was
        cancelled: the store that was open stays open, with its user."""
        return self.adopt(open_store(target, password=password, ask_password=ask_password),
                          target)

    def adopt(self, cf: CaseFile, target: Path | str | None = None) -> CaseFile | None:
        """Sign in to ``cf``, opened already (a server connected to off the Qt thread),
        and make it this session's store; ``None`` (and ``cf`` closed) if the sign-in was
        cancelled."""
        try:
            if cf.users.person is not None:  # the server checked who this is: no second sign-in
                user = cf.users.authenticate(cf.users.person, None)
            elif self._sign_in is not None:
                user = self._sign_in(SignInGate(cf))
                if user is None:
                    cf.close()
                    return None
            else:  # a session made for a login (tests, benchmarks): that user, if it has it
                user = cf.users.find(self.actor) if self.actor else None
            counter = cf.listing.change_counter()
        except BaseException:
            cf.close()
            raise
        self.close()
        self.file = cf
        self.target = target if target is not None else (cf.path or cf.target)
        self.connection_error = None
        self._set_user(user)
        self._counter = counter
        self._timer.setInterval(SERVER_POLL_MS if cf.is_server else POLL_MS)
        self._timer.start()
        self._listen()
        self.fileOpened.emit(cf.path or cf.target)
        return cf

    def switch_user(self) -> bool:
        """Sign in again to the open file, as someone else perhaps; False if cancelled."""
        if self.file is None or self._sign_in is None:
            return False
        user = self._sign_in(SignInGate(self.file))
        if user is None:
            return False
        self._set_user(user)
        return True

    def _set_user(self, user: UserRecord | None) -> None:
        if user is not None or self.user is not None:
            self.user = user
            self.userChanged.emit(user)

    def close(self) -> None:
        """Close the open file (the store raises a typed error if the system could not
        close it cleanly; it is closed all the same)."""
        if self.file is not None:
            self._timer.stop()
            self._reconnect_timer.stop()
            self._stop_listening()
            cf, self.file = self.file, None
            try:
                cf.close()
            finally:
                self.fileClosed.emit()

    def keep_unsaved(self, record: CaseRecord, draft: CaseDraft) -> Path:
        """Write a change that could not be saved as a case@1 JSON file in the user's
        data folder (never beside the case file), to import once the file can be saved
        to again; returns where."""
        import json

        import platformdirs

        from ..store.timestamps import utc_now

        folder = Path(platformdirs.user_data_dir("billing-desk", appauthor=False)) / "unsaved"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{record.case_number}-{utc_now():%Y%m%dT%H%M%SZ}.json"
        path.write_text(json.dumps(draft.to_json(), ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
        return path

    @property
    def path(self) -> Path | None:
        return None if self.file is None else self.file.path

    def _cf(self) -> CaseFile:
        if self.file is None:
            if self.lost is not None:
                raise self.lost
            raise RuntimeError("no case file is open")
        if self.connection_error is not None:
            raise self.connection_error  # (at once: nothing waits on a dead connection)
        return self.file

    def lose(self, error: LocksLost) -> None:
        """The process lost the open file's locks (store/sqlite/openfiles.py): the file is
        closed as such (nothing more is read or written through it), and everything
        asked of this session from now on is refused with ``error``."""
        self.lost = error
        self.close()

    # -- cases ---------------------------------------------------------------------------

    def load(self, case_id: int) -> CaseRecord:
        return self._cf().cases.load(case_id)

    def new_case(self) -> CaseRecord:
        from ..domain.draft import CaseDraft

        record = self._cf().cases.create(CaseDraft(), actor=self.actor)
        self._saved(record)
        return record

    def save_draft(self, case_id: int, draft: CaseDraft, expected_revision: int) -> CaseRecord:
        """One user action: one transaction, one audit entry. A stale revision raises the
        store's conflict error; nothing is overwritten."""
        record = self._cf().cases.save(case_id, draft, expected_revision=expected_revision,
                                       actor=self.actor)
        self._saved(record)
        return record

    def save_notes(self, case_id: int, notes: str, expected_revision: int) -> CaseRecord:
        record = self._cf().cases.save(case_id, self.load(case_id).draft, notes=notes,
                                       expected_revision=expected_revision, actor=self.actor)
        self._saved(record)
        return record

    def change_status(self, case_id: int, action: Action, expected_revision: int,
                      reason: str | None = None, acknowledge_divergence: bool = False) -> CaseRecord:
        """A workflow step under the rules (``WorkflowRefused`` says why not); submission
        and approval also ask the letters' typesetting whether the case prints."""
        from ..documents.typesetting import LETTER_TYPESETTING

        record = self._cf().workflow.act(case_id, action, actor=self.actor,
                                         expected_revision=expected_revision, reason=reason,
                                         acknowledge_divergence=acknowledge_divergence,
                                         typesetting=LETTER_TYPESETTING)
        self._saved(record)
        return record

    def submit(self, case_id: int, expected_revision: int) -> CaseRecord:
        return self.change_status(case_id, Action.SUBMIT, expected_revision)

    def approve(self, case_id: int, expected_revision: int, acknowledge_divergence: bool) -> CaseRecord:
        return self.change_status(case_id, Action.APPROVE, expected_revision,
                                  acknowledge_divergence=acknowledge_divergence)

    def return_case(self, case_id: int, reason: str, expected_revision: int) -> CaseRecord:
        return self.change_status(case_id, Action.RETURN, expected_revision, reason)

    def void(self, case_id: int, reason: str, expected_revision: int) -> CaseRecord:
        return self.change_status(case_id, Action.VOID, expected_revision, reason)

    # -- queues and what was submitted --------------------------------------------------

    def waiting_for_approval(self, limit: int = 200) -> list[QueueItem]:
        """The longest-waiting submitted cases (at most ``limit``)."""
        return self._cf().queue.submitted(limit) if self.file is not None else []

    def waiting_count(self) -> int:
        return self._cf().queue.count_submitted() if self.file is not None else 0

    def returned_to_me(self) -> list[QueueItem]:
        return self._cf().queue.returned_to(self.actor) if self.file is not None else []

    def submitted_determination(self, case_id: int) -> DeterminationRecord | None:
        """Exactly the determination the clerk submitted (the snapshot kept then)."""
        return self._cf().determinations.submitted(case_id)

    def user_named(self, login: str) -> UserRecord | None:
        return self._cf().users.find(login)

    def known_head_problem(self) -> str | None:
        """Why the open file's history disagrees with what this workstation saw of it."""
        if self.file is None or self.file.is_server:  # (a server keeps its own history)
            return None
        try:
            return self._cf().known_head_problem()
        except StoreError:  # (the file cannot be read now: what it holds is said elsewhere)
            return None

    def file_exposure(self) -> str | None:
        """Why the open case file is readable by every user of the machine, or None."""
        return self._cf().exposure() if self.file is not None else None

    # -- the users (File > Users…) --------------------------------------------------------

    def users(self) -> list[UserRecord]:
        """Every user of the open store, disabled ones too."""
        return self._cf().users.list()

    @property
    def people_sign_in_to_the_server(self) -> bool:
        """A server whose people are its own login roles (their passwords are the
        server's; adding a user creates their login there)."""
        return self.file is not None and self.file.users.person is not None

    def add_user(self, login: str, name: str, role: Role, password: str,
                 limit_text: str = "") -> UserRecord:
        """A new user (administrators; on a server with people, their login role too)."""
        from ..domain.accounts import parse_limit

        return self._after_user_change(self._cf().users.add(
            login, name, role, password, actor=self.actor,
            approval_limit=parse_limit(limit_text) if role is not Role.CLERK else None))

    def set_user_role(self, login: str, role: Role) -> UserRecord:
        return self._after_user_change(self._cf().users.set_role(login, role, actor=self.actor))

    def set_user_limit(self, login: str, limit_text: str) -> UserRecord:
        from ..domain.accounts import parse_limit

        return self._after_user_change(
            self._cf().users.set_limit(login, parse_limit(limit_text), actor=self.actor))

    def set_user_active(self, login: str, active: bool) -> UserRecord:
        users = self._cf().users
        change = users.enable if active else users.disable
        return self._after_user_change(change(login, actor=self.actor))

    def set_user_password(self, login: str, password: str) -> None:
        """One's own password, or anyone's by an administrator."""
        self._cf().users.set_password(login, password, actor=self.actor)
        self._counter = self._cf().listing.change_counter()

    def _after_user_change(self, user: UserRecord) -> UserRecord:
        self._counter = self._cf().listing.change_counter()
        if self.user is not None and user.login.lower() == self.user.login.lower():
            self._set_user(user)  # (one's own role or limit: the window follows)
        return user

    @property
    def can_approve(self) -> bool:
        """The signed-in user has approval authority at all (the rules decide each case)."""
        return self.user is not None and may_approve(self.user.actor()) is None

    def assignees(self) -> list[str]:
        return self._cf().listing.assignees()

    # -- attachments and history --------------------------------------------------------

    def attachments(self, case_id: int) -> list[AttachmentRecord]:
        return self._cf().attachments.list(case_id)

    def attach_file(self, case_id: int, path: Path) -> AttachmentRecord:
        record = self._cf().attachments.add_file(case_id, path, actor=self.actor)
        self._counter = self._cf().listing.change_counter()
        return record

    def attachment_bytes(self, attachment_id: int) -> bytes:
        return self._cf().attachments.data(attachment_id)

    def remove_attachment(self, attachment_id: int) -> None:
        self._cf().attachments.remove(attachment_id, actor=self.actor)
        self._counter = self._cf().listing.change_counter()

    def history(self, case_id: int) -> list[AuditEntry]:
        return self._cf().cases.history(case_id)

    def verify_case(self, case_id: int) -> VerifyReport:
        """The case's history checked against the chain and the case itself."""
        return self._cf().verify_case(case_id)

    def verify_file(self) -> VerifyReport:
        return self._cf().verify()

    # -- documents (the issuing service) -------------------------------------------------

    def issued_documents(self, record: CaseRecord) -> tuple[DocumentRecord, ...]:
        return issuing.issued_documents(self._cf(), record)

    def document_pdf(self, document_id: int) -> bytes:
        return self._cf().documents.pdf(document_id)

    def preview_documents(self, record: CaseRecord) -> tuple[IssuedDocument, ...]:
        """Watermarked previews of the case's documents as of today (nothing stored)."""
        return self.preview_work(record)(self._cf())

    def preview_work(self, record: CaseRecord) -> Callable[[CaseFile], tuple[IssuedDocument, ...]]:
        """The rendering of the previews, to run on a worker thread (:meth:`reopened`)."""
        issue_date = date.today()
        return lambda cf: issuing.preview_documents(cf, record, issue_date=issue_date)

    def issue(self, case_id: int) -> Issue:
        """Issue the case's documents dated today (one transaction, one audit entry)."""
        return self.issued(self.issue_work(case_id)(self._cf()))

    def issue_work(self, case_id: int) -> Callable[[CaseFile], Issue]:
        """The issue itself, to run on a worker thread with a connection of its own
        (:meth:`reopened`); then :meth:`issued` on the GUI thread."""
        actor, issue_date = self.actor, date.today()
        return lambda cf: issuing.issue_documents(cf, case_id, actor=actor, issue_date=issue_date)

    def issued(self, issue: Issue) -> Issue:
        """After an issue (made here or on a worker): tell the views."""
        if issue.created:
            self._saved(issue.case)
        return issue

    def reopened(self) -> CaseFile:
        """A connection of its own to the open store, for work on another thread (an
        SQLite connection belongs to the thread that opened it; a server's is another
        connection with the same credentials): the caller closes it. A file is not read
        outside SQLite for it (store/sqlite/openfiles.py)."""
        return self._cf().reopen()

    def print_document(self, document_id: int, send: Callable[[bytes], int]) -> issuing.Printout:
        """The original on the first print, a COPY after; recorded once ``send`` printed."""
        printout = issuing.print_document(self._cf(), document_id, self.actor, send)
        self._counter = self._cf().listing.change_counter()
        return printout

    def save_document(self, document_id: int, path: Path,
                      write: Callable[[bytes, Path], None]) -> None:
        issuing.save_document(self._cf(), document_id, path, self.actor, write)
        self._counter = self._cf().listing.change_counter()

    def save_case_summary(self, case_id: int, path: Path) -> issuing.CaseSummaryPdf:
        """Write the case's printable summary (internal; nothing is stored or recorded)."""
        return issuing.save_case_summary(self._cf(), case_id, path, printed_by=self.actor)

    def letter_settings(self) -> list[issuing.SettingView]:
        """The office's letter settings as they are in effect."""
        return [v for v in issuing.office_settings(self._cf())
                if v.key not in issuing.office_settings_file_keys()]

    def letter_settings_problem(self) -> str | None:
        """Why the settings stored disagree with their history, or None."""
        return self._cf().settings.history_problem()

    def change_letter_settings(self, changes: dict) -> None:
        """Save changed letter settings: one action, one audit entry (administrators)."""
        issuing.change_letter_settings(self._cf(), changes, actor=self.actor)
        self._counter = self._cf().listing.change_counter()

    @property
    def is_administrator(self) -> bool:
        u = self.user
        return u is not None and u.active and u.role is Role.ADMINISTRATOR

    def issuable_count(self) -> int:
        """Approved cases waiting for their documents (what a batch would issue)."""
        return len(issuing.selected_cases(self._cf()))

    def _saved(self, record: CaseRecord) -> None:
        # our own change is not "external"; anything else saved since the last poll is
        listing = self._cf().listing
        others = listing.changed_since(self._counter) - {record.id}
        self._counter = listing.change_counter()
        self.caseSaved.emit(record)
        if others:
            self.externalChange.emit(others)

    # -- other windows -------------------------------------------------------------------

    def poll(self) -> None:
        if self.file is None or self.connection_error is not None:
            return
        from ..store.errors import LocksLost

        try:
            self.file.check_locks()  # (see store/sqlite/openfiles.py)
            counter = self.file.listing.change_counter()
        except LocksLost as e:
            self._timer.stop()
            self.locksLost.emit(e)
            return
        except CONNECTION_ERRORS as e:
            self.connection_lost(e)
            return
        except StoreError:
            return  # the next save or read reports it, with what was being done
        if counter != self._counter:
            changed = self.file.listing.changed_since(self._counter)
            self._counter = counter
            self.externalChange.emit(changed)

    # -- a server's announcements, and its connection ------------------------------------

    @property
    def is_server(self) -> bool:
        return self.file is not None and self.file.is_server

    def _listen(self) -> None:
        """Hear the server's announcements (on a connection of its own, watched by a
        socket notifier); without them (a case file, or the listener cannot connect)
        the poll timer alone tells."""
        self._stop_listening()
        if self.file is None or not self.file.is_server:
            return
        from .qt import QSocketNotifier

        try:
            self._listener = self.file.listen()
        except StoreError:
            return  # (the poll reads the change counter meanwhile)
        self._notifier = QSocketNotifier(self._listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._announced)

    def _stop_listening(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _announced(self, *_args) -> None:
        """The listener's socket has something: read it (never waits), then look."""
        if self._listener is None:
            return
        try:
            changes = self._listener.changes()
        except StoreError:  # the listener's connection dropped: the store's may have too
            self._stop_listening()
            self.poll()
            return
        if changes:
            self.poll()

    def connection_lost(self, error: StoreError) -> None:
        """The server cannot be used now: say so once, refuse every use at once, and try
        to connect again every ``RECONNECT_MS``."""
        if self.file is None or not self.file.is_server:
            return
        first = self.connection_error is None
        self.connection_error = error
        self._stop_listening()
        self._reconnect_timer.start()
        if first:
            self.connectionChanged.emit(error)

    def _try_reconnect(self) -> None:
        """One attempt, on a thread and a connection of its own (the store's is not
        touched until the server answers)."""
        if self._reconnecting or self.file is None or self.connection_error is None:
            return
        self._reconnecting = True
        cf = self.file

        from .background import run_in_background

        # (no window of its own, no progress shown: the banner says it is trying)
        self._reconnect_task = run_in_background(
            None, "Reconnect", lambda _progress: cf.reopen().close(),
            lambda _none: self._after_reconnect(None),
            failed=lambda e: self._after_reconnect(e if isinstance(e, StoreError) else
                                                   StoreError(str(e))),
            progressed=lambda *_: None)

    def _after_reconnect(self, error: StoreError | None) -> None:
        self._reconnecting = False
        if self.file is None or self.connection_error is None:
            return
        if error is not None:
            self.connection_error = error  # (the latest reason; still trying)
            return
        try:
            self.file.ping()  # the store's own connection, made again now
        except CONNECTION_ERRORS as e:
            self.connection_error = e
            return
        self.connection_error = None
        self._reconnect_timer.stop()
        self._listen()
        self.connectionChanged.emit(None)
        self.poll()  # what others saved meanwhile

