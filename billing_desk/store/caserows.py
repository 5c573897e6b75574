"""A case record as rows of ``cases`` and ``periods``: read one, write one change.

Shared by the case repository, the workflow and ``verify``. Writing a change bumps the
revision, stamps the time and the editor, and appends the audit entry holding exactly
the fields that changed. The row is written only if the database still holds the
revision the change was based on (``UPDATE ... WHERE revision = ?``: compare-and-set in
the database itself), so no save ever overwrites another's, whoever checked what before.
"""

from __future__ import annotations

from dataclasses import replace

from .audit import DETAILS, changes
from .casecodec import (
    PERIOD_COLUMNS, RECORD_COLUMNS, draft_values, period_row, period_rows, record_from_row, signature_values,
)
from .connection import Reader, Transaction
from .errors import RecordNotFound, StaleRevision
from .records import CaseRecord
from .timestamps import format_utc

SELECT_RECORD = f"SELECT {', '.join(RECORD_COLUMNS)} FROM cases"
SELECT_PERIODS = (f"SELECT {', '.join(PERIOD_COLUMNS)} FROM periods WHERE case_id = ? "
                  "ORDER BY position")
INSERT_CASE = (f"INSERT INTO cases ({', '.join(RECORD_COLUMNS)}) "
               f"VALUES ({', '.join('?' * len(RECORD_COLUMNS))})")
INSERT_PERIOD = (f"INSERT INTO periods (case_id, position, {', '.join(PERIOD_COLUMNS)}) "
                 f"VALUES ({', '.join('?' * (len(PERIOD_COLUMNS) + 2))})")
REPLACE_PERIOD = (INSERT_PERIOD + " ON CONFLICT (case_id, position) DO UPDATE SET "
                  + ", ".join(f"{c} = excluded.{c}" for c in PERIOD_COLUMNS))


def fetch_record(db: Reader, case_id: int) -> CaseRecord:
    """The case with id ``case_id`` as the connection sees it (inside or outside a
    transaction); :class:`RecordNotFound` if there is none."""
    found = db.row(f"{SELECT_RECORD} WHERE id = ?", (case_id,))
    if found is None:
        raise RecordNotFound(f"Case #{case_id}", db.noun)
    return record_from_row(found, db.rows(SELECT_PERIODS, (case_id,)))


def record_values(r: CaseRecord) -> tuple:
    """The RECORD_COLUMNS values of a record."""
    return ((r.id, r.case_number, r.status.value, r.revision, format_utc(r.created_at),
             format_utc(r.updated_at), r.prepared_by, r.last_edited_by, r.assignee, r.notes,
             r.status_reason) + draft_values(r.draft) + signature_values(r))


def insert_record(tx: Transaction, record: CaseRecord) -> None:
    tx.execute(INSERT_CASE, record_values(record))
    tx.executemany(INSERT_PERIOD, period_rows(record.id, record.draft))


def write_record(tx: Transaction, current: CaseRecord, new: CaseRecord, action: str, *,
                 actor: str, details: dict | None = None) -> CaseRecord:
    """Store ``new`` over ``current`` as the next revision by ``actor``, with one audit
    entry (``action``) of the fields that changed. ``last_edited_by`` names who last
    changed the case content (the figures an approval binds to), so a note, an
    assignment or a workflow step does not make its author the case's editor.
    ``details``: what the action recorded beside the fields (see :data:`~.audit.DETAILS`),
    kept in the entry's ``after``."""
    editor = actor if new.draft != current.draft else current.last_edited_by
    new = replace(new, revision=current.revision + 1, updated_at=tx.at, last_edited_by=editor)
    # only the columns that changed: an index whose columns are not set is not
    # rewritten (an amount edited leaves the account, name and date indexes alone)
    changed = [(column, value) for column, value, old in
               zip(RECORD_COLUMNS[2:], record_values(new)[2:], record_values(current)[2:])
               if value != old]
    written = tx.execute(
        f"UPDATE cases SET {', '.join(f'{c} = ?' for c, _ in changed)} "
        "WHERE id = ? AND revision = ?", (*(value for _, value in changed), new.id, current.revision))
    if written.rowcount != 1:
        found = tx.row("SELECT revision, last_edited_by FROM cases WHERE id = ?", (new.id,))
        if found is None:
            raise RecordNotFound(f"Case #{new.id}", tx.noun)
        raise StaleRevision(current.case_number, current.revision, found[0], found[1])
    if new.draft.periods != current.draft.periods:
        # only the rows that changed: a keystroke in one cell of a six-year case
        # rewrites one period, not seventy-two
        old, periods = current.draft.periods, new.draft.periods
        tx.executemany(REPLACE_PERIOD, [period_row(new.id, k, p) for k, p in enumerate(periods)
                                             if k >= len(old) or old[k] != p])
        if len(periods) < len(old):
            tx.execute("DELETE FROM periods WHERE case_id = ? AND position >= ?",
                       (new.id, len(periods)))
    if new.draft is current.draft:  # a workflow move: only the bookkeeping can differ
        before, after = changes(current.bookkeeping(), new.bookkeeping())
    else:
        before, after = changes(current.state(), new.state())
    if details is not None:
        after[DETAILS] = details
    tx.audit(action, "case", new.id, new.id, before, after, actor=actor)
    return new
