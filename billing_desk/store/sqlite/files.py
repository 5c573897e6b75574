"""Opening and creating case files (``*.bdesk``), the store on SQLite.

``open_case_file`` decides everything it can from the file header before SQLite opens
the file (see :mod:`.header`), so a file it refuses is left byte for byte as it was.
``create_case_file`` builds the new file under a temporary name and links it into
place only when complete: a crash during creation never leaves a half-made case file.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Callable

from ..casefile import CaseFile
from ..errors import CaseFileExists, CorruptFile, NewerVersion, NotACaseFile, ReadOnlyFile
from ..timestamps import Clock, utc_now
from . import openfiles
from .connection import SQLiteConnection, configure, connect, database, translated_errors
from .header import APPLICATION_ID, check_case_file, check_writable
from .schema import LATEST_VERSION, migrate, user_version

#: The file extension of case files.
SUFFIX = ".bdesk"
_CORE_TABLES = ("cases", "periods", "audit")


def open_case_file(path: str | Path, *, clock: Clock = utc_now,
                   read_only: bool = False) -> CaseFile:
    """Open an existing case file, migrating it if it is from an older version.

    Raises (each with a message for the clerk): CaseFileNotFound, NotSQLite,
    NotACaseFile, NewerVersion, CorruptFile, ReadOnlyFile, CaseFileBusy.

    ``read_only``: a copy that cannot be written (an archive, a CD, a file marked
    read-only) opened for reading: verified, searched, exported. SQLite reads it as an
    immutable file (no write-ahead log or lock is made beside it); every change is
    refused (:class:`ReadOnlyCopy`). A copy that holds a write-ahead log of its own, or
    was made by an older Billing Desk (it would need upgrading), is refused."""
    path = Path(path)
    if read_only:
        return _open_read_only(path, clock)
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
    return CaseFile(SQLiteConnection(path, conn, clock, key))


def _checked_version(conn: sqlite3.Connection, path: Path) -> int:
    """The file's schema version, once SQLite too says it is a case file of a version
    this Billing Desk reads (the header said so already; SQLite sees the write-ahead
    log) and, from version 1 on, that its case tables are there."""
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        raise NotACaseFile(path)
    version = user_version(conn)
    if version > LATEST_VERSION:
        raise NewerVersion(path, version, LATEST_VERSION)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version and not set(_CORE_TABLES) <= tables:
        raise CorruptFile(path, "its case tables are missing")
    return version


def _connect_checked(path: Path) -> sqlite3.Connection:
    with translated_errors(path):
        conn = connect(path)
    try:
        with translated_errors(path):
            version = _checked_version(conn, path)
            configure(conn, path)
            if version < LATEST_VERSION:
                migrate(database(conn))
    except BaseException:
        with translated_errors(path):
            conn.close()
        raise
    return conn


def exposure(path: Path) -> str | None:
    """Why a case file (or its write-ahead log) is not private to its owner and group:
    every user of the machine may read it; ``None`` when they may not."""
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            mode = p.stat().st_mode
        except OSError:
            continue
        if mode & 0o007:
            return (f"{p} can be read by every user of this computer (permissions "
                    f"{mode & 0o777:o}); a case file should be its owner's (and their "
                    f"group's) only: chmod o-rwx {p}")
    return None


def _open_read_only(path: Path, clock: Clock) -> CaseFile:
    from urllib.parse import quote

    from ..errors import ReadOnlyCopy

    key, already_open = openfiles.claim(path)
    try:
        if not already_open:
            check_case_file(path, LATEST_VERSION)
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise ReadOnlyCopy(path, f"it was copied with an unfinished write-ahead log "
                               f"({wal.name}), which cannot be read on a read-only disk")
        with translated_errors(path):
            conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1",
                                   uri=True, isolation_level=None)
        try:
            with translated_errors(path):
                version = _checked_version(conn, path)
                if version < LATEST_VERSION:
                    raise ReadOnlyCopy(path, f"it was made by an older Billing Desk (version "
                                       f"{version}) and must be upgraded, which a read-only "
                                       "copy cannot be")
                conn.execute("PRAGMA query_only = ON")
        except BaseException:
            conn.close()
            raise
    except BaseException:
        openfiles.release(key, path)
        raise
    return CaseFile(SQLiteConnection(path, conn, clock, key, read_only=True))


#: a new case file is its owner's alone (its write-ahead log and index take the same
#: mode from it: SQLite gives them the database file's permissions)
OWNER_ONLY, GROUP_TOO = 0o600, 0o660


def create_case_file(path: str | Path, *, clock: Clock = utc_now,
                     fill: Callable[[CaseFile], None] | None = None,
                     mode: int = OWNER_ONLY) -> CaseFile:
    """Create a new, empty case file at ``path`` (never over an existing file) and open
    it. ``fill``, if given, runs on the new file before it appears at ``path`` (a demo
    file is either complete or absent). The file is readable and writable by its owner
    only, or also by its group (``mode=GROUP_TOO``, for an office that shares it on one
    machine), never by others."""
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise CaseFileExists(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ReadOnlyFile(path, f"its folder {folder} cannot be written")
    import secrets  # (it loads OpenSSL: not needed to open a file)

    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.creating")
    try:
        # made here with its mode (SQLite would make it with the umask's, usually 0644)
        # (and set again past the umask, which would take a group's write away)
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode & 0o660)
        try:
            os.fchmod(fd, mode & 0o660)
        finally:
            os.close(fd)
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
                    fill(CaseFile(SQLiteConnection(temp, conn, clock)))
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

