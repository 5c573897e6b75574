"""What can go wrong with a store -- a case file or a database on a server -- one
exception class per failure a clerk can meet.

Every message is written for the clerk (what happened, what to do), names the file or
the server's database, and never carries a traceback or SQL. The CLI maps each class to
its own exit code (``billing_desk/cli/exit_codes.py``); the desktop app shows the message
in one dialog. A failure that means the same on both backends (busy, refused by the
store's own rules, a newer schema, not ours) is the same class, worded for either.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base of every store failure; ``str(e)`` is the clerk-readable message."""


def _short(where: Path | str) -> str:
    """A file by its name, a server's database as it is called."""
    return where.name if isinstance(where, Path) else str(where)


class CaseFileNotFound(StoreError):
    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: there is no such file.")


class CaseFileExists(StoreError):
    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} already exists; a new case file is never written over "
                         "an existing file. Choose another name.")


class NotSQLite(StoreError):
    """The file is not an SQLite database at all (a document, an empty file, noise)."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(f"{path} is not a Billing Desk case file ({detail}). "
                         "It was not changed.")


class NotACaseFile(StoreError):
    """An SQLite database, but one written by another program."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} is an SQLite database but not a Billing Desk case file. "
                         "It was not changed.")


class NewerVersion(StoreError):
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

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(f"{path} is damaged ({detail}). It was not changed; restore it from "
                         "the last backup or ask your administrator.")


class ReadOnlyFile(StoreError):
    def __init__(self, path: Path, detail: str = "the file is read-only") -> None:
        self.path = path
        super().__init__(f"{path} cannot be written: {detail}. Billing Desk only opens case "
                         "files it can save to. The file was not changed.")


class DiskFull(StoreError):
    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"The disk holding {path} is full: the last change was not saved. "
                         "Everything saved before it is intact. Free some space and save again.")


class CaseFileBusy(StoreError):
    def __init__(self, path: Path | str) -> None:
        self.path = path
        super().__init__(f"{path} is busy: another window, workstation or program kept it "
                         "locked for too long. Nothing was changed; try again in a moment.")


