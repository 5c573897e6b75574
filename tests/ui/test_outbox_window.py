"""The email outbox in the app: the outbox window lists the notices and filters them by
state, sends on a worker thread against a real SMTP server (127.0.0.1) with progress,
and lets a person retry a failed notice or decide about an uncertain one; the Documents
tab says how the open case's notice went out; the case editor edits the address and
the preference and points at a bad address. On a case file and on a server."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from billing_desk.domain.delivery import Delivery
from billing_desk.domain.outbox import NoticeState
from billing_desk.store import open_store
from billing_desk.ui.main_window import MainWindow
from billing_desk.ui.outbox_model import OutboxModel
from billing_desk.ui.outbox_window import FILTERS, OutboxWindow
from billing_desk.ui.session import CaseSession
from tests.issuing.notice_cases import email_of, office_from_template, point_at
from tests.mail_server import Behaviour, start_mail_server
from tests.issuing.conftest import notices_template  # noqa: F401 (fixture)


@pytest.fixture
def office(notices_template, tmp_path, backend, store_target):
    """The six issued cases of the notices' template, on each backend."""
    return office_from_template(notices_template, tmp_path, backend, store_target)


@pytest.fixture
def server():
    s = start_mail_server(behaviour=Behaviour(
        rcpt_reply=lambda address, attempt: "550 5.1.1 No such user here"
        if address == email_of(3) else None,
        data_delay=lambda address, attempt: 8.0 if address == email_of(1) and attempt == 1 else 0))
    yield s
    s.stop()


@pytest.fixture
def session(office):
    s = CaseSession("mailroom")
    s.open(office)
    yield s
    s.close()


def test_the_outbox_sends_then_a_person_decides(qtbot, session, server, qtmodeltester):
    point_at(session.file, server.port, timeout=3)
    w = OutboxWindow(session)
    qtbot.addWidget(w)
    w.show()
    assert w.model.rowCount() == 0 and w.counts.text() == "No notices yet."
    w.send_button.click()
    w.wait_until_done()
    assert w.bar.isHidden() and w.send_button.isEnabled()
    assert "3 sent" in w.status.text() and "1 failed" in w.status.text()
    assert "1 uncertain" in w.status.text()
    assert w.model.rowCount() == 5
    qtmodeltester.check(w.model)
    assert "3 sent" in w.counts.text() and "1 uncertain: may have been sent" in w.counts.text()
    # filter: the ones that need a person
    w.filter.setCurrentIndex([label for label, _ in FILTERS].index("Need a person (uncertain, failed)"))
    assert sorted(n.state for n in w.model.notices) == sorted(
        [NoticeState.FAILED_PERMANENT, NoticeState.UNCERTAIN])
    failed = next(n for n in w.model.notices if n.state is NoticeState.FAILED_PERMANENT)
    assert "550 5.1.1 No such user" in w.model.data(w.model.index(
        w.model.notices.index(failed), 8))
    w.select_notice(failed.id)
    assert w.retry_button.isEnabled() and not w.mark_button.isEnabled()
    doubt = next(n for n in w.model.notices if n.state is NoticeState.UNCERTAIN)
    w.select_notice(doubt.id)
    assert w.mark_button.isEnabled() and w.copy_button.isEnabled() and not w.retry_button.isEnabled()
    w.decide(w_move("resend_copy"), note="customer asked")
    assert "will go out as a copy" in w.status.text()
    w.filter.setCurrentIndex(0)
    w.send_button.click()
    w.wait_until_done()
    assert "1 sent" in w.status.text()
    copies = [r for r in server.received if r.rcpt_tos == [email_of(1)]]
    assert len(copies) == 2 and copies[1].message["Subject"].startswith("COPY: ")
    assert session.file.outbox.get(doubt.id).state is NoticeState.SENT


def w_move(name):
    from billing_desk.domain.outbox import Move

    return Move(name)


def test_a_mail_server_that_cannot_be_reached_is_said_and_nothing_is_sent(qtbot, session):
    point_at(session.file, 1)  # nothing listens on port 1
    w = OutboxWindow(session)
    qtbot.addWidget(w)
    w.send_button.click()
    w.wait_until_done()
    assert w.status.text().startswith("Nothing sent:") and "connection refused" in w.status.text()
    assert w.last_error_box is not None
    assert session.file.outbox.count() == 0


