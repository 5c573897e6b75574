"""Issue 22: the case file's history signed by the people who made it. Each attack an
insider with write access to the file could try -- an amount changed and every hash
after it recomputed, a forged role change, a password hash and a key swapped, the store
called from Python without a password, the newest entries removed -- is tried here from
outside the app, and ``verify`` (or the store itself) refuses it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from billing_desk.cli import main
from billing_desk.domain.canonical import canonical_json
from billing_desk.domain.draft import CaseDraft
from billing_desk.store import create_store, open_store
from billing_desk.store.audit import AUDIT_COLUMNS, HASHED, entry_hash
from billing_desk.store.errors import SignInRefused
from billing_desk.store.signing import KEYRING, KeyNotOpened, NotSignedIn
from tests.before_signing import as_before_signing
from tests.domain.builders import make_case
from tests.staff import FAST, PASSWORD, add_staff, sign_in_all

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def office(tmp_path) -> Path:
    """The test office, a case approved by boss (prepared and submitted by alice)."""
    path = tmp_path / "office.bdesk"
    with create_store(path) as cf:
        add_staff(cf)
        record = cf.cases.create(CaseDraft.from_case(make_case()), actor="alice")
        cf.workflow.submit(record.id, actor="alice")
        cf.workflow.approve(record.id, actor="boss")
    return path


def recompute_from(raw: sqlite3.Connection, entry: int, change) -> None:
    """Edit entry ``entry`` with ``change(fields)`` and recompute its hash and every one
    after it, the audit table's trigger dropped and put back: what the project's own
    code lets anyone with the file do. The signatures are left as they were (nobody
    here has the signers' passwords)."""
    trigger = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_no_update'").fetchone()[0]
    raw.execute("DROP TRIGGER audit_no_update")
    prev = raw.execute("SELECT hash FROM audit WHERE id = ?", (entry - 1,)).fetchone()[0]
    for row in raw.execute(f"SELECT {AUDIT_COLUMNS} FROM audit WHERE id >= ? ORDER BY id",
                           (entry,)).fetchall():
        fields = dict(zip(HASHED + ("hash",), row))
        if fields["id"] == entry:
            change(fields)
        fields["prev_hash"] = prev
        fields["hash"] = entry_hash(fields)
        raw.execute("UPDATE audit SET actor = ?, before = ?, after = ?, prev_hash = ?, hash = ? "
                    "WHERE id = ?", (fields["actor"], fields["before"], fields["after"],
                                     fields["prev_hash"], fields["hash"], fields["id"]))
        prev = fields["hash"]
    raw.execute(trigger)


def verify_says(path: Path) -> str:
    with open_store(path) as cf:
        report = cf.verify()
    assert not report.ok
    return report.problem


def entry_of(raw, action: str, entity: str = "case") -> int:
    return raw.execute("SELECT max(id) FROM audit WHERE action = ? AND entity = ?",
                       (action, entity)).fetchone()[0]


def test_every_entry_is_signed_by_its_maker_and_verify_checks_each(office, capsys):
    with sqlite3.connect(office) as raw:
        rows = raw.execute("SELECT actor, signed_by, length(signature) FROM audit").fetchall()
    assert rows and all(actor == by and length == 128 for actor, by, length in rows)
    assert main(["verify", str(office)]) == 0
    assert "Every entry is signed by the person who made it, and every signature holds." in \
        capsys.readouterr().out


def test_an_amount_changed_and_every_hash_after_it_recomputed_is_caught(office):
    raw = sqlite3.connect(office, isolation_level=None)
    create = entry_of(raw, "create")

    def more_money(fields):
        after = json.loads(fields["after"])
        after["periods"][0]["billed"] = "9999.00"
        fields["after"] = canonical_json(after)

    recompute_from(raw, create, more_money)
    raw.execute("UPDATE periods SET billed = '9999.00' WHERE case_id = 1 AND position = 0")
    raw.close()
    problem = verify_says(office)
    assert problem.startswith(f"entry #{create} (") and "create by alice" in problem
    assert "does not carry alice's signature" in problem


def test_a_forged_role_change_making_a_clerk_a_supervisor_is_caught(office):
    raw = sqlite3.connect(office, isolation_level=None)
    head_id, head_hash = raw.execute("SELECT id, hash FROM audit ORDER BY id DESC").fetchone()
    fields = {"id": head_id + 1, "at": "2026-12-03T09:00:00.000000Z", "actor": "root",
              "action": "set_role", "entity": "user", "entity_id": "alice", "case_id": None,
              "before": canonical_json({"role": "clerk"}),
              "after": canonical_json({"role": "supervisor", "approval_limit": "100000.00"}),
              "prev_hash": head_hash}
    fields["hash"] = entry_hash(fields)
    raw.execute(f"INSERT INTO audit ({AUDIT_COLUMNS}) VALUES ({', '.join('?' * 11)})",
                tuple(fields[k] for k in HASHED + ("hash",)))
    raw.execute("UPDATE users SET role = 'supervisor', approval_limit = '100000.00' "
                "WHERE login = 'alice'")
    raw.close()
    assert verify_says(office) == (
        f"entry #{head_id + 1} (2026-12-03T09:00:00.000000Z, set_role by root) is not signed, "
        "though every entry since #1 is: it was written behind the application's back.")
    # signed with a key of one's own (the clerk's) in the administrator's name: no better
    raw = sqlite3.connect(office, isolation_level=None)
    raw.execute("DROP TRIGGER audit_no_update")
    raw.execute("UPDATE audit SET signed_by = 'alice', signature = (SELECT signature FROM "
                "audit WHERE actor = 'alice' LIMIT 1) WHERE id = ?", (head_id + 1,))
    raw.close()
    assert "does not carry alice's signature" in verify_says(office)


def test_a_supervisors_password_hash_and_key_swapped_for_the_clerks_open_nothing(office):
    with open_store(office) as cf:  # the clerk's own password, which she knows
        cf.users.using(passwords=FAST).set_password("alice", "alice's own password",
                                                     actor="alice")
    with sqlite3.connect(office) as raw:
        raw.execute("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE "
                    "login = 'alice') WHERE login = 'sup'")
    with open_store(office) as cf:
        users = cf.users.using(passwords=FAST)
        # the clerk's password now passes the hash check, but sup's key does not open
        with pytest.raises(KeyNotOpened, match="signing key of sup does not open"):
            users.authenticate("sup", "alice's own password")
    with sqlite3.connect(office) as raw:  # her sealed key too: it is not sup's key
        raw.execute("UPDATE users SET sealed_key = (SELECT sealed_key FROM users WHERE "
                    "login = 'alice') WHERE login = 'sup'")
    with open_store(office) as cf:
        with pytest.raises(KeyNotOpened):
            cf.users.using(passwords=FAST).authenticate("sup", "alice's own password")
    with sqlite3.connect(office) as raw:  # and sup's public key: the history says otherwise
        raw.execute("UPDATE users SET public_key = (SELECT public_key FROM users WHERE "
                    "login = 'alice') WHERE login = 'sup'")
    assert verify_says(office).startswith("user sup does not match their history")


def test_the_store_called_from_python_without_a_password_changes_nothing(office):
    """A program of one's own, in a process of its own: it can name any login, but it
    has nobody's key."""
    script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from billing_desk.store import open_store
from billing_desk.store.signing import NotSignedIn
with open_store({str(office)!r}) as cf:
    record = cf.cases.find("BD-000001")
    for step in (lambda: cf.workflow.void(record.id, "forged", actor="boss"),
                 lambda: cf.users.set_role("alice", "supervisor", actor="root"),
                 lambda: cf.cases.save(record.id, record.draft, notes="x",
                                       expected_revision=record.revision, actor="alice")):
        try:
            step()
        except NotSignedIn as e:
            print("refused:", e)
        else:
            print("DONE")
"""
    before = office.read_bytes()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("refused: ") == 3 and "DONE" not in done.stdout
    assert "boss has not signed in" in done.stdout and "root has not signed in" in done.stdout
    with open_store(office) as cf:
        assert cf.verify().ok and cf.cases.find("BD-000001").status.value == "approved"
    assert len(office.read_bytes()) == len(before)


def test_the_newest_entries_removed_and_the_cases_put_back_are_caught_by_the_workstation(
        office, capsys):
    with open_store(office) as cf:  # the clerk works here; closing remembers the head
        sign_in_all(cf, ["alice"])
        cf.cases.create(CaseDraft.from_case(make_case()), actor="alice")
        seen = cf.history_head()
    with sqlite3.connect(office, isolation_level=None) as raw:  # the new case taken out
        raw.execute("DROP TRIGGER audit_no_delete")
        raw.execute("DELETE FROM audit WHERE id = ?", (seen.entry,))
        raw.execute("DROP TRIGGER cases_no_delete")
        raw.execute("DELETE FROM case_search WHERE rowid = 2")
        raw.execute("DELETE FROM periods WHERE case_id = 2")
        raw.execute("DELETE FROM cases WHERE id = 2")
    with open_store(office) as cf:
        assert cf.verify().ok  # a whole chain, every case as its history says
        problem = cf.known_head_problem()
    assert problem == (f"the history of {office} ends at entry #{seen.entry - 1}, but this "
                       f"workstation saw entry #{seen.entry}, seen here on "
                       f"{problem.split('seen here on ')[1][:10]} by alice: its newest entries "
                       "were removed.")
    assert main(["verify", str(office)]) == 14
    assert "BROKEN: the history of" in capsys.readouterr().out


def test_a_disabled_persons_entries_still_verify_and_a_reset_gives_a_new_key(office):
    with open_store(office) as cf:
        users = cf.users.using(passwords=FAST)
        old_key = users.get("alice").public_key
        users.disable("alice", actor="root")
        assert cf.verify().ok  # what she signed before stays good
        users.enable("alice", actor="root")
        # a forgotten password: set by an administrator, with a new key pair
        users.set_password("alice", "her new password", actor="root")
        new_key = users.get("alice").public_key
        assert new_key != old_key and KEYRING.get(new_key) is None  # (root does not hold it)
        with pytest.raises(NotSignedIn):
            cf.cases.create(CaseDraft.from_case(make_case()), actor="alice")
        with pytest.raises(SignInRefused):
            users.authenticate("alice", PASSWORD)
        users.authenticate("alice", "her new password")
        cf.cases.create(CaseDraft.from_case(make_case()), actor="alice")
        # her own new password: the same key, sealed again
        users.set_password("alice", "another password of hers", actor="alice")
        assert users.get("alice").public_key == new_key
        with pytest.raises(KeyNotOpened):
            from billing_desk.store.signing import unseal

            sealed = cf._c.value("SELECT sealed_key FROM users WHERE login = 'alice'")
            unseal(sealed, "her new password", new_key, "alice")
        assert users.authenticate("alice", "another password of hers").public_key == new_key
        report = cf.verify()
    assert report.ok and report.signed_from == 1


def test_an_older_files_history_is_signed_from_the_upgrade_on(tmp_path, capsys):
    path = tmp_path / "old.bdesk"
    with create_store(path) as cf:
        add_staff(cf)
        cf.cases.create(CaseDraft.from_case(make_case()), actor="alice")
    as_before_signing(path)
    with open_store(path) as cf:
        report = cf.verify()
        assert report.ok and report.signed_from is None
        assert [u.public_key for u in cf.users.list()] == [None] * 5
        with pytest.raises(NotSignedIn):  # nobody has a key until they sign in
            cf.cases.create(CaseDraft.from_case(make_case()), actor="alice")
        users = cf.users.using(passwords=FAST)
        users.authenticate("alice", PASSWORD)  # her key is made now
        first_signed = cf.history_head().entry
        cf.cases.create(CaseDraft.from_case(make_case()), actor="alice")
        report = cf.verify()
    assert report.ok and report.signed_from == first_signed
    assert main(["verify", str(path)]) == 0
    assert (f"Signed by the people who made them from entry #{first_signed} on (the entries "
            "before it were made before Billing Desk signed its history); every signature "
            "holds.") in capsys.readouterr().out
    # an unsigned entry after that point is not accepted
    with sqlite3.connect(path, isolation_level=None) as raw:
        raw.execute("DROP TRIGGER audit_no_update")
        raw.execute("UPDATE audit SET signature = NULL, signed_by = NULL WHERE id = ?",
                    (first_signed + 1,))
    assert "is not signed, though every entry since" in verify_says(path)


def test_an_approval_signed_by_someone_without_authority_is_caught(office):
    """The clerk signs an approval in her own name with her own key (the store refused
    it; written here with raw SQL and her real signature)."""
    from billing_desk.store.signing import sign_entry, unseal

    raw = sqlite3.connect(office, isolation_level=None)
    sealed, public = raw.execute("SELECT sealed_key, public_key FROM users WHERE login = "
                                 "'alice'").fetchone()
    key = unseal(sealed, PASSWORD, public, "alice")  # (she knows her own password)
    approve = entry_of(raw, "approve")

    def as_alice(fields):
        fields["actor"] = "alice"

    recompute_from(raw, approve, as_alice)
    trigger_free = "UPDATE audit SET signed_by = 'alice', signature = ? WHERE id = ?"
    raw.execute("DROP TRIGGER audit_no_update")
    for entry_id, h in raw.execute("SELECT id, hash FROM audit WHERE id >= ?",
                                   (approve,)).fetchall():
        raw.execute(trigger_free, (sign_entry(key, h), entry_id))
    raw.close()
    problem = verify_says(office)
    assert f"entry #{approve}" in problem and "had no approval authority then" in problem
