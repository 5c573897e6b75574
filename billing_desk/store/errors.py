"""What can go wrong with a store -- a case file or a database on a server -- one
exception class per failure a clerk can meet.

Every message is written for the clerk (what happened, what to do), names the file or
the server's database, and never carries a traceback or SQL. Each class carries its own
CLI exit code (``exit_code``, listed by ``billing-desk --help`` and docs/cli.md); the
desktop app shows the message in one dialog (billing_desk/errors.py). A failure that
means the same on both backends (busy, refused by the store's own rules, a newer schema,
not ours) is the same class, worded for either.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BillingDeskError


class StoreError(BillingDeskError):
    """Base of every store failure; ``str(e)`` is the clerk-readable message, and each
    class its own exit code (docs/cli.md)."""

    exit_code = 1
    title = "The case file"


def _short(where: Path | str) -> str:
    """A file by its name, a server's database as it is called."""
    return where.name if isinstance(where, Path) else str(where)


class CaseFileNotFound(StoreError):
    exit_code = 3
    meaning = 'the case file, or the case named, does not exist'

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: there is no such file.")


class CaseFileExists(StoreError):
    exit_code = 11
    meaning = ('new/demo/copy: the file exists, or the database is not empty '
               '(never overwritten)')

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} already exists; a new case file is never written over "
                         "an existing file. Choose another name.")


class NotSQLite(StoreError):
    """The file is not an SQLite database at all (a document, an empty file, noise)."""

    exit_code = 4
    meaning = 'the file is not a case file (not an SQLite database at all)'

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(f"{path} is not a Billing Desk case file ({detail}). "
                         "It was not changed.")


class NotACaseFile(StoreError):
    """An SQLite database, but one written by another program."""

    exit_code = 5
    meaning = "the file, or the server's database, belongs to another program"

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} is an SQLite database but not a Billing Desk case file. "
                         "It was not changed.")


class NewerVersion(StoreError):
    exit_code = 6
    meaning = 'the case file or server database was written by a newer Billing Desk'

    def __init__(self, path: Path | str, found: int, supported: int) -> None:
        self.path, self.found, self.supported = path, found, supported
        if isinstance(path, Path):
            super().__init__(f"{path} was written by a newer version of Billing Desk (case-file "
                             f"version {found}; this version reads up to {supported}). Update "
                             "Billing Desk to open it. The file was not changed.")
        else:
            super().__init__(f"{path} holds the schema of a newer version of Billing Desk "
                             f"(schema version {found}; this version reads up to {supported}). "
                             "Update Billing Desk on this workstation to use it. Nothing was "
                             "changed.")


class CorruptFile(StoreError):
    """Damaged or truncated: SQLite cannot read it as it is."""

    exit_code = 7
    meaning = 'the case file is damaged or truncated'

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(f"{path} is damaged ({detail}). It was not changed; restore it from "
                         "the last backup or ask your administrator.")


class ReadOnlyFile(StoreError):
    exit_code = 8
    meaning = 'the case file (or its folder) cannot be written'

    def __init__(self, path: Path, detail: str = "the file is read-only") -> None:
        self.path = path
        super().__init__(f"{path} cannot be written: {detail}. Billing Desk only opens case "
                         "files it can save to. The file was not changed.")


class ReadOnlyCopy(ReadOnlyFile):
    """A change asked of a case file opened for reading only (a copy on a read-only
    disk, an archive, a CD), or such a copy that cannot be read as it is."""

    meaning = 'the case file is open for reading only (a read-only copy)'

    def __init__(self, path: Path, detail: str = "") -> None:
        self.path = path
        StoreError.__init__(self, f"{path} is open for reading only (a read-only copy): "
                            + (detail or "nothing can be changed in it") + ". Copy it to a "
                            "folder you can write to, to work in it.")


class DiskFull(StoreError):
    exit_code = 9
    meaning = 'the disk is full; the change was not saved (earlier ones are intact)'

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"The disk holding {path} is full: the last change was not saved. "
                         "Everything saved before it is intact. Free some space and save again.")


class CaseFileBusy(StoreError):
    exit_code = 10
    meaning = 'another program or workstation kept the case file or database locked'

    def __init__(self, path: Path | str) -> None:
        self.path = path
        super().__init__(f"{path} is busy: another window, workstation or program kept it "
                         "locked for too long. Nothing was changed; try again in a moment.")


