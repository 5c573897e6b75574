"""The facts of an issued case, kept with its issue, for the reports.

When a case is issued (:mod:`.issues`) its facts -- computed by
:func:`billing_desk.domain.report_facts.issue_facts` from exactly the determination its
documents were issued with -- are written in the same transaction, under the issue's
audit entry (which names that determination by fingerprint): one ``issue_facts`` row;
in ``adjusted_bills``, each bill the case adjusted that no earlier issue adjusted; and
its figures added to the sums of its month, service and outcome (``issue_sums``) and its
days from discovery to issue to the counts of its month (``issue_days``). So a report
reads a few thousand rows of sums, however many cases and periods the file
holds. Facts are never changed or deleted (triggers): an issued case is never issued
again.

The SQL is plain (``INSERT ... ON CONFLICT ... DO NOTHING / DO UPDATE`` is in SQLite and
PostgreSQL alike; the bills first adjusted are counted by the ``rowcount`` of the
inserts); a server backend's issue calls :func:`record_issue_facts` the same way.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any, Mapping, Sequence

from ..domain.report_facts import KEPT_FIELDS, READINGS, IssueFacts, issue_facts
from .connection import Transaction
from .records import CaseRecord

FACT_COLUMNS = (
    ("case_id", "fingerprint", "issued_on", "issued_year", "issued_month", "service", "outcome",
     "reading", "days_to_issue", "affected_bills", "new_bills", "refund_cents", "back_bill_cents")
    + tuple(f"{k}_cents" for k in KEPT_FIELDS) + ("readings_differ", "readings_spread_cents")
    + tuple(f"{r}_{what}_cents" for r in READINGS for what in ("refund", "back_bill")))
_INSERT_FACTS = (f"INSERT INTO issue_facts ({', '.join(FACT_COLUMNS)}) "
                 f"VALUES ({', '.join('?' * len(FACT_COLUMNS))})")
_INSERT_BILL = ("INSERT INTO adjusted_bills (account_number, service, start_date, end_date, "
                "case_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")

#: the key of ``issue_sums``, and its sums in order
SUM_KEY = ("issued_year", "issued_month", "service", "outcome")
_DIFFER = tuple(f"differ_{r}_{what}_cents" for r in READINGS for what in ("refund", "back_bill"))
SUM_COLUMNS = (("cases", "new_bills", "refund_cents", "back_bill_cents")
               + tuple(f"{k}_cents" for k in KEPT_FIELDS)
               + ("differ_cases", "differ_refund_cents", "differ_back_bill_cents") + _DIFFER)
#: the same sums computed from ``issue_facts`` rows (for a month cut by the dates chosen)
FACT_SUMS = (("count(*)", "sum(new_bills)", "sum(refund_cents)", "sum(back_bill_cents)")
             + tuple(f"sum({k}_cents)" for k in KEPT_FIELDS)
             + ("sum(readings_differ)",)
             + tuple(f"sum(CASE WHEN readings_differ = 1 THEN {c} ELSE 0 END)"
                     for c in ("refund_cents", "back_bill_cents")
                     + tuple(f"{r}_{what}_cents" for r in READINGS
                             for what in ("refund", "back_bill"))))
_ADD_TO_DAYS = ("INSERT INTO issue_days (issued_year, issued_month, days_to_issue, cases) "
                "VALUES (?, ?, ?, 1) ON CONFLICT (issued_year, issued_month, days_to_issue) "
                "DO UPDATE SET cases = issue_days.cases + 1")
_ADD_TO_SUMS = (
    f"INSERT INTO issue_sums ({', '.join(SUM_KEY + SUM_COLUMNS)}) "
    f"VALUES ({', '.join('?' * (len(SUM_KEY) + len(SUM_COLUMNS)))}) "
    f"ON CONFLICT ({', '.join(SUM_KEY)}) DO UPDATE SET "
    + ", ".join(f"{c} = issue_sums.{c} + excluded.{c}" for c in SUM_COLUMNS))


def issued_on_of(rendered_from: Mapping[str, Any], fallback: date) -> date:
    """The issue date: the date the documents carry (``rendered_from["issue_date"]``,
    recorded by every issue), else ``fallback`` (the day the issue was stored)."""
    text = rendered_from.get("issue_date")
    return date.fromisoformat(text) if isinstance(text, str) else fallback


def write_facts(conn: sqlite3.Connection, case_id: int, fingerprint: str,
                facts: IssueFacts) -> int:
    """Write one issued case's facts; returns how many of its bills no earlier issue
    had adjusted (the bills it counts for)."""
    new_bills = 0
    if facts.bills:  # (a bill adjusted before is not inserted, and not counted)
        new_bills = conn.executemany(_INSERT_BILL, [
            (b.account_number, b.service, b.start.isoformat(), b.end.isoformat(), case_id)
            for b in facts.bills]).rowcount
    kept = facts.kept
    conn.execute(_INSERT_FACTS, (
        case_id, fingerprint, facts.issued_on.isoformat(), facts.issued_on.year,
        facts.issued_on.month, facts.service, facts.outcome, facts.reading,
        facts.days_to_issue, len(facts.bills), new_bills, facts.refund, facts.back_bill,
        *(getattr(kept, k) for k in KEPT_FIELDS), int(facts.readings_differ),
        facts.readings_spread,
        *(value for r in READINGS for value in facts.by_reading[r])))
    differ = facts.readings_differ
    conn.execute(_ADD_TO_SUMS, (
        facts.issued_on.year, facts.issued_on.month, facts.service, facts.outcome,
        1, new_bills, facts.refund, facts.back_bill, *(getattr(kept, k) for k in KEPT_FIELDS),
        int(differ), facts.refund if differ else 0, facts.back_bill if differ else 0,
        *(value if differ else 0 for r in READINGS for value in facts.by_reading[r])))
    conn.execute(_ADD_TO_DAYS, (facts.issued_on.year, facts.issued_on.month, facts.days_to_issue))
    return new_bills


def record_issue_facts(tx: Transaction, case: CaseRecord, fingerprint: str,
                       determination: Mapping[str, Any], issued_on: date) -> int:
    """Keep the facts of ``case`` issued on ``issued_on`` with ``determination`` (the
    determination@1 JSON values its documents were checked against), inside the issue's
    transaction. Returns the number of bills it adjusted first."""
    draft = case.draft
    facts = issue_facts(determination, account_number=draft.account.number,
                        service=draft.service.value, discovered_on=draft.discovered_on,
                        periods=[(p.start, p.end) for p in draft.periods], issued_on=issued_on)
    return write_facts(tx.conn, case.id, fingerprint, facts)


def _periods(conn: sqlite3.Connection, case_id: int) -> Sequence[tuple[date, date]]:
    return [(date.fromisoformat(s), date.fromisoformat(e)) for s, e in conn.execute(
        "SELECT start_date, end_date FROM periods WHERE case_id = ? ORDER BY position",
        (case_id,))]


def backfill_v6(conn: sqlite3.Connection) -> int:
    """Schema version 6: the facts of the cases issued before it, in the order of their
    issue entries. Reads only what version 5 holds (its own SQL: a later version's
    columns do not exist yet when this runs). Returns the cases filled in."""
    issued = []
    for (case_id,) in conn.execute("SELECT DISTINCT case_id FROM documents").fetchall():
        entry = conn.execute(
            "SELECT id, at, after FROM audit WHERE case_id = ? AND entity = 'case' AND "
            "action = 'issue' ORDER BY id DESC LIMIT 1", (case_id,)).fetchone()
        fingerprint = conn.execute(
            "SELECT fingerprint FROM documents WHERE case_id = ? ORDER BY id LIMIT 1",
            (case_id,)).fetchone()[0]
        if entry is None:  # documents stored without an issue (through the API): no issue
            continue
        entry_id, at, after = entry
        details = json.loads(after).get("details", {})
        issued_on = issued_on_of(details.get("rendered_from", {}), date.fromisoformat(at[:10]))
        issued.append((entry_id, case_id, fingerprint, issued_on))
    for _, case_id, fingerprint, issued_on in sorted(issued):
        snapshot = conn.execute("SELECT snapshot FROM determinations WHERE case_id = ? AND "
                                "fingerprint = ?", (case_id, fingerprint)).fetchone()
        case = conn.execute("SELECT account_number, service, discovered_on FROM cases "
                            "WHERE id = ?", (case_id,)).fetchone()
        if snapshot is None or case[1] is None or case[2] is None:
            continue  # (not an issue a released version could make)
        facts = issue_facts(json.loads(snapshot[0]), account_number=case[0], service=case[1],
                            discovered_on=date.fromisoformat(case[2]),
                            periods=_periods(conn, case_id), issued_on=issued_on)
        write_facts(conn, case_id, fingerprint, facts)
    return len(issued)
