"""``billing-desk verify``: is the file sound, is its history intact, does it match?

1. The database's own check of its storage (SQLite's ``integrity_check``; on a server,
   that the audit chain's head row names its newest entry).
2. The audit chain, entry by entry: numbering without gaps, each entry's ``prev_hash``
   is the previous entry's hash, each hash recomputed from the entry's contents. The
   first entry that fails is reported (an edited, removed or reordered entry).
3. Every case replayed from its history equals the case as stored: a case edited behind
   the application's back (raw SQL on ``cases`` or ``periods``) is caught even though no
   audit entry was touched. Every submission and approval names a determination
   snapshot that the file holds.
4. Every user replayed from their history equals the user as stored (a role or an
   approval limit raised with raw SQL is caught). Password hashes are not in the
   history, so they are not covered.
5. Attachment, document and copy bytes still hash to the SHA-256 recorded for them.
6. Every issued document, every copy of one (a reprint, a saved copy) and every
   recorded determination is named, with its hash or fingerprint, by the audit entry
   that stored it (a document slipped into the file behind the application's back has
   none).
7. The settings replayed from their history equal the settings stored (a telephone
   number written into the settings table is caught; nothing is issued with it).
8. Every incident is what its history recorded: its own fields, the cases it was
   created with, each review's seed, listing and sample, each approval's totals, and
   the figures kept for its cases (``store.incidents.verify_incidents``).

``verify_case`` checks one case's entries only (their hashes, their links to the
entries before and after them, and the case against them): cheap enough to run each
time the history view shows a case.

What a hash chain cannot show on its own is the removal of the newest entries together
with the changes they recorded, or a history rewritten with every hash recomputed; check
3 catches the first when a case's stored state no longer matches, but a copy of a hash
kept elsewhere is the only complete answer. So the report names the head (the newest
entry and its hash) to be written down, issued memos and batch manifests carry it, and
``billing-desk verify FILE --expect N:HASH`` compares a head written down earlier with
entry N as the file holds it now.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ..domain.history import HistoryHead
from .audit import AUDIT_COLUMNS, DETAILS, GENESIS, HASHED, AuditEntry, entry_hash, replay
from .caserows import fetch_record
from .connection import Connection
from .users import find_user


@dataclass(frozen=True, slots=True)
class VerifyReport:
    entries: int
    cases: int
    problem: str | None = None
    broken_entry: int | None = None
    #: the newest entry and its hash, once the whole chain checked out (to write down
    #: and compare later: see domain/history.py)
    head: HistoryHead | None = None
    #: the first entry signed by its maker (check 9); every one after it is signed too.
    #: None: the history is not signed (a file made before signing, or without users)
    signed_from: int | None = None

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

    def signing_summary(self) -> str:
        """What the signatures say, for a good report."""
        if self.signed_from is None:
            return ("Not signed: no entry carries its maker's signature (a file made before "
                    "Billing Desk signed its history, or one without users).")
        if self.signed_from == 1:
            return "Every entry is signed by the person who made it, and every signature holds."
        return (f"Signed by the people who made them from entry #{self.signed_from} on (the "
                "entries before it were made before Billing Desk signed its history); every "
                "signature holds.")


def _describe(e: AuditEntry) -> str:
    return f"({e.at:%Y-%m-%d %H:%M:%S} UTC, {e.action} by {e.actor})"


def verify(c: Connection) -> VerifyReport:
    from dataclasses import replace as _replace

    with c.translated(), c.snapshot():  # the whole store as of one moment
        report = _verify(c)
        if not report.ok:
            return report
        problem, entry, signed_from = signature_problem(c)
        if problem is not None:
            return _replace(report, problem=problem, broken_entry=entry, head=None)
        return _replace(report, signed_from=signed_from)


#: entries nobody signs: a failed sign-in is recorded before anyone is signed in
UNSIGNED_ACTIONS = frozenset({"sign_in_failed"})
#: what a user's own signature may do to their own record
OWN_USER_ACTIONS = frozenset({"enrol_key", "set_password"})


def signature_problem(c) -> tuple[str | None, int | None, int | None]:
    """Check 9 (store/signing.py): every entry from the first one that gave someone a key
    on is signed by its maker, with the key the history had given them by then, and each
    signature holds; a change to a user is signed by an administrator (their own password
    and first key by themselves; the file's first user by their own new key); an approval
    by someone with approval authority then. Returns (problem, entry, first signed entry)."""
    from .signing import signature_holds

    keys: dict[str, str] = {}  # login (folded) -> their public key, as of this entry
    users: dict[str, dict] = {}  # login (folded) -> their record, as of this entry
    signed_from: int | None = None
    for (entry_id, at, actor, action, entity, entity_id, after, entry_hash_, signed_by,
         signature) in c.execute(
            "SELECT id, at, actor, action, entity, entity_id, after, hash, signed_by, "
            "signature FROM audit ORDER BY id"):
        state = json.loads(after) if after else None
        target = entity_id.casefold() if entity == "user" else None
        introduces = state is not None and target is not None and "public_key" in state
        what = f"entry #{entry_id} ({at}, {action} by {actor})"
        if signed_from is None and introduces:
            signed_from = entry_id
        if signature is None:
            if signed_from is not None and action not in UNSIGNED_ACTIONS:
                return (f"{what} is not signed, though every entry since #{signed_from} is: "
                        "it was written behind the application's back.", entry_id, signed_from)
        else:
            signer = (signed_by or "").casefold()
            key = keys.get(signer)
            if introduces and target == signer and (
                    (action == "add" and not users)  # the file's first user
                    or (action == "enrol_key" and signer in users and signer not in keys)):
                key = state["public_key"]  # (a key vouched for by itself, once)
            if key is None:
                return (f"{what} is signed by {signed_by}, who had no signing key then: it "
                        "was written behind the application's back.", entry_id, signed_from)
            if not signature_holds(key, entry_hash_, signature):
                return (f"{what} does not carry {signed_by}'s signature: it was changed or "
                        f"written by someone without {signed_by}'s password.", entry_id,
                        signed_from)
            if signer != actor.casefold() and not (entity == "case" and action == "create"):
                return (f"{what} is in {actor}'s name but signed by {signed_by}.", entry_id,
                        signed_from)
            by = users.get(signer, {})
            if target is not None and users and not (
                    target == signer and action in OWN_USER_ACTIONS) and not (
                    by.get("role") == "administrator" and by.get("active", False)):
                return (f"{what} changes the user {entity_id}, but {signed_by} was not an "
                        "active administrator then.", entry_id, signed_from)
            if entity == "case" and action == "approve" and not (
                    by.get("role") in ("supervisor", "administrator") and by.get("active")
                    and by.get("approval_limit") is not None):
                return (f"{what} approves a case, but {signed_by} had no approval authority "
                        "then.", entry_id, signed_from)
        if target is not None and state is not None:
            users[target] = replay(users.get(target), state)
            if "public_key" in state:
                keys[target] = state["public_key"]
    return None, None, signed_from


def _verify(c: Connection) -> VerifyReport:
    conn = c
    problems = c.integrity_problems()
    if problems:
        return VerifyReport(0, 0, "; ".join(problems))

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
    for case_id, newest, replayed in _replayed(conn, "case_id",
                                               "entity = 'case' AND case_id IS NOT NULL"):
        cases += 1
        problem = _case_problem(conn, fetch_record(conn, case_id), newest, replayed)
        if problem is not None:
            return VerifyReport(count, cases, problem)
    stored_cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    if stored_cases != cases:
        return VerifyReport(count, cases, f"{stored_cases - cases} case(s) have no history: "
                            "they were added without an audit entry.")

    users = 0
    for login, newest, replayed in _replayed(conn, "entity_id", "entity = 'user'"):
        users += 1
        stored_user = find_user(conn, login)
        if stored_user is None or stored_user.state() != replayed:
            return VerifyReport(count, cases, f"user {login} does not match their history "
                                f"(audit entry {newest} and before): the account was changed "
                                "without an audit entry.")
    if conn.execute("SELECT count(*) FROM users").fetchone()[0] != users:
        return VerifyReport(count, cases, "a user was added without an audit entry.")

    for table, column, what in (("blobs", "data", "attachment"), ("documents", "pdf", "document"),
                                ("document_copies", "pdf", "copy of a document")):
        for sha, data in conn.execute(f"SELECT sha256, {column} FROM {table}"):
            if hashlib.sha256(data).hexdigest() != sha:
                return VerifyReport(count, cases, f"the bytes of {what} {sha[:12]} were altered.")
    if (problem := _unrecorded(conn)) is not None:
        return VerifyReport(count, cases, problem)
    if (problem := settings_problem(conn)) is not None:
        return VerifyReport(count, cases, problem)
    from .incidents import verify_incidents  # (check 8: see store/incidents.py)

    if (problem := verify_incidents(conn)) is not None:
        return VerifyReport(count, cases, problem)
    return VerifyReport(count, cases, head=HistoryHead(count, prev_hash) if count else None)


def _replayed(conn, key: str, where: str):
    """(key, newest entry id, replayed state) for each entity the matching entries are
    about, in key order. Entries without an ``after`` (a password change) change no state."""
    current, state, newest = None, None, 0
    for k, entry_id, after in conn.execute(
            f"SELECT {key}, id, after FROM audit WHERE {where} AND after IS NOT NULL "
            f"ORDER BY {key}, id"):
        if current is not None and k != current:
            yield current, newest, state or {}
            state = None
        current, newest = k, entry_id
        state = replay(state, json.loads(after))
    if current is not None:
        yield current, newest, state or {}


def _case_problem(conn, stored, newest_entry: int, replayed: dict) -> str | None:
    """Why the stored case does not match its replayed history, or None."""
    state = stored.state()
    if state != replayed:
        fields = _differing(state, replayed)
        return (f"case {stored.case_number} does not match its history (audit entry "
                f"{newest_entry} and before): {', '.join(fields)} changed without an audit entry.")
    for what, signature in (("submission", stored.submitted), ("approval", stored.approved)):
        if signature is not None and conn.execute(
                "SELECT 1 FROM determinations WHERE case_id = ? AND fingerprint = ?",
                (stored.id, signature.fingerprint)).fetchone() is None:
            return (f"the {what} of case {stored.case_number} names determination "
                    f"{signature.fingerprint[:12]}, which the file does not hold.")
    return None


def _differing(a, b, prefix: str = "") -> list[str]:
    """The paths of the fields that differ between two states (``account.customer_name``,
    ``periods[3].billed``, ``approved.fingerprint``)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for k in sorted(a.keys() | b.keys()):
            if a.get(k) != b.get(k):
                out += _differing(a.get(k), b.get(k), f"{prefix}.{k}" if prefix else k)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [p for i, (x, y) in enumerate(zip(a, b)) if x != y
                for p in _differing(x, y, f"{prefix}[{i}]")]
    return [prefix]


def verify_case(c: Connection, case_id: int) -> VerifyReport:
    """One case's history: each of its entries hashes to itself and is linked to the
    entries on either side of it in the file's chain, and the case matches it."""
    with c.translated(), c.snapshot():
        return case_report(c, case_id)


def case_report(conn, case_id: int) -> VerifyReport:
    """:func:`verify_case` on a raw connection (also inside a transaction: the store
    asks it again as it stores an issue)."""
    stored = fetch_record(conn, case_id)
    rows = conn.execute(f"SELECT {AUDIT_COLUMNS} FROM audit WHERE case_id = ? ORDER BY id",
                        (case_id,)).fetchall()
    state: dict = {}
    for row in rows:
        fields = dict(zip(HASHED + ("hash",), row))
        entry = AuditEntry.from_row(row)
        if entry_hash(fields) != fields["hash"]:
            return VerifyReport(len(rows), 1, f"audit entry {entry.id} {_describe(entry)} was "
                                "altered: its contents no longer match its hash.", entry.id)
        before = conn.execute("SELECT hash FROM audit WHERE id = ?", (entry.id - 1,)).fetchone()
        after = conn.execute("SELECT prev_hash FROM audit WHERE id = ?", (entry.id + 1,)).fetchone()
        if (before[0] if before else GENESIS) != entry.prev_hash or (
                after is not None and after[0] != entry.hash):
            return VerifyReport(len(rows), 1, f"audit entry {entry.id} is not linked to the "
                                "entries beside it: the history was cut or reordered here.",
                                entry.id)
        if entry.entity == "case" and entry.after is not None:
            state = replay(state, entry.after)
    return VerifyReport(len(rows), 1, _case_problem(conn, stored, rows[-1][0] if rows else 0,
                                                    state))


def _unrecorded(conn) -> str | None:
    """The first document, copy or determination that no audit entry stored (check 6). A
    determination is recorded by its own entry (``determine``), by a submission (which
    keeps the snapshot it names) or by an issue."""
    documents: dict[int, str] = {}  # id -> sha256, as the history recorded them
    determinations: set[tuple[int, str]] = set()  # (case id, fingerprint)
    for entity, entity_id, case_id, action, after in conn.execute(
            "SELECT entity, entity_id, case_id, action, after FROM audit WHERE (action IN ('issue', "
            "'submit') AND entity IN ('case', 'document')) OR (action = 'determine' AND "
            "entity = 'determination')"):
        recorded = json.loads(after)
        if entity == "document":
            documents[int(entity_id)] = recorded["sha256"]
        elif entity == "determination":
            determinations.add((case_id, recorded["fingerprint"]))
        elif action == "submit":
            if "submitted" in recorded:
                determinations.add((case_id, recorded["submitted"]["fingerprint"]))
        else:
            details = recorded.get(DETAILS, {})
            for d in details.get("documents", ()):
                documents[d["id"]] = d["sha256"]
            if details.get("determination", {}).get("recorded"):
                determinations.add((case_id, details["fingerprint"]))
    for id_, case_number, kind, sha in conn.execute(
            "SELECT d.id, c.case_number, d.kind, d.sha256 FROM documents d JOIN cases c ON "
            "c.id = d.case_id ORDER BY d.id"):
        if documents.get(id_) != sha:
            return (f"document #{id_} ({kind} of case {case_number}, {sha[:12]}) was not "
                    "stored by an issue in the history: it was added behind the "
                    "application's back.")
    copies = {(int(entity_id), recorded["copy_id"], recorded["copy_sha256"])
              for entity_id, recorded in (
                  (e, json.loads(a)) for e, a in conn.execute(
                      "SELECT entity_id, after FROM audit WHERE entity = 'document' AND "
                      "action IN ('reprint', 'save')"))
              if "copy_id" in recorded}
    for id_, document_id, sha in conn.execute(
            "SELECT id, document_id, sha256 FROM document_copies ORDER BY id"):
        if (document_id, id_, sha) not in copies:
            return (f"copy #{id_} of document #{document_id} ({sha[:12]}) has no audit "
                    "entry: it was added behind the application's back.")
    for id_, case_id, case_number, fingerprint in conn.execute(
            "SELECT d.id, d.case_id, c.case_number, d.fingerprint FROM determinations d JOIN "
            "cases c ON c.id = d.case_id ORDER BY d.id"):
        if (case_id, fingerprint) not in determinations:
            return (f"determination #{id_} of case {case_number} ({fingerprint[:12]}) has no "
                    "audit entry: it was added behind the application's back.")
    return None


def settings_problem(conn) -> str | None:
    """Why the settings stored differ from their history (check 7), or None. Each
    ``set`` entry records the value before and after; the history's last value of each
    setting (or its default, never set) must be what the table gives."""
    from .settings import SETTINGS, stored_value

    replayed: dict[str, object] = {}
    for (after,) in conn.execute(
            "SELECT after FROM audit WHERE case_id IS NULL AND entity = 'setting' ORDER BY id"):
        # (one setting an entry, or several changed together: set_many)
        replayed.update((k, v) for k, v in json.loads(after).items() if k != DETAILS)
    stored = dict(conn.execute("SELECT key, value FROM settings").fetchall())
    unknown = sorted(stored.keys() - SETTINGS.keys())
    if unknown:
        return (f"the settings table holds {unknown[0]!r}, which is no setting: it was added "
                "behind the application's back.")
    for key in SETTINGS:
        now = stored_value(key, stored.get(key))
        recorded = replayed[key] if key in replayed else stored_value(key, None)
        if now != recorded:
            detail = ""
            if isinstance(now, dict) and isinstance(recorded, dict):
                changed = sorted(k for k in now.keys() | recorded.keys() if now.get(k) != recorded.get(k))
                detail = f" ({', '.join(changed)})"
            return (f"the setting {key}{detail} differs from its history: it was changed "
                    "without an audit entry.")
    return None
