"""Approval authority, asked of one function (``may_approve``): who may approve what --
the role, an approval limit, never one's own case -- and ``check_approve`` refusing
exactly what it refuses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from billing_desk.domain.caseformat import check_case
from billing_desk.domain.rulepacks import determine
from billing_desk.domain.workflow import (
    Actor, CaseStatus, Role, WorkflowRefused, check_approve, may_approve,
)
from tests.domain.builders import case_json, period

SUP = Actor("sup1", Role.SUPERVISOR, Decimal("500.00"))
CASE = check_case(case_json(periods=[period("2010-01-01", "2010-01-31", "800.00", "300.00")]))
DETERMINATION = determine(CASE.case)  # a 500.00 refund: exactly SUP's limit
AUTHORS = {"prepared_by": "clerk1", "last_edited_by": "clerk1", "submitted_by": "clerk1"}

#: (who asks, what differs from a case of clerk1's, the refusal)
REFUSALS = [
    (Actor("sup1", Role.SUPERVISOR, Decimal("500.00"), active=False), {}, "inactive_user"),
    (Actor("clerk2", Role.CLERK, Decimal("500.00")), {}, "not_an_approver"),  # a limit makes no approver
    (Actor("sup2", Role.SUPERVISOR), {}, "not_an_approver"),  # a supervisor without a limit
    (Actor("root", Role.ADMINISTRATOR), {}, "not_an_approver"),
    (SUP, {"prepared_by": "SUP1"}, "own_case"),  # logins compared whatever their case
    (SUP, {"last_edited_by": "sup1"}, "own_case"),
    (SUP, {"submitted_by": "sup1"}, "own_case"),
    (Actor("sup1", Role.SUPERVISOR, Decimal("499.99")), {}, "over_limit"),
]


@pytest.mark.parametrize("actor,authors,code", REFUSALS)
def test_each_refusal_is_named_with_a_message(actor, authors, code):
    refusal = may_approve(actor, **{**AUTHORS, **authors}, determination=DETERMINATION)
    assert isinstance(refusal, WorkflowRefused) and refusal.code == code and str(refusal)


def test_a_supervisor_or_administrator_within_their_limit_may_approve_anothers_case():
    assert may_approve(SUP, **AUTHORS, determination=DETERMINATION) is None
    admin = Actor("root", Role.ADMINISTRATOR, Decimal("10000.00"))
    assert may_approve(admin, **AUTHORS, determination=DETERMINATION) is None


@pytest.mark.parametrize("actor,approves", [
    (SUP, True), (Actor("root", Role.ADMINISTRATOR, Decimal("1.00")), True),
    (Actor("clerk2", Role.CLERK), False), (Actor("sup2", Role.SUPERVISOR), False),
    (Actor("sup1", Role.SUPERVISOR, Decimal("500.00"), active=False), False),
])
def test_asked_without_a_case_it_says_whether_the_user_approves_at_all(actor, approves):
    assert (may_approve(actor) is None) is approves


@pytest.mark.parametrize("actor,authors,code", REFUSALS)
def test_check_approve_refuses_exactly_what_may_approve_refuses(actor, authors, code):
    authors = {**AUTHORS, **authors}
    expected = may_approve(actor, **authors, determination=DETERMINATION)
    with pytest.raises(WorkflowRefused) as refused:
        check_approve(CaseStatus.SUBMITTED, actor, **authors, check=CASE,
                      determination=DETERMINATION, divergence_acknowledged=True,
                      fingerprint="f" * 64, submitted_fingerprint="f" * 64)
    assert (refused.value.code, str(refused.value)) == (expected.code, str(expected))
