"""A Billing Desk database on a server: its schema versions, the databases it refuses, the
failures a workstation meets (unreachable, wrong password, a dropped connection, a
restarted server), and the controls the database enforces itself -- tried from a plain
psycopg connection, as another program would, never through the app alone.

Everything here runs against this worker's real PostgreSQL server (tests/pg_server.py);
what both backends share is tested on both by the other store tests.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import threading
import time
from dataclasses import replace
from datetime import date

import psycopg
import pytest

from billing_desk.domain.draft import CaseDraft
from billing_desk.domain.money import money_text
from billing_desk.store import (
    ConnectionLost, NewerVersion, NotABillingDeskDatabase, PasswordInTarget, SchemaNeedsUpgrade,
    NewCase, ServerSignInRefused, ServerUnreachable, StaleRevision, create_store, open_store,
    upgrade_store,
)
from billing_desk.store.postgres import schema as pg_schema
from billing_desk.store.sqlite import schema as file_schema
from billing_desk.store.timestamps import format_utc
from tests.backends import raw, state_of
from tests.staff import add_staff

from .conftest import StepClock, shared_draft
from .test_migrations import V1_FILE

_roles = itertools.count(1)


@pytest.fixture
def empty_database(pg_server):
    name = pg_server.new_database(template=False)
    yield pg_server.conninfo(name)
    pg_server.drop_database(name)


@pytest.fixture
def store(server_database):
    cf = open_store(server_database, clock=StepClock())
    yield cf
    cf.close()


def dbname(conninfo: str) -> str:
    return psycopg.conninfo.conninfo_to_dict(conninfo)["dbname"]


def schema_of(conninfo: str) -> dict:
    """Everything of Billing Desk's schema that a migration could change."""
    with raw(conninfo) as r:
        def q(sql: str) -> list:
            return sorted(tuple(row) for row in r.execute(sql).fetchall())
        return {
            "columns": q("SELECT table_name, column_name, data_type, domain_name, is_nullable, "
                         "column_default, collation_name, is_generated, generation_expression "
                         "FROM information_schema.columns WHERE table_schema = 'billing_desk'"),
            "constraints": q("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                             "FROM pg_constraint WHERE connamespace = 'billing_desk'::regnamespace"),
            "indexes": q("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'billing_desk'"),
            "triggers": q("SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM "
                          "pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text NOT LIKE 'pg_%'"),
            "functions": q("SELECT proname, pg_get_functiondef(oid) FROM pg_proc WHERE "
                           "pronamespace = 'billing_desk'::regnamespace AND prokind = 'f' "
                           "AND proname NOT LIKE 'unaccent%'"),
            "version": q("SELECT application, version FROM billing_desk.schema_version"),
        }


def at_version(conninfo: str, version: int, migrations=pg_schema.MIGRATIONS) -> None:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        pg_schema.migrate(conn, migrations[:version])


# --- schema versions ----------------------------------------------------------------------

def test_the_server_and_the_file_have_the_same_schema_versions():
    """Version N means the same tables on both (what lets a copy go row for row): a new
    migration is added to both lists."""
    assert len(pg_schema.MIGRATIONS) == len(file_schema.MIGRATIONS) == pg_schema.LATEST_VERSION


@pytest.mark.parametrize("version", range(pg_schema.LATEST_VERSION))
def test_every_earlier_version_upgrades_to_the_current_schema(empty_database, server_database,
                                                              version):
    at_version(empty_database, version)
    done = upgrade_store(empty_database)
    assert (done.before, done.after) == (version, pg_schema.LATEST_VERSION)
    assert schema_of(empty_database) == schema_of(server_database)
    with open_store(empty_database, clock=StepClock()) as cf:
        record = cf.cases.create(shared_draft("01-"), actor="alice")
        assert cf.cases.load(record.id) == record
        assert cf.verify().ok
    again = upgrade_store(empty_database)
    assert again.before == again.after == pg_schema.LATEST_VERSION


def test_a_version_1_database_with_cases_and_history_upgrades_and_verifies(empty_database, tmp_path):
    """The version-1 demo file of the migration tests, loaded row for row into a version-1
    database (what a version-1 server would hold), then upgraded."""
    at_version(empty_database, 1)
    source = sqlite3.connect(V1_FILE)
    tables = {"settings": "key", "cases": "id", "periods": "case_id, position", "blobs": "id",
              "attachments": "id", "determinations": "id", "documents": "id", "audit": "id"}
    with psycopg.connect(empty_database, autocommit=True,
                         options="-c search_path=billing_desk") as conn:
        for table, order in tables.items():
            columns = [c[1] for c in source.execute(f"PRAGMA table_info({table})")]
            with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in source.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}"):
                    copy.write_row(row)
    v1_cases = source.execute("SELECT case_number, status, revision FROM cases ORDER BY id").fetchall()
    source.close()
    assert upgrade_store(empty_database).before == 1
    with open_store(empty_database) as cf:
        report = cf.verify()
        assert report.ok, report.problem
        assert report.cases == 8
        records = [cf.cases.load(i) for i in range(1, 9)]
        assert [(r.case_number, r.status.value, r.revision) for r in records] == v1_cases
        assert all(r.submitted is None and r.approved is None for r in records)
        assert cf.users.needs_first_administrator()
        assert len(cf.attachments.list(3)) == 1 and cf.determinations.latest(1) is not None
    # and it holds what the same file holds once migrated, entry for entry
    migrated = tmp_path / "v1.bdesk"
    migrated.write_bytes(V1_FILE.read_bytes())
    with open_store(migrated) as file, open_store(empty_database) as server:
        assert file.audit_log() == server.audit_log()
        assert [file.cases.load(i) for i in range(1, 9)] == [server.cases.load(i) for i in range(1, 9)]


