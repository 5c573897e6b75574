"""Schema versions: every earlier version migrates to the current schema, a failed
migration leaves the file at its old version, and adding one is a one-function change."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from billing_desk.domain.case import OccurredBasis, Reading, Service
from billing_desk.domain.workflow import CaseStatus, Role, WorkflowRefused
from billing_desk.store import NewerVersion, create_case_file, open_case_file
from billing_desk.store.header import APPLICATION_ID
from billing_desk.store.schema import LATEST_VERSION, MIGRATIONS, migrate, user_version

from tests.staff import add_staff

from .conftest import sha256_of, shared_draft

#: A version-1 file made by Billing Desk at commit dffd101 (the last version-1 release):
#: ``create_demo_file(path, 8)``, then BD-000001 approved (version 1 recorded no
#: signature), a determination recorded, BD-000003 edited and given an attachment;
#: vacuumed with 1 KiB pages to keep it small. Never regenerate it with newer code.
V1_FILE = Path(__file__).parent / "data" / "v1-demo.bdesk"


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


def v_next_payment_plans(db: Database) -> None:
    """What a later issue might append: back-bill instalment plans."""
    db.executescript("""
        CREATE TABLE payment_plans (
            case_id INTEGER PRIMARY KEY REFERENCES cases (id),
            instalments INTEGER NOT NULL CHECK (instalments >= 1)
        );
    """)


def test_a_new_migration_is_one_function_and_keeps_every_case(tmp_path):
    path = tmp_path / "office.bdesk"
    with create_case_file(path) as cf:
        saved = [cf.cases.create(shared_draft(p), actor="alice") for p in ("01-", "23-", "14-")]
    raw = sqlite3.connect(path, isolation_level=None)
    applied = migrate(Database(raw, execute_plugins=False), MIGRATIONS + (v_next_payment_plans,))
    raw.close()
    assert applied == [LATEST_VERSION + 1]
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT count(*) FROM payment_plans").fetchone() == (0,)
    raw.close()
    # this version cannot know what the newer one changed: it refuses, file untouched
    before = sha256_of(path)
    with pytest.raises(NewerVersion):
        open_case_file(path)
    assert sha256_of(path) == before
    # the cases themselves went through the migration unchanged
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute(f"PRAGMA user_version = {LATEST_VERSION}")  # pretend the new step is ours
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


def test_users_table_accepts_exactly_the_domain_roles(case_file):
    add_staff(case_file)
    raw = sqlite3.connect(case_file.path, isolation_level=None)
    for role in Role:
        raw.execute("UPDATE users SET role = ? WHERE login = 'bob'", (role.value,))
    with pytest.raises(sqlite3.IntegrityError):
        raw.execute("UPDATE users SET role = 'admin' WHERE login = 'bob'")
    with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"):
        raw.execute("DELETE FROM users WHERE login = 'bob'")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        raw.execute("UPDATE users SET login = 'ALICE' WHERE login = 'bob'")
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


def test_a_version_1_file_with_cases_and_history_migrates_and_verifies(tmp_path):
    path = tmp_path / "office.bdesk"
    shutil.copy(V1_FILE, path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone() == (1,)
    v1_cases = raw.execute("SELECT case_number, status, revision FROM cases ORDER BY id").fetchall()
    v1_entries = raw.execute("SELECT count(*) FROM audit").fetchone()[0]
    raw.close()
    with open_case_file(path) as cf:
        assert user_version(cf.db) == LATEST_VERSION
        report = cf.verify()
        assert report.ok, report.problem
        assert (report.entries, report.cases) == (v1_entries, 8)
        records = [cf.cases.load(i) for i in range(1, 9)]
        assert [(r.case_number, r.status.value, r.revision) for r in records] == v1_cases
        assert all(r.submitted is None and r.approved is None for r in records)
        assert cf.users.needs_first_administrator()
        assert len(cf.attachments.list(3)) == 1 and cf.determinations.latest(1) is not None

        # the office gets its users; a case submitted under version 1 carries no record of
        # what was submitted, so it is returned and submitted again before approval
        add_staff(cf)
        waiting = next(r for r in records if r.status is CaseStatus.SUBMITTED and r.id != 1)
        assert [q.case_number for q in cf.queue.submitted()][0] == "BD-000002"
        with pytest.raises(WorkflowRefused) as refused:
            cf.workflow.approve(waiting.id, actor="boss", acknowledge_divergence=True)
        assert refused.value.code == "not_signed"
        cf.workflow.return_case(waiting.id, "Submitted before signatures; submit it again.",
                                actor="boss")
        cf.workflow.submit(waiting.id, actor="alice")
        approved = cf.workflow.approve(waiting.id, actor="boss", acknowledge_divergence=True)
        assert approved.status is CaseStatus.APPROVED and approved.approved.login == "boss"
        # the case approved under version 1 cannot be issued until approved again
        with pytest.raises(WorkflowRefused) as refused:
            cf.workflow.issue(1, actor="alice")
        assert refused.value.code == "not_signed"
        assert cf.verify().ok
    create_case_file(tmp_path / "new.bdesk").close()
    assert schema_of(path) == schema_of(tmp_path / "new.bdesk")
