"""Who may approve what is asked of the domain's workflow (``may_approve``) only: for
each refusal -- a disabled user, a clerk, a supervisor without a limit, one's own case
(prepared, last edited or submitted), above the limit -- the store refuses with the
domain's refusal, and the windows offer the approval view, and show the refusal, as the
domain says."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from billing_desk.domain.draft import CaseDraft
from billing_desk.domain.rulepacks import determine
from billing_desk.domain.workflow import CaseStatus, Role, WorkflowRefused, may_approve
from billing_desk.store.sqlite.files import create_case_file, open_case_file
from billing_desk.store.errors import NotAUser
from billing_desk.ui.approval_dialog import ApprovalDialog
from billing_desk.ui.session import CaseSession
from billing_desk.ui.workflow_bar import WorkflowBar
from tests.domain.builders import make_case, period
from tests.staff import PASSWORD, add_staff, sign_in_all

REFUND_600 = [period("2010-01-01", "2010-01-31", "900.00", "300.00")]  # above sup's 500.00

#: (who asks, which case, the refusal or None); the cases are made by ``office``
ASKED = [
    ("sleepy", "alice's", "inactive_user"),
    ("bob", "alice's", "not_an_approver"),       # a clerk
    ("nolimit", "alice's", "not_an_approver"),   # a supervisor without a limit
    ("sup", "prepared by sup", "own_case"),
    ("sup", "last edited by sup", "own_case"),
    ("sup", "submitted by sup", "own_case"),
    ("sup", "600.00 refund", "over_limit"),
    ("sup", "alice's", None),
    ("root", "600.00 refund", "not_an_approver"),  # an administrator without a limit
    ("boss", "600.00 refund", None),
]


@pytest.fixture
def office(tmp_path):
    """The test office and two more supervisors (one without a limit, one disabled); one
    submitted case for each way a case can be someone's own, and one above sup's limit.
    Returns the file and the case ids by name."""
    path = tmp_path / "office.bdesk"
    ids = {}
    with create_case_file(path) as cf:
        add_staff(cf)
        cf.users.add("nolimit", "Nola Limit", Role.SUPERVISOR, PASSWORD, actor="root")
        cf.users.add("sleepy", "Sid Sleepy", Role.SUPERVISOR, PASSWORD, actor="root",
                     approval_limit=Decimal("500.00"))
        sign_in_all(cf, ["nolimit", "sleepy"])
        cf.users.disable("sleepy", actor="root")
        for name, prepared, edited, submitted, periods in (
                ("alice's", "alice", None, "alice", None),
                ("prepared by sup", "sup", None, "alice", None),
                ("last edited by sup", "alice", "sup", "alice", None),
                ("submitted by sup", "alice", None, "sup", None),
                ("600.00 refund", "alice", None, "alice", REFUND_600)):
            record = cf.cases.create(CaseDraft.from_case(make_case(periods=periods) if periods
                                                         else make_case()), actor=prepared)
            if edited:
                changed = make_case(periods=[period("2010-01-01", "2010-01-31", "50.00", "41.00")])
                record = cf.cases.save(record.id, CaseDraft.from_case(changed),
                                       expected_revision=record.revision, actor=edited)
            cf.workflow.submit(record.id, actor=submitted)
            ids[name] = record.id
    return path, ids


def domain_answer(path, login, case_id):
    with open_case_file(path) as cf:
        user, record = cf.users.get(login), cf.cases.load(case_id)
        return may_approve(user.actor(), prepared_by=record.prepared_by,
                           last_edited_by=record.last_edited_by,
                           submitted_by=record.submitted.login,
                           determination=determine(record.draft.check().case))


@pytest.mark.parametrize("login,case,code", ASKED)
def test_the_store_and_the_windows_give_the_domains_answer(qtbot, tmp_path, office, login, case, code):
    path, ids = office
    case_id = ids[case]
    answer = domain_answer(path, login, case_id)
    assert (answer.code if answer else None) == code

    # the store: approving refuses with exactly the domain's refusal, or approves
    (tmp_path / "copy").mkdir()
    store_path = shutil.copy(path, tmp_path / "copy" / path.name)  # the same name, for the messages
    shown = None if answer is None else str(answer)
    with open_case_file(store_path) as cf:
        if answer is None:
            assert cf.workflow.approve(case_id, actor=login).status is CaseStatus.APPROVED
        else:
            with pytest.raises((WorkflowRefused, NotAUser)) as refused:
                cf.workflow.approve(case_id, actor=login)
            if code == "inactive_user":
                # a disabled account changes nothing at all: the store's door (every write)
                # turns it away before the workflow's rules are asked (nor can it sign in)
                assert isinstance(refused.value, NotAUser) and refused.value.disabled
                shown = str(refused.value)
            else:
                assert (refused.value.code, str(refused.value)) == (answer.code, str(answer))

    # the windows: the approval view is offered to whoever the domain lets approve at
    # all; approving in it shows the domain's refusal, or approves
    session = CaseSession(login)
    session.open(path)
    try:
        record = session.load(case_id)
        at_all = may_approve(session.user.actor())
        assert session.can_approve is (at_all is None)
        bar = WorkflowBar(session)
        qtbot.addWidget(bar)
        bar.show_record(record)
        assert bar.review.isVisibleTo(bar) is (at_all is None)

        dialog = ApprovalDialog(session, case_id)
        qtbot.addWidget(dialog)
        dialog.approve()
        if answer is None:
            assert session.load(case_id).status is CaseStatus.APPROVED
            assert dialog.last_error_box is None
        else:
            assert dialog.last_error_box.text() == shown
            assert session.load(case_id).status is CaseStatus.SUBMITTED
    finally:
        session.close()
