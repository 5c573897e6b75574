"""Issue 17: on a server the controls are the database's own. Each person signs in to
PostgreSQL as a login role of their own (SCRAM-SHA-256, over TCP) in one of the
database's group roles, and whatever client they use -- here a plain psycopg connection
as that person, as psql would be -- the database refuses what the app refuses."""

from __future__ import annotations

from decimal import Decimal

import psycopg
import pytest

from billing_desk.cli import main
from billing_desk.domain.draft import CaseDraft
from billing_desk.domain.workflow import CaseStatus, Role, WorkflowRefused
from billing_desk.store import open_store
from billing_desk.store.errors import NotAPersonOfTheDatabase, NotThePersonConnected, SignInRefused
from billing_desk.store.postgres.schema import role_names
from tests.backends import Raw
from tests.domain.builders import make_case, period
from tests.people import Office, office  # noqa: F401 (the fixture)
from tests.staff import PASSWORD

#: refund 600.00: above sup's limit of 500.00
REFUND_600 = [period("2010-01-01", "2010-01-31", "900.00", "300.00")]
OWN_CASE = ("You cannot approve a case you prepared, last edited or submitted; another "
            "supervisor must approve it.")


def submitted_case(office: Office, who: str = "clerk", periods=None) -> int:
    with office.open(who) as cf:
        draft = CaseDraft.from_case(make_case(periods=periods) if periods else make_case())
        record = cf.cases.create(draft, actor=office.login[who])
        return cf.workflow.submit(record.id, actor=office.login[who], expected_revision=1).id


def refused_by_database(outside: Raw, sql: str, params=()) -> psycopg.Error:
    with pytest.raises(psycopg.Error) as e:
        outside.execute(sql, params)
    return e.value


def approve_sql(outside: Raw, case_id: int, approver: str) -> psycopg.Error:
    return refused_by_database(
        outside, "UPDATE cases SET status = 'approved', revision = revision + 1, approved_by = ?, "
        "approved_at = now(), approved_fingerprint = submitted_fingerprint WHERE id = ?",
        (approver, case_id))


def test_people_are_login_roles_in_the_database_groups_and_never_superusers(office):
    groups = role_names(_template_or_db(office))
    with Raw(office.it) as it:
        for who, group in (("admin", "administrator"), ("clerk", "clerk"), ("sup", "supervisor")):
            login = office.login[who]
            assert it.value("SELECT rolcanlogin AND NOT rolsuper AND NOT rolcreaterole FROM "
                            "pg_roles WHERE rolname = ?", (login,))
            assert it.value("SELECT pg_has_role(?, ?, 'MEMBER')", (login, groups[group]))
            assert it.value("SELECT rolpassword LIKE 'SCRAM-SHA-256$%%' FROM pg_authid "
                            "WHERE rolname = ?", (login,))
        assert it.value("SELECT count(*) FROM users WHERE password_hash IS NOT NULL") == 0
        owner = it.value("SELECT tableowner FROM pg_tables WHERE schemaname = 'billing_desk' "
                         "AND tablename = 'cases'")
        assert owner == groups["owner"]
        assert not it.value("SELECT rolcanlogin FROM pg_roles WHERE rolname = ?", (owner,))
    with office.open("clerk") as cf:
        assert cf._c.person == office.login["clerk"]
        assert cf._c.value("SELECT NOT rolsuper FROM pg_roles WHERE rolname = session_user")
        assert cf._c.value("SELECT tableowner <> session_user FROM pg_tables WHERE "
                           "tablename = 'cases'")
    # once people exist, nobody else works in the database: not the superuser either
    with pytest.raises(NotAPersonOfTheDatabase):
        open_store(office.it)
    with pytest.raises(Exception, match="password"):
        open_store(office.server.conninfo(office.dbname, user=office.login["clerk"]),
                   password="not the password")


def _template_or_db(office: Office) -> str:
    with Raw(office.it) as it:
        name = it.value("SELECT name FROM server_roles WHERE role = 'owner'")
    return name[: -len("_owner")]


def test_a_person_acts_only_as_themselves(office):
    with office.open("clerk") as cf:
        with pytest.raises(NotThePersonConnected):
            cf.cases.create(CaseDraft.from_case(make_case()), actor=office.login["sup"])
    with office.raw("clerk") as outside:
        error = refused_by_database(
            outside, "INSERT INTO audit (id, at, actor, action, entity, entity_id, prev_hash, "
            "hash) SELECT id + 1, now(), ?, 'x', 'x', 'x', hash, repeat('0', 64) FROM "
            "audit_head", (office.login["sup"],))
        assert isinstance(error, psycopg.errors.InsufficientPrivilege)  # row-level security


