"""A question before a submit or an issue taken from the keyboard: it names the case, the
customer and the amounts as money; one keypress answers -- Enter or Alt and the button's
letter confirms, Esc cancels -- and a letter typed by mistake answers nothing. Issuing
asks from every place it is started (letters cannot be taken back); submitting from the
Case menu and its shortcut, not from the Submit button beside the status."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from billing_desk.domain.draft import CaseDraft
from billing_desk.domain.workflow import CaseStatus
from billing_desk.store.sqlite.files import open_case_file
from billing_desk.ui.main_window import MainWindow
from billing_desk.ui.session import CaseSession
from tests.domain.builders import make_case

from tests.ui.helpers import enter_cell, finish



CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def answer(qtbot, box, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed in the question, as the active window (Alt+letter is a shortcut)."""
    qtbot.waitExposed(box)
    box.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    QTest.keyClick(box, key, modifiers)


def a_valid_draft(w: MainWindow) -> None:
    w.new_case()
    w.session.save_draft(w.record.id, CaseDraft.from_case(make_case(account={"customer_name": "Ana Ruiz"})),
                         w.record.revision)
    w.open_case(w.record.id)


def test_ctrl_shift_enter_asks_before_submitting_and_esc_leaves_the_case_as_it_was(
        make_window, office, activate):
    w = make_window(office, "alice")
    a_valid_draft(w)
    activate(w)
    number, revision = w.record.case_number, w.record.revision
    QTest.keyClick(w.editor.customer_name, Qt.Key.Key_Return, CTRL_SHIFT)
    box = w.workflow.confirm_box
    assert box is not None and box.isVisible()
    assert box.windowTitle() == f"Submit {number}?"
    assert box.text() == f"Submit <b>{number}</b> for approval?"
    details = box.informativeText()
    assert "Ana Ruiz, account 100-2000-01" in details
    assert "Refund (credit) <b>$10.00</b> · back bill <b>$0.00</b> · net −$10.00 (owed to the customer)" in details
    assert "editing it afterwards withdraws the submission" in details
    assert box.defaultButton() is box.confirm and box.escapeButton() is box.cancel
    QTest.keyClick(box, Qt.Key.Key_S)  # a letter alone is no answer
    assert box.isVisible()
    QTest.keyClick(box, Qt.Key.Key_Escape)
    assert not box.isVisible() and not box.confirmed
    record = w.session.load(w.record.id)
    assert (record.status, record.revision) == (CaseStatus.DRAFT, revision)

    QTest.keyClick(w.editor.customer_name, Qt.Key.Key_Return, CTRL_SHIFT)
    QTest.keyClick(w.workflow.confirm_box, Qt.Key.Key_Return)  # Enter: submitted
    assert w.session.load(w.record.id).status is CaseStatus.SUBMITTED
    assert w.record.status is CaseStatus.SUBMITTED


def test_alt_s_confirms_and_the_submit_button_does_not_ask(make_window, office, activate, qtbot):
    w = make_window(office, "alice")
    a_valid_draft(w)
    activate(w)
    w.workflow.submit_act.trigger()  # the Case menu's item asks too
    box = w.workflow.confirm_box
    answer(qtbot, box, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: w.record.status is CaseStatus.SUBMITTED)
    a_valid_draft(w)
    asked = w.workflow.confirm_box
    w.workflow.bar.submit.click()  # beside the status: the click is the answer
    assert w.record.status is CaseStatus.SUBMITTED and w.workflow.confirm_box is asked


def test_a_refused_entry_is_named_as_not_part_of_what_is_submitted(make_window, office):
    w = make_window(office, "alice")
    a_valid_draft(w)
    enter_cell(w, 0, 1, "1/32/2010")  # refused: the period keeps its end
    w.workflow.submit_act.trigger()
    details = w.workflow.confirm_box.informativeText()
    assert "⚠ <b>Not part of it:</b> Period 1 end — what is typed there is not valid and is not saved." in details


def test_a_case_changed_while_asked_is_not_submitted(make_window, office):
    w = make_window(office, "alice")
    a_valid_draft(w)
    w.workflow.submit_act.trigger()
    box = w.workflow.confirm_box
    with open_case_file(office) as cf:  # another clerk edits it meanwhile
        r = cf.cases.load(w.record.id)
        cf.cases.save(r.id, CaseDraft.from_case(make_case(account={"customer_name": "Someone Else"})),
                      expected_revision=r.revision, actor="bob")
    w.session.poll()  # (the window learns of it)
    box.confirm.click()
    assert w.session.load(w.record.id).status is CaseStatus.DRAFT
    assert "changed while you were asked" in w.statusBar().currentMessage()


def test_a_case_the_rules_refuse_is_not_asked_about(make_window, office):
    w = make_window(office, "alice")
    w.open_case(4)  # no periods
    w.workflow.submit_act.trigger()
    assert w.workflow.confirm_box is None
    assert w.last_error_box.text() == "A case with no billing periods cannot be submitted."


@pytest.fixture
def mailroom(qtbot, tmp_path, documents_file):
    w = MainWindow(CaseSession("mailroom"), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.open_path(documents_file)
    w.show()
    yield w
    w.session.close()


def test_ctrl_shift_i_asks_what_goes_out_before_issuing(mailroom, activate, qtbot):
    w = mailroom
    w.open_case(1)  # approved
    activate(w)
    QTest.keyClick(w.case_list.table, Qt.Key.Key_I, CTRL_SHIFT)
    box = w.document_actions.confirm_box
    assert box.isVisible() and box.windowTitle() == "Issue the documents of BD-000001?"
    details = box.informativeText()
    assert "María Peña Núñez, account" in details
    assert "The customer letter, credit memo and back-bill memo are rendered, read back" in details
    assert "the letter goes to " in details and "cannot be withdrawn" in details
    assert "$" in details and "USD" not in details
    QTest.keyClick(box, Qt.Key.Key_I)  # a letter alone is no answer
    QTest.keyClick(box, Qt.Key.Key_Escape)
    assert w.session.load(1).status is CaseStatus.APPROVED and w.session.issued_documents(w.record) == ()
    QTest.keyClick(w.case_list.table, Qt.Key.Key_I, CTRL_SHIFT)
    answer(qtbot, w.document_actions.confirm_box, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: w.document_actions.task is not None)
    finish(qtbot, w.document_actions.task)  # (stored on a worker, then shown here)
    assert w.session.load(1).status is CaseStatus.ISSUED


def test_the_documents_tab_issue_button_asks_too(mailroom):
    w = mailroom
    w.open_case(1)
    w.document_actions.show_tab()
    w.documents.issue_button.click()
    box = w.document_actions.confirm_box
    assert box.isVisible()
    box.cancel.click()
    assert w.session.load(1).status is CaseStatus.APPROVED
