"""Issuing a case: its documents stored and the case moved to ``issued``, as one action.

One transaction, one audit entry: the determination snapshot is recorded if it is not
yet, every document (letter, memos) is stored with its sha256, kind, issue number and
fingerprint, and the case moves ``approved -> issued``; the audit entry of that move
names, under ``details``, the documents and the determination, and what the documents
were rendered from (so a reprint can render exactly that issue again). Either all of it
is in the file or none of it.

Idempotent per (case, fingerprint): when the documents of this determination are
stored already -- issued a moment ago by another window, process or batch -- the stored
issue is returned and nothing is written. Rendering happens before (it is slow and
needs no lock); inside the transaction the file is asked again, so two processes
issuing the same case at once end with exactly one set of documents.

Rendering and the read-back check belong to the documents layer; the service that
joins the two is :mod:`billing_desk.issuing`. It renders from a :class:`CaseRecord` it
loaded, and the documents layer computes the determination and checks it and the
fingerprint against that very case; so the store need not parse and determine the case
again (a batch issues tens of thousands): it checks that the record is still the
current revision -- every change to a case makes a new one -- and that the
determination is of this account under the rules in force.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping

from ..domain.history import HistoryHead
from ..domain.problems import CaseInvalid
from ..domain.rulepacks import get_rule_pack
from ..domain.workflow import Action, CaseStatus, TransitionRefused, WorkflowRefused, check_issue
from .audit import DETAILS, history_entry
from .caserows import fetch_record, write_record
from .connection import Connection, Transaction
from .determinations import snapshot_summary, store_snapshot
from .documents import COLUMNS as DOCUMENT_COLUMNS
from .documents import document_record
from .errors import (CaseAltered, IssueRefused, RecordNotFound, SettingsAltered, StaleRevision,
                     StoreError)
from .issue_facts import issued_on_of, record_issue_facts
from .records import CaseRecord, DocumentKind, DocumentRecord
from .users import find_user


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A rendered, checked document to store (its sha256 is computed here, from the
    bytes actually stored)."""

    kind: DocumentKind
    pdf: bytes
    page_count: int


@dataclass(frozen=True, slots=True)
class IssueRequest:
    """The documents of one case, rendered from ``case`` (the record as loaded), with
    ``determination`` (determination@1 JSON values) whose fingerprint is
    ``fingerprint``. ``rendered_from``: JSON values saying what else they were rendered
    from (issue date, sign-offs, settings), kept in the audit entry."""

    case: CaseRecord
    fingerprint: str
    determination: Mapping[str, Any]
    documents: tuple[NewDocument, ...]
    rendered_from: Mapping[str, Any]
    #: the history head the memos print (the newest entry when they were rendered):
    #: it must be an entry of this file, with that hash
    history_head: HistoryHead | None = None
    #: the office's document settings (the ``documents`` setting) the documents were
    #: rendered with: they must be the ones the file's history records
    settings: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Issue:
    """A case's issued documents; ``created`` is False when they were stored before
    (nothing was written this time)."""

    case: CaseRecord
    documents: tuple[DocumentRecord, ...]
    created: bool
    #: the audit entry of the issue, with its hash: the history's head right after it
    #: (None only for documents stored without an issue entry)
    entry: HistoryHead | None = None


#: what one request of :meth:`IssueRepository.issue_many` can end in
IssueOutcome = Issue | StoreError | TransitionRefused | CaseInvalid


class IssueRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def issue(self, request: IssueRequest, *, actor: str) -> Issue:
        """Store the issue of one case (see the module docstring). Raises
        :class:`TransitionRefused` when the case is not approved, :class:`StaleRevision`
        when it changed after the documents were rendered, :class:`IssueRefused` when
        they are not of its current determination."""
        with self._c.write(actor) as tx:
            issue = _issue(tx, request)
            if not issue.created:
                tx.unchanged()
            return issue

    def issue_many(self, requests: Iterable[IssueRequest], *,
                   actor: str) -> list[IssueOutcome]:
        """Store several cases' issues with one commit (a batch: one disk sync for many
        cases). Each case is its own part -- its own audit entry, all of it or none of
        it (a refusal undoes that case alone) -- and a crash before the commit keeps
        none of them, so no case is ever half-stored. Returns, per request in order,
        the issue or the refusal."""
        outcomes: list[IssueOutcome] = []
        with self._c.write(actor) as tx:
            for request in requests:
                try:
                    with tx.part():
                        outcomes.append(_issue(tx, request))
                except (StoreError, TransitionRefused, CaseInvalid) as refusal:
                    outcomes.append(refusal)
            if not tx.entries:
                tx.unchanged()
        return outcomes

    def issued(self, case_id: int, fingerprint: str) -> tuple[DocumentRecord, ...]:
        """The documents issued for this determination of the case (none: not issued)."""
        return tuple(document_record(r) for r in self._c.rows(
            f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE case_id = ? AND fingerprint = ? "
            "ORDER BY id", (case_id, fingerprint)))

    def entry_of(self, document: DocumentRecord) -> HistoryHead | None:
        """The audit entry of the issue that stored ``document``, with its hash."""
        return issue_entry(self._c.conn, document)

    def rendered_from(self, document: DocumentRecord) -> Mapping[str, Any] | None:
        """What ``document`` was rendered from, as its issue recorded it (None for a
        document stored without an issue entry)."""
        for (after,) in self._c.rows(
                "SELECT after FROM audit WHERE case_id = ? AND entity = 'case' AND "
                "action = 'issue' ORDER BY id DESC", (document.case_id,)):
            details = json.loads(after).get(DETAILS, {})
            if any(d["id"] == document.id for d in details.get("documents", ())):
                return details.get("rendered_from")
        return None


