"""The case states and the one table of allowed moves."""

from __future__ import annotations

from decimal import Decimal

import pytest

from billing_desk.domain.caseformat import check_case
from billing_desk.domain.draft import CaseDraft
from billing_desk.domain.rulepacks import determine
from billing_desk.domain.workflow import (
    Action, Actor, CaseStatus, Role, TransitionRefused, WorkflowRefused, check_approve, check_close,
    check_issue, check_reopen, check_return, check_submit, check_void, next_status,
)
from tests.domain.builders import case_json, period

S, A = CaseStatus, Action


def test_happy_path():
    s = S.DRAFT
    for action, expected in [(A.SUBMIT, S.SUBMITTED), (A.APPROVE, S.APPROVED),
                             (A.ISSUE, S.ISSUED), (A.CLOSE, S.CLOSED)]:
        s = next_status(s, action)
        assert s is expected


def test_return_then_back_to_draft_or_resubmitted():
    assert next_status(S.SUBMITTED, A.RETURN) is S.RETURNED
    assert next_status(S.RETURNED, A.REOPEN) is S.DRAFT
    assert next_status(S.RETURNED, A.EDIT) is S.DRAFT
    assert check_submit(S.RETURNED, CLERK, check_case(case_json())) is S.SUBMITTED


@pytest.mark.parametrize("status", [S.SUBMITTED, S.APPROVED])
def test_edit_after_submission_or_approval_returns_to_draft(status):
    assert next_status(status, A.EDIT) is S.DRAFT


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED])
def test_void_before_issue(status):
    assert next_status(status, A.VOID) is S.VOID


@pytest.mark.parametrize("status,action", [(S.ISSUED, A.VOID), (S.ISSUED, A.EDIT), (S.CLOSED, A.EDIT),
                                           (S.VOID, A.SUBMIT), (S.DRAFT, A.APPROVE),
                                           (S.SUBMITTED, A.ISSUE)])
def test_refused_moves_say_why(status, action):
    with pytest.raises(TransitionRefused, match=f"A case that is {status.value} cannot be"):
        next_status(status, action)


# --- the approval rules ----------------------------------------------------------------

CLERK = Actor("clerk1", Role.CLERK)
SUP = Actor("sup1", Role.SUPERVISOR, Decimal("500.00"))


def _approve(actor=SUP, *, data=None, prepared_by="clerk1", last_edited_by="clerk1",
             submitted_by="clerk1", ack=False, status=S.SUBMITTED, fingerprint="f" * 64,
             submitted_fingerprint="f" * 64):
    chk = check_case(data or case_json())
    det = determine(chk.case) if chk.case else None
    return check_approve(status, actor, prepared_by=prepared_by, last_edited_by=last_edited_by,
                         submitted_by=submitted_by, check=chk, determination=det,
                         divergence_acknowledged=ack, fingerprint=fingerprint,
                         submitted_fingerprint=submitted_fingerprint)


def refused(code, fn, *a, **kw):
    with pytest.raises(WorkflowRefused) as e:
        fn(*a, **kw)
    assert e.value.code == code
    return str(e.value)


def test_submit_needs_periods_and_a_valid_case():
    assert check_submit(S.DRAFT, CLERK, check_case(case_json())) is S.SUBMITTED
    assert "no billing periods" in refused("no_periods", check_submit, S.DRAFT, CLERK,
                                           CaseDraft().check())
    msg = refused("invalid_case", check_submit, S.DRAFT, CLERK, check_case(case_json(service="gas")))
    assert "service" in msg


def test_supervisor_approves_someone_elses_case():
    assert _approve() is S.APPROVED


def test_nobody_approves_their_own_case():
    assert "another supervisor" in refused("own_case", _approve, prepared_by="sup1")
    refused("own_case", _approve, last_edited_by="sup1")
    refused("own_case", _approve, submitted_by="sup1")  # submitted a colleague's case
    refused("own_case", _approve, prepared_by="SUP1")  # logins ignore letter case


