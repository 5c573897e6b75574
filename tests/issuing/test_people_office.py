"""An office's work on a server whose people sign in as themselves (issue 17), each on a
connection of their own, as the app does it: a clerk prepares and submits, a supervisor
approves, an administrator sets the mail settings, the mail room (a clerk) issues a
batch, prints and reprints a letter and saves a copy, and sends the email notices to a
real SMTP server. Every step is signed by whoever is connected, the grants let each do
their work and nothing more, and the history verifies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from billing_desk.domain.delivery import Delivery
from billing_desk.domain.workflow import Role, WorkflowRefused
from billing_desk.issuing import issue_batch, print_document, queue_notices, send_notices
from billing_desk.issuing.outbox import set_mail_settings
from billing_desk.issuing.service import export_copy
from billing_desk.store import open_store
from tests.backends import Raw
from tests.issuing.cases import draft_of
from tests.issuing.notice_cases import FROM, ISSUE_DATE
from tests.mail_server import start_mail_server
from tests.people import office  # noqa: F401 (the fixture)
from tests.staff import PASSWORD


@pytest.fixture
def mail_server():
    server = start_mail_server()
    yield server
    server.stop()


def test_a_day_of_an_office_whose_people_are_the_servers_login_roles(office, mail_server,
                                                                     tmp_path):
    clerk, boss, admin = office.login["clerk"], office.login["boss"], office.login["admin"]
    mail = f"mail{clerk}"
    with office.open("admin") as cf:
        cf.users.add(mail, "Morgan Mailroom", Role.CLERK, PASSWORD, actor=admin)
    office.login["mail"] = mail  # (dropped with the others)
    with office.open("admin") as cf:
        set_mail_settings(cf, {"mail.smtp_host": "127.0.0.1", "mail.smtp_port": mail_server.port,
                               "mail.security": "none", "mail.login": "",
                               "mail.from_address": FROM, "mail.reply_to": "",
                               "mail.rate_per_minute": 0, "mail.timeout_seconds": 5},
                          actor=admin)
    with office.open("clerk") as cf:
        ids = [cf.cases.create(draft_of(stem, number=f"900-{i:04d}-01",
                                        email=f"customer{i}@example.com",
                                        delivery=Delivery.EMAIL), actor=clerk).id
               for i, stem in enumerate(("18", "04"))]
        for case_id in ids:
            cf.workflow.submit(case_id, actor=clerk)
        with pytest.raises(WorkflowRefused):  # (the app's refusal first)
            cf.workflow.approve(ids[0], actor=clerk)
    with office.open("boss") as cf:
        for case_id in ids:
            cf.workflow.approve(case_id, actor=boss, acknowledge_divergence=True)

    with office.open("mail") as cf:
        report = issue_batch(cf, actor=mail, issue_date=ISSUE_DATE, workers=1)
        assert not report.refused and report.new_cases == 2, report.reconciliation()
        letter = next(d for d in cf.documents.list(ids[0]) if d.kind.value == "letter")
        printed: list[bytes] = []
        first = print_document(cf, letter.id, mail, lambda pdf: printed.append(pdf) or 1)
        again = print_document(cf, letter.id, mail, lambda pdf: printed.append(pdf) or 1)
        assert (first.copy, again.copy) == (False, True)
        export_copy(cf, letter.id, tmp_path / "letter-COPY.pdf", mail,
                    lambda data, path: path.write_bytes(data))
        assert [(c.purpose, c.created_by) for c in cf.documents.copies(letter.id)] == [
            ("reprint", mail), ("save", mail)]
        queue_notices(cf, actor=mail)
        sent = send_notices(cf, actor=mail, password=None)
        assert sent.sent == 2
    assert sorted(r.rcpt_tos[0] for r in mail_server.received) == [
        "customer0@example.com", "customer1@example.com"]

    with Raw(office.it) as it:  # every entry signed by who was connected
        signed = dict(it.execute(
            "SELECT action, string_agg(DISTINCT actor, ',') FROM audit WHERE action IN "
            "('submit', 'approve', 'issue', 'print', 'reprint', 'save', 'queue', 'send', "
            "'set_mail_settings') GROUP BY action").fetchall())
    assert signed["submit"] == clerk and signed["approve"] == boss
    assert signed["print"] == signed["reprint"] == signed["save"] == mail
    assert {signed.get("issue"), signed.get("send", mail)} == {mail}
    with office.open("sup") as cf:
        assert cf.verify().ok
        assert cf.users.get(mail).approval_limit is None
        assert cf.users.get(boss).approval_limit == Decimal("100000.00")


def test_a_person_who_is_not_signed_in_opens_nothing(office):
    with pytest.raises(Exception, match="password"):
        open_store(office.server.conninfo(office.dbname, user=office.login["clerk"]),
                   password="wrong password")