def test_a_clerk_at_psql_cannot_approve_rewrite_delete_read_hashes_or_promote(office):
    case_id = submitted_case(office)
    clerk = office.login["clerk"]
    with office.raw("clerk") as outside:
        error = approve_sql(outside, case_id, clerk)
        assert error.sqlstate == "BD001" and "has no approval authority" in str(error)
        for sql in ("UPDATE audit SET actor = 'x'", "DELETE FROM audit", "TRUNCATE audit",
                    "UPDATE documents SET kind = 'x'", "DELETE FROM documents",
                    "TRUNCATE documents", "DELETE FROM determinations",
                    "SELECT password_hash FROM users", "UPDATE users SET role = 'administrator'",
                    "SELECT * FROM sign_in_failures"):
            error = refused_by_database(outside, sql)
            assert isinstance(error, psycopg.errors.InsufficientPrivilege), sql
        groups = role_names(_template_or_db(office))
        for sql in (f'GRANT "{groups["supervisor"]}" TO "{clerk}"',
                    f'GRANT "{groups["administrator"]}" TO "{clerk}"',
                    f'ALTER ROLE "{clerk}" SUPERUSER',
                    f"SELECT person_change('{clerk}', 'A', 'supervisor', true, 100000.00, now())",
                    f"SELECT person_add('x{clerk}', 'X', 'administrator', NULL, "
                    "'SCRAM-SHA-256$x', now())"):
            error = refused_by_database(outside, sql)
            assert isinstance(error, psycopg.errors.InsufficientPrivilege), sql
        assert outside.value("SELECT count(*) FROM users") == 4  # (names are readable)
    with office.raw("admin") as outside:  # the audit history is append-only for everyone
        for sql in ("UPDATE audit SET actor = 'x'", "DELETE FROM audit", "TRUNCATE audit"):
            assert isinstance(refused_by_database(outside, sql),
                              psycopg.errors.InsufficientPrivilege)


def test_a_supervisor_at_psql_cannot_approve_their_own_case_nor_above_their_limit(office):
    own = submitted_case(office, "sup")
    big = submitted_case(office, periods=REFUND_600)
    with office.raw("sup") as outside:
        error = approve_sql(outside, own, office.login["sup"])
        assert error.diag.message_hint == "own_case" and error.diag.message_primary == OWN_CASE
        error = approve_sql(outside, big, office.login["sup"])
        assert error.diag.message_primary == (
            "This case adjusts $600.00, above your approval limit of $500.00; refer it to a "
            "supervisor with a higher limit.")
        # a case the supervisor edited becomes their own: the edit voids the submission
        outside.execute("UPDATE cases SET notes = 'x', revision = revision + 1, "
                        "customer_name = 'Someone Else' WHERE id = ?", (big,))
        assert outside.execute("SELECT status, submitted_fingerprint, last_edited_by FROM cases "
                               "WHERE id = ?", (big,)).fetchone() == (
            "draft", None, office.login["sup"])
    with office.raw("boss") as outside:  # the approval binds to the fingerprint submitted
        error = refused_by_database(
            outside, "UPDATE cases SET status = 'approved', revision = revision + 1, "
            "approved_by = ?, approved_at = now(), approved_fingerprint = repeat('a', 64) "
            "WHERE id = ?", (office.login["boss"], own))
        assert error.diag.message_hint == "not_as_submitted"
        error = approve_sql(outside, own, office.login["sup"])  # in another's name
        assert error.diag.message_hint == "signed_by_other"


def test_an_edit_in_raw_sql_returns_an_approved_case_to_draft(office):
    first, second = submitted_case(office), submitted_case(office)
    with office.open("boss") as cf:
        for case_id in (first, second):
            cf.workflow.approve(case_id, actor=office.login["boss"])
    with office.raw("clerk") as outside:
        outside.execute("UPDATE cases SET mailing_address = 'Elsewhere', revision = revision + 1 "
                        "WHERE id = ?", (first,))
        outside.execute("UPDATE periods SET billed = '1.00' WHERE case_id = ?", (second,))
        for case_id in (first, second):
            status, approved_by, reason, editor = outside.execute(
                "SELECT status, approved_by, status_reason, last_edited_by FROM cases "
                "WHERE id = ?", (case_id,)).fetchone()
            assert (status, approved_by, editor) == ("draft", None, office.login["clerk"])
            assert reason == "Approval voided: the case was edited after it was approved."


