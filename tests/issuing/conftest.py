"""Fixtures for the email notices: a template case file of issued letters (made once per
worker, copied for each test) and a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import shutil

import pytest

from billing_desk.domain.delivery import Delivery
from billing_desk.store import create_case_file, open_case_file
from tests.mail_server import start_mail_server


@pytest.fixture(scope="session")
def notices_template(tmp_path_factory):
    """Six issued cases: customers 0-3 chose email, 4 paper and email, 5 paper only."""
    path = tmp_path_factory.mktemp("notices") / "template.bdesk"

    def fill(cf):
        from tests.issuing.notice_cases import add_issued_cases

        add_issued_cases(cf, 4, workers=1)
        add_issued_cases(cf, 1, start=4, workers=1, delivery=Delivery.BOTH)
        add_issued_cases(cf, 1, start=5, workers=1, delivery=Delivery.PAPER)

    create_case_file(path, fill=fill).close()
    return path


@pytest.fixture
def notices_file(notices_template, tmp_path):
    """A copy of the template: six issued cases (four by email, one both, one paper)."""
    path = tmp_path / "office.bdesk"
    shutil.copy(notices_template, path)
    cf = open_case_file(path)
    yield cf
    cf.close()


@pytest.fixture
def mail_server():
    server = start_mail_server()
    yield server
    server.stop()

