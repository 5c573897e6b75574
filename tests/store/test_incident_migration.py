"""The incidents' migration (schema version 4) from every earlier version: a file left at
any older version opens with the incident tables, takes an incident and verifies; a
version-1 file with cases and history keeps them all."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from billing_desk.store import open_case_file
from billing_desk.store.sqlite.schema import LATEST_VERSION, MIGRATIONS, user_version, v5_incidents

from .incident_helpers import stormwater_incident
from .test_migrations import V1_FILE, file_at_version, schema_of
from tests.staff import add_staff

INCIDENTS = MIGRATIONS.index(v5_incidents)  # the version the incident tables come after
TABLES = {"incidents", "incident_cases", "incident_reviews", "incident_review_cases",
          "incident_approvals"}


def tables(path) -> set[str]:
    raw = sqlite3.connect(path)
    try:
        return {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        raw.close()


@pytest.mark.parametrize("version", range(INCIDENTS + 1))
def test_every_earlier_version_migrates_to_take_incidents(tmp_path, version):
    old = file_at_version(tmp_path / "old.bdesk", version)
    assert not TABLES & tables(old)
    with open_case_file(old) as cf:
        assert user_version(cf.db) == LATEST_VERSION
        add_staff(cf)
        record, _ = stormwater_incident(cf, approve=True)
        assert cf.incidents.totals(record.id).cases == 74
        assert cf.verify().ok
    assert TABLES <= tables(old)


def test_a_version_1_file_with_history_migrates_and_takes_an_incident(tmp_path):
    path = tmp_path / "office.bdesk"
    shutil.copy(V1_FILE, path)
    raw = sqlite3.connect(path)
    before = raw.execute("SELECT case_number, status, revision FROM cases ORDER BY id").fetchall()
    raw.close()
    with open_case_file(path) as cf:
        add_staff(cf)
        record, _ = stormwater_incident(cf, sample=True)
        rows = cf.db.execute("SELECT case_number, status, revision FROM cases ORDER BY id "
                             f"LIMIT {len(before)}").fetchall()
        assert rows == before
        assert cf.incidents.summary(record.id).totals.cases == 74
        assert cf.verify().ok


def test_the_migration_makes_the_schema_a_new_file_has(tmp_path):
    from billing_desk.store import create_case_file

    old = file_at_version(tmp_path / "old.bdesk", INCIDENTS)
    open_case_file(old).close()
    create_case_file(tmp_path / "new.bdesk").close()
    assert schema_of(old) == schema_of(tmp_path / "new.bdesk")