def test_the_databases_refusal_reaches_the_app_as_its_own_message(office):
    case_id = submitted_case(office, "sup")
    with office.open("sup") as cf, pytest.raises(WorkflowRefused) as e:
        # past the app's own check: the write the database refuses
        with cf._c.write(office.login["sup"]) as tx:
            tx.execute("UPDATE cases SET status = 'approved', revision = revision + 1, "
                       "approved_by = ?, approved_at = ?, approved_fingerprint = "
                       "submitted_fingerprint WHERE id = ?", (office.login["sup"], tx.at_text, case_id))
    assert e.value.code == "own_case" and str(e.value) == OWN_CASE
    with office.open("sup") as cf:
        assert cf.cases.load(case_id).status is CaseStatus.SUBMITTED


def test_the_cli_manages_login_roles_and_refuses_self_approval_with_exit_15(
        office, capsys, monkeypatch):
    url = office.server.url(office.dbname, office.login["admin"])
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    monkeypatch.setenv("BILLING_DESK_NEW_PASSWORD", "a new person's password")
    newcomer = f"new{office.login['clerk']}"
    try:
        assert main(["user", "add", url, "--login", newcomer, "--name", "Nia New", "--role",
                     "clerk", "--as", office.login["admin"]]) == 0
        with Raw(office.it) as it:
            assert it.value("SELECT rolcanlogin FROM pg_roles WHERE rolname = ?", (newcomer,))
            assert main(["user", "set-role", url, newcomer, "supervisor", "--as",
                         office.login["admin"]]) == 0
            assert it.value("SELECT pg_has_role(?, ?, 'MEMBER')", (
                newcomer, role_names(_template_or_db(office))["supervisor"]))
            assert main(["user", "set-limit", url, newcomer, "250.00", "--as",
                         office.login["admin"]]) == 0
            assert main(["user", "disable", url, newcomer, "--as", office.login["admin"]]) == 0
            assert not it.value("SELECT rolcanlogin FROM pg_roles WHERE rolname = ?", (newcomer,))
        capsys.readouterr()
        # a clerk may not manage users: the app's refusal, exit 15
        clerk_url = office.server.url(office.dbname, office.login["clerk"])
        assert main(["user", "enable", clerk_url, newcomer, "--as", office.login["clerk"]]) == 15
        # self-approval on a server: the same message and exit code as on a file
        case_id = submitted_case(office, "sup")
        sup_url = office.server.url(office.dbname, office.login["sup"])
        code = main(["approve", sup_url, f"BD-{case_id:06d}", "--as", office.login["sup"]])
        err = capsys.readouterr().err
        assert code == 15 and OWN_CASE in err
        code = main(["approve", sup_url, f"BD-{case_id:06d}", "--as", office.login["boss"]])
        assert code == 16 and "signed in to" in capsys.readouterr().err
    finally:
        office.server.admin(f'DROP ROLE IF EXISTS "{newcomer}"')


def test_only_administrators_change_settings_and_users_change_only_through_the_functions(office):
    users_writes = ("INSERT INTO users (login, name, role, active, created_at, updated_at) "
                    "VALUES ('x', 'X', 'administrator', true, now(), now())",
                    "UPDATE users SET approval_limit = 1000000.00", "DELETE FROM users")
    settings_writes = ("INSERT INTO settings (key, value) VALUES ('incident_sample_size', '5')",
                       "UPDATE settings SET value = '5'", "DELETE FROM settings")
    for who in ("clerk", "sup", "boss"):
        with office.raw(who) as outside:
            for sql in users_writes + settings_writes:
                error = refused_by_database(outside, sql)
                assert isinstance(error, psycopg.errors.InsufficientPrivilege), (who, sql)
            assert outside.value("SELECT count(*) FROM settings") == 0  # (readable)
    with office.raw("admin") as outside:
        for sql in users_writes:
            error = refused_by_database(outside, sql)
            assert isinstance(error, psycopg.errors.InsufficientPrivilege), sql
    with office.open("admin") as cf:
        cf.settings.set("incident_sample_size", 12, actor=office.login["admin"])
        assert cf.settings.get("incident_sample_size") == 12
    with office.open("sup") as cf:
        assert cf.settings.get("incident_sample_size") == 12


