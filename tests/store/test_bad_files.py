"""Files that are not sound case files are refused with a clear message and left
byte for byte untouched (no -wal or -shm appears beside them either)."""

from __future__ import annotations

import os
import sqlite3

import pytest

from billing_desk.store import CaseFileNotFound, CorruptFile, NewerVersion, NotSQLite, open_case_file
from billing_desk.store.sqlite.schema import LATEST_VERSION

from .bad_files import BAD_FILES, good_case_file
from .conftest import sha256_of


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_file_is_refused_and_untouched(tmp_path, kind):
    make, error, _ = BAD_FILES[kind]
    path = make(tmp_path / "office.bdesk")
    before = sha256_of(path)
    listing = sorted(os.listdir(tmp_path))
    with pytest.raises(error) as refused:
        open_case_file(path)
    message = str(refused.value)
    assert str(path) in message
    assert "Traceback" not in message and "sqlite3" not in message
    assert sha256_of(path) == before
    assert sorted(os.listdir(tmp_path)) == listing


def test_messages_say_what_is_wrong(tmp_path):
    with pytest.raises(NotSQLite, match="empty"):
        open_case_file(BAD_FILES["empty"][0](tmp_path / "a.bdesk"))
    with pytest.raises(NewerVersion, match=f"version {LATEST_VERSION + 1}.*Update Billing Desk"):
        open_case_file(BAD_FILES["newer-version"][0](tmp_path / "b.bdesk"))
    with pytest.raises(CorruptFile, match="truncated"):
        open_case_file(BAD_FILES["truncated-half"][0](tmp_path / "c.bdesk"))


def test_missing_file(tmp_path):
    with pytest.raises(CaseFileNotFound, match="no such file"):
        open_case_file(tmp_path / "nope.bdesk")
    assert not (tmp_path / "nope.bdesk").exists()


def test_folder_is_not_a_case_file(tmp_path):
    (tmp_path / "x.bdesk").mkdir()
    with pytest.raises(NotSQLite, match="not a regular file"):
        open_case_file(tmp_path / "x.bdesk")


def test_damaged_page_is_reported_as_damage(tmp_path):
    """Garbage in the middle of the file (not the header) shows up when that part is
    read: a clear "damaged" message, never an SQLite traceback."""
    path = good_case_file(tmp_path / "office.bdesk", cases=60)
    raw = sqlite3.connect(path)
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    root = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cases'").fetchone()[0]
    raw.close()
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xa5" * page_size)
    with pytest.raises(CorruptFile, match="damaged"):
        with open_case_file(path) as cf:
            cf.listing.page(limit=100)
            cf.cases.load(1)


def test_sound_file_opens_after_all_that(tmp_path):
    path = good_case_file(tmp_path / "office.bdesk", cases=5)
    with open_case_file(path) as cf:
        assert cf.listing.count() == 5
        assert cf.verify().ok
