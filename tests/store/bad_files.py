"""Files that are not sound case files, one maker per kind, for the store and CLI tests."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Callable

from billing_desk.store import (
    CorruptFile,
    NewerVersion,
    NotACaseFile,
    NotSQLite,
    ReadOnlyFile,
    StoreError,
    create_case_file,
)
from billing_desk.store.demo_file import fill_demo
from billing_desk.store.sqlite.schema import LATEST_VERSION


def good_case_file(path: Path, cases: int = 30) -> Path:
    create_case_file(path, fill=lambda cf: fill_demo(cf, cases)).close()
    return path


def text_file(p: Path) -> Path:
    p.write_text("Dear customer, ...\n")
    return p


def empty_file(p: Path) -> Path:
    p.write_bytes(b"")
    return p


def pdf_file(p: Path) -> Path:
    p.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" * 50)
    return p


def other_sqlite(p: Path) -> Path:
    raw = sqlite3.connect(p)
    raw.execute("CREATE TABLE songs (title TEXT)")
    raw.execute("INSERT INTO songs VALUES ('Rocky Mountain High')")
    raw.commit()
    raw.close()
    return p


def newer_version(p: Path) -> Path:
    good_case_file(p, cases=3)
    raw = sqlite3.connect(p)
    raw.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    raw.close()
    return p


def truncated_half(p: Path) -> Path:
    good_case_file(p)
    size = p.stat().st_size
    with p.open("r+b") as f:
        f.truncate(size // 2)
    return p


def truncated_header(p: Path) -> Path:
    good_case_file(p, cases=1)
    with p.open("r+b") as f:
        f.truncate(60)
    return p


def read_only(p: Path) -> Path:
    good_case_file(p, cases=3)
    os.chmod(p, 0o444)
    return p


#: (maker, the error a clerk sees, CLI exit code)
BAD_FILES: dict[str, tuple[Callable[[Path], Path], type[StoreError], int]] = {
    "text": (text_file, NotSQLite, 4),
    "empty": (empty_file, NotSQLite, 4),
    "pdf": (pdf_file, NotSQLite, 4),
    "other-sqlite": (other_sqlite, NotACaseFile, 5),
    "newer-version": (newer_version, NewerVersion, 6),
    "truncated-half": (truncated_half, CorruptFile, 7),
    "truncated-header": (truncated_header, CorruptFile, 7),
    "read-only": (read_only, ReadOnlyFile, 8),
}
