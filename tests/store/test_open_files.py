"""Saved work is never lost when other programs use the same case file (issue 23, item 1).

POSIX locks belong to the process: closing any descriptor of the case file, the -wal or
the -shm drops every SQLite lock the process holds on it; another program then believes
it is alone, copies the log into the file and deletes it, and this process's next saves
go into a deleted log. These tests run the sequences that did it with a real second
process (``billing-desk search``), and the last line of defence: a connection that has
lost its locks refuses to write, loudly, and never closes in a way that could harm.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from billing_desk.store import create_case_file, open_case_file
from billing_desk.store.sqlite.connection import store_error
from billing_desk.store.errors import (
    CaseFileBusy,
    CaseFileIOError,
    CorruptFile,
    DiskFull,
    IsTheCaseFile,
    LocksLost,
    ReadOnlyFile,
    RefusedByFile,
    StoreError,
)
from billing_desk.store.sqlite.openfiles import file_key, held_lock_inodes, read_outside_file
from tests.store.conftest import shared_draft

pytestmark = pytest.mark.skipif(held_lock_inodes() is None, reason="needs /proc/locks (Linux)")

ROOT = Path(__file__).resolve().parents[2]


def other_program_uses(path: Path) -> None:
    """A second process opens the file, searches it and closes it (the issue's step)."""
    done = subprocess.run([sys.executable, "-m", "billing_desk", "search", str(path), "x"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr


def numbers_seen_by_another_program(path: Path) -> list[str]:
    """The case numbers and customer names another process reads from the file."""
    code = ("import json, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "print(json.dumps(c.execute('SELECT case_number, customer_name FROM cases "
            "ORDER BY id').fetchall()))")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [f"{n} {name}" for n, name in json.loads(done.stdout)]


def named(prefix: str, name: str):
    draft = shared_draft(prefix)
    return replace(draft, account=replace(draft.account, customer_name=name))


def holds_locks_on(path: Path) -> bool:
    inodes = held_lock_inodes()
    return file_key(path)[1] in inodes and file_key(Path(f"{path}-shm"))[1] in inodes


def test_opening_a_file_again_in_the_same_process_keeps_its_locks(tmp_path):
    path = tmp_path / "office.bdesk"
    create_case_file(path).close()
    first = open_case_file(path)
    assert holds_locks_on(path)
    second = open_case_file(path)  # (a sign-out and sign-in, a second window)
    assert holds_locks_on(path)  # the header was not read outside SQLite this time
    first.close()
    assert holds_locks_on(path)
    second.close()


def test_a_second_connection_then_another_program_loses_no_save(tmp_path):
    """The sign-out sequence: the file opened again while the first connection still
    held it, a case saved, another program opening and closing the file, a later save."""
    path = tmp_path / "office.bdesk"
    create_case_file(path).close()
    old = open_case_file(path)
    cf = open_case_file(path)
    old.close()
    first = cf.cases.create(named("01-", "Ana Before"), actor="akim")
    other_program_uses(path)
    second = cf.cases.create(named("01-", "Ben After"), actor="akim")
    cf.cases.save(first.id, named("01-", "Ana Edited"), expected_revision=first.revision,
                  actor="akim")
    # what another workstation sees, before this process closes anything
    assert numbers_seen_by_another_program(path) == [
        f"{first.case_number} Ana Edited", f"{second.case_number} Ben After"]
    cf.close()
    with open_case_file(path) as again:
        assert again.verify().ok


def test_a_read_outside_sqlite_is_caught_before_the_next_save(tmp_path):
    """The last line: if anything in the process ever reads the file outside SQLite,
    the next save is refused with a clear message, nothing reaches the file, and the
    file cannot be opened again in this process (only a restart gives clean locks)."""
    path = tmp_path / "office.bdesk"
    create_case_file(path).close()
    cf = open_case_file(path)
    kept = cf.cases.create(named("01-", "Kept Saved"), actor="akim")
    with open(f"{path}-shm", "rb") as f:  # what a file dialog's type sniffing did
        f.read(100)
    with pytest.raises(LocksLost, match="lost its lock.*NOT saved.*start it again"):
        cf.cases.create(named("01-", "Never Written"), actor="akim")
    with pytest.raises(LocksLost):  # and it stays refused, reads too
        cf.listing.count()
    with pytest.raises(LocksLost, match="cannot be opened again until Billing Desk is restarted"):
        open_case_file(path)
    # the refused save let go of the write lock: other programs save as before
    code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=2, isolation_level=None); "
            "c.execute('BEGIN IMMEDIATE'); c.execute('COMMIT')")
    assert subprocess.run([sys.executable, "-c", code, str(path)], timeout=60).returncode == 0
    cf.close()  # kept open underneath: never checkpoints or deletes anything
    assert numbers_seen_by_another_program(path) == [f"{kept.case_number} Kept Saved"]


def test_the_case_file_and_its_log_are_never_read_as_an_attachment_or_csv(tmp_path):
    path = tmp_path / "office.bdesk"
    create_case_file(path).close()
    with open_case_file(path) as cf:
        case = cf.cases.create(shared_draft("01-"), actor="akim")
        for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), tmp_path / "." / path.name):
            with pytest.raises(IsTheCaseFile, match="part of a case file open in Billing Desk"):
                cf.attachments.add_file(case.id, part, actor="akim")
            with pytest.raises(IsTheCaseFile):
                read_outside_file(part)
        assert holds_locks_on(path)
        assert cf.attachments.list(case.id) == []
        other = tmp_path / "letter.txt"
        other.write_text("a scanned letter")
        assert cf.attachments.add_file(case.id, other, actor="akim").size == 16


def _sqlite_error(name: str, message: str = "failed") -> sqlite3.Error:
    e = sqlite3.OperationalError(message)
    e.sqlite_errorname = name
    return e


@pytest.mark.parametrize("name, kind", [
    ("SQLITE_IOERR", CaseFileIOError), ("SQLITE_IOERR_SHORT_READ", CaseFileIOError),
    ("SQLITE_IOERR_FSYNC", CaseFileIOError), ("SQLITE_IOERR_SHMSIZE", DiskFull),
    ("SQLITE_FULL", DiskFull), ("SQLITE_CANTOPEN", CaseFileIOError),
    ("SQLITE_READONLY_DBMOVED", ReadOnlyFile), ("SQLITE_CORRUPT", CorruptFile),
    ("SQLITE_NOTADB", CorruptFile), ("SQLITE_BUSY_SNAPSHOT", CaseFileBusy),
    ("SQLITE_PROTOCOL", CaseFileBusy), ("SQLITE_CONSTRAINT_TRIGGER", RefusedByFile),
    ("SQLITE_MISUSE", CaseFileIOError), ("", CaseFileIOError),
])
def test_every_sqlite_failure_becomes_a_message_for_the_clerk(name, kind, tmp_path):
    error = store_error(tmp_path / "office.bdesk", _sqlite_error(name, "disk I/O error"))
    assert isinstance(error, kind) and isinstance(error, StoreError)
    text = str(error)
    assert str(tmp_path / "office.bdesk") in text
    assert "Traceback" not in text and "sqlite3" not in text.lower()


def test_a_disk_io_error_at_open_is_a_clear_message(tmp_path, monkeypatch):
    path = tmp_path / "office.bdesk"
    create_case_file(path).close()

    def failing_connect(p):
        raise _sqlite_error("SQLITE_IOERR_READ", "disk I/O error")

    monkeypatch.setattr("billing_desk.store.sqlite.files.connect", failing_connect)
    with pytest.raises(CaseFileIOError, match="could not be read or written.*disk I/O error"):
        open_case_file(path)
    monkeypatch.undo()
    with open_case_file(path) as cf:  # and the failed open left nothing claimed
        assert cf.listing.count() == 0
