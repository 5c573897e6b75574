"""``billing-desk outbox``: settings changed together (a bad one changes nothing), send
against a real SMTP server (exit 0, then 30 when a notice needs a person, 29 when the
server cannot be used), list by state, mark and retry by a person -- on a case file and
on a server."""

from __future__ import annotations

import pytest

from billing_desk.cli import main
from billing_desk.cli.signin import PASSWORD_ENV
from billing_desk.store import open_store
from tests.issuing.conftest import notices_template  # noqa: F401 (fixture)
from tests.issuing.notice_cases import FROM, email_of, office_from_template
from tests.mail_server import Behaviour, free_port, start_mail_server
from tests.staff import PASSWORD

AS = ["--as", "mailroom"]


@pytest.fixture(autouse=True)
def mail_room_password(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


@pytest.fixture
def office(notices_template, tmp_path, backend, store_target):
    """The six issued cases of the notices' template, on each backend."""
    return office_from_template(notices_template, tmp_path, backend, store_target)


#: the office's settings, the mail server's among them, are an administrator's
ADMIN = ["--as", "admin"]


def settings(office, port, *extra):
    return main(["outbox", "settings", office, "--host", "127.0.0.1", "--port", str(port),
                 "--security", "none", "--from", FROM, "--rate", "0", "--timeout", "3",
                 *extra, *ADMIN])


def test_settings_are_shown_and_a_bad_one_changes_nothing(office, capsys):
    assert settings(office, 2525) == 0
    out = capsys.readouterr().out
    assert "mail.smtp_port = 2525" in out and "password is not kept" in out
    assert main(["outbox", "settings", office, "--host", "mail.example.org", "--port", "99999",
                 *ADMIN]) == 2
    assert "mail.smtp_port must be at most 65535; nothing was changed" in capsys.readouterr().err
    # the mail room sends, an administrator sets the server up
    assert main(["outbox", "settings", office, "--host", "mail.example.org", *AS]) == 15
    assert "administrator" in capsys.readouterr().err
    with open_store(office) as cf:
        assert cf.settings.get("mail.smtp_host") == "127.0.0.1"


def test_send_list_mark_and_retry(office, capsys):
    server = start_mail_server(behaviour=Behaviour(
        rcpt_reply=lambda address, attempt: "550 5.1.1 No such user"
        if address == email_of(2) else None,
        data_delay=lambda address, attempt: 8.0 if address == email_of(0) and attempt == 1 else 0))
    try:
        assert settings(office, server.port) == 0
        capsys.readouterr()
        assert main(["outbox", "send", office, *AS]) == 30
        out = capsys.readouterr().out
        assert "5 queued now; 3 sent" in out and "1 failed" in out and "1 uncertain" in out
        assert "2 notice(s) need a person" in out
        assert main(["outbox", "list", office, "--state", "uncertain"]) == 0
        listed = capsys.readouterr().out
        assert email_of(0) in listed and email_of(1) not in listed
        assert main(["outbox", "retry", office, "BD-000001", *AS]) == 15  # uncertain: refused
        assert "Only a failed notice can be retried" in capsys.readouterr().err
        assert main(["outbox", "mark", office, "BD-000001", "--resend-copy", "--note",
                     "customer called", *AS]) == 0
        assert "will be sent as a copy" in capsys.readouterr().out
        assert main(["outbox", "mark", office, "BD-000003", "--sent", *AS]) == 15
        capsys.readouterr()
        assert main(["outbox", "send", office, *AS]) == 30  # the 550 still needs a person
        assert "1 sent" in capsys.readouterr().out
        assert [r.rcpt_tos[0] for r in server.received].count(email_of(0)) == 2
        assert main(["outbox", "retry", office, "BD-000003", *AS]) == 0
        assert main(["outbox", "send", office, *AS]) == 30
        assert server.handler.rcpt_attempts[email_of(2)] == 2
    finally:
        server.stop()


def test_a_server_that_cannot_be_used_exits_25_and_sends_nothing(office, capsys):
    assert settings(office, free_port()) == 0
    capsys.readouterr()
    assert main(["outbox", "send", office, *AS]) == 29
    assert "connection refused" in capsys.readouterr().err
    with open_store(office) as cf:
        assert cf.outbox.count() == 0


def test_a_login_needs_the_password_from_the_environment(office, capsys, monkeypatch,
                                                        tmp_path):
    server = start_mail_server(tls="tls", login="mailroom", password="s3cret")
    try:
        assert main(["outbox", "settings", office, "--host", "127.0.0.1", "--port",
                     str(server.port), "--security", "tls", "--login", "mailroom", "--from",
                     FROM, "--rate", "0", *ADMIN]) == 0
        pem = tmp_path / "ca.pem"
        server.ca.cert_pem.write_to_path(pem)
        monkeypatch.setenv("SSL_CERT_FILE", str(pem))
        monkeypatch.setenv("BILLING_DESK_SMTP_PASSWORD", "wrong")
        capsys.readouterr()
        assert main(["outbox", "send", office, *AS]) == 29
        assert "refused the login 'mailroom'" in capsys.readouterr().err
        monkeypatch.setenv("BILLING_DESK_SMTP_PASSWORD", "s3cret")
        assert main(["outbox", "send", office, *AS]) == 0
        assert len(server.received) == 5
        with open_store(office) as cf:
            assert "s3cret" not in repr(cf._c.rows("SELECT * FROM settings", ()))
    finally:
        server.stop()
