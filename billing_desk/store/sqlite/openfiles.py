"""The case files this process has open, and whether it still holds their locks.

SQLite keeps a case file consistent between programs with POSIX advisory locks, and
those belong to the *process*, not to the descriptor: closing any descriptor of the
file -- even one opened only to read its first 100 bytes -- silently drops every lock
the process holds on it, including those of the open connection (sqlite.org, "How To
Corrupt An SQLite Database File", section 2.2). Another program that opens the file
then believes it is alone; when it closes it copies the write-ahead log into the file
and deletes it, and whatever this process saves next goes into a deleted log: reported
"Saved", gone at the next start, and ``verify`` still says the file is intact.

So, in this process:

* a file is read outside SQLite only while no connection has it open (the header check
  of :func:`~.casefile.open_case_file` is skipped for a file already open here);
* a file chosen to attach or import is refused if it is part of an open case file
  (:func:`refuse_case_file_parts`);
* and, as a last line, each connection checks before every write that the process still
  holds its locks (:class:`LockWatch`); if not, the file is marked lost here: nothing
  more is written to it, its connections are never closed (closing would let SQLite
  checkpoint a stale log and delete the live one by name), and it cannot be opened
  again until the program restarts.

The lock check reads ``/proc/locks`` (Linux). Where that does not exist, or where it
does not show the locks SQLite just took (some file systems), the check is off for that
connection; the prevention above still holds.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IsTheCaseFile, LocksLost

#: a file as the kernel knows it, whatever name it was opened by
FileKey = tuple[int, int]

#: the files beside a case file that SQLite opens and locks with it
SIDE_FILES = ("-wal", "-shm", "-journal")


def file_key(path: Path) -> FileKey | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


@dataclass
class _Entry:
    paths: list[Path] = field(default_factory=list)


_guard = threading.RLock()
_open: dict[FileKey, _Entry] = {}
_lost: set[FileKey] = set()
#: connections of lost files, kept (never closed, never freed) until the process ends
_kept: list[object] = []


def claim(path: Path) -> tuple[FileKey | None, bool]:
    """Record that ``path`` is being opened here; return its key and whether another
    connection of this process already has it open (then it must not be read outside
    SQLite). Raises :class:`LocksLost` for a file whose locks this process lost."""
    key = file_key(path)
    with _guard:
        if key is None:
            return None, False
        if key in _lost:
            raise LocksLost(path, reopening=True)
        entry = _open.get(key)
        already = entry is not None
        if entry is None:
            entry = _open[key] = _Entry()
        entry.paths.append(path)
        return key, already


def release(key: FileKey | None, path: Path) -> None:
    if key is None:
        return
    with _guard:
        entry = _open.get(key)
        if entry is None:
            return
        if path in entry.paths:
            entry.paths.remove(path)
        if not entry.paths:
            del _open[key]


def is_lost(key: FileKey | None) -> bool:
    return key is not None and key in _lost


def mark_lost(key: FileKey) -> None:
    with _guard:
        _lost.add(key)


def keep_forever(conn: object) -> None:
    """Never close ``conn``, not even when the interpreter shuts down: a lost file's
    connection must not checkpoint or delete anything (see the module note)."""
    import ctypes

    _kept.append(conn)
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(conn))


def refuse_case_file_parts(path: Path) -> None:
    """Raise :class:`IsTheCaseFile` if ``path`` is a case file open in this process, or
    its write-ahead log, shared-memory index or journal, by whatever name."""
    key = file_key(path)
    if key is None:
        return
    with _guard:
        open_paths = [p for entry in _open.values() for p in entry.paths]
        if key in _open:
            raise IsTheCaseFile(path)
    for p in open_paths:
        for suffix in SIDE_FILES:
            if file_key(p.with_name(p.name + suffix)) == key:
                raise IsTheCaseFile(path)


def read_outside_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a file the user chose (an attachment, a CSV), refused if it is part
    of a case file open here: reading it would drop that file's locks; and past
    ``limit`` bytes (:class:`~billing_desk.domain.limits.TooLarge`, an ``OSError``)."""
    refuse_case_file_parts(path)
    if limit is None:
        return path.read_bytes()
    from ...domain.limits import read_at_most

    with open(path, "rb") as f:
        return read_at_most(f, limit, str(path))


#: the byte SQLite's unix VFS locks in the -shm index for as long as a connection has it
#: open (its "dead man switch"), and the first byte of its SHARED lock on the database
SHM_DMS_BYTE = 128
DB_SHARED_FIRST = 0x40000000 + 2


def held_locks() -> list[tuple[int, int, int]] | None:
    """The POSIX locks this process holds, as (inode, first byte, last byte), from
    ``/proc/locks``; None where the system does not say."""
    try:
        with open("/proc/locks", "rb") as f:
            data = f.read()
    except OSError:
        return None
    pid = str(os.getpid()).encode()
    held = []
    for line in data.splitlines():
        parts = line.split()
        # "12: POSIX  ADVISORY  READ 4242 fd:01:1234567 1073741826 1073742335"; a
        # waiting request is shown as "12: -> POSIX ..." and holds nothing yet
        if len(parts) < 8 or parts[1] != b"POSIX" or parts[4] != pid:
            continue
        try:
            last = 1 << 63 if parts[7] == b"EOF" else int(parts[7])
            held.append((int(parts[5].rsplit(b":", 1)[1]), int(parts[6]), last))
        except ValueError:
            continue
    return held


def held_lock_inodes() -> set[int] | None:
    locks = held_locks()
    return None if locks is None else {inode for inode, _, _ in locks}


def _covers(locks: list[tuple[int, int, int]], inode: int, byte: int) -> bool:
    return any(i == inode and first <= byte <= last for i, first, last in locks)


class LockWatch:
    """Whether the process still holds the locks a connection in WAL mode always holds:
    a shared lock on the database file and the "dead man switch" byte of its ``-shm``
    index (a transaction's own locks on other bytes of the index do not count).

    Made right after the connection opened the file in WAL mode, when both are certainly
    held: if the system does not show them then, it cannot tell, and the watch stays off."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.active = self._holds() is True

    def _holds(self) -> bool | None:
        locks = held_locks()
        if locks is None:
            return None
        db, shm = file_key(self.path), file_key(self.path.with_name(self.path.name + "-shm"))
        return (db is not None and shm is not None and _covers(locks, db[1], DB_SHARED_FIRST)
                and _covers(locks, shm[1], SHM_DMS_BYTE))

    def holds(self) -> bool:
        return not self.active or self._holds() is not False
