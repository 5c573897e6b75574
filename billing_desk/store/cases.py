"""Cases: create, load, save, assign, move through the workflow.

Each mutating call is one transaction with one audit entry per case it changes, and
takes the acting user's login. A save names the revision it was based on; if the file
holds a newer one (another window or clerk saved in between) the save is refused with
:class:`StaleRevision` instead of silently overwriting their work.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from ..domain.draft import CaseDraft
from ..domain.workflow import Action, CaseStatus, TransitionRefused, next_status
from .audit import AUDIT_COLUMNS, DETAILS, AuditEntry, changes
from .casecodec import PERIOD_COLUMNS, RECORD_COLUMNS, draft_values, period_rows, record_from_row
from .connection import Connection, Transaction, translated_errors
from .errors import RecordNotFound, StaleRevision
from .records import CaseRecord
from .timestamps import format_utc

CASE_NUMBER_PREFIX = "BD-"

_SELECT_RECORD = f"SELECT {', '.join(RECORD_COLUMNS)} FROM cases"
_SELECT_PERIODS = (f"SELECT {', '.join(PERIOD_COLUMNS)} FROM periods WHERE case_id = ? "
                   "ORDER BY position")
_INSERT_CASE = (f"INSERT INTO cases ({', '.join(RECORD_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(RECORD_COLUMNS))})")
_UPDATE_CASE = (f"UPDATE cases SET {', '.join(f'{c} = ?' for c in RECORD_COLUMNS[2:])} "
                "WHERE id = ?")
_INSERT_PERIOD = (f"INSERT INTO periods (case_id, position, {', '.join(PERIOD_COLUMNS)}) "
                  f"VALUES ({', '.join('?' * (len(PERIOD_COLUMNS) + 2))})")

#: workflow actions that must say why (DESIGN.md: "returned (with a reason)", "void")
NEEDS_REASON = frozenset({Action.RETURN, Action.VOID})


def case_number_for(case_id: int) -> str:
    return f"{CASE_NUMBER_PREFIX}{case_id:06d}"


def fetch_record(conn: sqlite3.Connection, case_id: int) -> CaseRecord:
    """The case with id ``case_id`` as the connection sees it (inside or outside a
    transaction); :class:`RecordNotFound` if there is none."""
    found = conn.execute(f"{_SELECT_RECORD} WHERE id = ?", (case_id,)).fetchone()
    if found is None:
        raise RecordNotFound(f"Case #{case_id}")
    return record_from_row(found, conn.execute(_SELECT_PERIODS, (case_id,)).fetchall())


@dataclass(frozen=True, slots=True)
class WorkflowStep:
    """A workflow action taken on a new case as part of its creation (demo files,
    imports that carry history), by ``actor``; each goes through ``next_status``."""

    action: Action
    actor: str
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class NewCase:
    draft: CaseDraft
    notes: str = ""
    assignee: str | None = None
    steps: tuple[WorkflowStep, ...] = ()
    prepared_by: str | None = None  # default: the user creating it


def _record_values(r: CaseRecord) -> tuple:
    return (r.id, r.case_number, r.status.value, r.revision, format_utc(r.created_at),
            format_utc(r.updated_at), r.prepared_by, r.last_edited_by, r.assignee, r.notes,
            r.status_reason) + draft_values(r.draft)


class CaseRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    # -- reading ---------------------------------------------------------------------------

    def load(self, case_id: int) -> CaseRecord:
        with translated_errors(self._c.path):
            return fetch_record(self._c.conn, case_id)

    def find(self, case_number: str) -> CaseRecord:
        """The case with this number (``BD-000123``; letters in any case, spaces ignored)."""
        number = case_number.strip().upper()
        case_id = self._c.value("SELECT id FROM cases WHERE case_number = ?", (number,))
        if case_id is None:
            raise RecordNotFound(f"Case {case_number.strip()}")
        return self.load(case_id)

    def history(self, case_id: int, actions: Iterable[str] | None = None) -> list[AuditEntry]:
        """Every audit entry about the case (its content, attachments, determinations,
        documents), oldest first; only those of ``actions`` (``"submit"``...) if given."""
        if actions is None:
            return [AuditEntry.from_row(r) for r in self._c.rows(
                f"SELECT {AUDIT_COLUMNS} FROM audit WHERE case_id = ? ORDER BY id", (case_id,))]
        wanted = sorted(set(actions))
        return [AuditEntry.from_row(r) for r in self._c.rows(
            f"SELECT {AUDIT_COLUMNS} FROM audit WHERE case_id = ? AND action IN "
            f"({', '.join('?' * len(wanted))}) ORDER BY id", (case_id, *wanted))]

    # -- creating --------------------------------------------------------------------------

    def create(self, draft: CaseDraft, *, actor: str, notes: str = "",
               assignee: str | None = None) -> CaseRecord:
        """A new case in ``draft`` status with the next case number."""
        with self._c.write(actor) as tx:
            return self._insert(tx, NewCase(draft, notes, assignee))

    def create_many(self, items: Iterable[NewCase], *, actor: str) -> list[str]:
        """Create many cases in one transaction (an import, a demo file): all or none.
        Each case still gets its own audit entries. Returns the new case numbers."""
        with self._c.write(actor) as tx:
            return [self._insert(tx, item).case_number for item in items]

    def _insert(self, tx: Transaction, item: NewCase) -> CaseRecord:
        case_id = tx.execute("SELECT coalesce(max(id), 0) + 1 FROM cases").fetchone()[0]
        preparer = item.prepared_by or tx.actor
        record = CaseRecord(
            id=case_id, case_number=case_number_for(case_id), draft=item.draft,
            status=CaseStatus.DRAFT, revision=1, created_at=tx.at, updated_at=tx.at,
            prepared_by=preparer, last_edited_by=preparer, assignee=item.assignee,
            notes=item.notes)
        tx.execute(_INSERT_CASE, _record_values(record))
        tx.conn.executemany(_INSERT_PERIOD, period_rows(case_id, item.draft))
        tx.audit("create", "case", case_id, case_id, None, record.state(), actor=preparer)
        for step in item.steps:
            record = write_record(tx, record, self._moved(record, step.action, step.reason,
                                                          step.actor, tx),
                                  step.action.value, actor=step.actor)
        return record

    # -- changing --------------------------------------------------------------------------

    def save(self, case_id: int, draft: CaseDraft, *, expected_revision: int, actor: str,
             notes: str | None = None) -> CaseRecord:
        """Save the case content (and the notes, unless ``None``). Editing the content of
        a submitted or approved case sends it back to draft (the approval no longer
        matches what was edited); a case that is issued, closed or void cannot be
        edited (:class:`TransitionRefused`). Notes can always be added to."""

        def change(current: CaseRecord, tx: Transaction) -> CaseRecord:
            new_notes = current.notes if notes is None else notes
            if draft == current.draft:
                return replace(current, notes=new_notes)
            return replace(current, draft=draft, notes=new_notes,
                           status=next_status(current.status, Action.EDIT), status_reason=None)

        return self._update(case_id, expected_revision, actor, change)

    def assign(self, case_id: int, assignee: str | None, *, expected_revision: int,
               actor: str) -> CaseRecord:
        """Give the case to ``assignee`` (a login), or to nobody (``None``)."""
        return self._update(case_id, expected_revision, actor,
                            lambda current, tx: replace(current, assignee=assignee), "assign")

    def change_status(self, case_id: int, action: Action, *, expected_revision: int,
                      actor: str, reason: str | None = None) -> CaseRecord:
        """Move the case through the workflow (``next_status`` decides; a move the
        state does not allow raises :class:`TransitionRefused`)."""
        return self._update(case_id, expected_revision, actor,
                            lambda current, tx: self._moved(current, action, reason, actor, tx),
                            action.value)

    @staticmethod
    def _moved(current: CaseRecord, action: Action, reason: str | None, actor: str,
               tx: Transaction) -> CaseRecord:
        if action in NEEDS_REASON and not (reason and reason.strip()):
            raise TransitionRefused(f"Say why the case is being {'returned' if action is Action.RETURN else 'voided'}.")
        return replace(current, status=next_status(current.status, action),
                       status_reason=reason if action in NEEDS_REASON else None)

    def _update(self, case_id: int, expected_revision: int, actor: str,
                change: Callable[[CaseRecord, Transaction], CaseRecord],
                action: str | None = None) -> CaseRecord:
        with self._c.write(actor) as tx:
            current = fetch_record(tx.conn, case_id)
            if current.revision != expected_revision:
                raise StaleRevision(current.case_number, expected_revision, current.revision,
                                    current.last_edited_by)
            new = change(current, tx)
            if new == current:
                tx.unchanged()  # nothing to write, nothing to record
                return current
            if action is None:
                action = "edit" if new.draft != current.draft else "notes"
            return write_record(tx, current, new, action, actor=actor)


def write_record(tx: Transaction, current: CaseRecord, new: CaseRecord, action: str, *,
                 actor: str, details: dict | None = None) -> CaseRecord:
    """Store ``new`` in place of ``current`` (next revision) with one audit entry for
    ``action`` holding the fields that changed, and ``details`` (what the action
    recorded beside them, see :data:`~.audit.DETAILS`) if given."""
    new = replace(new, revision=current.revision + 1, updated_at=tx.at, last_edited_by=actor)
    values = _record_values(new)
    tx.execute(_UPDATE_CASE, values[2:] + (new.id,))
    if new.draft.periods != current.draft.periods:
        tx.execute("DELETE FROM periods WHERE case_id = ?", (new.id,))
        tx.conn.executemany(_INSERT_PERIOD, period_rows(new.id, new.draft))
    if new.draft is current.draft:  # a workflow move: only the bookkeeping can differ
        before, after = changes(current.bookkeeping(), new.bookkeeping())
    else:
        before, after = changes(current.state(), new.state())
    if details is not None:
        after[DETAILS] = details
    tx.audit(action, "case", new.id, new.id, before, after, actor=actor)
    return new