class CaseFileIOError(StoreError):
    """The system could not read or write the file (a failing disk, a network share that
    went away, a file removed under the program): SQLite's I/O errors."""

    exit_code = 21
    meaning = ('the case file could not be read or written (a disk or network error), '
               'or the server failed')

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(f"{path} could not be read or written ({detail}). The last change "
                         "was not saved; what was saved before it is intact. Check the disk or "
                         "the network connection, then open the file again.")


class RefusedByFile(StoreError):
    """The store's own rules (a constraint or a trigger, in the file or on the server)
    refused a change: a change the app should never have tried, or one tried from
    outside the app."""

    exit_code = 23
    meaning = "the store's own rules (file or server) refused the change; nothing was saved"

    def __init__(self, path: Path | str, detail: str) -> None:
        self.path = path
        super().__init__(f"{path} refused the change ({detail}). Nothing was saved.")


class LocksLost(StoreError):
    """This process no longer holds SQLite's locks on the file.

    POSIX advisory locks belong to the process: closing *any* descriptor of the file
    drops every lock the process holds on it, including those of the open connection
    (sqlite.org, "How To Corrupt An SQLite Database File", 2.2). Another program may then
    believe it is alone, copy the write-ahead log into the file and delete it, and what
    this connection writes next goes to a log nobody will ever read. So once the locks
    are gone, nothing more is written through this connection, and the file cannot be
    opened again in this process: only a restart gives clean locks."""

    exit_code = 22
    meaning = 'Billing Desk lost its lock on the case file; nothing more was saved'

    def __init__(self, path: Path, *, reopening: bool = False) -> None:
        self.path = path
        what = ("It cannot be opened again until Billing Desk is restarted" if reopening else
                "To protect the file, nothing more is saved from this window and the last "
                "change was NOT saved")
        super().__init__(f"Billing Desk lost its lock on {path}: something in this program "
                         f"read the file outside the database. {what}. Everything saved "
                         "before is intact. Quit Billing Desk and start it again.")


class IsTheCaseFile(StoreError):
    """A file chosen to read (an attachment, a CSV) is part of a case file open here:
    reading it outside SQLite would drop the connection's locks (see LocksLost)."""

    exit_code = 24
    meaning = 'the file given is part of a case file open here (not attached or read)'

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} is part of a case file open in Billing Desk (the file itself, "
                         "or its write-ahead log). It cannot be attached or imported; choose "
                         "another file.")


class StaleRevision(StoreError):
    """A save based on a revision that someone else has already replaced."""

    exit_code = 12
    meaning = 'someone else saved the case first; nothing was overwritten'

    def __init__(self, case_number: str, expected: int, current: int, by: str) -> None:
        self.case_number, self.expected, self.current, self.by = case_number, expected, current, by
        super().__init__(f"Case {case_number} was changed by {by} after you opened it "
                         f"(you have revision {expected}, the file has revision {current}). "
                         "Your changes were not saved; reload the case and apply them again.")


class AttachmentTooLarge(StoreError):
    exit_code = 13
    meaning = 'the attachment is larger than the case file accepts'

    def __init__(self, name: str, size: int, limit: int) -> None:
        self.name, self.size, self.limit = name, size, limit
        super().__init__(f"{name} is {_megabytes(size)}; the largest attachment this case "
                         f"file accepts is {_megabytes(limit)}. It was not attached.")


class NotAUser(StoreError):
    """A change asked for by a login that is not an active user of this case file."""

    exit_code = 16

    def __init__(self, path: Path | str, login: str, disabled: bool = False) -> None:
        self.path, self.login, self.disabled = path, login, disabled
        if disabled:
            text = f"The account {login} is disabled in {_short(path)}"
        else:
            text = f"{login} is not a user of {_short(path)}"
        super().__init__(f"{text}: nothing was changed. Sign in as one of its active users.")


