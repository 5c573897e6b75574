"""Schema versions: every earlier version migrates to the current schema, a failed
migration leaves the file at its old version, and adding one is a one-function change."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from billing_desk.domain.case import OccurredBasis, Reading, Service
from billing_desk.domain.workflow import CaseStatus
from billing_desk.store import NewerVersion, create_case_file, open_case_file
from billing_desk.store.header import APPLICATION_ID
from billing_desk.store.schema import LATEST_VERSION, MIGRATIONS, migrate, user_version

from .conftest import sha256_of, shared_draft


def file_at_version(path, version, migrations=MIGRATIONS):
    """A case file as an older Billing Desk left it: the first ``version`` migrations."""
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrate(Database(raw, execute_plugins=False), migrations[:version])
    raw.close()
    return path


def schema_of(path):
    raw = sqlite3.connect(path)
    rows = raw.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
    raw.close()
    return rows


@pytest.mark.parametrize("version", range(LATEST_VERSION))
def test_every_earlier_version_migrates_to_the_current_schema(tmp_path, version):
    old = file_at_version(tmp_path / "old.bdesk", version)
    with open_case_file(old) as cf:
        assert user_version(cf.db) == LATEST_VERSION
        record = cf.cases.create(shared_draft("01-"), actor="alice")
        assert cf.cases.load(record.id) == record
        assert cf.verify().ok
    create_case_file(tmp_path / "new.bdesk").close()
    assert schema_of(old) == schema_of(tmp_path / "new.bdesk")


def v_next_users(db: Database) -> None:
    """What the accounts issue will append: a users table (role, argon2 hash)."""
    db.executescript("""
        CREATE TABLE users (
            login TEXT PRIMARY KEY,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
            password_hash TEXT NOT NULL
        ) WITHOUT ROWID;
    """)


def test_a_new_migration_is_one_function_and_keeps_every_case(tmp_path):
    path = tmp_path / "office.bdesk"
    with create_case_file(path) as cf:
        saved = [cf.cases.create(shared_draft(p), actor="alice") for p in ("01-", "23-", "14-")]
    raw = sqlite3.connect(path, isolation_level=None)
    applied = migrate(Database(raw, execute_plugins=False), MIGRATIONS + (v_next_users,))
    raw.close()
    assert applied == [LATEST_VERSION + 1]
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT count(*) FROM users").fetchone() == (0,)
    raw.close()
    # this version cannot know what the newer one changed: it refuses, file untouched
    before = sha256_of(path)
    with pytest.raises(NewerVersion):
        open_case_file(path)
    assert sha256_of(path) == before
    # the cases themselves went through the migration unchanged
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute(f"PRAGMA user_version = {LATEST_VERSION}")  # pretend the users step is ours
    raw.close()
    with open_case_file(path) as cf:
        assert [cf.cases.load(r.id) for r in saved] == saved


def test_failed_migration_leaves_the_file_at_its_old_version(tmp_path):
    path = file_at_version(tmp_path / "old.bdesk", LATEST_VERSION)

    def broken(db: Database) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("disk pulled out")

    raw = sqlite3.connect(path, isolation_level=None)
    db = Database(raw, execute_plugins=False)
    with pytest.raises(RuntimeError):
        migrate(db, MIGRATIONS + (broken,))
    assert user_version(db) == LATEST_VERSION
    assert "half_done" not in db.table_names()
    raw.close()


@pytest.mark.parametrize("column,values", [
    ("status", [s.value for s in CaseStatus]),
    ("service", [s.value for s in Service]),
    ("undercharge_reading", [r.value for r in Reading]),
    ("occurred_basis", [b.value for b in OccurredBasis]),
])
def test_schema_accepts_exactly_the_domain_values(case_file, column, values):
    """The released schema spells the enum values out; a new domain value needs a
    migration, and this test says so."""
    from billing_desk.domain.draft import CaseDraft

    case_file.cases.create(CaseDraft(), actor="alice")
    raw = sqlite3.connect(case_file.path, isolation_level=None)
    for value in values:
        raw.execute(f"UPDATE cases SET {column} = ?", (value,))
    with pytest.raises(sqlite3.IntegrityError):
        raw.execute(f"UPDATE cases SET {column} = 'something_new'")
    raw.close()