def test_the_model_is_a_thin_view(qtmodeltester):
    model = OutboxModel()
    qtmodeltester.check(model)
    assert model.columnCount() == 9 and model.headerData(5, __import__(
        "PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "State"


@pytest.fixture
def window(qtbot, tmp_path, office):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(CaseSession("mailroom"), settings)
    qtbot.addWidget(w)
    w.open_path(office)
    w.show()
    yield w


def test_the_documents_tab_says_how_the_notice_went_out(qtbot, window, server):
    w = window
    point_at(w.session.file, server.port)
    w.open_case(5)  # BD-000005: paper and email
    w.tabs.setCurrentWidget(w.documents)
    text = w.documents.delivery.text()
    assert "Paper: the letter is printed and mailed" in text
    assert f"Email to {email_of(4)}: waiting to be queued" in text
    outbox = w.outbox_actions.open_outbox()
    qtbot.addWidget(outbox)
    outbox.send_button.click()
    outbox.wait_until_done()
    assert f"Email to {email_of(4)}: sent" in w.documents.delivery.text()
    assert "250 2.0.0" in w.documents.delivery.text()
    w.open_case(6)  # paper only
    assert "Email" not in w.documents.delivery.text() and "Paper" in w.documents.delivery.text()


def test_the_editor_edits_the_address_and_the_preference(qtbot, window):
    w = window
    record = w.session.new_case()
    w.case_list.refresh()
    w.open_case(record.id)
    editor = w.editor
    editor.email.setText("pat at example")  # (as typed; the field then loses focus)
    editor.email.editingFinished.emit()
    saved = w.session.load(record.id).draft.account
    assert saved.email == "pat at example"  # kept, and pointed at
    label = editor._problem_labels["account.email"]
    w.live.recompute(w.session.load(record.id).draft)
    assert label.isVisibleTo(w) and "spaces" in label.text()
    editor.email.setText("pat@example.com")
    editor.email.editingFinished.emit()
    editor.delivery.setCurrentIndex(editor.delivery.findData("both"))
    editor.delivery.activated.emit(editor.delivery.currentIndex())
    saved = w.session.load(record.id).draft.account
    assert (saved.email, saved.delivery) == ("pat@example.com", Delivery.BOTH)
    with open_store(w.session.file.target) as cf:
        assert cf.verify().ok


def test_sending_pauses_after_the_message_in_hand_resumes_and_cancels(qtbot, session):
    """Pause holds the run after the message being sent (nothing more reaches the
    server while paused); Cancel stops it after the message in hand, leaving the rest
    queued for the next run; nothing is sent twice."""
    slow = start_mail_server(behaviour=Behaviour(data_delay=lambda address, attempt: 1.0))
    try:
        point_at(session.file, slow.port, timeout=5)
        w = OutboxWindow(session)
        qtbot.addWidget(w)
        w.show()
        w.send_button.click()
        qtbot.waitUntil(lambda: len(slow.received) >= 1, timeout=20_000)
        w.pause_button.setChecked(True)
        assert w.status.text() == "Paused after the message being sent."
        qtbot.wait(2_500)  # the message in hand is finished, then the run holds
        held = len(slow.received)
        qtbot.wait(2_000)
        assert len(slow.received) == held < 5
        w.pause_button.setChecked(False)
        qtbot.waitUntil(lambda: len(slow.received) > held, timeout=20_000)
        w.cancel_button.click()
        w.wait_until_done()
        assert w.thread is None and w.send_button.isEnabled()
        sent = len(slow.received)
        assert sent < 5
        queued = session.file.outbox.count([NoticeState.QUEUED])
        assert queued >= 1 and session.file.outbox.count([NoticeState.SENT]) == sent
        assert len({r.message_id for r in slow.received}) == sent  # no message twice
        # the next run sends the rest, each once
        w.send_button.click()
        w.wait_until_done()
        assert len(slow.received) == 5 == len({r.message_id for r in slow.received})
    finally:
        slow.stop()
