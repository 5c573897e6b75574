"""``billing-desk verify``: is the file sound, is its history intact, does it match?

1. SQLite's own ``integrity_check``.
2. The audit chain, entry by entry: numbering without gaps, each entry's ``prev_hash``
   is the previous entry's hash, each hash recomputed from the entry's contents. The
   first entry that fails is reported (an edited, removed or reordered entry).
3. Every case replayed from its history equals the case as stored: a case edited behind
   the application's back (raw SQL on ``cases`` or ``periods``) is caught even though no
   audit entry was touched.
4. Attachment and document bytes still hash to the SHA-256 recorded for them.
5. Every issued document and every recorded determination is named, with its hash or
   fingerprint, by the audit entry that stored it (a document slipped into the file
   behind the application's back has none).

What a hash chain cannot show on its own is the removal of the newest entries together
with the changes they recorded; check 3 catches it when a case's stored state no longer
matches, but a copy of the last hash kept elsewhere is the only complete answer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from .audit import AUDIT_COLUMNS, DETAILS, GENESIS, HASHED, AuditEntry, entry_hash, replay
from .cases import fetch_record
from .connection import Connection, translated_errors


@dataclass(frozen=True, slots=True)
class VerifyReport:
    entries: int
    cases: int
    problem: str | None = None
    broken_entry: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        if self.ok:
            entries = f"{self.entries:,} entr{'y' if self.entries == 1 else 'ies'}"
            cases = {0: "there are no cases yet", 1: "the one case matches it"}.get(
                self.cases, f"all {self.cases:,} cases match it")
            return f"OK: the audit history of {entries} is intact and {cases}."
        return f"BROKEN: {self.problem}"


def _describe(e: AuditEntry) -> str:
    return f"({e.at:%Y-%m-%d %H:%M:%S} UTC, {e.action} by {e.actor})"


def verify(c: Connection) -> VerifyReport:
    with translated_errors(c.path):
        return _verify(c)


def _verify(c: Connection) -> VerifyReport:
    conn = c.conn
    problems = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
    if problems != ["ok"]:
        return VerifyReport(0, 0, "SQLite integrity check failed: " + "; ".join(problems))

    prev_hash, count = GENESIS, 0
    for row in conn.execute(f"SELECT {AUDIT_COLUMNS} FROM audit ORDER BY id"):
        fields = dict(zip(HASHED + ("hash",), row))
        count += 1
        entry_id = fields["id"]
        if entry_id != count:
            return VerifyReport(count, 0, f"audit entry {count} is missing (the next one is "
                                f"{entry_id}).", count)
        if fields["prev_hash"] != prev_hash:
            return VerifyReport(count, 0, f"audit entry {entry_id} does not follow entry "
                                f"{entry_id - 1}: the history was cut or reordered here.", entry_id)
        if entry_hash(fields) != fields["hash"]:
            return VerifyReport(count, 0, f"audit entry {entry_id} "
                                f"{_describe(AuditEntry.from_row(row))} was altered: its "
                                "contents no longer match its hash.", entry_id)
        prev_hash = fields["hash"]

    cases = 0
    state: dict | None = None
    last: tuple[int, int] | None = None  # (case id, id of its newest entry)

    def compare(case_id: int, newest_entry: int, replayed: dict) -> str | None:
        stored = fetch_record(conn, case_id).state()
        if stored == replayed:
            return None
        fields = sorted(k for k in stored.keys() | replayed.keys()
                        if stored.get(k) != replayed.get(k))
        return (f"case {stored['case_number']} does not match its history (audit entry "
                f"{newest_entry} and before): {', '.join(fields)} changed without an audit entry.")

    for case_id, entry_id, after in conn.execute(
            "SELECT case_id, id, after FROM audit WHERE case_id IS NOT NULL AND entity = 'case' "
            "ORDER BY case_id, id"):
        if last is not None and last[0] != case_id:
            cases += 1
            if (problem := compare(last[0], last[1], state or {})) is not None:
                return VerifyReport(count, cases, problem)
            state = None
        state = replay(state, json.loads(after))
        last = (case_id, entry_id)
    if last is not None:
        cases += 1
        if (problem := compare(last[0], last[1], state or {})) is not None:
            return VerifyReport(count, cases, problem)
    stored_cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    if stored_cases != cases:
        return VerifyReport(count, cases, f"{stored_cases - cases} case(s) have no history: "
                            "they were added without an audit entry.")

    for table, column, what in (("blobs", "data", "attachment"), ("documents", "pdf", "document")):
        for sha, data in conn.execute(f"SELECT sha256, {column} FROM {table}"):
            if hashlib.sha256(data).hexdigest() != sha:
                return VerifyReport(count, cases, f"the bytes of {what} {sha[:12]} were altered.")
    if (problem := _unrecorded(conn)) is not None:
        return VerifyReport(count, cases, problem)
    return VerifyReport(count, cases)


def _unrecorded(conn) -> str | None:
    """The first document or determination that no audit entry stored (check 5)."""
    documents: dict[int, str] = {}  # id -> sha256, as the history recorded them
    determinations: dict[int, str] = {}  # id -> fingerprint
    for entity, entity_id, after in conn.execute(
            "SELECT entity, entity_id, after FROM audit WHERE (action = 'issue' AND entity IN "
            "('case', 'document')) OR (action = 'determine' AND entity = 'determination')"):
        recorded = json.loads(after)
        if entity == "document":
            documents[int(entity_id)] = recorded["sha256"]
        elif entity == "determination":
            determinations[int(entity_id)] = recorded["fingerprint"]
        else:
            details = recorded.get(DETAILS, {})
            for d in details.get("documents", ()):
                documents[d["id"]] = d["sha256"]
            if details.get("determination", {}).get("recorded"):
                determinations[details["determination"]["id"]] = details["fingerprint"]
    for id_, case_number, kind, sha in conn.execute(
            "SELECT d.id, c.case_number, d.kind, d.sha256 FROM documents d JOIN cases c ON "
            "c.id = d.case_id ORDER BY d.id"):
        if documents.get(id_) != sha:
            return (f"document #{id_} ({kind} of case {case_number}, {sha[:12]}) was not "
                    "stored by an issue in the history: it was added behind the "
                    "application's back.")
    for id_, case_number, fingerprint in conn.execute(
            "SELECT d.id, c.case_number, d.fingerprint FROM determinations d JOIN cases c ON "
            "c.id = d.case_id ORDER BY d.id"):
        if determinations.get(id_) != fingerprint:
            return (f"determination #{id_} of case {case_number} ({fingerprint[:12]}) has no "
                    "audit entry: it was added behind the application's back.")
    return None
