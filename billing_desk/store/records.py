"""What the store hands to the UI and the CLI: frozen records, no SQL, no connection.

The case list's summaries and the user record live in :mod:`.summaries` (re-exported
here), which a window loads before any case is open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..domain.kinds import DocumentKind  # noqa: F401 (the documents' kinds, re-exported)
from ..domain.workflow import CaseStatus
from .summaries import SUMMARY_COLUMNS, CaseSummary, UserRecord, summary_from_row  # noqa: F401
from .timestamps import format_utc, parse_utc

if TYPE_CHECKING:  # (the case list's summaries need no case model)
    from ..domain.draft import CaseDraft


@dataclass(frozen=True, slots=True)
class Signature:
    """Who submitted (or approved) a case, when (UTC), and the fingerprint of exactly
    the case they saw (:func:`~billing_desk.domain.fingerprint.case_fingerprint` with
    the rule pack's name and version at that moment)."""

    login: str
    at: datetime
    fingerprint: str

    def to_json(self) -> dict[str, str]:
        return {"login": self.login, "at": format_utc(self.at), "fingerprint": self.fingerprint}

    @classmethod
    def from_json(cls, value: dict[str, str]) -> "Signature":
        return cls(value["login"], parse_utc(value["at"]), value["fingerprint"])


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """A stored case: its content (a :class:`CaseDraft`, possibly incomplete) and its
    bookkeeping. ``revision`` goes up by one with every save; pass it back as
    ``expected_revision`` so a save based on an older revision is refused.
    ``last_edited_by`` is who last changed the content (not a note or a workflow step);
    ``submitted``/``approved`` are the signatures of the current submission and approval
    (an edit of the content clears both: the case is a draft again)."""

    id: int
    case_number: str
    draft: CaseDraft
    status: CaseStatus
    revision: int
    created_at: datetime
    updated_at: datetime
    prepared_by: str
    last_edited_by: str
    assignee: str | None = None
    notes: str = ""
    status_reason: str | None = None
    submitted: Signature | None = None
    approved: Signature | None = None
    #: the approver ticked that they reviewed the divergence between readings
    divergence_acknowledged: bool = False

    def state(self) -> dict[str, Any]:
        """The whole record as plain JSON values: what the audit history records (absent
        fields left out) and what ``verify`` compares the history with."""
        state = self.bookkeeping()
        content = self.draft.to_json()
        # to_json leaves a blank account number or name out (for the validator); the
        # history keeps exactly what was typed, spaces included
        account = self.draft.account
        for key in ("number", "customer_name"):
            if getattr(account, key):
                content["account"][key] = getattr(account, key)
        state.update(content)
        return state

    def bookkeeping(self) -> dict[str, Any]:
        """The part of :meth:`state` that is not the case content (status, revision,
        who and when): all that changes when a case moves through the workflow."""
        state: dict[str, Any] = {
            "case_number": self.case_number,
            "status": self.status.value,
            "revision": self.revision,
            "created_at": format_utc(self.created_at),
            "updated_at": format_utc(self.updated_at),
            "prepared_by": self.prepared_by,
            "last_edited_by": self.last_edited_by,
            "notes": self.notes,
        }
        if self.assignee is not None:
            state["assignee"] = self.assignee
        if self.status_reason is not None:
            state["status_reason"] = self.status_reason
        if self.submitted is not None:
            state["submitted"] = self.submitted.to_json()
        if self.approved is not None:
            state["approved"] = self.approved.to_json()
        if self.divergence_acknowledged:
            state["divergence_acknowledged"] = True
        return state


@dataclass(frozen=True, slots=True)
class QueueItem:
    """A submitted case waiting for a supervisor (or a returned one back with its
    clerk): the totals and flags of the determination recorded at submission."""

    case_id: int
    case_number: str
    status: CaseStatus
    revision: int
    account_number: str
    customer_name: str
    prepared_by: str
    #: ``None`` (and no totals) only for a case submitted under case-file version 1
    submitted: Signature | None
    refund_total: Decimal | None
    back_bill_total: Decimal | None
    flags: tuple[str, ...]
    status_reason: str | None = None

    @property
    def readings_differ(self) -> bool:
        return "readings_differ" in self.flags


@dataclass(frozen=True, slots=True)
class AttachmentRecord:
    id: int
    case_id: int
    sha256: str
    original_name: str
    media_type: str
    size: int
    added_at: datetime
    added_by: str


@dataclass(frozen=True, slots=True)
class DeterminationRecord:
    """A determination snapshot: the engine's ``determination@1`` JSON for the case at
    ``case_revision``, bound to the fingerprint of the case inputs and rule pack."""

    id: int
    case_id: int
    case_revision: int
    fingerprint: str
    rule_pack: str
    rule_pack_version: str
    determination: dict[str, Any]
    created_at: datetime
    created_by: str


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """An issued PDF (its bytes are fetched separately: ``documents.pdf(id)``)."""

    id: int
    case_id: int
    kind: DocumentKind
    issue_number: int
    fingerprint: str
    sha256: str
    page_count: int
    created_at: datetime
    created_by: str



@dataclass(frozen=True, slots=True)
class DocumentCopy:
    """A reprint or a saved copy of an issued document, stamped COPY: a row of its own
    (``purpose`` ``reprint`` or ``save``; a saved copy names its file). Its bytes are
    fetched separately: ``documents.copy_pdf(id)``."""

    id: int
    document_id: int
    purpose: str
    sha256: str
    page_count: int
    file_name: str | None
    created_at: datetime
    created_by: str