class NotThePersonConnected(StoreError):
    """A change asked for in the name of someone other than the person connected to the
    server: on a server with login roles, whoever signs in to PostgreSQL is who acts."""

    exit_code = 16

    def __init__(self, where: str, person: str, login: str) -> None:
        self.where, self.person, self.login = where, person, login
        super().__init__(f"You are signed in to {where} as {person}, not {login}: nothing "
                         f"was changed. {login} signs in with their own login.")


class NotAPersonOfTheDatabase(StoreError):
    """A connection to a database with people as someone who is none of them (a
    superuser, the owner, another program's role): Billing Desk works only as a person."""

    exit_code = 27

    def __init__(self, where: str, role: str) -> None:
        self.where, self.role = where, role
        super().__init__(f"{where} is used by people who sign in with their own login; {role} "
                         "is not one of them (Billing Desk never works as a superuser or as "
                         "the database's owner). Sign in with your own login, or ask an "
                         "administrator to add you.")


class SignInRefused(StoreError):
    """A sign-in that failed. A wrong login and a wrong password give the same message;
    only after the correct password does it say that the account is disabled."""

    exit_code = 16
    meaning = 'sign-in refused (login or password not correct, or account disabled)'

    WRONG = "Login or password is not correct."
    DISABLED = ("This account is disabled; ask an administrator of the case file to "
                "enable it.")

    def __init__(self, message: str = WRONG) -> None:
        super().__init__(message)


class NotADemoFile(StoreError):
    exit_code = 17
    meaning = 'demo: the file is not a demo file (demo users have public passwords)'

    def __init__(self, path: Path | str) -> None:
        self.path = path
        super().__init__(f"{path} is not a demo file: demo cases, and the demo users with "
                         "public passwords who prepared them, only go into a new file or a "
                         "demo file. Nothing was changed.")


class RecordNotFound(StoreError):
    """A case (by number or id), attachment or document that the store does not hold."""

    exit_code = 3

    def __init__(self, what: str, where: str = "this case file") -> None:
        self.what = what
        super().__init__(f"{what} is not in {where}.")


class CaseAltered(StoreError):
    """A case's stored data disagrees with its audit history (edited in the file behind
    the application's back): nothing is issued from it."""

    exit_code = 18  # (the issue was refused: docs/cli.md)

    def __init__(self, case_number: str, problem: str) -> None:
        self.case_number = case_number
        super().__init__(f"Case {case_number} is not printed or issued: its stored data does "
                         f"not match its history ({problem}) Nothing was printed or stored. "
                         f"The case file was changed outside Billing Desk: run billing-desk "
                         f"verify and report it.")


class SettingsAltered(StoreError):
    """The office settings stored disagree with their history (a letterhead, a telephone
    number written into the file behind the application's back): nothing is printed with
    them until an administrator sets them again and ``verify`` is clean."""

    exit_code = 18  # (the issue was refused: docs/cli.md)

    def __init__(self, problem: str) -> None:
        super().__init__(f"The office settings in the case file do not match their history: "
                         f"{problem} Nothing was issued. Run billing-desk verify, and have an "
                         f"administrator set the settings again (billing-desk settings).")


class IssueRefused(StoreError):
    """Documents that cannot be stored as the issue of their case: rendered from
    another determination than the case has now, or a case already issued otherwise."""

    exit_code = 18  # (the issue was refused: docs/cli.md)

    def __init__(self, case_number: str, reason: str) -> None:
        self.case_number, self.reason = case_number, reason
        super().__init__(f"Case {case_number} was not issued: {reason} Nothing was stored.")


# --- a database on a server ----------------------------------------------------------

class ServerError(StoreError):
    """Base of the failures of a database on a server (each with its own exit code)."""

    title = "The server"


class PasswordInTarget(ServerError):
    """A server address with a password in it: it would be in the shell history, the
    process list and the recent list."""

    exit_code = 2

    def __init__(self) -> None:
        super().__init__("The server address has a password in it: a password never goes "
                         "on the command line or into the list of recent files. Remove it; "
                         "the password comes from your ~/.pgpass file (or PGPASSFILE), from "
                         "PGPASSWORD in a script, or is asked for.")


class ServerUnavailable(ServerError):
    """The server cannot be used right now -- unreachable, the connection lost, or its
    sign-in refused -- as opposed to a change refused: what the app keeps an edit for
    and tries again (each kind below has its own exit code)."""

    exit_code = 25