def v_next_payment_plans(conn) -> None:
    """What a later issue might append."""
    conn.execute("CREATE TABLE payment_plans (case_id bigint PRIMARY KEY REFERENCES cases (id), "
                 "instalments integer NOT NULL CHECK (instalments >= 1))")


def test_a_newer_schema_is_refused_and_left_as_it_was(server_database):
    with psycopg.connect(server_database, autocommit=True) as conn:
        assert pg_schema.migrate(conn, pg_schema.MIGRATIONS + (v_next_payment_plans,)) == [
            pg_schema.LATEST_VERSION + 1]
    before = state_of(server_database)
    with pytest.raises(NewerVersion) as refused:
        open_store(server_database)
    assert f"schema version {pg_schema.LATEST_VERSION + 1}" in str(refused.value)
    assert "Update Billing Desk" in str(refused.value) and "Nothing was changed" in str(refused.value)
    with pytest.raises(NewerVersion):
        upgrade_store(server_database)
    assert state_of(server_database) == before


def test_a_failed_migration_leaves_the_database_at_its_old_version(server_database):
    def broken(conn) -> None:
        conn.execute("CREATE TABLE half_done (x integer)")
        raise RuntimeError("the server went away")

    with psycopg.connect(server_database, autocommit=True) as conn:
        with pytest.raises(RuntimeError):
            pg_schema.migrate(conn, pg_schema.MIGRATIONS + (broken,))
        assert pg_schema.schema_version(conn) == pg_schema.LATEST_VERSION
        assert conn.execute("SELECT to_regclass('billing_desk.half_done')").fetchone()[0] is None
    open_store(server_database).close()


def test_an_empty_database_is_refused_until_it_is_upgraded(empty_database):
    with pytest.raises(SchemaNeedsUpgrade) as refused:
        open_store(empty_database)
    assert "is an empty database" in str(refused.value)
    assert "billing-desk upgrade" in str(refused.value)
    with raw(empty_database) as r:  # opening it created nothing
        assert r.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'billing_desk'") == 0
    assert upgrade_store(empty_database).before == 0
    open_store(empty_database).close()


def test_opening_an_older_schema_refuses_it_and_never_migrates(empty_database):
    at_version(empty_database, 1)
    with pytest.raises(SchemaNeedsUpgrade) as refused:
        open_store(empty_database)
    assert "version 1" in str(refused.value) and f"needs version {pg_schema.LATEST_VERSION}" in str(refused.value)
    with psycopg.connect(empty_database) as conn:
        assert pg_schema.schema_version(conn) == 1


