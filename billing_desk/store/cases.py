"""Cases: create, load, save, assign, move through the workflow.

Each mutating call is one transaction with one audit entry per case it changes, and
takes the acting user's login. A save names the revision it was based on; if the file
holds a newer one (another window or clerk saved in between) the save is refused with
:class:`StaleRevision` instead of silently overwriting their work.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable

from ..domain.draft import CaseDraft
from ..domain.workflow import Action, CaseStatus, next_status
from .audit import AUDIT_COLUMNS, AuditEntry
from .caserows import fetch_record, insert_record, write_record
from .connection import Connection, Transaction
from .errors import NotAUser, RecordNotFound, StaleRevision
from .records import CaseRecord
from .users import find_user, has_users
from .workflow import apply_action, last_actor

CASE_NUMBER_PREFIX = "BD-"

#: what an edit of the content writes in the audit history and in the case's status
#: reason, when it undoes a submission or an approval (DESIGN.md: "an edit after approval
#: returns the case to draft and voids the approval")
VOIDED_BY_EDIT = {
    CaseStatus.APPROVED: ("edit, approval voided",
                          "Approval voided: the case was edited after it was approved."),
    CaseStatus.SUBMITTED: ("edit, submission withdrawn",
                           "Submission withdrawn: the case was edited after it was submitted."),
}

__all__ = ["CaseRepository", "NewCase", "case_number_for", "fetch_record"]


def case_number_for(case_id: int) -> str:
    return f"{CASE_NUMBER_PREFIX}{case_id:06d}"


@dataclass(frozen=True, slots=True)
class NewCase:
    draft: CaseDraft
    notes: str = ""
    assignee: str | None = None
    prepared_by: str | None = None  # default: the user creating it


class CaseRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    # -- reading ---------------------------------------------------------------------------

    def load(self, case_id: int) -> CaseRecord:
        with self._c.snapshot():  # the case row and its periods as of one moment
            return fetch_record(self._c, case_id)

    def find(self, case_number: str) -> CaseRecord:
        """The case with this number (``BD-000123``; letters in any case, spaces ignored)."""
        number = case_number.strip().upper()
        case_id = self._c.value("SELECT id FROM cases WHERE case_number = ?", (number,))
        if case_id is None:
            raise RecordNotFound(f"Case {case_number.strip()}", self._c.noun)
        return self.load(case_id)

    def history(self, case_id: int) -> list[AuditEntry]:
        """Every audit entry about the case (its content, attachments, determinations,
        documents), oldest first."""
        return [AuditEntry.from_row(r) for r in self._c.rows(
            f"SELECT {AUDIT_COLUMNS} FROM audit WHERE case_id = ? ORDER BY id", (case_id,))]

    # -- creating --------------------------------------------------------------------------

    def create(self, draft: CaseDraft, *, actor: str, notes: str = "",
               assignee: str | None = None) -> CaseRecord:
        """A new case in ``draft`` status with the next case number."""
        with self._c.write(actor) as tx:
            return self._insert(tx, NewCase(draft, notes, assignee))

    def create_many(self, items: Iterable[NewCase], *, actor: str) -> list[str]:
        """Create many cases in one transaction (an import, a demo file): all or none.
        Each case still gets its own audit entry. Returns the new case numbers."""
        with self._c.write(actor) as tx:
            return [self._insert(tx, item).case_number for item in items]

    def _insert(self, tx: Transaction, item: NewCase) -> CaseRecord:
        case_id = self._c.next_case_id(tx)
        preparer = tx.actor
        if item.prepared_by is not None:  # on a file with users, one of them
            named = find_user(tx, item.prepared_by)
            if named is None and has_users(tx):
                raise NotAUser(self._c.where, item.prepared_by)
            preparer = named.login if named is not None else item.prepared_by
        record = CaseRecord(
            id=case_id, case_number=case_number_for(case_id), draft=item.draft,
            status=CaseStatus.DRAFT, revision=1, created_at=tx.at, updated_at=tx.at,
            prepared_by=preparer, last_edited_by=preparer, assignee=item.assignee,
            notes=item.notes)
        insert_record(tx, record)
        tx.audit("create", "case", case_id, case_id, None, record.state(), actor=preparer)
        return record

    # -- changing --------------------------------------------------------------------------

    def save(self, case_id: int, draft: CaseDraft, *, expected_revision: int, actor: str,
             notes: str | None = None) -> CaseRecord:
        """Save the case content (and the notes, unless ``None``). Editing the content of
        a submitted or approved case sends it back to draft and clears the submission
        and the approval (they no longer match what was edited), which that edit's audit
        entry says; a case that is issued, closed or void cannot be edited
        (:class:`TransitionRefused`). Notes can always be added to."""
        action = "edit"

        def change(current: CaseRecord, tx: Transaction) -> CaseRecord:
            nonlocal action
            new_notes = current.notes if notes is None else notes
            if draft == current.draft:
                action = "notes"
                return replace(current, notes=new_notes)
            status = next_status(current.status, Action.EDIT)
            # a returned case keeps the supervisor's reason until it is submitted again
            reason = current.status_reason
            if current.status in VOIDED_BY_EDIT:
                action, reason = VOIDED_BY_EDIT[current.status]
            return replace(current, draft=draft, notes=new_notes, status=status,
                           status_reason=reason, submitted=None, approved=None,
                           divergence_acknowledged=False)

        return self._update(case_id, expected_revision, actor, change, lambda: action)

    def assign(self, case_id: int, assignee: str | None, *, expected_revision: int,
               actor: str) -> CaseRecord:
        """Give the case to ``assignee`` (a login), or to nobody (``None``)."""
        return self._update(case_id, expected_revision, actor,
                            lambda current, tx: replace(current, assignee=assignee),
                            lambda: "assign")

    def change_status(self, case_id: int, action: Action, *, expected_revision: int,
                      actor: str, reason: str | None = None,
                      acknowledge_divergence: bool = False) -> CaseRecord:
        """Move the case through the workflow, under the same rules as ``cf.workflow``
        (which names each step; this is the one-call form for scripts)."""
        with self._c.write(actor) as tx:
            current = self._current(tx, case_id, expected_revision)
            return apply_action(tx, current, action, actor=tx.actor, reason=reason,
                                acknowledge_divergence=acknowledge_divergence)

    @staticmethod
    def _current(tx: Transaction, case_id: int, expected_revision: int) -> CaseRecord:
        current = fetch_record(tx, case_id)
        if current.revision != expected_revision:
            raise StaleRevision(current.case_number, expected_revision, current.revision,
                                last_actor(tx, case_id))
        return current

    def _update(self, case_id: int, expected_revision: int, actor: str,
                change: Callable[[CaseRecord, Transaction], CaseRecord],
                action: Callable[[], str]) -> CaseRecord:
        with self._c.write(actor) as tx:
            current = self._current(tx, case_id, expected_revision)
            new = change(current, tx)
            if new == current:
                tx.unchanged()  # nothing to write, nothing to record
                return current
            return write_record(tx, current, new, action(), actor=tx.actor)
