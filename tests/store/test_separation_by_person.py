"""Issue 22, point 4: separation of duties by person, not by login. An account's history
says who made it, who gave it its role and who gave it its approval limit (each entry
signed by them); nobody approves a case prepared, edited or submitted by the
administrator who made their account or gave it its role, nor under another account of
the same person (the same name, made by the same administrator); an administrator
approves only with a limit given by another administrator."""

from __future__ import annotations

from decimal import Decimal

import pytest

from billing_desk.domain.draft import CaseDraft
from billing_desk.domain.workflow import CaseStatus, Role, WorkflowRefused
from billing_desk.store.users import person_of
from tests.domain.builders import make_case
from tests.staff import PASSWORD, sign_in_all


def submitted_by(cf, login: str) -> int:
    record = cf.cases.create(CaseDraft.from_case(make_case()), actor=login)
    return cf.workflow.submit(record.id, actor=login).id


def test_the_history_says_who_made_an_account_and_gave_it_its_role_and_limit(staffed):
    cf = staffed
    cf.users.add("ada", "Ada Second", Role.ADMINISTRATOR, PASSWORD, actor="root")
    sign_in_all(cf, ["ada"])
    cf.users.set_role("bob", Role.SUPERVISOR, actor="ada")
    cf.users.set_limit("bob", Decimal("900.00"), actor="root")
    bob = person_of(cf._c, "bob")
    assert (bob.name, bob.created_by, bob.role_set_by, bob.limit_set_by) == (
        "Bob Brandt", "root", "ada", "root")
    assert person_of(cf._c, "root").created_by == "root"  # (the file's first user)


def test_nobody_approves_a_case_of_the_administrator_who_made_their_account(staffed):
    cf = staffed
    case_id = submitted_by(cf, "root")  # the administrator prepares and submits a case
    for supervisor in ("sup", "boss"):  # both made by root
        with pytest.raises(WorkflowRefused) as refused:
            cf.workflow.approve(case_id, actor=supervisor)
        assert refused.value.code == "own_case_by_proxy"
        assert str(refused.value) == (
            "You cannot approve a case that root prepared, edited or submitted: root is the "
            "administrator who made your account or gave it its role. Another supervisor "
            "must approve it.")
    # a supervisor made by another administrator may
    cf.users.add("ada", "Ada Second", Role.ADMINISTRATOR, PASSWORD, actor="root")
    sign_in_all(cf, ["ada"])
    cf.users.add("vic", "Vic Other", Role.SUPERVISOR, PASSWORD, actor="ada",
                 approval_limit=Decimal("5000.00"))
    sign_in_all(cf, ["vic"])
    assert cf.workflow.approve(case_id, actor="vic").status is CaseStatus.APPROVED
    assert cf.verify().ok


def test_nobody_approves_under_another_account_of_their_own(staffed):
    cf = staffed
    # alice (a clerk) gets a supervisor's account too: the same name, the same maker
    cf.users.add("alice2", "alice  ARCHER", Role.SUPERVISOR, PASSWORD, actor="root",
                 approval_limit=Decimal("5000.00"))
    sign_in_all(cf, ["alice2"])
    case_id = submitted_by(cf, "alice")
    with pytest.raises(WorkflowRefused) as refused:
        cf.workflow.approve(case_id, actor="alice2")
    assert refused.value.code == "own_case_other_account"
    assert "alice and alice2 are two accounts of one person (alice ARCHER, both made by root)" \
        in str(refused.value)
    assert cf.workflow.approve(case_id, actor="boss").status is CaseStatus.APPROVED


def test_an_administrator_approves_only_with_a_limit_another_administrator_gave(staffed):
    cf = staffed
    case_id = submitted_by(cf, "alice")
    cf.users.set_limit("root", Decimal("5000.00"), actor="root")  # given to oneself
    with pytest.raises(WorkflowRefused) as refused:
        cf.workflow.approve(case_id, actor="root")
    assert refused.value.code == "not_an_approver"
    assert "approves cases only with an approval limit given by another administrator" in \
        str(refused.value)
    cf.users.add("ada", "Ada Second", Role.ADMINISTRATOR, PASSWORD, actor="root")
    sign_in_all(cf, ["ada"])
    cf.users.set_limit("root", Decimal("5001.00"), actor="ada")  # given by another
    assert cf.workflow.approve(case_id, actor="root").status is CaseStatus.APPROVED