def test_another_programs_database_is_refused_and_left_alone(empty_database):
    with raw(empty_database) as r:
        r.execute("CREATE TABLE public.invoices (id integer PRIMARY KEY)")
    before = state_of(empty_database)
    for attempt in (open_store, upgrade_store, create_store):
        with pytest.raises(NotABillingDeskDatabase) as refused:
            attempt(empty_database)
        assert "is not a Billing Desk database" in str(refused.value)
    with raw(empty_database) as r:
        assert r.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'billing_desk'") == 0
        assert r.value("SELECT to_regclass('public.invoices') IS NOT NULL")
    assert state_of(empty_database) == before


# --- connecting ----------------------------------------------------------------------------

def test_a_server_that_cannot_be_reached_is_said_so(pg_server):
    from tests.pg_server import _free_port

    with pytest.raises(ServerUnreachable) as refused:
        open_store(f"postgresql://127.0.0.1:{_free_port()}/billing?connect_timeout=3")
    message = str(refused.value)
    assert message.startswith("Cannot reach the Billing Desk server billing on 127.0.0.1")
    assert "Connection refused" in message and "Nothing was changed" in message


@pytest.fixture
def clerk_role(pg_server):
    name = f"clerk{os.getpid()}_{next(_roles)}"
    pg_server.add_role(name, "the right one")
    return name


def test_a_wrong_password_is_refused_plainly(pg_server, server_database, clerk_role):
    target = pg_server.url(dbname(server_database), clerk_role)
    with pytest.raises(ServerSignInRefused) as refused:
        open_store(target, password="the wrong one")
    assert f"the password for {clerk_role} is not correct" in str(refused.value)
    open_store(target, password="the right one").close()


