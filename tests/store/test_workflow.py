"""The workflow in the case file: every transition and every refusal of the issue, each
step one transaction with one audit entry, approval bound to exactly what was submitted."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from billing_desk.domain.draft import CaseDraft, PeriodDraft
from billing_desk.domain.fingerprint import case_fingerprint
from billing_desk.domain.rulepacks import get_rule_pack
from billing_desk.domain.workflow import CaseStatus, TransitionRefused, WorkflowRefused
from billing_desk.store import NotAUser, StaleRevision
from tests.domain.builders import make_case, period
from tests.backends import raw

S = CaseStatus

#: refund 600.00 (the larger) and back bill 20.00
REFUND_600 = [period("2010-01-01", "2010-01-31", "900.00", "300.00"),
              period("2010-02-01", "2010-02-28", "40.00", "60.00")]
#: back bill 700.00 (larger) and refund 10.00
BACK_BILL_700 = [period("2010-01-01", "2010-01-31", "50.00", "40.00"),
                 period("2010-02-01", "2010-02-28", "100.00", "800.00")]


def draft(periods=None, **kw) -> CaseDraft:
    return CaseDraft.from_case(make_case(periods=periods, **kw) if periods else make_case(**kw))


def refused(code, fn, *a, **kw) -> str:
    with pytest.raises(WorkflowRefused) as e:
        fn(*a, **kw)
    assert e.value.code == code, str(e.value)
    return str(e.value)


@pytest.fixture
def submitted(staffed):
    """A refund case prepared and submitted by alice (no readings differ)."""
    record = staffed.cases.create(draft(), actor="alice")
    return staffed.workflow.submit(record.id, actor="alice", expected_revision=1)


def test_submit_records_the_signature_and_the_snapshot_in_one_entry(staffed):
    record = staffed.cases.create(draft(), actor="alice")
    entries = len(staffed.audit_log())
    done = staffed.workflow.submit(record.id, actor="alice", expected_revision=1)
    case = record.draft.check().case
    pack = get_rule_pack(case.rule_pack)
    fingerprint = case_fingerprint(case, pack.name, pack.version)
    assert done.status is S.SUBMITTED and done.revision == 2
    assert (done.submitted.login, done.submitted.fingerprint) == ("alice", fingerprint)
    assert done.submitted.at == staffed.audit_log()[-1].at
    [entry] = staffed.audit_log(after=entries)
    assert (entry.action, entry.actor) == ("submit", "alice")
    assert entry.after["submitted"] == {"login": "alice", "fingerprint": fingerprint,
                                        "at": entry.after["updated_at"]}
    snapshot = staffed.determinations.submitted(record.id)
    assert snapshot.fingerprint == fingerprint and snapshot.determination["refund_total"] == "10.00"
    assert staffed.cases.load(record.id) == done
    assert staffed.verify().ok


def test_submit_refusals(staffed):
    empty = staffed.cases.create(CaseDraft(), actor="alice")
    assert "no billing periods" in refused("no_periods", staffed.workflow.submit, empty.id,
                                           actor="alice")
    bad = staffed.cases.create(replace(draft(), periods=(PeriodDraft(),)), actor="alice")
    assert "validation problem" in refused("invalid_case", staffed.workflow.submit, bad.id,
                                           actor="alice")
    ok = staffed.cases.create(draft(), actor="alice")
    with pytest.raises(StaleRevision, match="changed by alice"):
        staffed.workflow.submit(ok.id, actor="alice", expected_revision=7)
    staffed.workflow.submit(ok.id, actor="alice")
    with pytest.raises(TransitionRefused, match="submitted cannot be submitted"):
        staffed.workflow.submit(ok.id, actor="alice")
    assert [staffed.cases.load(i).status for i in (empty.id, bad.id)] == [S.DRAFT, S.DRAFT]


def test_approve(staffed, submitted):
    entries = len(staffed.audit_log())
    approved = staffed.workflow.approve(submitted.id, actor="sup", expected_revision=2)
    assert approved.status is S.APPROVED
    assert (approved.approved.login, approved.approved.fingerprint) == ("sup", submitted.submitted.fingerprint)
    assert approved.submitted == submitted.submitted
    assert approved.last_edited_by == "alice"  # approving is not editing
    [entry] = staffed.audit_log(after=entries)
    assert entry.action == "approve" and entry.after["approved"]["login"] == "sup"
    assert staffed.verify().ok


@pytest.mark.parametrize("who", ["prepared", "last_edited", "submitted"])
def test_nobody_approves_their_own_case(staffed, who):
    preparer = "sup" if who == "prepared" else "alice"
    record = staffed.cases.create(draft(), actor=preparer)
    if who == "last_edited":
        record = staffed.cases.save(record.id, replace(record.draft, why="checked"),
                                    expected_revision=1, actor="sup")
    staffed.workflow.submit(record.id, actor="sup" if who == "submitted" else "alice")
    message = refused("own_case", staffed.workflow.approve, record.id, actor="sup")
    assert "another supervisor must approve it" in message
    assert staffed.workflow.approve(record.id, actor="boss").status is S.APPROVED


def test_a_clerk_cannot_approve_at_all(staffed, submitted):
    assert "no approval authority" in refused("not_an_approver", staffed.workflow.approve,
                                              submitted.id, actor="bob")


@pytest.mark.parametrize("periods,amount", [(REFUND_600, "$600.00"), (BACK_BILL_700, "$700.00")])
def test_the_limit_is_the_larger_of_refund_and_back_bill(staffed, periods, amount):
    record = staffed.cases.create(draft(periods, options={"undercharge_reading": "ordinance"}),
                                  actor="alice")
    staffed.workflow.submit(record.id, actor="alice")
    message = refused("over_limit", staffed.workflow.approve, record.id, actor="sup",
                      acknowledge_divergence=True)
    # money as money ("$600.00"), not "600.00 USD"
    assert f"adjusts {amount}, above your approval limit of $500.00" in message
    assert staffed.workflow.approve(record.id, actor="boss", acknowledge_divergence=True).approved


def test_diverging_readings_need_the_acknowledgement(staffed):
    under = [period("2010-01-01", "2010-01-31", "40.00", "60.00")]
    record = staffed.cases.create(draft(under), actor="alice")
    staffed.workflow.submit(record.id, actor="alice")
    assert "tick the acknowledgement" in refused("divergence_not_acknowledged",
                                                 staffed.workflow.approve, record.id, actor="sup")
    approved = staffed.workflow.approve(record.id, actor="sup", acknowledge_divergence=True)
    assert approved.divergence_acknowledged
    assert staffed.cases.history(record.id)[-1].after["divergence_acknowledged"] is True


def test_a_case_made_invalid_behind_the_application_is_not_approved(staffed, submitted):
    with raw(staffed) as outside:
        outside.execute("UPDATE periods SET end_date = '2009-12-01' WHERE case_id = ?",
                        (submitted.id,))
    assert "periods[0].end" in refused("invalid_case", staffed.workflow.approve, submitted.id,
                                       actor="sup")


def test_approval_binds_to_what_was_submitted(staffed, submitted, monkeypatch):
    """A new rule-pack version between submission and approval gives another fingerprint."""
    pack = get_rule_pack("fort-collins-26-721")
    monkeypatch.setattr(type(pack), "version", pack.version + "-next")
    refused("changed_since_submission", staffed.workflow.approve, submitted.id, actor="sup")
    assert staffed.cases.load(submitted.id).status is S.SUBMITTED


@pytest.mark.parametrize("approve", [False, True])
def test_an_edit_after_submission_or_approval_voids_it_in_its_entry(staffed, submitted, approve):
    current = staffed.workflow.approve(submitted.id, actor="sup") if approve else submitted
    edited = staffed.cases.save(current.id, replace(current.draft, why="period 1 corrected"),
                                expected_revision=current.revision, actor="alice")
    assert edited.status is S.DRAFT
    assert (edited.submitted, edited.approved) == (None, None)
    entry = staffed.cases.history(current.id)[-1]
    words = "approval voided" if approve else "submission withdrawn"
    assert entry.action == f"edit, {words}"
    assert entry.after["status"] == "draft" and entry.after["submitted"] is None
    assert (entry.after.get("approved", "absent") is None) == approve
    assert words.capitalize() in edited.status_reason
    assert staffed.verify().ok
    if approve:  # nothing can be issued from the voided approval
        with pytest.raises(TransitionRefused, match="draft cannot be issued"):
            staffed.workflow.issue(current.id, actor="alice")


def test_notes_on_a_submitted_case_keep_the_submission(staffed, submitted):
    noted = staffed.cases.save(submitted.id, submitted.draft, notes="customer called",
                               expected_revision=2, actor="sup")
    assert noted.status is S.SUBMITTED and noted.submitted == submitted.submitted
    assert staffed.workflow.approve(submitted.id, actor="sup").status is S.APPROVED


def test_return_needs_a_reason_and_goes_back_to_the_submitter(staffed, submitted):
    assert "Say why" in refused("reason_required", staffed.workflow.return_case, submitted.id,
                                "  ", actor="sup")
    refused("not_an_approver", staffed.workflow.return_case, submitted.id, "no", actor="bob")
    returned = staffed.workflow.return_case(submitted.id, "Attach the bills.", actor="sup")
    assert (returned.status, returned.status_reason) == (S.RETURNED, "Attach the bills.")
    [item] = staffed.queue.returned_to("ALICE")
    assert (item.case_number, item.status_reason) == (returned.case_number, "Attach the bills.")
    assert staffed.queue.returned_to("bob") == [] and staffed.queue.submitted() == []
    # answered without changing the figures: submitted again as it is
    again = staffed.workflow.submit(submitted.id, actor="alice")
    assert again.status is S.SUBMITTED and again.status_reason is None


def test_an_edited_returned_case_keeps_the_reason_until_submitted(staffed, submitted):
    staffed.workflow.return_case(submitted.id, "Period 1 is wrong.", actor="sup")
    current = staffed.cases.load(submitted.id)
    edited = staffed.cases.save(current.id, replace(current.draft, why="fixed"),
                                expected_revision=current.revision, actor="alice")
    assert (edited.status, edited.status_reason) == (S.DRAFT, "Period 1 is wrong.")
    assert staffed.workflow.submit(current.id, actor="alice").status_reason is None


def test_void(staffed, submitted):
    assert "Say why" in refused("reason_required", staffed.workflow.void, submitted.id, "",
                                actor="sup")
    refused("not_an_approver", staffed.workflow.void, submitted.id, "mine", actor="alice")
    void = staffed.workflow.void(submitted.id, "Opened on the wrong account.", actor="sup")
    assert (void.status, void.status_reason) == (S.VOID, "Opened on the wrong account.")
    own_draft = staffed.cases.create(draft(), actor="bob")
    assert staffed.workflow.void(own_draft.id, "Duplicate.", actor="bob").status is S.VOID


def test_issue_close_and_no_void_after_issue(staffed, submitted):
    staffed.workflow.approve(submitted.id, actor="sup")
    assert staffed.workflow.issue(submitted.id, actor="alice").status is S.ISSUED
    with pytest.raises(TransitionRefused, match="issued cannot be voided"):
        staffed.workflow.void(submitted.id, "too late", actor="boss")
    with pytest.raises(TransitionRefused, match="issued cannot be edited"):
        staffed.cases.save(submitted.id, replace(submitted.draft, why="x"), expected_revision=4,
                           actor="alice")
    assert staffed.workflow.close(submitted.id, actor="alice").status is S.CLOSED
    assert [e.action for e in staffed.cases.history(submitted.id)] == [
        "create", "submit", "approve", "issue", "close"]
    assert staffed.verify().ok


def test_reopen_a_returned_case(staffed, submitted):
    staffed.workflow.return_case(submitted.id, "Check the dates.", actor="sup")
    assert staffed.workflow.reopen(submitted.id, actor="alice").status is S.DRAFT


def test_the_queue_oldest_first_with_totals_and_flags(staffed):
    numbers = []
    for periods in (REFUND_600, [period("2010-01-01", "2010-01-31", "40.00", "60.00")], None):
        record = staffed.cases.create(draft(periods), actor="alice")
        numbers.append(record.case_number)
        staffed.workflow.submit(record.id, actor="alice")
    staffed.cases.create(draft(), actor="bob")  # a draft is not in the queue
    queue = staffed.queue.submitted()
    assert [q.case_number for q in queue] == numbers
    first, second, third = queue
    assert (first.refund_total, first.back_bill_total) == (Decimal("600.00"), Decimal("20.00"))
    assert second.readings_differ and not third.readings_differ
    assert (third.refund_total, third.prepared_by, third.submitted.login) == (
        Decimal("10.00"), "alice", "alice")


def test_the_workflow_needs_active_users(staffed, case_file, submitted):
    staffed.users.disable("sup", actor="root")
    with pytest.raises(NotAUser, match="sup is disabled"):
        staffed.workflow.approve(submitted.id, actor="sup")
    with pytest.raises(NotAUser, match="nobody is not a user"):
        staffed.workflow.approve(submitted.id, actor="nobody")


def test_a_file_without_users_has_nobody_to_approve(case_file):
    record = case_file.cases.create(draft(), actor="alice")
    assert "no users yet" in refused("no_users", case_file.workflow.submit, record.id,
                                     actor="alice")


# -- a letter that could not be printed or mailed is refused at submission (issue 14) ------

def test_a_refund_to_a_former_customer_at_the_address_they_left_is_refused_at_submit(staffed):
    left = draft(account={"current_customer": False})  # mailing address = service address
    record = staffed.cases.create(left, actor="alice")
    message = refused("not_printable", staffed.workflow.submit, record.id, actor="alice")
    assert ("account.mailing_address: the refund check to a former customer must go to their "
            "forwarding address") in message
    assert staffed.cases.load(record.id).status is S.DRAFT
    blank = staffed.cases.create(draft(account={"current_customer": False,
                                                "mailing_address": ""}), actor="alice")
    assert "forwarding address" in refused("not_printable", staffed.workflow.submit, blank.id,
                                           actor="alice")
    moved = staffed.cases.create(draft(account={"current_customer": False,
                                                "mailing_address": "1630 Pearl St, Boulder, CO 80302"}),
                                 actor="alice")
    assert staffed.workflow.submit(moved.id, actor="alice").status is S.SUBMITTED


def test_a_name_the_letter_cannot_print_is_refused_at_submit_and_at_approval(staffed):
    from billing_desk.documents.typesetting import LETTER_TYPESETTING

    bidi = staffed.cases.create(draft(account={"customer_name": "Pat\u202eExample"}), actor="alice")
    assert "account.customer_name: contains an invisible direction mark" in refused(
        "not_printable", staffed.workflow.submit, bidi.id, actor="alice")
    cjk = staffed.cases.create(draft(account={"customer_name": "王小明"}), actor="alice")
    assert "letter font cannot print" in refused(
        "not_printable", staffed.workflow.submit, cjk.id, actor="alice",
        typesetting=LETTER_TYPESETTING)
    # submitted without the fonts asked (a file of an earlier version): approval asks them
    staffed.workflow.submit(cjk.id, actor="alice")
    assert "letter font cannot print" in refused(
        "not_printable", staffed.workflow.approve, cjk.id, actor="boss",
        typesetting=LETTER_TYPESETTING)
