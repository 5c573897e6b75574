"""The case states and the one table of allowed moves."""

from __future__ import annotations

import pytest

from billing_desk.domain.workflow import Action, CaseStatus, TransitionRefused, next_status

S, A = CaseStatus, Action


def test_happy_path():
    s = S.DRAFT
    for action, expected in [(A.SUBMIT, S.SUBMITTED), (A.APPROVE, S.APPROVED),
                             (A.ISSUE, S.ISSUED), (A.CLOSE, S.CLOSED)]:
        s = next_status(s, action)
        assert s is expected


def test_return_then_back_to_draft():
    assert next_status(S.SUBMITTED, A.RETURN) is S.RETURNED
    assert next_status(S.RETURNED, A.REOPEN) is S.DRAFT
    assert next_status(S.RETURNED, A.EDIT) is S.DRAFT


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
