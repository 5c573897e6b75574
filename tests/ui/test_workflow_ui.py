"""Signing in, the work queues, the approval view and the clerk's side of the workflow,
on a real case file and a real server database (the test office of tests/staff.py)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog

from billing_desk.domain.draft import CaseDraft
from billing_desk.domain.workflow import CaseStatus
from billing_desk.store import create_store, open_store
from billing_desk.store.sqlite.files import create_case_file
from billing_desk.store.demo_file import create_demo_file
from billing_desk.ui.main_window import MainWindow
from billing_desk.ui.session import CaseSession, SignInGate
from billing_desk.ui.sign_in_dialog import SignInDialog
from tests.domain.builders import make_case
from tests.staff import FAST, PASSWORD, add_staff
from tests.ui.conftest import fill_office
from tests.ui.typing import press, type_text


@pytest.fixture
def office(store_target) -> Path | str:
    """The office of tests/ui/conftest.py on a case file and on a server database."""
    return fill_office(store_target)


def gate(path: Path | str):
    cf = open_store(path)
    cf.users = cf.users.using(passwords=FAST)
    return cf, SignInGate(cf)


# -- signing in --------------------------------------------------------------------------

def test_sign_in_refuses_a_wrong_password_then_signs_in(qtbot, office):
    cf, g = gate(office)
    dialog = SignInDialog(g)
    qtbot.addWidget(dialog)
    assert dialog.demo_table is None  # an office file shows no passwords
    type_text(dialog.login, "alice")
    type_text(dialog.password, "not her password")
    dialog.ok.click()
    assert dialog.message.text() == "Login or password is not correct."
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.user is None
    assert dialog.password.text() == ""  # typed again, not kept
    dialog.login.setText("nobody")
    type_text(dialog.password, PASSWORD)
    dialog.ok.click()
    assert dialog.message.text() == "Login or password is not correct."
    dialog.login.setText("alice")
    type_text(dialog.password, PASSWORD)
    dialog.ok.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (dialog.user.login, dialog.user.role.value) == ("alice", "clerk")
    cf.close()


def test_repeated_failures_make_the_dialog_wait(qtbot, office):
    cf, g = gate(office)
    dialog = SignInDialog(g)
    qtbot.addWidget(dialog)
    dialog.login.setText("bob")
    for _ in range(3):
        dialog.password.setText("guess")
        dialog.ok.click()
    dialog.password.setText(PASSWORD)
    dialog.ok.click()  # the fourth answer waits a second, on a timer
    assert "please wait 1 second" in dialog.message.text()
    assert not dialog.ok.isEnabled() and not dialog.password.isEnabled()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=5000)
    assert dialog.user.login == "bob" and cf.users.failures("bob") == 0
    cf.close()


def test_a_demo_file_shows_its_logins_and_passwords(qtbot, tmp_path):
    create_demo_file(tmp_path / "demo.bdesk", 3).close()
    cf, g = gate(tmp_path / "demo.bdesk")
    dialog = SignInDialog(g)
    qtbot.addWidget(dialog)
    table = dialog.demo_table
    rows = {table.item(r, 0).text(): (table.item(r, 2).text(), table.item(r, 3).text())
            for r in range(table.rowCount())}
    assert rows["akim"] == ("clerk", "akim-demo")
    assert rows["mwhitfield"] == ("supervisor, limit $1,000.00", "mwhitfield-demo")
    assert rows["admin"] == ("administrator", "admin-demo")
    table.setCurrentCell(list(rows).index("mwhitfield"), 0)
    assert dialog.login.text() == ""  # chosen only by a click, Enter or Space on the row
    press(table, Qt.Key.Key_Space)
    assert (dialog.login.text(), dialog.password.text()) == ("mwhitfield", "mwhitfield-demo")
    dialog.ok.click()
    assert dialog.user.name == "Margaret Whitfield"
    cf.close()


def test_a_file_without_users_asks_for_its_first_administrator(qtbot, tmp_path):
    path = tmp_path / "new.bdesk"
    create_case_file(path).close()
    cf, g = gate(path)
    dialog = SignInDialog(g)
    qtbot.addWidget(dialog)
    assert dialog.first_administrator and "has no users yet" in dialog.findChild(
        type(dialog.message)).text()
    type_text(dialog.login, "rita")
    type_text(dialog.name, "Rita Root")
    dialog.password.setText("a long password")
    dialog.password_again.setText("a long passwort")
    dialog.ok.click()
    assert "the two passwords typed differ" in dialog.message.text()
    dialog.password.setText("a long password")
    dialog.password_again.setText("a long password")
    dialog.ok.click()
    assert dialog.user.role.value == "administrator"
    assert not cf.users.needs_first_administrator()
    cf.close()


def test_the_signed_in_user_acts_and_is_shown(qtbot, office, tmp_path):
    signed = []

    def sign_in(g: SignInGate):
        signed.append(g.path or g.name)
        return g.sign_in("sup", PASSWORD)

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    w = MainWindow(CaseSession(sign_in=sign_in), settings)
    qtbot.addWidget(w)
    w.open_path(office)
    assert signed == [office if isinstance(office, Path) else w.session.file.name]
    assert w.user_label.text() == "Signed in: Sam Sutter (sup, supervisor, approves up to $500.00)"
    assert w.session.actor == "sup"
    w.new_case()
    assert w.session.load(w.record.id).prepared_by == "sup"
    cancelled = MainWindow(CaseSession(sign_in=lambda g: None), settings)
    qtbot.addWidget(cancelled)
    assert cancelled.open_path(office) and cancelled.session.file is None
    w.session.close()


# -- the supervisor ----------------------------------------------------------------------

def test_the_queue_lists_submitted_cases_oldest_first_with_totals_and_flags(
        make_window, office, qtmodeltester):
    w = make_window(office, "sup")
    model = w.workflow.queue.waiting
    qtmodeltester.check(model)
    cells = [[model.data(model.index(r, c)) for c in range(model.columnCount())]
             for r in range(model.rowCount())]
    assert [row[0] for row in cells] == ["BD-000001", "BD-000002", "BD-000003", "BD-000005"]
    assert cells[0][3:4] + cells[0][5:7] == ["alice", "$10.00", "$0.00"]
    assert cells[3][5] == "$600.00"
    assert "readings differ" in cells[1][7] and "readings differ" not in cells[0][7]
    assert "Waiting for approval, oldest first (4)" == w.workflow.queue.waiting_box.title()
    tip = model.data(model.index(1, 7), Qt.ItemDataRole.ToolTipRole)
    assert "readings of 26-721(a)(2)" in tip


def open_review(w: MainWindow, row: int):
    w.workflow.queue.waiting_table.setCurrentIndex(w.workflow.queue.waiting.index(row, 0))
    w.workflow.queue._waiting_activated(row)
    return w.workflow.dialog


def test_approve_with_the_acknowledgement(make_window, office):
    w = make_window(office, "sup")
    dialog = open_review(w, 1)  # BD-000002, the readings differ
    assert dialog.record.case_number == "BD-000002"
    assert dialog.panel.back_bill.text() == "$20.00"  # what the clerk submitted
    assert dialog.panel.readings_box.isVisibleTo(dialog)
    readings = dialog.panel.readings
    assert [readings.item(r, 0).text() for r in range(3)] == [
        "Ordinance (used)", "Executive summary", "Staff practice"]
    assert dialog.acknowledge.isVisibleTo(dialog) and "Submitted by Alice Archer (alice)" in dialog.header.text()
    dialog.approve_button.click()
    assert "tick the acknowledgement" in dialog.last_error_box.text()
    assert w.session.load(2).status is CaseStatus.SUBMITTED
    dialog.acknowledge.click()
    dialog.approve_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    approved = w.session.load(2)
    assert approved.status is CaseStatus.APPROVED and approved.approved.login == "sup"
    assert approved.divergence_acknowledged
    assert [i.case_number for i in w.workflow.queue.waiting.items] == ["BD-000001", "BD-000003", "BD-000005"]


def test_return_with_a_reason_and_the_clerk_sees_it(make_window, office):
    sup = make_window(office, "sup")
    dialog = open_review(sup, 0)
    assert not dialog.acknowledge.isVisibleTo(dialog)  # the readings agree
    dialog.return_button.click()
    assert "Say why the case is returned" in dialog.last_error_box.text()
    type_text(dialog.reason, "Attach the customer's bills")
    dialog.return_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    returned = sup.session.load(1)
    assert (returned.status, returned.status_reason) == (CaseStatus.RETURNED, "Attach the customer's bills")

    alice = make_window(office, "alice")
    queue = alice.workflow.queue
    assert queue.returned_box.title() == "Returned to me (1)"
    assert [queue.returned.data(queue.returned.index(0, c)) for c in (0, 2)] == [
        "BD-000001", "Attach the customer's bills"]
    queue._returned_activated(0)
    assert alice.record.case_number == "BD-000001"
    bar = alice.workflow.bar
    assert "Returned" in bar.text.text() and "Attach the customer's bills" in bar.text.text()
    assert bar.submit.isVisibleTo(bar) and bar.submit.text() == "Submit again"
    bar.submit.click()  # answered without changing the figures
    assert alice.record.status is CaseStatus.SUBMITTED
    assert "Submitted</b> by Alice Archer (alice)" in bar.text.text()


def test_nobody_approves_their_own_case_or_above_their_limit(make_window, office):
    w = make_window(office, "sup")
    dialog = open_review(w, 2)  # BD-000003: sup prepared it
    dialog.approve_button.click()
    assert "cannot approve a case you prepared" in dialog.last_error_box.text()
    dialog.reject()
    dialog = open_review(w, 3)  # BD-000005: a 600.00 refund, above sup's 500.00
    dialog.acknowledge.click()
    dialog.approve_button.click()
    assert dialog.last_error_box.text() == (
        "This case adjusts $600.00, above your approval limit of $500.00; refer it to a "
        "supervisor with a higher limit.")
    assert {w.session.load(i).status for i in (3, 5)} == {CaseStatus.SUBMITTED}


def test_a_clerk_opens_a_waiting_case_instead_of_approving(make_window, office):
    w = make_window(office, "alice")
    assert not w.session.can_approve
    w.workflow.queue._waiting_activated(0)
    assert w.workflow.dialog is None and w.record.case_number == "BD-000001"
    assert not w.workflow.bar.review.isVisibleTo(w.workflow.bar)


# -- the clerk ---------------------------------------------------------------------------

def test_submit_for_approval_and_its_refusal(make_window, office):
    w = make_window(office, "alice")
    w.open_case(4)  # no periods yet
    bar = w.workflow.bar
    assert "<b>Draft</b>" in bar.text.text() and bar.submit.isVisibleTo(bar)
    w.workflow.submit_act.trigger()
    assert "A case with no billing periods cannot be submitted." == w.last_error_box.text()
    assert w.session.load(4).status is CaseStatus.DRAFT
    w.new_case()
    w.session.save_draft(w.record.id, CaseDraft.from_case(make_case()), w.record.revision)
    w.open_case(w.record.id)
    bar.submit.click()
    assert w.record.status is CaseStatus.SUBMITTED and w.record.submitted.login == "alice"
    assert "BD-000006" in [i.case_number for i in w.workflow.queue.waiting.items]


def test_history_says_the_chain_verifies_and_shows_who_did_what(make_window, office):
    w = make_window(office, "alice")
    w.open_case(1)
    history = w.history
    assert history.table.rowCount() == 0  # read when shown, not on every save behind it
    w.tabs.setCurrentWidget(history)
    assert history.chain.text().startswith("✔ History verified: the 2 entries of this case")
    rows = [[history.table.item(r, c).text() for c in range(4)] for r in range(history.table.rowCount())]
    assert [r[1] for r in rows] == ["alice", "alice"]
    # sentences, not the audit entries' JSON
    assert rows[0][2] == "Case BD-000001 created by alice"
    assert re.fullmatch(r"Submitted for approval by alice \(fingerprint [0-9a-f]{8}…\)", rows[1][2])
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", rows[1][0])  # local time
    assert "audit entry" in history.table.item(1, 0).toolTip() and "UTC" in history.table.item(1, 0).toolTip()
    history.verify_button.click()
    assert history.file_chain.text().startswith("✔ OK: the audit history of")


def test_editing_an_approved_case_voids_the_approval_visibly(make_window, office):
    with open_store(office) as cf:
        cf.workflow.approve(1, actor="boss")
    w = make_window(office, "alice")
    w.open_case(1)
    assert "Approved</b> by Bea Boss (boss)" in w.workflow.bar.text.text()
    assert "Editing it voids the approval" in w.workflow.bar.text.text()
    record = w.session.save_draft(1, CaseDraft.from_case(make_case(why="period corrected")),
                                  w.record.revision)
    w.open_case(1)
    assert record.status is CaseStatus.DRAFT and record.approved is None
    assert "Approval voided" in w.workflow.bar.text.text()
    w.tabs.setCurrentWidget(w.history)
    last = w.history.table.rowCount() - 1
    assert w.history.table.item(last, 2).text() == (
        "Edited by alice; approval voided: the case changed after that, so it is a draft again")
    assert "The approval by boss of " in w.history.table.item(last, 3).text()
    assert Decimal("10.00") == Decimal(w.panel.refund.text().strip("$"))


def test_void_asks_why_and_the_rules_judge_the_answer(make_window, office):
    w = make_window(office, "alice")
    w.open_case(4)
    w.workflow.bar.void.click()
    dialog = w.workflow.reason_dialog
    dialog.ok.click()  # no reason given
    assert "Say why the case is voided" in w.last_error_box.text()
    w.workflow.bar.void.click()
    dialog = w.workflow.reason_dialog
    type_text(dialog.reason, "Opened twice")
    dialog.ok.click()
    assert (w.record.status, w.record.status_reason) == (CaseStatus.VOID, "Opened twice")
    assert not w.workflow.bar.void.isVisibleTo(w.workflow.bar)


def test_switch_user_and_sign_out(qtbot, office, tmp_path):
    who = iter(["alice", "boss"])
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    w = MainWindow(CaseSession(sign_in=lambda g: g.sign_in(next(who), PASSWORD)), settings)
    qtbot.addWidget(w)
    w.open_path(office)
    assert w.session.actor == "alice" and not w.workflow.bar.review.isVisibleTo(w.workflow.bar)
    assert w.session.switch_user()
    assert w.session.actor == "boss" and "Bea Boss (boss, supervisor" in w.user_label.text()
    w.open_case(1)
    assert w.workflow.bar.review.isVisibleTo(w.workflow.bar)  # boss may approve it
    w.show()
    w.workflow.sign_out_act.trigger()
    assert w.workflow.signed_out and not w.isVisible()
    w.session.close()
