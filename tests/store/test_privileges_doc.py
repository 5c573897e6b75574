"""docs/roles.md says what a new database at the current schema grants each group: its
tables are generated from the catalogue (billing_desk/store/postgres/privileges.py),
and the facts a person would notice first are checked here against the catalogue
itself, not against the generated text."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from billing_desk.store.postgres.privileges import (
    BEGIN_MARKER, END_MARKER, generated_block, privileges_table, replace_generated,
)
from billing_desk.store.postgres.schema import GROUPS

DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"
REGENERATE = ".venv/bin/python docs/roles_doc.py"


@pytest.fixture
def catalogue(server_database):
    """The fresh database (as the superuser) and its groups' role names by key."""
    with psycopg.connect(server_database, autocommit=True) as conn:
        names = dict(conn.execute("SELECT role, name FROM billing_desk.server_roles").fetchall())
        yield conn, names


def may(conn, role: str, table: str, verb: str) -> bool:
    return conn.execute("SELECT has_table_privilege(%s, %s, %s)",
                        (role, f"billing_desk.{table}", verb)).fetchone()[0]


def test_docs_roles_md_holds_what_a_new_database_grants(catalogue):
    conn, _ = catalogue
    block = generated_block(conn)
    doc = DOC.read_text(encoding="utf-8")
    assert doc.count(BEGIN_MARKER) == 1 and doc.count(END_MARKER) == 1
    assert block in doc, (
        f"docs/roles.md no longer says what a new database grants; regenerate its tables "
        f"with `{REGENERATE}` (it starts a throwaway PostgreSQL server) and review the prose "
        f"around them. What the database grants now:\n{block}")
    assert replace_generated(doc, block) == doc


def test_the_tables_do_not_depend_on_the_database_name(pg_server, catalogue):
    """Another database, its roles named after it: the same text."""
    from billing_desk.store import upgrade_store
    from billing_desk.store.postgres.schema import role_names

    conn, names = catalogue
    other = pg_server.new_database(template=False)
    try:
        upgrade_store(pg_server.conninfo(other))
        with psycopg.connect(pg_server.conninfo(other), autocommit=True) as there:
            assert privileges_table(there) == privileges_table(conn)
            assert not any(name in privileges_table(there) for name in role_names(other).values())
    finally:
        pg_server.drop_database(other)
        for name in reversed(role_names(other).values()):
            pg_server.admin(f'DROP ROLE IF EXISTS "{name}"')
    assert not any(name in privileges_table(conn) for name in names.values())


@pytest.mark.parametrize("table", ["audit", "documents", "document_copies"])
def test_no_group_changes_the_history_an_issued_document_or_a_copy(catalogue, table):
    conn, names = catalogue
    for group in GROUPS:
        assert may(conn, names[group], table, "SELECT") and may(conn, names[group], table, "INSERT")
        for verb in ("UPDATE", "DELETE", "TRUNCATE"):
            assert not may(conn, names[group], table, verb), (group, table, verb)
    # and a trigger refuses each of them before it happens, whoever asks
    triggers = {name: (tgtype, function) for name, tgtype, function in conn.execute(
        "SELECT t.tgname, t.tgtype, p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE t.tgrelid = %s::regclass AND t.tgenabled <> 'D'", (f"billing_desk.{table}",))}
    for verb, bit in (("update", 16), ("delete", 8), ("truncate", 32)):
        tgtype, function = triggers[f"{table}_no_{verb}"]
        assert function == "refuse" and tgtype & 2 and tgtype & bit, (table, verb)


def test_no_group_reads_password_hashes_or_sign_in_failures(catalogue):
    conn, names = catalogue
    for group in GROUPS:
        role = names[group]
        assert not conn.execute("SELECT has_column_privilege(%s, 'billing_desk.users', "
                                "'password_hash', 'SELECT')", (role,)).fetchone()[0]
        assert conn.execute("SELECT has_column_privilege(%s, 'billing_desk.users', 'name', "
                            "'SELECT')", (role,)).fetchone()[0]  # (names are readable)
        assert not may(conn, role, "users", "SELECT")
        for verb in ("INSERT", "UPDATE", "DELETE", "TRUNCATE"):
            assert not may(conn, role, "users", verb), (group, verb)
        assert not may(conn, role, "sign_in_failures", "SELECT")


def test_only_administrators_write_the_settings_and_add_people(catalogue):
    conn, names = catalogue

    def runs(role: str, function: str) -> bool:
        return conn.execute(
            "SELECT bool_and(has_function_privilege(%s, p.oid, 'EXECUTE')) FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'billing_desk' "
            "AND p.proname = %s", (role, function)).fetchone()[0]

    for group in GROUPS:
        role, admin = names[group], group == "administrator"
        assert may(conn, role, "settings", "SELECT")
        for verb in ("INSERT", "UPDATE", "DELETE"):
            assert may(conn, role, "settings", verb) is admin, (group, verb)
        assert runs(role, "person_add") is admin and runs(role, "person_change") is admin
        assert runs(role, "person_password")  # (their own; anyone's only for an administrator)


def test_the_groups_cannot_sign_in_and_own_nothing(catalogue):
    conn, names = catalogue
    for key, name in names.items():
        assert conn.execute("SELECT NOT rolcanlogin AND NOT rolsuper AND NOT rolbypassrls "
                            "FROM pg_roles WHERE rolname = %s", (name,)).fetchone()[0], key
    owners = {owner for (owner,) in conn.execute(
        "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'billing_desk'")}
    assert owners == {names["owner"]}
