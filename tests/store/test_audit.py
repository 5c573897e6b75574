"""The audit history: one entry per change, append-only, and tampering is found."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing_desk.domain.fingerprint import canonical_json
from billing_desk.store import open_store
from billing_desk.store.audit import GENESIS, PATCH, changes, replay
from billing_desk.ui.formatting import money
from billing_desk.ui.history_text import describe_entry

from tests.backends import raw, rows, tamper

from .conftest import START, shared_draft


def _history_of_three_changes(case_file):
    record = case_file.cases.create(shared_draft("01-"), actor="alice")
    record = case_file.cases.save(record.id, replace(record.draft, discovered_on=date(2010, 6, 30)),
                                  expected_revision=1, actor="bob")
    case_file.cases.assign(record.id, "carol", expected_revision=2, actor="bob")
    return record.id


def test_each_change_is_one_entry_with_who_when_before_after(case_file):
    case_id = _history_of_three_changes(case_file)
    create, edit, assign = case_file.cases.history(case_id)
    assert (create.action, create.actor, create.before) == ("create", "alice", None)
    assert create.after["account"]["number"] == "301-4411-02"
    assert create.at == START and create.at.utcoffset().total_seconds() == 0
    assert edit.actor == "bob"
    assert edit.before["discovered_on"] == "2009-06-15"
    assert edit.after["discovered_on"] == "2010-06-30"
    assert edit.after["revision"] == 2
    assert "periods" not in edit.after  # only what changed
    assert (assign.action, assign.before["assignee"], assign.after["assignee"]) == (
        "assign", None, "carol")
    assert create.prev_hash == GENESIS
    assert edit.prev_hash == create.hash and assign.prev_hash == edit.hash


def test_before_and_after_are_canonical_json(case_file):
    case_id = _history_of_three_changes(case_file)
    with raw(case_file) as outside:
        before, after = outside.execute("SELECT before, after FROM audit WHERE id = 2").fetchone()
    assert before == canonical_json(json.loads(before))
    assert after == canonical_json(json.loads(after))
    assert case_file.cases.history(case_id)[1].after == json.loads(after)


@pytest.mark.parametrize("statement", [
    "UPDATE audit SET actor = 'mallory' WHERE id = 1",
    "DELETE FROM audit WHERE id = 2",
    "DELETE FROM audit",
])
def test_audit_table_refuses_update_and_delete(case_file, statement):
    _history_of_three_changes(case_file)
    with raw(case_file) as outside, pytest.raises(outside.refused, match="audit history cannot be"):
        outside.execute(statement)
    assert case_file.verify().ok


def test_one_byte_edited_in_history_is_found_at_that_entry(case_file):
    _history_of_three_changes(case_file)
    assert case_file.verify().ok
    [(after,)] = rows(case_file, "SELECT after FROM audit WHERE id = 2")
    assert '"2010-06-30"' in after
    forged = after.replace('"2010-06-30"', '"2010-06-20"')  # one byte
    assert sum(a != b for a, b in zip(after, forged)) == 1
    tamper(case_file, "UPDATE audit SET after = ? WHERE id = 2", params=(forged,))
    report = case_file.verify()
    assert not report.ok
    assert report.broken_entry == 2
    assert "audit entry 2" in report.problem and "altered" in report.problem


def test_rehashed_forgery_breaks_the_next_link(case_file):
    """Recomputing the edited entry's own hash is not enough: the next entry names the
    old hash."""
    _history_of_three_changes(case_file)
    [row] = rows(case_file, "SELECT id, at, actor, action, entity, entity_id, case_id, before, "
                            "after, prev_hash FROM audit WHERE id = 2")
    fields = dict(zip(("id", "at", "actor", "action", "entity", "entity_id", "case_id", "before",
                       "after", "prev_hash"), row))
    fields["actor"] = "mallory"
    new_hash = hashlib.sha256(canonical_json(fields).encode()).hexdigest()
    tamper(case_file, f"UPDATE audit SET actor = 'mallory', hash = '{new_hash}' WHERE id = 2")
    report = case_file.verify()
    assert report.broken_entry == 3
    assert "does not follow entry 2" in report.problem


def test_removed_entry_is_found(case_file):
    _history_of_three_changes(case_file)
    tamper(case_file, "DELETE FROM audit WHERE id = 2")
    report = case_file.verify()
    assert report.broken_entry == 2 and "missing" in report.problem


def test_case_edited_behind_the_history_is_found(case_file):
    _history_of_three_changes(case_file)
    with raw(case_file) as outside:
        outside.execute("UPDATE periods SET billed = '90.00' WHERE case_id = 1 AND position = 0")
    report = case_file.verify()
    assert not report.ok
    assert "BD-000001 does not match its history" in report.problem
    assert "periods" in report.problem


def test_case_added_without_history_is_found(case_file):
    _history_of_three_changes(case_file)
    with raw(case_file) as outside:
        outside.execute(
            "INSERT INTO cases (id, case_number, status, revision, created_at, updated_at, "
            "prepared_by, last_edited_by, rule_pack, account_number, customer_name, currency, "
            "customer_could_have_discovered, documentation_available, documentation_confirmed, "
            "customer_concealed_error) SELECT 2, 'BD-000002', status, 1, created_at, updated_at, "
            "'x', 'x', rule_pack, '1', 'n', 'USD', FALSE, FALSE, FALSE, FALSE FROM cases WHERE id = 1")
    report = case_file.verify()
    assert "no history" in report.problem


def test_attachment_bytes_changed_are_found(case_file):
    record = case_file.cases.create(shared_draft("01-"), actor="alice")
    case_file.attachments.add(record.id, "bill.pdf", b"%PDF-1.4 the bill", actor="alice")
    with raw(case_file) as outside:
        outside.execute("UPDATE blobs SET data = ?", (b"%PDF-1.4 the bilL",))
    report = case_file.verify()
    assert "bytes of attachment" in report.problem


def test_history_of_a_reopened_file_continues_the_chain(case_file):
    case_id = _history_of_three_changes(case_file)
    target = case_file.target
    case_file.close()
    with open_store(target) as again:
        again.cases.assign(case_id, "dave", expected_revision=3, actor="sup")
        assert again.verify().ok
        assert [e.id for e in again.audit_log()] == [1, 2, 3, 4]
        assert again.listing.changed_since(3) == {case_id}


# --- a few periods of a long case changed: the entry records those periods only ------

list_items = st.lists(st.dictionaries(st.sampled_from(["start", "billed", "correct", "note"]),
                                      st.text(max_size=3), max_size=3), max_size=12)


@settings(max_examples=300, deadline=None)
@given(old=list_items, new=list_items)
def test_replaying_a_change_gives_the_new_state_whatever_the_lists(old, new):
    """A list recorded whole or as a patch, replaying ``after`` over the old state gives
    the new one, and replaying ``before`` over the new one gives the old one back."""
    before, after = changes({"periods": old, "notes": "a"}, {"periods": new, "notes": "b"})
    assert replay({"periods": old, "notes": "a"}, after) == {"periods": new, "notes": "b"}
    assert replay({"periods": new, "notes": "b"}, before) == {"periods": old, "notes": "a"}


def test_one_amount_edited_in_a_long_case_records_that_period_only(case_file):
    draft = shared_draft("23-")  # 72 monthly periods
    record = case_file.cases.create(draft, actor="alice")
    edited = draft.with_period(40, replace(draft.periods[40], correct=Decimal("1.23")))
    case_file.cases.save(record.id, edited, expected_revision=1, actor="alice")
    entry = case_file.cases.history(record.id)[-1]
    assert entry.after["periods"] == {PATCH: {"length": 72, "set": {
        "40": edited.to_json()["periods"][40]}}}
    assert entry.before["periods"][PATCH]["set"]["40"]["correct"] == draft.to_json()["periods"][40]["correct"]
    [(size,)] = rows(case_file, "SELECT length(before) + length(after) FROM audit WHERE id = ?",
                     entry.id)
    assert size < 1000  # the two sides of one period, not of seventy-two
    # the history view reads the patch as the period that changed
    was = money(Decimal(draft.to_json()['periods'][40]['correct']))
    assert describe_entry(entry.action, entry.entity, entry.actor, entry.before, entry.after).changes == (
        f"Period 41: correct {was} → $1.23",)
    assert case_file.verify().ok
    cut = edited.without_periods(70, 2)  # the last two removed: also a patch
    case_file.cases.save(record.id, cut, expected_revision=2, actor="alice")
    entry = case_file.cases.history(record.id)[-1]
    assert entry.after["periods"][PATCH] == {"length": 70, "set": {}}
    line = describe_entry(entry.action, entry.entity, entry.actor, entry.before, entry.after)
    assert [c[:18] for c in line.changes] == ["Period 71 removed:", "Period 72 removed:"]
    assert case_file.verify().ok
