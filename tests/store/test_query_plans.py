"""What a clerk, a supervisor and the mail room do reads the history through its indexes,
never the whole of it: on a file of a million cases, with well over a million history
entries, one statement that scans ``audit`` costs a second or more (an approval took 1.2
s while the approver's account history was looked up that way; issue 22 point 4).

Every statement SQLite runs for a day's actions is traced and its query plan read: a
full scan of a large table fails the test, naming the statement. (The server is held to
the same SQL: its partial indexes need the same predicates.)"""

from __future__ import annotations

import re
import sqlite3
from datetime import date

import pytest

from billing_desk.issuing import issue_documents
from billing_desk.store import create_case_file
from billing_desk.store.users import person_of
from tests.issuing.cases import CLERK, MAIL_ROOM, SUPERVISOR, approved_case, draft_of
from tests.store.conftest import StepClock

LARGE = ("audit", "cases", "periods", "documents", "document_copies", "determinations",
         "attachments")
FULL_SCAN = re.compile(rf"^SCAN ({'|'.join(LARGE)})$")
#: the newest entry, read backwards along the rowid: one row, whatever the size
NEWEST = re.compile(r"ORDER BY id DESC LIMIT 1\s*$", re.IGNORECASE)


class Plans:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn, self.statements = conn, []

    def __enter__(self) -> Plans:
        self.conn.set_trace_callback(self.statements.append)
        return self

    def __exit__(self, *exc) -> None:
        self.conn.set_trace_callback(None)

    def full_scans(self) -> list[tuple[str, str]]:
        found = []
        for statement in dict.fromkeys(self.statements):
            text = statement.strip()
            if not re.match(r"(?is)^(select|with|update|delete|insert)\b", text) or NEWEST.search(text):
                continue
            for row in self.conn.execute("EXPLAIN QUERY PLAN " + text).fetchall():
                if FULL_SCAN.match(row[3]):
                    found.append((row[3], text))
        return found


@pytest.fixture
def office(tmp_path):
    cf = create_case_file(tmp_path / "office.bdesk", clock=StepClock())
    approved_case(cf)  # the office of tests/issuing/cases.py, and one case through it all
    yield cf
    cf.close()


def test_a_days_work_never_reads_the_whole_history(office):
    cf = office
    with Plans(cf._c._conn) as plans:
        record = cf.cases.create(draft_of("23"), actor=CLERK)
        record = cf.cases.save(record.id, record.draft, expected_revision=record.revision,
                               actor=CLERK)
        cf.cases.load(record.id)
        cf.cases.history(record.id)
        cf.workflow.submit(record.id, actor=CLERK)
        approved = cf.workflow.approve(record.id, actor=SUPERVISOR, acknowledge_divergence=True)
        issue = issue_documents(cf, approved.id, actor=MAIL_ROOM, issue_date=date.today())
        ids = [d.id for d in issue.documents]
        cf.mail_runs.handed_out(ids)
        cf.documents.uses(ids[0])
        cf.mail_runs.unfinished(), cf.mail_runs.mailed(ids)
        cf.queue.submitted(), cf.queue.count_submitted(), cf.queue.returned_to(CLERK)
        cf.outbox.wanted(), cf.outbox.counts()
        cf.listing.changed_since(0), cf.listing.search("Peña"), cf.listing.page()
        person_of(cf._c, SUPERVISOR)
    assert len(plans.statements) > 50  # (the trace saw the work)
    assert plans.full_scans() == []