def test_the_password_is_asked_for_only_when_the_server_wants_one(pg_server, server_database,
                                                                  clerk_role, tmp_path, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    target = pg_server.url(dbname(server_database), clerk_role)
    with pytest.raises(ServerSignInRefused) as refused:  # nobody to ask (a script)
        open_store(target)
    assert refused.value.needs_password and "PGPASSWORD" in str(refused.value)
    asked = []

    def ask(where: str) -> str:
        asked.append(where)
        return "the right one"

    with open_store(target, ask_password=ask) as cf:
        assert cf.listing.count() == 0
    assert asked == [f"{dbname(server_database)} on 127.0.0.1:{pg_server.port}"]
    # a ~/.pgpass entry (here PGPASSFILE) is used without asking
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{pg_server.port}:*:{clerk_role}:the right one\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    asked.clear()
    open_store(target, ask_password=ask).close()
    assert asked == []


@pytest.mark.parametrize("target", ["postgresql://clerk:secret@db.example/billing",
                                    "host=db.example dbname=billing password=secret"])
def test_a_password_in_the_target_is_refused_before_connecting(target):
    with pytest.raises(PasswordInTarget, match="never goes on the command line"):
        open_store(target)


def test_a_database_that_does_not_exist_is_named(pg_server):
    with pytest.raises(ServerSignInRefused, match='database "no_such_office" does not exist'):
        open_store(pg_server.conninfo("no_such_office"))


# --- what the database enforces, whoever connects ------------------------------------------

@pytest.fixture
def staffed_store(store):
    return add_staff(store)


def test_a_stale_save_changes_nothing_even_from_outside_the_app(staffed_store, server_database):
    """Two programs at once both base a change on revision 1 with the store's compare-and-
    set statement: the second waits for the first, then finds no row at revision 1."""
    record = staffed_store.cases.create(shared_draft("01-"), actor="alice")
    first, second = raw(server_database), raw(server_database)
    update = ("UPDATE cases SET notes = ?, revision = 2 WHERE id = ? AND revision = 1")
    first.execute("BEGIN")
    assert first.execute(update, ("first", record.id)).rowcount == 1
    done = []
    waiting = threading.Thread(target=lambda: done.append(second.execute(update, ("second", record.id)).rowcount))
    waiting.start()
    time.sleep(0.3)
    assert done == []  # blocked on the row
    first.execute("COMMIT")
    waiting.join(10)
    assert done == [0]
    first.close()
    second.close()
    assert staffed_store.cases.load(record.id).notes == "first"
    with pytest.raises(StaleRevision):  # and the app, holding revision 1, is refused too
        staffed_store.cases.save(record.id, replace(record.draft, why="late"), expected_revision=1,
                                 actor="alice")


def test_every_change_to_a_case_must_be_its_next_revision(staffed_store, server_database):
    record = staffed_store.cases.create(shared_draft("01-"), actor="alice")
    with raw(server_database) as r:
        for statement in ("UPDATE cases SET notes = 'sneaky' WHERE id = 1",
                          "UPDATE cases SET notes = 'sneaky', revision = 5 WHERE id = 1",
                          "UPDATE cases SET case_number = 'BD-000009', revision = 2 WHERE id = 1",
                          "DELETE FROM cases", "TRUNCATE cases CASCADE"):
            with pytest.raises(r.refused):
                r.execute(statement)
    assert staffed_store.cases.load(record.id) == record


def test_the_audit_chain_cannot_be_forked_cut_or_rewritten_from_outside(staffed_store, server_database):
    staffed_store.cases.create(shared_draft("01-"), actor="alice")
    head = staffed_store.newest_entry()
    entry = ("INSERT INTO audit (id, at, actor, action, entity, entity_id, case_id, before, after, "
             "prev_hash, hash) VALUES (?, now(), 'mallory', 'edit', 'case', '1', 1, NULL, NULL, ?, ?)")
    with raw(server_database) as r:
        refused = [
            (entry, (head.id + 2, head.hash, "f" * 64)),        # a gap
            (entry, (head.id + 1, "0" * 64, "f" * 64)),         # not following the head
            (entry, (head.id, head.prev_hash, "f" * 64)),       # a second entry at the head
            ("UPDATE audit_head SET id = id + 1, hash = ?", ("f" * 64,)),
            ("UPDATE audit SET actor = 'mallory' WHERE id = 1", ()),
            ("DELETE FROM audit WHERE id = ?", (head.id,)),
            ("TRUNCATE audit CASCADE", ()),
            ("DELETE FROM audit_head", ()),
        ]
        for statement, params in refused:
            with pytest.raises(r.refused):
                r.execute(statement, params)
    assert staffed_store.newest_entry() == head
    assert staffed_store.verify().ok


def test_an_issue_is_stored_once_and_case_numbers_once(staffed_store, server_database):
    from billing_desk.store import DocumentKind

    record = staffed_store.cases.create(shared_draft("01-"), actor="alice")
    determination = staffed_store.determinations.record(record.id, actor="alice")
    staffed_store.documents.add(record.id, DocumentKind.LETTER, determination.fingerprint,
                                b"%PDF letter", 1, actor="bob")
    with raw(server_database) as r:
        document = ("INSERT INTO documents (case_id, kind, issue_number, fingerprint, sha256, pdf, "
                    "page_count, created_at, created_by) VALUES (1, 'letter', ?, ?, ?, ?, 1, now(), 'x')")
        with pytest.raises(r.refused, match="duplicate key"):  # the same issue again
            r.execute(document, (2, determination.fingerprint, "a" * 64, b"%PDF again"))
        with pytest.raises(r.refused, match="duplicate key"):  # the same issue number again
            r.execute(document, (1, "b" * 64, "a" * 64, b"%PDF other"))
        with pytest.raises(r.refused):
            r.execute("UPDATE documents SET pdf = ?", (b"%PDF forged",))
        with pytest.raises(r.refused, match="numbered in sequence"):  # a case number skipped
            r.execute("INSERT INTO cases (id, case_number, status, revision, created_at, updated_at, "
                      "prepared_by, last_edited_by, rule_pack, account_number, customer_name, "
                      "currency, customer_could_have_discovered, documentation_available, "
                      "documentation_confirmed, customer_concealed_error) VALUES (5, 'BD-000005', "
                      "'draft', 1, now(), now(), 'x', 'x', 'p', '1', 'n', 'USD', false, false, "
                      "false, false)")
    assert [d.issue_number for d in staffed_store.documents.list(record.id)] == [1]


def test_a_case_whose_creation_is_undone_gives_its_number_back(staffed_store):
    class Undone(Exception):
        pass

    with pytest.raises(Undone):
        with staffed_store._c.write("alice") as tx:
            staffed_store.cases._insert(tx, NewCase(CaseDraft()))  # numbered BD-000001 ...
            raise Undone  # ... and undone before the commit
    assert staffed_store.cases.create(CaseDraft(), actor="alice").case_number == "BD-000001"


# --- a dropped connection, a restarted server ----------------------------------------------

def test_a_connection_ended_between_saves_is_made_again_without_losing_anything(
        pg_server, staffed_store, server_database):
    record = staffed_store.cases.create(shared_draft("01-"), actor="alice")
    assert pg_server.terminate(dbname(server_database)) >= 1  # the administrator ended it
    saved = staffed_store.cases.save(record.id, replace(record.draft, why="after the drop"),
                                     expected_revision=1, actor="alice")
    assert saved.revision == 2
    assert pg_server.terminate(dbname(server_database)) >= 1
    assert staffed_store.cases.load(record.id) == saved  # a read, too
    assert staffed_store.verify().ok


def test_a_connection_lost_during_a_save_saves_nothing_and_the_same_save_then_succeeds(
        pg_server, staffed_store, server_database, monkeypatch):
    record = staffed_store.cases.create(shared_draft("23-"), actor="alice")
    edited = replace(record.draft, discovered_on=date(2010, 6, 30))
    from billing_desk.store import connection as shared

    original = shared.Transaction.audit

    def drop_then_audit(tx, *args, **kwargs):
        pg_server.terminate(dbname(server_database))  # the case row is written, the entry not yet
        return original(tx, *args, **kwargs)

    monkeypatch.setattr(shared.Transaction, "audit", drop_then_audit)
    with pytest.raises(ConnectionLost) as lost:
        staffed_store.cases.save(record.id, edited, expected_revision=1, actor="alice")
    assert not lost.value.uncertain and "was NOT saved" in str(lost.value)
    monkeypatch.setattr(shared.Transaction, "audit", original)
    assert staffed_store.cases.load(record.id) == record  # nothing of it, not half of it
    saved = staffed_store.cases.save(record.id, edited, expected_revision=1, actor="alice")
    assert saved.revision == 2 and saved.draft == edited
    assert staffed_store.verify().ok


def test_a_connection_lost_while_committing_says_the_save_may_have_happened(
        pg_server, staffed_store, server_database, monkeypatch):
    record = staffed_store.cases.create(shared_draft("01-"), actor="alice")
    connection = staffed_store._c
    commit = type(connection)._commit

    def drop_at_commit(self):
        pg_server.terminate(dbname(server_database))
        return commit(self)

    monkeypatch.setattr(type(connection), "_commit", drop_at_commit)
    with pytest.raises(ConnectionLost) as lost:
        staffed_store.cases.save(record.id, replace(record.draft, why="x"), expected_revision=1,
                                 actor="alice")
    monkeypatch.setattr(type(connection), "_commit", commit)
    assert lost.value.uncertain and "may or may not have been saved" in str(lost.value)
    # here the server had not committed: the case is as it was, whole
    assert staffed_store.cases.load(record.id) == record and staffed_store.verify().ok


def test_a_restarted_server_is_used_again_and_a_stopped_one_is_said_so(
        pg_server, staffed_store):
    record = staffed_store.cases.create(shared_draft("01-"), actor="alice")
    pg_server.restart()
    saved = staffed_store.cases.save(record.id, replace(record.draft, why="after the restart"),
                                     expected_revision=1, actor="alice")
    assert saved.revision == 2
    pg_server.stop_for_now()
    try:
        with pytest.raises((ServerUnreachable, ConnectionLost)):
            staffed_store.cases.save(record.id, replace(record.draft, why="while down"),
                                     expected_revision=2, actor="alice")
    finally:
        pg_server.start_again()
    assert staffed_store.cases.load(record.id) == saved
    assert staffed_store.cases.save(record.id, replace(record.draft, why="back"),
                                    expected_revision=2, actor="alice").revision == 3


# --- hearing other workstations -------------------------------------------------------------

def test_every_committed_change_is_announced_with_its_case(staffed_store):
    listener = staffed_store.listen()
    try:
        assert listener.changes() == []
        with staffed_store.reopen() as other:
            record = other.cases.create(shared_draft("01-"), actor="alice")
            other.users.set_limit("sup", None, actor="root")
        deadline = time.monotonic() + 5
        seen = []
        while len(seen) < 2 and time.monotonic() < deadline:
            seen += listener.changes()
            time.sleep(0.01)
        assert [(c.cases, c.kinds) for c in seen] == [
            (frozenset({record.id}), frozenset({"case"})), (frozenset(), frozenset({"user"}))]
        assert seen[-1].last_entry == staffed_store.newest_entry().id
    finally:
        listener.close()


def test_nothing_is_announced_for_a_change_that_is_rolled_back(staffed_store):
    record = staffed_store.cases.create(CaseDraft(), actor="alice")
    listener = staffed_store.listen()
    try:
        with pytest.raises(StaleRevision):
            staffed_store.cases.save(record.id, CaseDraft(why="x"), expected_revision=7,
                                     actor="alice")
        staffed_store.cases.save(record.id, CaseDraft(why="y"), expected_revision=1, actor="alice")
        deadline = time.monotonic() + 5
        seen = []
        while not seen and time.monotonic() < deadline:
            seen += listener.changes()
            time.sleep(0.01)
        time.sleep(0.1)
        seen += listener.changes()
        assert [c.last_entry for c in seen] == [staffed_store.newest_entry().id]  # the save only
    finally:
        listener.close()


def test_timestamps_dates_and_money_read_back_as_the_case_file_stores_them(staffed_store):
    """The columns have real types on the server; the store reads them back in the forms
    the case file stores (what the codecs, the hashes and a copy rely on)."""
    record = staffed_store.cases.create(shared_draft("01-"), actor="alice")
    [(created, discovered, billed, current)] = staffed_store._c.rows(
        "SELECT c.created_at, c.discovered_on, p.billed, c.current_customer FROM cases c "
        "JOIN periods p ON p.case_id = c.id WHERE c.id = ? AND p.position = 0", (record.id,))
    assert created == format_utc(record.created_at) and created.endswith("Z")
    assert discovered == record.draft.discovered_on.isoformat()
    assert billed == money_text(record.draft.periods[0].billed)
    assert current == 1
    with raw(staffed_store) as r:  # what the server itself holds
        types = dict(r.execute("SELECT column_name, data_type FROM information_schema.columns "
                               "WHERE table_schema = 'billing_desk' AND table_name = 'periods'"
                               ).fetchall())
    assert (types["start_date"], types["billed"]) == ("date", "numeric")


def test_a_write_kept_waiting_too_long_by_another_workstation_is_busy_and_changes_nothing(
        staffed_store, server_database):
    """Another program holds the chain's head (a write of its own) for longer than the
    lock timeout: the save is refused as busy, nothing of it stays, and the next save
    goes through once the other is done."""
    from billing_desk.store import CaseFileBusy

    record = staffed_store.cases.create(shared_draft("01-"), actor="alice")
    with raw(server_database) as other:
        other.execute("BEGIN")
        other.execute("SELECT * FROM audit_head FOR UPDATE")
        started = time.monotonic()
        with pytest.raises(CaseFileBusy, match="busy"):
            staffed_store.cases.save(record.id, replace(record.draft, why="waited"),
                                     expected_revision=1, actor="alice")
        assert 4 < time.monotonic() - started < 15
        other.execute("ROLLBACK")
    assert staffed_store.cases.load(record.id) == record
    assert staffed_store.cases.save(record.id, replace(record.draft, why="now"), expected_revision=1,
                                    actor="alice").revision == 2
