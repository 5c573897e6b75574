"""Email notices against a real SMTP server (aiosmtpd on 127.0.0.1): each customer who
wants email receives their own letter exactly once; temporary failures are retried and
then sent, permanent ones reported and not retried; a message that may have been taken
is never sent again by itself; bad settings send nothing and say what to check."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from billing_desk.documents.readback import extract_text
from billing_desk.domain.outbox import Backoff, Move, MoveRefused, NoticeState
from billing_desk.issuing.mail_sender import MailError, MailLoginRefused, MailSecurityFailed, MailServerUnreachable
from billing_desk.issuing.outbox import decide_notice, queue_notices, send_notices
from tests.issuing.cases import MAIL_ROOM
from tests.issuing.notice_cases import FROM, email_of, identities_in, point_at
from tests.mail_server import Behaviour, free_port, start_mail_server

NOW = Backoff(delays=(timedelta(0),))  # a failed notice is due again at once


def send(cf, **kw):
    kw.setdefault("backoff", NOW)
    return send_notices(cf, actor=MAIL_ROOM, password=kw.pop("password", None), **kw)


def received_by(server):
    out: dict[str, list] = {}
    for r in server.received:
        out.setdefault(r.rcpt_tos[0], []).append(r)
    return out


def test_each_customer_who_wants_email_gets_their_own_letter_once(notices_file, mail_server):
    cf = notices_file
    point_at(cf, mail_server.port)
    report = send(cf)
    assert (report.queued, report.sent, report.attempted) == (5, 5, 5)
    got = received_by(mail_server)
    # customers 0-3 chose email, 4 both; 5 paper only: no email for them
    assert sorted(got) == [email_of(i) for i in range(5)]
    for i in range(5):
        [message] = got[email_of(i)]
        notice = cf.outbox.list(case_id=cf.cases.find(f"BD-{i + 1:06d}").id)[0]
        msg = message.message
        assert message.mail_from == FROM and message.rcpt_tos == [email_of(i)]
        assert msg["To"].addresses[0].addr_spec == email_of(i) and msg["Cc"] is None
        assert msg["Message-ID"] == notice.message_id
        body = msg.get_body(("plain",)).get_content()
        [attachment] = list(msg.iter_attachments())
        pdf = attachment.get_content()
        stored = cf.documents.find(notice.document_id)
        assert hashlib.sha256(pdf).hexdigest() == stored.sha256 == notice.document_sha256
        assert pdf == cf.documents.pdf(stored.id)
        # its text and its letter show this customer, and nobody else
        assert identities_in(body) == {f"{i:05d}"} == identities_in(extract_text(pdf))
        assert "http" not in body and "www." not in body
        assert notice.state is NoticeState.SENT and notice.server_reply.startswith("250")
    # customer 4 chose both: their email says the letter also comes on paper
    both = got[email_of(4)][0].message.get_body(("plain",)).get_content()
    assert "on paper" in both or "en papel" in both
    # again: nothing new is queued or sent
    again = send(cf)
    assert (again.queued, again.attempted) == (0, 0) and len(mail_server.received) == 5
    assert queue_notices(cf, actor=MAIL_ROOM) == []
    assert cf.verify().ok
    history = [e.action for e in cf.cases.history(cf.cases.find("BD-000001").id)
               if e.entity == "notice"]
    assert history == ["queue", "sending", "sent"]


def test_temporary_refusals_are_retried_then_sent(notices_file):
    # 451 for the first two tries of one address, then accepted
    server = start_mail_server(behaviour=Behaviour(
        rcpt_reply=lambda address, attempt: "451 4.3.0 Try again later"
        if address == email_of(1) and attempt <= 2 else None))
    try:
        point_at(notices_file, server.port)
        report = send(notices_file)
        assert report.sent == 5 and report.failed_temporary == 2
        assert [r.rcpt_tos for r in server.received].count([email_of(1)]) == 1
        notice = notices_file.outbox.list(case_id=2)[0]
        assert notice.state is NoticeState.SENT and notice.attempts == 3
        actions = [e.action for e in notices_file.cases.history(2) if e.entity == "notice"]
        assert actions == ["queue", "sending", "failed, will retry", "sending",
                           "failed, will retry", "sending", "sent"]
    finally:
        server.stop()


def test_a_timeout_before_the_message_is_handed_over_is_retried(notices_file):
    server = start_mail_server(behaviour=Behaviour(
        rcpt_delay=lambda address, attempt: 8.0 if address == email_of(2) and attempt == 1 else 0))
    try:
        point_at(notices_file, server.port, timeout=3)
        report = send(notices_file)
        assert report.sent == 5 and report.failed_temporary == 1
        assert sorted(r.rcpt_tos[0] for r in server.received) == [email_of(i) for i in range(5)]
    finally:
        server.stop()


def test_connection_refused_mid_run_leaves_the_rest_queued_and_a_later_run_sends_them(notices_file):
    cf = notices_file
    server = start_mail_server()
    port = server.port
    point_at(cf, port)
    assert send(cf, limit=2).sent == 2
    server.stop()  # the server goes away: nothing answers on its port
    with pytest.raises(MailServerUnreachable, match="connection refused"):
        send(cf)
    assert cf.outbox.counts()[NoticeState.QUEUED] == 3  # untouched
    server = start_mail_server(port=port)
    try:
        report = send(cf)
        assert report.sent == 3 and len(server.received) == 3
        assert cf.outbox.counts()[NoticeState.SENT] == 5
    finally:
        server.stop()


def test_permanent_refusals_are_reported_and_not_retried(notices_file):
    server = start_mail_server(behaviour=Behaviour(
        rcpt_reply=lambda address, attempt: "550 5.1.1 No such user here"
        if address == email_of(3) else None))
    try:
        point_at(notices_file, server.port)
        report = send(notices_file)
        assert report.sent == 4 and report.failed_permanent == 1
        [failed] = notices_file.outbox.list([NoticeState.FAILED_PERMANENT])
        assert failed.to_address == email_of(3) and "550 5.1.1 No such user" in failed.server_reply
        assert send(notices_file).attempted == 0  # not tried again by itself
        assert server.handler.rcpt_attempts[email_of(3)] == 1
        # a person may retry it (after fixing the server, say): it is tried once more
        decide_notice(notices_file, failed.id, Move.RETRY, actor=MAIL_ROOM)
        assert send(notices_file).failed_permanent == 1
        assert server.handler.rcpt_attempts[email_of(3)] == 2
    finally:
        server.stop()


def test_no_answer_after_the_message_was_handed_over_is_uncertain_and_never_resent(notices_file):
    # the server takes customer 0's message but answers only after the client gave up
    server = start_mail_server(behaviour=Behaviour(
        data_delay=lambda address, attempt: 8.0 if address == email_of(0) and attempt == 1 else 0))
    try:
        cf = notices_file
        point_at(cf, server.port, timeout=3)
        report = send(cf)
        assert report.uncertain == 1 and report.sent == 4
        [doubt] = cf.outbox.list([NoticeState.UNCERTAIN])
        assert doubt.to_address == email_of(0) and "may have been accepted" in doubt.server_reply
        assert send(cf).attempted == 0  # never again by itself
        assert [r.rcpt_tos[0] for r in server.received].count(email_of(0)) == 1
        with pytest.raises(MoveRefused):
            decide_notice(cf, doubt.id, Move.RETRY, actor=MAIL_ROOM)
        # a person resends it as a copy: same Message-ID, marked COPY
        decide_notice(cf, doubt.id, Move.RESEND_COPY, actor=MAIL_ROOM, note="customer called")
        assert send(cf).sent == 1
        first, copy = [r.message for r in server.received if r.rcpt_tos == [email_of(0)]]
        assert first["Message-ID"] == copy["Message-ID"] == doubt.message_id
        assert copy["Subject"].startswith("COPY: ") and not first["Subject"].startswith("COPY")
        assert "copy of a notice" in copy.get_body(("plain",)).get_content()
        assert cf.outbox.get(doubt.id).state is NoticeState.SENT
        with pytest.raises(MoveRefused, match="never sent again"):
            decide_notice(cf, doubt.id, Move.RESEND_COPY, actor=MAIL_ROOM)
        assert cf.verify().ok
    finally:
        server.stop()


def test_an_uncertain_notice_marked_as_sent_is_not_sent(notices_file):
    server = start_mail_server(behaviour=Behaviour(
        data_delay=lambda address, attempt: 8.0 if address == email_of(4) else 0))
    try:
        point_at(notices_file, server.port, timeout=3)
        send(notices_file)
        [doubt] = notices_file.outbox.list([NoticeState.UNCERTAIN])
        marked = decide_notice(notices_file, doubt.id, Move.MARK_SENT, actor=MAIL_ROOM,
                               note="the customer confirmed by phone")
        assert marked.state is NoticeState.SENT and "confirmed by phone" in marked.server_reply
        assert send(notices_file).attempted == 0
        assert [r.rcpt_tos[0] for r in server.received].count(email_of(4)) == 1
    finally:
        server.stop()


# -- bad settings: a clear message, nothing sent -------------------------------------------


def _nothing_sent(cf, server=None):
    assert all(n.state is NoticeState.QUEUED for n in cf.outbox.list()) or not cf.outbox.list()
    assert cf.outbox.counts()[NoticeState.SENT] == 0
    if server is not None:
        assert server.received == []


def test_an_unknown_host_sends_nothing(notices_file):
    point_at(notices_file, 25, host="no-such-host.invalid")
    with pytest.raises(MailServerUnreachable, match="no-such-host.invalid.*not found.*mail.smtp_host"):
        send(notices_file)
    _nothing_sent(notices_file)


def test_a_wrong_port_sends_nothing(notices_file):
    point_at(notices_file, free_port())
    with pytest.raises(MailServerUnreachable, match="connection refused.*mail.smtp_port"):
        send(notices_file)
    _nothing_sent(notices_file)


def test_tls_asked_of_a_plain_server_sends_nothing(notices_file, mail_server):
    point_at(notices_file, mail_server.port, security="tls", timeout=2)
    with pytest.raises(MailSecurityFailed, match="mail.security"):
        send(notices_file)
    _nothing_sent(notices_file, mail_server)


def test_starttls_refused_by_the_server_sends_nothing(notices_file, mail_server):
    point_at(notices_file, mail_server.port, security="starttls")
    with pytest.raises(MailSecurityFailed, match="does not offer STARTTLS"):
        send(notices_file)
    _nothing_sent(notices_file, mail_server)


def test_an_untrusted_certificate_sends_nothing(notices_file):
    server = start_mail_server(tls="starttls")
    try:
        point_at(notices_file, server.port, security="starttls")
        with pytest.raises(MailSecurityFailed, match="not trusted"):
            send(notices_file)  # the system does not know the test authority
        _nothing_sent(notices_file, server)
    finally:
        server.stop()


@pytest.mark.parametrize("tls", ["starttls", "tls"])
def test_a_wrong_password_sends_nothing_and_the_right_one_sends(notices_file, tls):
    server = start_mail_server(tls=tls, login="mailroom", password="s3cret")
    try:
        point_at(notices_file, server.port, security=tls, login="mailroom")
        with pytest.raises(MailLoginRefused, match="refused the login 'mailroom'.*535"):
            send(notices_file, password="wrong", ssl_context=server.client_context)
        _nothing_sent(notices_file, server)
        with pytest.raises(MailError, match="no password"):
            send(notices_file, password=None, ssl_context=server.client_context)
        report = send(notices_file, password="s3cret", ssl_context=server.client_context)
        assert report.sent == 5 and len(server.received) == 5
    finally:
        server.stop()


def test_a_login_over_an_unprotected_connection_is_refused(notices_file, mail_server):
    point_at(notices_file, mail_server.port, security="none", login="mailroom")
    with pytest.raises(MailSecurityFailed, match="unprotected"):
        send(notices_file, password="s3cret")
    _nothing_sent(notices_file, mail_server)


def test_incomplete_settings_name_what_is_missing(notices_file):
    with pytest.raises(MailError, match="mail.smtp_host is blank.*mail.from_address is blank"):
        send(notices_file)
    _nothing_sent(notices_file)