def _issue(tx: Transaction, request: IssueRequest) -> Issue:
    rendered = request.case
    existing = tuple(document_record(r) for r in tx.execute(
        f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE case_id = ? AND fingerprint = ? "
        "ORDER BY id", (rendered.id, request.fingerprint)))
    if existing:
        if {d.kind for d in existing} != {d.kind for d in request.documents}:
            raise IssueRefused(rendered.case_number, "other documents of this determination "
                               "are stored already; the issue is not repeated.")
        return Issue(fetch_record(tx.conn, rendered.id), existing, created=False,
                     entry=issue_entry(tx.conn, existing[0]))
    if not request.documents:
        raise IssueRefused(rendered.case_number, "there are no documents to issue.")
    row = tx.execute("SELECT revision, status, last_edited_by FROM cases WHERE id = ?",
                     (rendered.id,)).fetchone()
    if row is None:
        raise RecordNotFound(f"Case #{rendered.id}")
    revision, status, edited_by = row
    if revision != rendered.revision:
        # changed since the documents were rendered (even a new approval of the same
        # content changes who signed off): they may no longer be this case's documents
        raise StaleRevision(rendered.case_number, rendered.revision, revision, edited_by)
    _require_history(tx, request)
    # only an approved case, by a user of the file, for exactly what was approved
    user = find_user(tx.conn, tx.actor)
    if user is None:
        raise WorkflowRefused("no_users", "This case file has no users yet: create its first "
                              "administrator, then sign in to issue documents.")
    approved = rendered.approved
    new_status = check_issue(CaseStatus(status), user.actor(), fingerprint=request.fingerprint,
                             approved_fingerprint=approved.fingerprint if approved else None)
    pack = get_rule_pack(rendered.draft.rule_pack)
    det = request.determination
    if (det.get("rule_pack") != pack.name
            or det.get("account_number") != rendered.draft.account.number):
        raise IssueRefused(rendered.case_number, "the determination given is not this "
                           "case's under the rules in force.")
    head = request.history_head
    if head is not None and history_entry(tx.conn, head.entry) != head:
        # the memos would name a history this file does not have (rendered from another
        # file, or from a history rewritten since)
        raise IssueRefused(rendered.case_number, f"the memos name history entry {head.text()}, "
                           "which is not this case file's; render them again.")
    determination, recorded = store_snapshot(tx, rendered.id, rendered.revision,
                                             request.fingerprint, pack.name, pack.version,
                                             lambda: dict(det))
    stored = [_store(tx, rendered.id, request.fingerprint, d) for d in request.documents]
    # what the reports count of this issue, under this issue's audit entry
    record_issue_facts(tx, rendered, request.fingerprint, determination.determination,
                       issued_on_of(request.rendered_from, tx.at.date()))
    details = {
        "fingerprint": request.fingerprint,
        "determination": {"id": determination.id, "recorded": recorded,
                          **snapshot_summary(determination)},
        "documents": [{"id": d.id, "kind": d.kind.value, "issue_number": d.issue_number,
                       "sha256": d.sha256, "page_count": d.page_count} for d in stored],
        "rendered_from": dict(request.rendered_from),
    }
    if head is not None:
        details["history_head"] = head.to_json()  # as the memos print it
    case = write_record(tx, rendered, replace(rendered, status=new_status, status_reason=None),
                        Action.ISSUE.value, actor=tx.actor, details=details)
    return Issue(case, tuple(stored), created=True, entry=tx.head)


def _require_history(tx: Transaction, request: IssueRequest) -> None:
    """Nothing is stored from data the history does not account for (issue 14): the
    case as stored must be the case its history replays to (``verify`` for this case),
    the office settings must be those their history records, and the documents must
    have been rendered with those settings. The issuing service checks the same before
    it renders; this is the check where the data lives, inside the issue's transaction."""
    from .settings import stored_value
    from .verify import case_report, settings_problem

    report = case_report(tx.conn, request.case.id)
    if not report.ok:
        raise CaseAltered(request.case.case_number, report.problem or "")
    problem = settings_problem(tx.conn)
    if problem is not None:
        raise SettingsAltered(problem)
    if request.settings is not None:
        stored = tx.execute("SELECT value FROM settings WHERE key = 'documents'").fetchone()
        if dict(request.settings) != stored_value("documents", None if stored is None else stored[0]):
            raise IssueRefused(request.case.case_number, "its documents were rendered with "
                               "other office settings than the case file's; render them again.")


def issue_entry(conn, document: DocumentRecord) -> HistoryHead | None:
    """The audit entry of the issue that stored ``document``, with its hash."""
    for entry_id, entry_hash, after in conn.execute(
            "SELECT id, hash, after FROM audit WHERE case_id = ? AND entity = 'case' AND "
            "action = 'issue' ORDER BY id DESC", (document.case_id,)):
        details = json.loads(after).get(DETAILS, {})
        if any(d["id"] == document.id for d in details.get("documents", ())):
            return HistoryHead(entry_id, entry_hash)
    return None


def _store(tx: Transaction, case_id: int, fingerprint: str, doc: NewDocument) -> DocumentRecord:
    kind = DocumentKind(doc.kind)
    number = tx.execute("SELECT coalesce(max(issue_number), 0) + 1 FROM documents "
                        "WHERE kind = ?", (kind.value,)).fetchone()[0]
    sha = hashlib.sha256(doc.pdf).hexdigest()
    cur = tx.execute(
        "INSERT INTO documents (case_id, kind, issue_number, fingerprint, sha256, pdf, "
        "page_count, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (case_id, kind.value, number, fingerprint, sha, doc.pdf, doc.page_count, tx.at_text,
         tx.actor))
    return DocumentRecord(cur.lastrowid, case_id, kind, number, fingerprint, sha,
                          doc.page_count, tx.at, tx.actor)
