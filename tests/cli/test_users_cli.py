"""``billing-desk new / user / submit / approve / return / void``: through the real console
script in a subprocess with no terminal (passwords from the environment), and the longer
sequences in-process through ``main`` (each subprocess costs a second of start-up)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from billing_desk.cli import main
from billing_desk.domain.draft import CaseDraft
from billing_desk.store import create_store, open_store
from tests.backends import exists, raw
from tests.domain.builders import make_case, period
from tests.staff import FAST, PASSWORD, add_staff

EXE = str(Path(sys.executable).with_name("billing-desk"))


def cli(*args, password: str | None = PASSWORD, new_password: str | None = None):
    env = {k: v for k, v in os.environ.items()
           if k not in ("BILLING_DESK_DEBUG", "BILLING_DESK_PASSWORD", "BILLING_DESK_NEW_PASSWORD")}
    if password is not None:
        env["BILLING_DESK_PASSWORD"] = password
    if new_password is not None:
        env["BILLING_DESK_NEW_PASSWORD"] = new_password
    proc = subprocess.run([EXE, *map(str, args)], capture_output=True, text=True, timeout=60,
                          env=env, stdin=subprocess.DEVNULL)
    assert "Traceback" not in proc.stderr
    return proc


def run(capsys, monkeypatch, *args, password: str = PASSWORD, new_password: str | None = None):
    """``main`` in-process, with the passwords in the environment as a script sets them."""
    monkeypatch.setenv("BILLING_DESK_PASSWORD", password)
    if new_password is not None:
        monkeypatch.setenv("BILLING_DESK_NEW_PASSWORD", new_password)
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office(store_target):
    """A store (file or database) with the test office and two cases prepared by alice:
    BD-000001 a refund of 10.00, BD-000002 an undercharge whose readings differ."""
    with create_store(store_target) as cf:
        add_staff(cf)
        cf.cases.create(CaseDraft.from_case(make_case()), actor="alice")
        under = [period("2010-01-01", "2010-01-31", "40.00", "60.00")]
        cf.cases.create(CaseDraft.from_case(make_case(periods=under)), actor="alice")
    return store_target


def test_new_asks_for_the_first_administrator(store_target):
    path = store_target
    proc = cli("new", path, "--admin-login", "root", "--admin-name", "Rita Root", password=None)
    assert proc.returncode == 2 and "set the environment variable BILLING_DESK_PASSWORD" in proc.stderr
    assert not exists(path)
    proc = cli("new", path, password=PASSWORD)
    assert proc.returncode == 2 and "give --admin-login" in proc.stderr
    proc = cli("new", path, "--admin-login", "root", "--admin-name", "Rita Root")
    assert proc.returncode == 0, proc.stderr
    assert "administrator root" in proc.stdout
    with raw(path) as outside:
        (stored,) = outside.execute("SELECT password_hash FROM users").fetchone()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")  # real users: strong hashes
    proc = cli("submit", path, "BD-000001", "--as", "root", "--password", PASSWORD)
    assert proc.returncode == 2 and "unrecognized arguments: --password" in proc.stderr


def test_users_are_added_and_disabled_by_an_administrator(office, capsys, monkeypatch):
    monkeypatch.setattr("billing_desk.store.users.STRONG", FAST)
    code, out, err = run(capsys, monkeypatch, "user", "add", office, "--login", "carol", "--name",
                         "Carol Chen", "--role", "supervisor", "--limit", "$2,500", "--as", "root",
                         new_password="carol's secret")
    assert code == 0, err
    assert "Added carol (Carol Chen), supervisor, approval limit 2500.00." in out
    code, _, err = run(capsys, monkeypatch, "user", "add", office, "--login", "dave", "--name",
                       "Dave Dunn", "--role", "clerk", "--as", "alice", new_password="dave's secret")
    assert code == 15 and "Only an administrator can change users" in err
    code, _, err = run(capsys, monkeypatch, "user", "add", office, "--login", "dave", "--name",
                       "Dave Dunn", "--role", "clerk", "--limit", "10", "--as", "root",
                       new_password="dave's secret")
    assert code == 2 and "limit: a clerk cannot approve cases" in err
    assert run(capsys, monkeypatch, "user", "disable", office, "carol", "--as", "root")[0] == 0
    listed = run(capsys, monkeypatch, "user", "list", office)[1]
    assert re.search(r"^carol\s+Carol Chen\s+supervisor\s+2,500.00\s+disabled$", listed, re.M)
    code, _, err = run(capsys, monkeypatch, "submit", office, "BD-000001", "--as", "carol",
                       password="carol's secret")
    assert code == 16 and "account is disabled" in err
    code, _, err = run(capsys, monkeypatch, "user", "disable", office, "root", "--as", "root")
    assert code == 15 and "last active administrator" in err


def test_sign_in_failures_say_nothing_about_which_part_was_wrong(office):
    wrong_password = cli("submit", office, "BD-000001", "--as", "alice", password="nope nope")
    wrong_login = cli("submit", office, "BD-000001", "--as", "alicia")
    assert wrong_password.returncode == wrong_login.returncode == 16
    assert wrong_password.stderr == wrong_login.stderr == (
        "billing-desk: Login or password is not correct.\n")


def test_submit_then_approve_in_a_subprocess(office):
    proc = cli("submit", office, "BD-000001", "--as", "alice")
    assert proc.returncode == 0, proc.stderr
    assert "BD-000001 submitted for approval by alice (fingerprint " in proc.stdout
    proc = cli("approve", office, "BD-000001", "--as", "alice")
    assert proc.returncode == 15 and "refused: User alice (clerk) has no approval authority." in proc.stderr
    proc = cli("approve", office, "BD-000001", "--as", "sup")
    assert proc.returncode == 0 and "approved by sup" in proc.stdout and "now approved" in proc.stdout


def test_return_void_and_the_acknowledgement(office, capsys, monkeypatch):
    def act(*args):
        return run(capsys, monkeypatch, args[0], office, "BD-000002", *args[1:])

    assert act("submit", "--as", "alice")[0] == 0
    code, _, err = act("approve", "--as", "sup")
    assert code == 15 and "readings of 26-721(a)(2) differ" in err
    code, _, err = act("return", "--as", "sup")
    assert code == 15 and "Say why the case is returned" in err
    code, out, _ = act("return", "--as", "sup", "--reason", "Attach the bills.")
    assert code == 0 and "returned to the clerk" in out
    assert act("submit", "--as", "alice")[0] == 0
    code, _, err = act("approve", "--as", "sup", "--acknowledge-divergence")
    assert code == 0, err
    code, _, err = act("void", "--as", "alice", "--reason", "duplicate")
    assert code == 15 and "only be voided by a supervisor" in err
    code, out, _ = act("void", "--as", "boss", "--reason", "Duplicate of BD-000001.")
    assert code == 0 and "now void" in out
    assert run(capsys, monkeypatch, "verify", office)[0] == 0
    with open_store(office) as cf:
        assert [(e.action, e.actor) for e in cf.cases.history(2)] == [
            ("create", "alice"), ("submit", "alice"), ("return", "sup"), ("submit", "alice"),
            ("approve", "sup"), ("void", "boss")]
