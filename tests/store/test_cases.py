"""Cases in the case file: what is saved is what comes back; nobody overwrites anybody."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from billing_desk.domain.case import Service
from billing_desk.domain.caseformat import loads_case
from billing_desk.domain.draft import AccountDraft, CaseDraft, PeriodDraft
from billing_desk.domain.workflow import Action, CaseStatus, TransitionRefused, WorkflowRefused
from billing_desk.store import RecordNotFound, StaleRevision
from tests.backends import other_window, rows

from .conftest import START, shared_draft, valid_case_paths


@pytest.mark.parametrize("path", valid_case_paths(), ids=lambda p: p.stem)
def test_every_worked_case_loads_back_equal(case_file, path):
    draft = CaseDraft.from_case(loads_case(path.read_bytes()))
    created = case_file.cases.create(draft, actor="alice")
    loaded = case_file.cases.load(created.id)
    assert loaded.draft == draft
    assert loaded == created
    assert loaded.draft.check().case == loads_case(path.read_bytes())


def test_incomplete_draft_round_trips(case_file):
    draft = CaseDraft(
        account=AccountDraft("  ", "Peña Müller", None, "PO Box 12, Loveland, CO", None, False),
        service=Service.WATER,
        periods=(PeriodDraft(start=date(2010, 2, 1)), PeriodDraft(billed=Decimal("12.30")),
                 PeriodDraft(note="")),
    )
    record = case_file.cases.create(draft, actor="alice", notes="phoned in", assignee="bob")
    loaded = case_file.cases.load(record.id)
    assert loaded.draft == draft
    assert loaded.draft.account.number == "  "
    assert loaded.draft.periods[1].billed == Decimal("12.30")
    assert (loaded.notes, loaded.assignee) == ("phoned in", "bob")


def test_new_cases_get_numbers_status_and_bookkeeping(case_file):
    a = case_file.cases.create(CaseDraft(), actor="alice")
    b = case_file.cases.create(CaseDraft(), actor="bob")
    assert (a.case_number, b.case_number) == ("BD-000001", "BD-000002")
    assert a.status is CaseStatus.DRAFT and a.revision == 1
    assert a.prepared_by == a.last_edited_by == "alice"
    assert a.created_at == START and a.created_at.tzinfo is not None
    assert case_file.cases.find("bd-000002 ").id == b.id


def test_save_bumps_revision_and_records_who(case_file):
    record = case_file.cases.create(shared_draft("01-"), actor="alice")
    edited = replace(record.draft, discovered_on=date(2010, 6, 30))
    saved = case_file.cases.save(record.id, edited, expected_revision=1, actor="bob")
    assert saved.revision == 2
    assert saved.last_edited_by == "bob" and saved.prepared_by == "alice"
    assert saved.updated_at > record.updated_at
    assert case_file.cases.load(record.id).draft.discovered_on == date(2010, 6, 30)


def test_stale_save_is_refused_and_the_other_save_survives(case_file, tmp_path):
    """Two windows (two connections) open revision 1; the second save is refused."""
    record = case_file.cases.create(shared_draft("01-"), actor="alice")
    with other_window(case_file) as theirs_window:
        theirs = theirs_window.cases.load(record.id)
        theirs_window.cases.save(theirs.id, replace(theirs.draft, why="bob's note"),
                                expected_revision=theirs.revision, actor="bob")
    with pytest.raises(StaleRevision) as refused:
        case_file.cases.save(record.id, replace(record.draft, why="alice's note"),
                             expected_revision=record.revision, actor="alice")
    assert "changed by bob" in str(refused.value)
    assert "not saved" in str(refused.value)
    assert case_file.cases.load(record.id).draft.why == "bob's note"
    assert case_file.cases.load(record.id).revision == 2


def test_saving_the_same_content_writes_nothing(case_file):
    record = case_file.cases.create(shared_draft("01-"), actor="alice")
    again = case_file.cases.save(record.id, record.draft, expected_revision=1, actor="alice")
    assert again == record
    assert len(case_file.cases.history(record.id)) == 1


def test_void_case_cannot_be_edited_and_nothing_changes(staffed):
    record = staffed.cases.create(shared_draft("01-"), actor="alice")
    void = staffed.workflow.void(record.id, "duplicate", actor="sup", expected_revision=1)
    assert void.status_reason == "duplicate"
    with pytest.raises(TransitionRefused, match="void cannot be edited"):
        staffed.cases.save(record.id, replace(record.draft, why="x"), expected_revision=2,
                           actor="alice")
    assert staffed.cases.load(record.id) == void


def test_change_status_applies_the_workflow_rules(staffed):
    record = staffed.cases.create(shared_draft("01-"), actor="sup")
    with pytest.raises(TransitionRefused):
        staffed.cases.change_status(record.id, Action.APPROVE, expected_revision=1, actor="boss")
    submitted = staffed.cases.change_status(record.id, Action.SUBMIT, expected_revision=1,
                                            actor="sup")
    assert submitted.status is CaseStatus.SUBMITTED and submitted.submitted.login == "sup"
    with pytest.raises(WorkflowRefused, match="cannot approve a case you prepared"):
        staffed.cases.change_status(record.id, Action.APPROVE, expected_revision=2, actor="sup")
    assert staffed.cases.load(record.id).status is CaseStatus.SUBMITTED


def test_assign(case_file):
    record = case_file.cases.create(CaseDraft(), actor="alice")
    assigned = case_file.cases.assign(record.id, "bob", expected_revision=1, actor="sup")
    assert assigned.assignee == "bob" and assigned.revision == 2
    cleared = case_file.cases.assign(record.id, None, expected_revision=2, actor="sup")
    assert cleared.assignee is None


def test_unknown_case(case_file):
    with pytest.raises(RecordNotFound, match="BD-000404 is not in this (case file|database)"):
        case_file.cases.find("BD-000404")
    with pytest.raises(RecordNotFound):
        case_file.cases.save(404, CaseDraft(), expected_revision=1, actor="alice")


def test_a_change_needs_an_actor(case_file):
    with pytest.raises(ValueError, match="login"):
        case_file.cases.create(CaseDraft(), actor=" ")


def test_seventy_two_periods_in_order(case_file):
    draft = shared_draft("23-")
    assert len(draft.periods) == 72
    record = case_file.cases.create(draft, actor="alice")
    shorter = draft.without_periods(10, 5)
    saved = case_file.cases.save(record.id, shorter, expected_revision=1, actor="alice")
    loaded = case_file.cases.load(record.id)
    assert loaded.draft.periods == shorter.periods == saved.draft.periods
    assert len(loaded.draft.periods) == 67


def test_periods_changed_one_cell_inserted_or_cut_read_back_exactly(case_file, tmp_path):
    draft = shared_draft("23-")
    record = case_file.cases.create(draft, actor="alice")
    one_cell = draft.with_period(40, replace(draft.periods[40], correct=Decimal("1.23")))
    inserted = one_cell.with_periods_inserted(3, (PeriodDraft(note="added by hand"),))
    cut = inserted.without_periods(60, 13)
    emptied = replace(cut, periods=())
    for step in (one_cell, inserted, cut, emptied, draft):
        record = case_file.cases.save(record.id, step, expected_revision=record.revision, actor="alice")
        assert case_file.cases.load(record.id).draft.periods == step.periods
    with other_window(case_file) as again:  # what another window reads
        assert again.cases.load(record.id).draft == draft
        assert again.verify().ok  # the file equals its history at every step


def test_period_edits_store_exactly_the_edited_periods(case_file):
    """Only the changed period rows are rewritten on a save; whatever the edit (one
    amount, rows pasted in the middle, rows removed, all removed), the file holds the
    periods the clerk sees, and the history still matches the case."""
    draft = shared_draft("23-")
    record = case_file.cases.create(draft, actor="alice")
    one_amount = draft.with_period(40, replace(draft.periods[40], correct=Decimal("1.01")))
    pasted = one_amount.with_periods_inserted(3, (PeriodDraft(note="pasted"), PeriodDraft(billed=Decimal("9.99"))))
    edits = [one_amount, pasted, pasted.without_periods(0, 60), CaseDraft(account=draft.account),
             draft]
    for edit in edits:
        record = case_file.cases.save(record.id, edit, expected_revision=record.revision,
                                      actor="alice")
        assert case_file.cases.load(record.id).draft.periods == edit.periods
    stored = rows(case_file, "SELECT position FROM periods WHERE case_id = ? ORDER BY position",
                  record.id)
    assert [r[0] for r in stored] == list(range(72))
    assert case_file.verify().ok
