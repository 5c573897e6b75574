"""Moving cases through the workflow under the rules of :mod:`billing_desk.domain.workflow`.

``cf.workflow.submit / approve / return_case / void`` (and ``reopen``, ``issue``,
``close``) each take the acting login, which must be an active user of the file: the
rules see that user's role and approval limit. Each is one transaction with one audit
entry. Submitting records the determination snapshot and the submitter's signature
with the case fingerprint; approving checks the case still has exactly that fingerprint
and records the approver's signature beside it. A file without users has nobody who may
approve, so the workflow refuses until its first administrator exists.
"""

from __future__ import annotations

from dataclasses import replace

from ..domain.printable import Typesetting
from ..domain.workflow import (
    Action, WorkflowRefused, check_approve, check_close, check_issue, check_reopen,
    check_return, check_submit, check_void,
)
from .caserows import fetch_record, write_record
from .connection import Connection, Transaction
from .determinations import fingerprint_of, keep_snapshot
from .errors import StaleRevision
from .records import CaseRecord, Signature
from .users import find_user, person_of


def apply_action(tx: Transaction, current: CaseRecord, action: Action, *, actor: str,
                 reason: str | None = None, acknowledge_divergence: bool = False,
                 typesetting: Typesetting | None = None) -> CaseRecord:
    """Take ``action`` on ``current`` inside ``tx`` as ``actor``: check the rules, keep
    what the action records, write the case with one audit entry; return the new record.
    ``typesetting``: what the documents say about fonts and the envelope window, for the
    checks of submission and approval (domain/printable.py); the other checks of a
    letter hold without it."""
    user = find_user(tx, actor)
    if user is None:
        raise WorkflowRefused("no_users", "This case file has no users yet: create its first "
                              "administrator, then sign in to submit or approve cases.")
    who = user.actor()
    reason = (reason or "").strip()
    # validation is needed to submit, approve and issue only
    check = current.draft.check() if action in (Action.SUBMIT, Action.APPROVE, Action.ISSUE) else None
    if action is Action.SUBMIT:
        status = check_submit(current.status, who, check, typesetting=typesetting)
        snapshot, _ = keep_snapshot(tx, current.id, current.revision, check.case)
        new = replace(current, status=status, status_reason=None, approved=None,
                      divergence_acknowledged=False,
                      submitted=Signature(user.login, tx.at, snapshot.fingerprint))
    elif action is Action.APPROVE:
        pack, fingerprint = fingerprint_of(check.case) if check.case else (None, None)
        submitted = current.submitted
        determination = pack.determine(check.case) if pack else None
        # separation of duties by person, not by login: who the approver's account and the
        # case's authors' accounts are, as their signed history says
        authors_logins = {current.prepared_by, current.last_edited_by,
                          submitted.login if submitted else None} - {None}
        authors = {a: p for a in authors_logins if (p := person_of(tx, a)) is not None}
        who = replace(who, person=person_of(tx, user.login))
        status = check_approve(
            current.status, who, authors=authors, prepared_by=current.prepared_by,
            last_edited_by=current.last_edited_by,
            submitted_by=submitted.login if submitted else None, check=check,
            determination=determination, divergence_acknowledged=acknowledge_divergence,
            fingerprint=fingerprint, submitted_fingerprint=submitted.fingerprint if submitted else None,
            typesetting=typesetting)
        # the snapshot of exactly this fingerprint was kept at submission
        new = replace(current, status=status,
                      approved=Signature(user.login, tx.at, fingerprint),
                      divergence_acknowledged=determination.readings_differ)
    elif action is Action.RETURN:
        new = replace(current, status=check_return(current.status, who, reason), status_reason=reason)
    elif action is Action.VOID:
        new = replace(current, status=check_void(current.status, who, reason), status_reason=reason)
    elif action is Action.REOPEN:
        new = replace(current, status=check_reopen(current.status, who))
    elif action is Action.ISSUE:
        fingerprint = fingerprint_of(check.case)[1] if check.case else None
        approved = current.approved
        new = replace(current, status=check_issue(current.status, who, fingerprint=fingerprint,
                                                  approved_fingerprint=approved.fingerprint
                                                  if approved else None))
    elif action is Action.CLOSE:
        new = replace(current, status=check_close(current.status, who))
    else:
        raise ValueError(f"{action.value} is not a workflow step; save the case to edit it")
    return write_record(tx, current, new, action.value, actor=user.login)


class WorkflowService:
    """``cf.workflow``. Pass ``expected_revision`` (the revision the user was shown) so
    that acting on a case someone changed meanwhile is refused (:class:`StaleRevision`)."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def submit(self, case_id: int, *, actor: str, expected_revision: int | None = None,
               typesetting: Typesetting | None = None) -> CaseRecord:
        return self.act(case_id, Action.SUBMIT, actor=actor, expected_revision=expected_revision,
                        typesetting=typesetting)

    def approve(self, case_id: int, *, actor: str, acknowledge_divergence: bool = False,
                expected_revision: int | None = None,
                typesetting: Typesetting | None = None) -> CaseRecord:
        return self.act(case_id, Action.APPROVE, actor=actor, expected_revision=expected_revision,
                        acknowledge_divergence=acknowledge_divergence, typesetting=typesetting)

    def return_case(self, case_id: int, reason: str, *, actor: str,
                    expected_revision: int | None = None) -> CaseRecord:
        return self.act(case_id, Action.RETURN, actor=actor, reason=reason,
                        expected_revision=expected_revision)

    def void(self, case_id: int, reason: str, *, actor: str,
             expected_revision: int | None = None) -> CaseRecord:
        return self.act(case_id, Action.VOID, actor=actor, reason=reason,
                        expected_revision=expected_revision)

    def reopen(self, case_id: int, *, actor: str, expected_revision: int | None = None) -> CaseRecord:
        return self.act(case_id, Action.REOPEN, actor=actor, expected_revision=expected_revision)

    def issue(self, case_id: int, *, actor: str, expected_revision: int | None = None) -> CaseRecord:
        return self.act(case_id, Action.ISSUE, actor=actor, expected_revision=expected_revision)

    def close(self, case_id: int, *, actor: str, expected_revision: int | None = None) -> CaseRecord:
        return self.act(case_id, Action.CLOSE, actor=actor, expected_revision=expected_revision)

    def act(self, case_id: int, action: Action, *, actor: str, expected_revision: int | None = None,
            reason: str | None = None, acknowledge_divergence: bool = False,
            typesetting: Typesetting | None = None) -> CaseRecord:
        with self._c.write(actor) as tx:
            current = fetch_record(tx, case_id)
            if expected_revision is not None and current.revision != expected_revision:
                raise StaleRevision(current.case_number, expected_revision, current.revision,
                                    last_actor(tx, case_id))
            return apply_action(tx, current, action, actor=tx.actor, reason=reason,
                                acknowledge_divergence=acknowledge_divergence,
                                typesetting=typesetting)


def last_actor(tx: Transaction, case_id: int) -> str:
    """Who made the newest change to the case (for "changed by ... after you opened it")."""
    row = tx.execute("SELECT actor FROM audit WHERE case_id = ? AND entity = 'case' "
                     "ORDER BY id DESC LIMIT 1", (case_id,)).fetchone()
    return row[0] if row else "someone"
