"""Recognise a case file from its first 100 bytes, before SQLite touches it.

Opening a database with SQLite can write to it (rolling back a hot journal, switching the
journal mode, migrating), so everything that can reject a file is decided here, by
reading the SQLite header (https://www.sqlite.org/fileformat.html#the_database_header):
not SQLite, not ours, too new, truncated. A rejected file is never opened for writing.
"""

from __future__ import annotations

import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path

from ..errors import CaseFileNotFound, CorruptFile, NewerVersion, NotACaseFile, NotSQLite, ReadOnlyFile

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100

#: ``PRAGMA application_id`` of every case file: "BDsk" in ASCII.
APPLICATION_ID = int.from_bytes(b"BDsk", "big")


@dataclass(frozen=True, slots=True)
class Header:
    page_size: int
    page_count: int | None  # None when the header's size field is not trustworthy
    user_version: int
    application_id: int


def read_header(path: Path) -> Header:
    """Parse the header of ``path``; raise :class:`NotSQLite` or :class:`CorruptFile`."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise CaseFileNotFound(path) from None
    if not stat.S_ISREG(st.st_mode):
        raise NotSQLite(path, "it is not a regular file")
    with path.open("rb") as f:
        head = f.read(HEADER_SIZE)
    if not head:
        raise NotSQLite(path, "the file is empty")
    if not head.startswith(SQLITE_MAGIC):
        raise NotSQLite(path, "it is not an SQLite database")
    if len(head) < HEADER_SIZE:
        raise CorruptFile(path, f"the file is truncated: only {len(head)} bytes")
    (raw_page_size,) = struct.unpack_from(">H", head, 16)
    page_size = 65536 if raw_page_size == 1 else raw_page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise CorruptFile(path, "its header is damaged (impossible page size)")
    change_counter, page_count = struct.unpack_from(">II", head, 24)
    (valid_for,) = struct.unpack_from(">I", head, 92)
    (user_version,) = struct.unpack_from(">i", head, 60)
    (application_id,) = struct.unpack_from(">i", head, 68)
    # The size field is only valid when written by SQLite >= 3.7.0 (fileformat §1.3.7).
    trusted = page_count if page_count and valid_for == change_counter else None
    return Header(page_size, trusted, user_version, application_id)


def check_case_file(path: Path, supported_version: int) -> Header:
    """Everything that can be said about ``path`` without opening it: raise the error a
    clerk should see, or return the header of what looks like a sound case file."""
    header = read_header(path)
    if header.application_id != APPLICATION_ID:
        raise NotACaseFile(path)
    if header.user_version > supported_version:
        raise NewerVersion(path, header.user_version, supported_version)
    if header.page_count is not None and not _has_wal(path):
        expected = header.page_count * header.page_size
        actual = path.stat().st_size
        if actual < expected:
            raise CorruptFile(path, f"the file is truncated: {actual:,} of {expected:,} bytes")
    return header


def check_writable(path: Path) -> None:
    """Refuse a file we could not save to, before anything writes to it: a read-only
    file (even for root, who may write anyway: the owner marked it read-only), or a
    folder where SQLite cannot create the -wal and -shm files beside it."""
    mode = path.stat().st_mode
    if not os.access(path, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise ReadOnlyFile(path)
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ReadOnlyFile(path, f"its folder {folder} is read-only")


def _has_wal(path: Path) -> bool:
    """A non-empty write-ahead log holds committed pages not yet copied into the file, so
    the file on its own may legitimately be shorter than its header says."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except FileNotFoundError:
        return False