#: What nobody may do to the history, the issued documents and their copies
APPEND_ONLY_ATTACKS = tuple(
    sql for table, column in (("audit", "actor"), ("documents", "created_by"),
                              ("document_copies", "created_by"), ("determinations", "rule_pack"))
    for sql in (f"UPDATE {table} SET {column} = 'x'", f"DELETE FROM {table}", f"TRUNCATE {table}"))


def _everything(it: Raw) -> list:
    """What the attacked tables hold, row by row (read as IT, outside row-level security)."""
    return [it.execute(f"SELECT md5(string_agg(t::text, '|' ORDER BY t::text)), count(*) FROM "
                       f"{table} t").fetchone()
            for table in ("audit", "documents", "document_copies", "determinations", "users",
                          "cases")]


@pytest.mark.parametrize("who", ["clerk", "sup", "admin"])
def test_nobody_at_psql_changes_the_history_an_issued_document_or_a_copy(office, who):
    clerk = office.login["clerk"]
    with office.open("clerk") as cf:
        record = cf.cases.create(CaseDraft.from_case(make_case()), actor=clerk)
        fp = cf.determinations.record(record.id, actor=clerk).fingerprint
        letter = cf.documents.add(record.id, "letter", fp, b"%PDF letter", 1, actor=clerk)
        cf.documents.add_copy(letter.id, "reprint", b"%PDF letter COPY", 1, actor=clerk)
    with Raw(office.it) as it:
        before = _everything(it)
    with office.raw(who) as outside:
        for sql in APPEND_ONLY_ATTACKS:
            error = refused_by_database(outside, sql)
            assert isinstance(error, psycopg.errors.InsufficientPrivilege), (who, sql)
        # a reprint in someone else's name: refused by row-level security
        error = refused_by_database(
            outside, "INSERT INTO document_copies (document_id, purpose, sha256, pdf, page_count, "
            "created_at, created_by) VALUES (?, 'reprint', encode(sha256('x'::bytea), 'hex'), "
            "'x'::bytea, 1, now(), ?)", (letter.id, office.login["boss"]))
        assert isinstance(error, psycopg.errors.InsufficientPrivilege)
    with Raw(office.it) as it:
        assert _everything(it) == before
    with office.open("admin") as cf:
        assert cf.verify().ok


def test_an_administrator_copies_a_server_with_people_to_a_file_that_one_of_them_signs_in_to(
        office, tmp_path, capsys, monkeypatch):
    submitted_case(office)
    url = office.server.url(office.dbname, office.login["admin"])
    copy = tmp_path / "auditor.bdesk"
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    monkeypatch.setenv("BILLING_DESK_NEW_PASSWORD", "the auditor's own password")
    code = main(["copy", url, str(copy), "--password-for", office.login["admin"].upper()])
    out, err = capsys.readouterr()
    assert code == 0, err
    heads = [line.split("Chain head: ")[1] for line in out.splitlines() if "Chain head" in line]
    assert len(heads) == 2 and heads[0] == heads[1]
    assert (f"In the copy, {office.login['admin']} signs in with the password just given; "
            "3 other user(s) have no password") in out
    with open_store(copy) as cf:
        assert cf.verify().ok
        assert cf.users.authenticate(office.login["admin"], "the auditor's own password").role \
            is Role.ADMINISTRATOR
        with pytest.raises(SignInRefused):  # their server password does not open the copy
            cf.users.authenticate(office.login["clerk"], PASSWORD)
        assert [(u.login, u.role, u.approval_limit) for u in cf.users.list()] == [
            (office.login["admin"], Role.ADMINISTRATOR, None),
            (office.login["boss"], Role.SUPERVISOR, Decimal("100000.00")),
            (office.login["clerk"], Role.CLERK, None),
            (office.login["sup"], Role.SUPERVISOR, Decimal("500.00"))]
    # a login that is nobody's: refused, and no file is made
    capsys.readouterr()
    code = main(["copy", url, str(tmp_path / "other.bdesk"), "--password-for", "nobody"])
    assert code == 2 and "nobody is not a user of" in capsys.readouterr().err
    assert not (tmp_path / "other.bdesk").exists()