class ServerUnreachable(ServerUnavailable):
    """No connection to the server could be made: it is down, the address is wrong, or
    the network is."""

    exit_code = 25
    meaning = 'the server cannot be reached (down, wrong address, network)'

    def __init__(self, where: str, detail: str) -> None:
        self.where, self.detail = where, detail
        super().__init__(f"Cannot reach the Billing Desk server {where} ({detail}). Nothing "
                         "was changed. Check the network connection and the server's address, "
                         "or ask your IT department whether the server is running.")


class ServerSignInRefused(ServerUnavailable):
    """The server refused the connection's login: no password given where one is needed,
    a wrong password, or a role the server does not know."""

    exit_code = 27
    meaning = 'the server refused the connection (password, user or database name)'

    def __init__(self, where: str, detail: str, *, needs_password: bool = False) -> None:
        self.where, self.detail, self.needs_password = where, detail, needs_password
        if needs_password:
            text = (f"The server {where} asks for a password ({detail}). Type it when asked "
                    "(in the app: File > Connect to server), or for a script put it in "
                    "~/.pgpass (PGPASSFILE) or PGPASSWORD.")
        else:
            text = (f"The server {where} refused the connection: {detail}. Check the user "
                    "name and the password, or ask your IT department.")
        super().__init__(text + " Nothing was changed.")


class ConnectionLost(ServerUnavailable):
    """The connection to the server broke during a change. ``uncertain``: it broke while
    the server was committing, so the change may have been saved; otherwise it certainly
    was not (the server undoes a transaction whose connection goes away)."""

    exit_code = 26
    meaning = ('the connection to the server was lost during the change; it was not saved (or, '
               'if the message says so, may have been)')

    def __init__(self, where: str, detail: str, *, uncertain: bool = False) -> None:
        self.where, self.detail, self.uncertain = where, detail, uncertain
        if uncertain:
            text = (f"The connection to {where} was lost while the server was saving the last "
                    f"change ({detail}): it may or may not have been saved. Nothing was "
                    "half-saved; reload to see what the server holds.")
        else:
            text = (f"The connection to {where} was lost ({detail}): the last change was NOT "
                    "saved. Everything saved before it is on the server; save again once the "
                    "connection is back.")
        super().__init__(text)


class ServerFailure(ServerError):
    """Anything else the server reported while reading or writing."""

    exit_code = 21

    def __init__(self, where: str, detail: str) -> None:
        self.where, self.detail = where, detail
        super().__init__(f"The server {where} could not do what was asked ({detail}). The "
                         "last change was not saved; what was saved before it is intact.")


class NotABillingDeskDatabase(ServerError):
    """A database on the server that holds something else than Billing Desk's schema."""

    exit_code = 5

    def __init__(self, where: str) -> None:
        self.where = where
        super().__init__(f"{where} is not a Billing Desk database: it holds other tables and "
                         "no Billing Desk schema. It was not changed. Check the database name, "
                         "or ask your IT department for an empty database.")


class SchemaNeedsUpgrade(ServerError):
    """A database on the server without Billing Desk's schema yet (``found`` 0, an empty
    database) or with an older one: ``billing-desk upgrade`` brings it to this version."""

    exit_code = 28
    meaning = "the server's database needs `billing-desk upgrade` (empty, or an older schema)"

    def __init__(self, where: str, found: int, latest: int) -> None:
        self.where, self.found, self.latest = where, found, latest
        if found == 0:
            text = f"{where} is an empty database: it has no Billing Desk schema yet"
        else:
            text = (f"{where} holds Billing Desk schema version {found}; this version of "
                    f"Billing Desk needs version {latest}")
        super().__init__(f"{text}. Its owner creates or upgrades the schema with "
                         f"`billing-desk upgrade TARGET` (see the README). Nothing was changed.")


class DatabaseNotEmpty(ServerError):
    """A new store (``new``, ``demo``, ``copy``) is made only in an empty database."""

    exit_code = 11

    def __init__(self, where: str, detail: str) -> None:
        self.where = where
        super().__init__(f"{where} is not empty ({detail}); a new Billing Desk database is "
                         "only made in an empty one, and nothing is ever written over one. "
                         "Nothing was changed.")


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"
