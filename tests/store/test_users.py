"""Users in the case file: administrators manage them, every change is audited without
a password hash, sign-in says nothing about which part was wrong and slows down guessing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from billing_desk.domain.accounts import AccountRefused, UserInvalid
from billing_desk.domain.workflow import Role
from billing_desk.store import NotAUser, RecordNotFound, SignInRefused, UserRecord
from billing_desk.store.passwords import STRONG
from tests.staff import FAST, PASSWORD
from tests.backends import raw

from .conftest import shared_draft

WRONG = "Login or password is not correct."


def test_first_administrator_only_on_a_file_without_users(case_file):
    case_file.users = case_file.users.using(passwords=FAST)
    assert case_file.users.needs_first_administrator()
    root = case_file.users.create_first_administrator(" Root ", "Rita  Root", PASSWORD)
    assert root == UserRecord("Root", "Rita Root", Role.ADMINISTRATOR, True, None)
    assert not case_file.users.needs_first_administrator()
    with pytest.raises(AccountRefused, match="has users already"):
        case_file.users.create_first_administrator("other", "Other Admin", PASSWORD)
    [entry] = case_file.audit_log()
    assert (entry.action, entry.entity, entry.entity_id, entry.actor) == ("add", "user", "Root", "Root")
    assert entry.after == {"login": "Root", "name": "Rita Root", "role": "administrator",
                           "active": True, "public_key": root.public_key}
    assert len(root.public_key) == 64  # (their signing key: store/signing.py)


def test_only_an_administrator_adds_users(staffed):
    with pytest.raises(AccountRefused, match="Only an administrator can change users; alice is a clerk"):
        staffed.users.add("carol", "Carol Chen", Role.CLERK, PASSWORD, actor="alice")
    with pytest.raises(AccountRefused, match="sup is a supervisor"):
        staffed.users.set_limit("sup", Decimal("1000000.00"), actor="sup")
    assert staffed.users.get("sup").approval_limit == Decimal("500.00")
    with pytest.raises(RecordNotFound):
        staffed.users.get("carol")


def test_logins_are_unique_whatever_their_letter_case(staffed):
    with pytest.raises(AccountRefused, match="login ALICE is already used by Alice Archer"):
        staffed.users.add("ALICE", "Another Alice", Role.CLERK, PASSWORD, actor="root")
    assert staffed.users.get("ALICE").login == "alice"
    record = staffed.cases.create(shared_draft("01-"), actor="Alice")
    assert record.prepared_by == "alice"  # the history spells the login as the file does
    assert staffed.cases.history(record.id)[0].actor == "alice"


@pytest.mark.parametrize("field,kwargs", [
    ("login", {"login": "a kim"}), ("name", {"name": "  "}), ("password", {"password": "short"}),
    ("limit", {"role": Role.CLERK, "approval_limit": Decimal("100.00")}),
    ("limit", {"approval_limit": Decimal("12.345")}),
])
def test_bad_fields_are_named_and_nothing_is_written(staffed, field, kwargs):
    entries = len(staffed.audit_log())
    args = {"login": "carol", "name": "Carol Chen", "role": Role.SUPERVISOR, "password": PASSWORD,
            "approval_limit": None} | kwargs
    with pytest.raises(UserInvalid) as e:
        staffed.users.add(args.pop("login"), args.pop("name"), args.pop("role"),
                          args.pop("password"), actor="root", **args)
    assert e.value.field == field
    assert len(staffed.audit_log()) == entries


def test_each_change_is_one_audited_transaction_without_the_hash(staffed):
    users = staffed.users
    start = len(staffed.audit_log())
    users.set_limit("sup", Decimal("750"), actor="root")
    users.set_role("bob", Role.SUPERVISOR, actor="root")
    users.set_limit("bob", Decimal("250.00"), actor="root")
    users.set_role("bob", Role.CLERK, actor="root")  # a clerk has no limit
    users.disable("alice", actor="root")
    users.enable("alice", actor="root")
    users.set_password("alice", "a new password", actor="root")
    users.set_limit("sup", Decimal("750.00"), actor="root")  # no change: no entry
    entries = staffed.audit_log(after=start)
    assert [(e.action, e.entity, e.entity_id, e.actor) for e in entries] == [
        ("set_limit", "user", "sup", "root"), ("set_role", "user", "bob", "root"),
        ("set_limit", "user", "bob", "root"), ("set_role", "user", "bob", "root"),
        ("disable", "user", "alice", "root"), ("enable", "user", "alice", "root"),
        ("set_password", "user", "alice", "root")]
    assert (entries[0].before, entries[0].after) == ({"approval_limit": "500.00"},
                                                     {"approval_limit": "750.00"})
    assert entries[3].after == {"role": "clerk", "approval_limit": None}
    # a password set by an administrator comes with a new key pair, named in the entry
    old_key = entries[6].before["public_key"]
    assert entries[6].after == {"public_key": users.get("alice").public_key} != {"public_key": old_key}
    assert users.get("bob") == UserRecord("bob", "Bob Brandt", Role.CLERK, True, None)
    with raw(staffed) as outside:
        history = " ".join(str(r) for r in outside.execute("SELECT before, after FROM audit"))
    assert "$argon2" not in history and PASSWORD not in history
    assert staffed.verify().ok
    assert users.authenticate("alice", "a new password").login == "alice"


def test_a_user_changes_their_own_password_only(staffed):
    staffed.users.set_password("bob", "bob's new secret", actor="bob")
    with pytest.raises(AccountRefused, match="Only an administrator"):
        staffed.users.set_password("alice", "taken over!", actor="bob")
    with pytest.raises(UserInvalid, match="password: at least 8"):
        staffed.users.set_password("bob", "short", actor="bob")
    assert staffed.users.authenticate("bob", "bob's new secret").login == "bob"


def test_the_last_administrator_cannot_be_disabled_or_demoted(staffed):
    with pytest.raises(AccountRefused, match="last active administrator"):
        staffed.users.disable("root", actor="root")
    with pytest.raises(AccountRefused, match="last active administrator"):
        staffed.users.set_role("root", Role.CLERK, actor="root")
    staffed.users.set_role("boss", Role.ADMINISTRATOR, actor="root")
    staffed.users.disable("root", actor="boss")
    assert not staffed.users.get("root").active


def test_only_active_users_change_a_file_that_has_users(staffed):
    staffed.users.disable("bob", actor="root")
    with pytest.raises(NotAUser, match="The account bob is disabled"):
        staffed.cases.create(shared_draft("01-"), actor="bob")
    with pytest.raises(NotAUser, match=f"mallory is not a user of {re.escape(staffed.name)}"):
        staffed.cases.create(shared_draft("01-"), actor="mallory")
    with pytest.raises(NotAUser):
        staffed.settings.set("attachment_max_bytes", 10, actor="mallory")
    assert staffed.listing.count() == 0


def test_a_file_without_users_records_the_login_given(case_file):
    record = case_file.cases.create(shared_draft("01-"), actor="anyone")
    assert record.prepared_by == "anyone"


# -- signing in --------------------------------------------------------------------------

def test_sign_in(staffed):
    assert staffed.users.authenticate("sup", PASSWORD) == UserRecord(
        "sup", "Sam Sutter", Role.SUPERVISOR, True, Decimal("500.00"))
    assert staffed.users.authenticate(" SUP ", PASSWORD).login == "sup"


def test_a_wrong_login_and_a_wrong_password_get_the_same_answer(staffed):
    with pytest.raises(SignInRefused) as wrong_password:
        staffed.users.authenticate("alice", PASSWORD + "!")
    with pytest.raises(SignInRefused) as wrong_login:
        staffed.users.authenticate("alicia", PASSWORD)
    assert str(wrong_password.value) == str(wrong_login.value) == WRONG


def test_a_disabled_user_cannot_sign_in(staffed):
    staffed.users.disable("alice", actor="root")
    with pytest.raises(SignInRefused, match="^Login or password is not correct.$"):
        staffed.users.authenticate("alice", "not her password")
    # only the right password learns that the account is disabled
    with pytest.raises(SignInRefused, match="account is disabled; ask an administrator"):
        staffed.users.authenticate("alice", PASSWORD)
    staffed.users.enable("alice", actor="root")
    assert staffed.users.authenticate("alice", PASSWORD).active


def failing(staffed, login: str, password: str, times: int):
    """Sign in wrongly ``times`` times; returns the users repository and the waits made."""
    waited: list[float] = []
    users = staffed.users.using(sleep=waited.append)
    for _ in range(times):
        with pytest.raises(SignInRefused, match=WRONG):
            users.authenticate(login, password)
    return users, waited


def test_repeated_failures_are_slowed_down_and_a_success_resets_them(staffed):
    users, waited = failing(staffed, "alice", "guess", 7)
    assert waited == [1.0, 2.0, 4.0, 8.0]  # after the third failure in a row
    assert users.sign_in_delay("ALICE") == 16.0
    assert users.authenticate("alice", PASSWORD).login == "alice"  # waits, then succeeds
    assert waited[-1] == 16.0
    waited.clear()
    with pytest.raises(SignInRefused):
        users.authenticate("alice", "guess")
    assert waited == [] and users.failures("alice") == 1
    entries = staffed.audit_log()
    assert [e.action for e in entries if e.entity == "sign_in"] == ["sign_in_failed"] * 7 + [
        "sign_in", "sign_in_failed"]
    assert {e.actor for e in entries if e.action == "sign_in_failed"} == {"(sign-in)"}


def test_unknown_logins_are_slowed_down_too_and_never_recorded(staffed):
    _, waited = failing(staffed, "my secret password", "x", 5)
    assert waited == [1.0, 2.0]
    with raw(staffed) as outside:
        stored = " ".join(str(r) for r in outside.execute("SELECT * FROM audit")) + " ".join(
            str(r) for r in outside.execute("SELECT * FROM sign_in_failures"))
    assert "secret" not in stored and "(unknown login)" in stored


def test_real_users_get_strong_argon2_parameters(case_file):
    assert STRONG.parameters == (3, 65536, 4)  # RFC 9106 low-memory profile
    case_file.users.create_first_administrator("root", "Rita Root", PASSWORD)
    with raw(case_file) as outside:
        (stored,) = outside.execute("SELECT password_hash FROM users").fetchone()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_a_limit_raised_behind_the_application_is_found(staffed):
    with raw(staffed) as outside:
        outside.execute("UPDATE users SET approval_limit = '999999.00' WHERE login = 'sup'")
    report = staffed.verify()
    assert not report.ok and "user sup does not match their history" in report.problem
