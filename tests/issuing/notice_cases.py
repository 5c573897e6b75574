"""Case files with issued letters whose customers want email, and the mail settings for a
test server -- for the outbox tests, the kill test and bench/notices.py.

Every customer is told apart by numbers in their account, name, street and address, so a
received message can be checked for any other customer's data by pattern."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from billing_desk.domain.delivery import Delivery
from billing_desk.issuing import issue_batch
from billing_desk.issuing.outbox import set_mail_settings
from billing_desk.store import CaseFile, NewCase
from tests.issuing.cases import CLERK, MAIL_ROOM, approve, draft_of, ensure_office

ISSUE_DATE = date(2026, 3, 4)
FROM = "billing@utilities.example"
#: worked cases whose issue is the letter alone (nothing credited or billed: no memo), in
#: turn, so that a thousand issue quickly; one in five is a credit with its memo
STEMS = ("04", "05", "19", "02", "01")


def account_of(i: int) -> str:
    return f"700-{i:05d}-01"


def name_of(i: int) -> str:
    return f"Customer Número {i:05d}"


def street_of(i: int) -> str:
    return f"{1000 + i} Elm Street {i:05d}, Fort Collins, CO 80524"


def email_of(i: int) -> str:
    return f"customer{i:05d}@example.com"


ACCOUNT = re.compile(r"700-\d{5}-01")
NAME = re.compile(r"Número \d{5}")
STREET = re.compile(r"Elm Street \d{5}")


def identities_in(text: str) -> set[str]:
    """Every customer number whose account, name or address appears in ``text``."""
    found = {m.group(0)[4:9] for m in ACCOUNT.finditer(text)}
    found |= {m.group(0)[-5:] for m in NAME.finditer(text)}
    found |= {m.group(0)[-5:] for m in STREET.finditer(text)}
    return found


def add_issued_cases(cf: CaseFile, count: int, *, start: int = 0, workers: int = 2,
                     delivery: Delivery = Delivery.EMAIL, email=email_of) -> list[str]:
    """``count`` cases approved and issued, customers ``start`` .. ``start+count-1``."""
    ensure_office(cf)
    numbers = cf.cases.create_many(
        [NewCase(draft_of(STEMS[i % len(STEMS)], number=account_of(i), customer_name=name_of(i),
                          service_address=street_of(i), mailing_address=street_of(i),
                          email=email(i), delivery=delivery), prepared_by=CLERK)
         for i in range(start, start + count)], actor=CLERK)
    for number in numbers:
        approve(cf, cf.cases.find(number).id)
    report = issue_batch(cf, actor=MAIL_ROOM, issue_date=ISSUE_DATE, workers=workers)
    assert not report.refused and not report.stopped, report.reconciliation()
    return numbers


def issued_file(path, count: int, **kw):
    """A new store with ``count`` issued cases: a case file at ``path`` (made with syncing
    off, as a demo file is: it appears only when complete), or an empty database on the
    server given by its connection string."""
    from billing_desk.store import create_store

    create_store(path, fill=lambda cf: add_issued_cases(cf, count, **kw)).close()
    return path


def point_at(cf: CaseFile, port: int, *, security: str = "none", login: str = "",
             host: str = "127.0.0.1", rate: int = 0, timeout: int = 5) -> None:
    set_mail_settings(cf, {"mail.smtp_host": host, "mail.smtp_port": port,
                           "mail.security": security, "mail.login": login,
                           "mail.from_address": FROM, "mail.reply_to": "",
                           "mail.rate_per_minute": rate, "mail.timeout_seconds": timeout},
                      actor="admin")


def office_from_template(template: Path, tmp_path: Path, backend: str, target) -> str:
    """The notices' template office for a test of each backend: a copy of the file, or
    the same office copied to the empty database ``target`` on the server."""
    import shutil

    from billing_desk.store import copy_store, open_case_file

    path = tmp_path / "office.bdesk"
    shutil.copy(template, path)
    if backend == "file":
        return str(path)
    with open_case_file(path) as cf:
        copy_store(cf, target)[0].close()
    return str(target)