def test_a_clerk_never_approves_even_with_a_limit():
    rich_clerk = Actor("clerk2", Role.CLERK, Decimal("1000000.00"))
    assert "no approval authority" in refused("not_an_approver", _approve, rich_clerk)


def test_approval_binds_to_what_was_submitted():
    msg = refused("changed_since_submission", _approve, fingerprint="e" * 64)
    assert "changed after it was submitted" in msg
    assert "submits it again" in refused("not_signed", _approve, submitted_fingerprint=None)


def test_approval_limit_is_the_larger_of_refund_and_back_bill():
    big = case_json(periods=[period("2010-01-01", "2010-01-31", "900.00", "300.00")])  # 600 refund
    msg = refused("over_limit", _approve, data=big)
    assert "600.00" in msg and "500.00" in msg
    assert _approve(Actor("boss", Role.SUPERVISOR, Decimal("600.00")), data=big) is S.APPROVED


def test_clerks_and_supervisors_without_a_limit_cannot_approve():
    refused("not_an_approver", _approve, CLERK)
    refused("not_an_approver", _approve, Actor("s2", Role.SUPERVISOR, None))


def test_case_with_validation_errors_cannot_be_approved():
    refused("invalid_case", _approve, data=case_json(discovered_on="2010-02-30"))


def test_diverging_readings_need_an_acknowledgement():
    under = case_json(periods=[period("2010-01-01", "2010-01-31", "40.00", "60.00")])
    assert "acknowledgement" in refused("divergence_not_acknowledged", _approve, data=under)
    assert _approve(data=under, ack=True) is S.APPROVED


def test_disabled_user_can_do_nothing():
    gone = Actor("sup1", Role.SUPERVISOR, Decimal("500.00"), active=False)
    refused("inactive_user", _approve, gone, prepared_by="x", last_edited_by="x")
    refused("inactive_user", check_submit, S.DRAFT, gone, check_case(case_json()))
    refused("inactive_user", check_return, S.SUBMITTED, gone, "why")
    refused("inactive_user", check_void, S.DRAFT, gone, "why")


def test_submitted_twice_is_refused_by_the_table():
    with pytest.raises(TransitionRefused, match="submitted cannot be submitted"):
        check_submit(S.SUBMITTED, CLERK, check_case(case_json()))


def test_return_and_void_need_a_reason():
    refused("reason_required", check_return, S.SUBMITTED, SUP, "  ")
    assert check_return(S.SUBMITTED, SUP, "period 3 amounts wrong") is S.RETURNED
    refused("not_an_approver", check_return, S.SUBMITTED, CLERK, "x")
    refused("reason_required", check_void, S.DRAFT, CLERK, "")
    assert check_void(S.RETURNED, CLERK, "opened twice") is S.VOID
    assert "only be voided by a supervisor" in refused("not_an_approver", check_void,
                                                      S.SUBMITTED, CLERK, "changed my mind")
    assert check_void(S.APPROVED, SUP, "duplicate of BD-000007") is S.VOID
    with pytest.raises(TransitionRefused):
        check_void(S.ISSUED, SUP, "too late")


def test_approve_only_from_submitted():
    with pytest.raises(TransitionRefused):
        _approve(status=S.DRAFT)


def test_issue_only_exactly_what_was_approved():
    fp = "a" * 64
    assert check_issue(S.APPROVED, CLERK, fingerprint=fp, approved_fingerprint=fp) is S.ISSUED
    refused("changed_since_approval", check_issue, S.APPROVED, CLERK, fingerprint="b" * 64,
            approved_fingerprint=fp)
    refused("not_signed", check_issue, S.APPROVED, CLERK, fingerprint=fp, approved_fingerprint=None)
    with pytest.raises(TransitionRefused):
        check_issue(S.SUBMITTED, CLERK, fingerprint=fp, approved_fingerprint=fp)


def test_reopen_and_close():
    assert check_reopen(S.RETURNED, CLERK) is S.DRAFT
    assert check_close(S.ISSUED, CLERK) is S.CLOSED
    with pytest.raises(TransitionRefused):
        check_close(S.APPROVED, CLERK)
