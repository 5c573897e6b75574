"""The command line on a server: ``upgrade``, ``copy`` between a case file and a server
(both ways, history and hashes included), and the exit code and message of each failure
a script meets with a server (unreachable, no password, wrong password, not a Billing
Desk database, an empty one, a password on the command line)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from billing_desk.cli import main
from billing_desk.domain.draft import CaseDraft
from billing_desk.issuing import issue_documents
from billing_desk.store import SignInRefused, create_store, open_store
from billing_desk.store.demo_file import create_demo_file
from billing_desk.store.postgres.schema import LATEST_VERSION
from tests.backends import raw, state_of, tamper
from tests.issuing.cases import CLERK, ISSUE_DATE, MAIL_ROOM, approved_cases
from tests.staff import FAST, PASSWORD

EXE = str(Path(sys.executable).with_name("billing-desk"))


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def empty_database(pg_server):
    name = pg_server.new_database(template=False)
    yield pg_server.conninfo(name)
    pg_server.drop_database(name)


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    monkeypatch.setattr("billing_desk.store.users.STRONG", FAST)
    monkeypatch.setenv("BILLING_DESK_PASSWORD", PASSWORD)


def test_upgrade_creates_the_schema_then_has_nothing_to_do(empty_database, capsys):
    code, out, _ = run(capsys, "upgrade", empty_database)
    assert code == 0 and f"Billing Desk's schema created (version {LATEST_VERSION})" in out
    code, out, _ = run(capsys, "upgrade", empty_database)
    assert code == 0 and "the schema is current" in out
    # the README's next step: the first administrator in the schema nobody has used yet
    code, _, err = run(capsys, "new", empty_database, "--admin-login", "root", "--admin-name",
                       "Rita Root")
    assert code == 0, err
    code, _, err = run(capsys, "new", empty_database, "--admin-login", "root", "--admin-name",
                       "Rita Root")
    assert code == 11 and "holds a Billing Desk database already" in err


def test_new_on_an_empty_database_creates_schema_and_administrator(empty_database, capsys):
    code, out, err = run(capsys, "new", empty_database, "--admin-login", "root", "--admin-name",
                         "Rita Root")
    assert code == 0, err
    assert "Created " in out and "an empty database; administrator root" in out
    with open_store(empty_database) as cf:
        assert [u.login for u in cf.users.list()] == ["root"]


def test_an_empty_database_tells_what_to_run(empty_database, capsys):
    code, _, err = run(capsys, "search", empty_database, "pena")
    assert code == 28 and "billing-desk upgrade" in err


def test_another_programs_database_is_exit_5_and_untouched(empty_database, capsys):
    with raw(empty_database) as r:
        r.execute("CREATE TABLE public.invoices (id integer)")
    before = state_of(empty_database)
    for command in (["verify"], ["upgrade"], ["copy", empty_database]):
        args = [command[0], *([empty_database] if command[0] != "copy" else [empty_database, "x.bdesk"])]
        code, _, err = run(capsys, *args)
        assert code == 5 and "is not a Billing Desk database" in err, command
    assert state_of(empty_database) == before


def test_a_server_that_is_down_is_exit_25(capsys):
    from tests.pg_server import _free_port

    code, _, err = run(capsys, "verify", f"postgresql://127.0.0.1:{_free_port()}/billing")
    assert code == 25 and err.startswith("billing-desk: Cannot reach the Billing Desk server")


def test_a_password_on_the_command_line_is_refused(capsys):
    code, _, err = run(capsys, "verify", "postgresql://clerk:secret@127.0.0.1/billing")
    assert code == 2 and "never goes on the command line" in err


def test_the_server_password_comes_from_pgpassword_or_the_terminal_never_an_argument(
        pg_server, server_database, tmp_path):
    """Through the real console script, with no terminal: without a password it stops with
    exit 27 saying where to put one; PGPASSWORD (a script's) or ~/.pgpass is used."""
    role = f"script{os.getpid()}"
    pg_server.add_role(role, "s3cret pass")
    url = pg_server.url(psycopg.conninfo.conninfo_to_dict(server_database)["dbname"], role)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["PGPASSFILE"] = str(tmp_path / "none")
    proc = subprocess.run([EXE, "verify", url], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=60)
    assert proc.returncode == 27 and "asks for a password" in proc.stderr
    assert "PGPASSWORD" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run([EXE, "verify", url], capture_output=True, text=True,
                          env={**env, "PGPASSWORD": "not it"}, stdin=subprocess.DEVNULL, timeout=60)
    assert proc.returncode == 27 and f"the password for {role} is not correct" in proc.stderr
    proc = subprocess.run([EXE, "verify", url], capture_output=True, text=True,
                          env={**env, "PGPASSWORD": "s3cret pass"}, stdin=subprocess.DEVNULL,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "OK: the audit history" in proc.stdout


def _copy(capsys, source, target) -> tuple[int, str, str]:
    return run(capsys, "copy", source, target)


def test_copy_a_file_to_a_server_and_back_keeps_every_row_and_hash(tmp_path, empty_database, capsys):
    """Cases in every state, users, a setting, an attachment, issued documents, a reprint
    and a failed sign-in: all of it moves, row for row."""
    office = tmp_path / "office.bdesk"
    with create_store(office) as cf:
        numbers = approved_cases(cf, 4)
        for number in numbers[:2]:
            issue_documents(cf, cf.cases.find(number).id, actor=MAIL_ROOM, issue_date=ISSUE_DATE)
        cf.cases.create(CaseDraft(why="a draft"), actor=CLERK)
        cf.attachments.add(1, "bill.pdf", b"%PDF-1.4 a scanned bill", actor=CLERK)
        cf.settings.set("attachment_max_bytes", 1_000_000, actor="admin")
        cf.documents.record_use(1, "print", {}, actor=MAIL_ROOM)
        with pytest.raises(SignInRefused):
            cf.users.authenticate(CLERK, "not the password")
        head = cf.newest_entry()
        cases = cf.listing.count()
    code, out, err = _copy(capsys, office, empty_database)
    assert code == 0, err
    assert re.search(rf"Copied .+ to .+: {cases} case\(s\), {head.id} history entries, "
                     r"\d+ document\(s\), 1 attachment\(s\), 4 user\(s\)\.", out)
    assert out.count("OK: the audit history") == 2
    assert out.count(f"Chain head: entry {head.id}, hash {head.hash}.") == 2
    assert "copy: audit:" in err
    back = tmp_path / "back.bdesk"
    code, out, err = _copy(capsys, empty_database, back)
    assert code == 0, err
    assert out.count(f"Chain head: entry {head.id}, hash {head.hash}.") == 2
    with open_store(office) as a, open_store(empty_database) as b, open_store(back) as c:
        for other in (b, c):
            assert other.audit_log(limit=100_000) == a.audit_log(limit=100_000)
            everything = range(1, cases + 1)
            assert [other.cases.load(i) for i in everything] == [a.cases.load(i) for i in everything]
            assert other.users.list() == a.users.list()
            assert other.users.failures(CLERK) == a.users.failures(CLERK) == 1
            assert other.settings.all() == a.settings.all()
            assert [other.documents.list(i) for i in everything] == [a.documents.list(i) for i in everything]
            assert other.documents.pdf(1) == a.documents.pdf(1)
            assert other.attachments.data(1) == a.attachments.data(1)
            assert other.documents.uses(1) == a.documents.uses(1)
        # the copy is an office that works: a save, its entry chained to the copied head
        record = b.cases.load(cases)
        b.cases.save(cases, record.draft, notes="after the move", expected_revision=record.revision,
                     actor=CLERK)
        assert b.newest_entry().prev_hash == head.hash
        assert b.cases.create(CaseDraft(), actor=CLERK).id == cases + 1 and b.verify().ok


def test_copy_carries_an_incident_its_review_and_approval(tmp_path, empty_database, capsys):
    """Issue 18's tables move too: the incident, its cases and figures, its review by
    sample and its approval, and both ends verify with the same head."""
    from tests.staff import add_staff
    from tests.store.incident_helpers import stormwater_incident

    office = tmp_path / "office.bdesk"
    with create_store(office) as cf:
        add_staff(cf)
        record, _ = stormwater_incident(cf, approve=True)
        head, summary = cf.newest_entry(), cf.incidents.summary(record.id)
        history = cf.incidents.history(record.id)
    code, out, err = _copy(capsys, office, empty_database)
    assert code == 0, err
    assert out.count(f"Chain head: entry {head.id}, hash {head.hash}.") == 2
    back = tmp_path / "back.bdesk"
    assert _copy(capsys, empty_database, back)[0] == 0
    for target in (empty_database, back):
        with open_store(target) as other:
            assert other.incidents.summary(record.id) == summary
            assert other.incidents.history(record.id) == history
            assert other.verify().ok and other.newest_entry() == head


def test_copy_refuses_a_target_that_is_not_empty(tmp_path, server_database, capsys):
    office = tmp_path / "office.bdesk"
    create_demo_file(office, 3).close()
    with open_store(server_database) as cf:  # (a schema nobody used yet would take it)
        cf.cases.create(CaseDraft(why="already here"), actor="someone")
    before = state_of(server_database)
    code, _, err = _copy(capsys, office, server_database)
    assert code == 11 and "is not empty" in err
    assert state_of(server_database) == before
    code, _, err = _copy(capsys, server_database, office)
    assert code == 11 and "already exists" in err


def test_a_broken_history_is_exit_14_on_a_server(server_database, capsys):
    assert run(capsys, "demo", server_database, "--cases", "3")[0] == 0
    assert run(capsys, "verify", server_database)[0] == 0
    tamper(server_database, "UPDATE audit SET actor = 'mallory' WHERE id = 1")
    code, out, _ = run(capsys, "verify", server_database)
    assert code == 14 and "BROKEN" in out and "audit entry 1" in out