class CaseFileIOError(StoreError):
    """The system could not read or write the file (a failing disk, a network share that
    went away, a file removed under the program): SQLite's I/O errors."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(f"{path} could not be read or written ({detail}). The last change "
                         "was not saved; what was saved before it is intact. Check the disk or "
                         "the network connection, then open the file again.")


class RefusedByFile(StoreError):
    """The store's own rules (a constraint or a trigger, in the file or on the server)
    refused a change: a change the app should never have tried, or one tried from
    outside the app."""

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

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} is part of a case file open in Billing Desk (the file itself, "
                         "or its write-ahead log). It cannot be attached or imported; choose "
                         "another file.")


class StaleRevision(StoreError):
    """A save based on a revision that someone else has already replaced."""

    def __init__(self, case_number: str, expected: int, current: int, by: str) -> None:
        self.case_number, self.expected, self.current, self.by = case_number, expected, current, by
        super().__init__(f"Case {case_number} was changed by {by} after you opened it "
                         f"(you have revision {expected}, the file has revision {current}). "
                         "Your changes were not saved; reload the case and apply them again.")


class AttachmentTooLarge(StoreError):
    def __init__(self, name: str, size: int, limit: int) -> None:
        self.name, self.size, self.limit = name, size, limit
        super().__init__(f"{name} is {_megabytes(size)}; the largest attachment this case "
                         f"file accepts is {_megabytes(limit)}. It was not attached.")


class NotAUser(StoreError):
    """A change asked for by a login that is not an active user of this case file."""

    def __init__(self, path: Path | str, login: str, disabled: bool = False) -> None:
        self.path, self.login, self.disabled = path, login, disabled
        if disabled:
            text = f"The account {login} is disabled in {_short(path)}"
        else:
            text = f"{login} is not a user of {_short(path)}"
        super().__init__(f"{text}: nothing was changed. Sign in as one of its active users.")


class SignInRefused(StoreError):
    """A sign-in that failed. A wrong login and a wrong password give the same message;
    only after the correct password does it say that the account is disabled."""

    WRONG = "Login or password is not correct."
    DISABLED = ("This account is disabled; ask an administrator of the case file to "
                "enable it.")

    def __init__(self, message: str = WRONG) -> None:
        super().__init__(message)


class NotADemoFile(StoreError):
    def __init__(self, path: Path | str) -> None:
        self.path = path
        super().__init__(f"{path} is not a demo file: demo cases, and the demo users with "
                         "public passwords who prepared them, only go into a new file or a "
                         "demo file. Nothing was changed.")


class RecordNotFound(StoreError):
    """A case (by number or id), attachment or document that the store does not hold."""

    def __init__(self, what: str, where: str = "this case file") -> None:
        self.what = what
        super().__init__(f"{what} is not in {where}.")


class IssueRefused(StoreError):
    """Documents that cannot be stored as the issue of their case: rendered from
    another determination than the case has now, or a case already issued otherwise."""

    def __init__(self, case_number: str, reason: str) -> None:
        self.case_number, self.reason = case_number, reason
        super().__init__(f"Case {case_number} was not issued: {reason} Nothing was stored.")


# --- a database on a server ----------------------------------------------------------

class PasswordInTarget(StoreError):
    """A server address with a password in it: it would be in the shell history, the
    process list and the recent list."""

    def __init__(self) -> None:
        super().__init__("The server address has a password in it: a password never goes "
                         "on the command line or into the list of recent files. Remove it; "
                         "the password comes from your ~/.pgpass file (or PGPASSFILE), from "
                         "PGPASSWORD in a script, or is asked for.")


class ServerUnreachable(StoreError):
    """No connection to the server could be made: it is down, the address is wrong, or
    the network is."""

    def __init__(self, where: str, detail: str) -> None:
        self.where, self.detail = where, detail
        super().__init__(f"Cannot reach the Billing Desk server {where} ({detail}). Nothing "
                         "was changed. Check the network connection and the server's address, "
                         "or ask your IT department whether the server is running.")


class ServerSignInRefused(StoreError):
    """The server refused the connection's login: no password given where one is needed,
    a wrong password, or a role the server does not know."""

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


class ConnectionLost(StoreError):
    """The connection to the server broke during a change. ``uncertain``: it broke while
    the server was committing, so the change may have been saved; otherwise it certainly
    was not (the server undoes a transaction whose connection goes away)."""

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


class ServerFailure(StoreError):
    """Anything else the server reported while reading or writing."""

    def __init__(self, where: str, detail: str) -> None:
        self.where, self.detail = where, detail
        super().__init__(f"The server {where} could not do what was asked ({detail}). The "
                         "last change was not saved; what was saved before it is intact.")


class NotABillingDeskDatabase(StoreError):
    """A database on the server that holds something else than Billing Desk's schema."""

    def __init__(self, where: str) -> None:
        self.where = where
        super().__init__(f"{where} is not a Billing Desk database: it holds other tables and "
                         "no Billing Desk schema. It was not changed. Check the database name, "
                         "or ask your IT department for an empty database.")


class SchemaNeedsUpgrade(StoreError):
    """A database on the server without Billing Desk's schema yet (``found`` 0, an empty
    database) or with an older one: ``billing-desk upgrade`` brings it to this version."""

    def __init__(self, where: str, found: int, latest: int) -> None:
        self.where, self.found, self.latest = where, found, latest
        if found == 0:
            text = f"{where} is an empty database: it has no Billing Desk schema yet"
        else:
            text = (f"{where} holds Billing Desk schema version {found}; this version of "
                    f"Billing Desk needs version {latest}")
        super().__init__(f"{text}. Its owner creates or upgrades the schema with "
                         f"`billing-desk upgrade TARGET` (see the README). Nothing was changed.")


class DatabaseNotEmpty(StoreError):
    """A new store (``new``, ``demo``, ``copy``) is made only in an empty database."""

    def __init__(self, where: str, detail: str) -> None:
        self.where = where
        super().__init__(f"{where} is not empty ({detail}); a new Billing Desk database is "
                         "only made in an empty one, and nothing is ever written over one. "
                         "Nothing was changed.")


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"
