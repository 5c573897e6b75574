"""What a document is rendered from: one pure input object per case, and the kinds of
document a determination calls for."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from ..domain.case import Case
from ..domain.determination import Determination, Outcome
from ..domain.fingerprint import case_fingerprint
from ..domain.history import HistoryHead
from ..domain.kinds import DocumentKind
from ..domain.rulepacks import get_rule_pack
from .settings import DEFAULT_SETTINGS, DocumentSettings, RefundMethod


def kinds_for(determination: Determination) -> tuple[DocumentKind, ...]:
    """The documents a determination calls for. Every case gets a customer letter (a
    case with nothing to credit or bill still gets one saying so and why); a memo is the
    instruction to finance to post an amount, so there is a credit memo when something
    is credited, a back-bill memo when something is back-billed, both for a mixed case,
    and none when nothing is posted."""
    kinds = [DocumentKind.LETTER]
    if determination.outcome in (Outcome.CREDIT, Outcome.CREDIT_AND_BACK_BILL):
        kinds.append(DocumentKind.CREDIT_MEMO)
    if determination.outcome in (Outcome.BACK_BILL, Outcome.CREDIT_AND_BACK_BILL):
        kinds.append(DocumentKind.BACK_BILL_MEMO)
    return tuple(kinds)


@dataclass(frozen=True, slots=True)
class Signoff:
    """Who prepared or approved the case, and when (a UTC timestamp)."""

    name: str
    at: datetime

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError(f"sign-off time of {self.name!r} must carry a time zone")
        object.__setattr__(self, "at", self.at.astimezone(timezone.utc))


@dataclass(frozen=True)
class DocumentInput:
    """Everything a case's letter and memos are rendered from. Pure data: the store
    builds it from the case file, the batch sends it to worker processes, the read-back
    check compares the PDF against it.

    ``determination`` is the approved determination of ``case``; ``fingerprint`` is what
    the approval bound to (:func:`~billing_desk.domain.fingerprint.case_fingerprint`).
    ``copy`` marks a reprint (stamped COPY on every page); ``preview`` a document shown
    before it is issued (watermarked PREVIEW · NOT ISSUED on every page, so a printout
    can never pass for a notice). Only a preview may lack a sign-off: a case not yet
    submitted has no ``prepared``, one not yet approved no ``approved``.
    """

    case_number: str
    case: Case
    determination: Determination
    fingerprint: str
    prepared: Signoff | None
    approved: Signoff | None
    issue_date: date
    settings: DocumentSettings = field(default=DEFAULT_SETTINGS)
    refund_method: RefundMethod | None = None
    copy: bool = False
    preview: bool = False
    #: the case file's history head when the documents were rendered (the newest entry,
    #: before the issue's own): printed on the memos, so that a history rewritten later
    #: disagrees with paper already sent (domain/history.py). None on a preview, and on
    #: the reprint of an issue that recorded none.
    history_head: HistoryHead | None = None

    @classmethod
    def for_case(cls, case_number: str, case: Case, *, prepared: Signoff | None,
                 approved: Signoff | None, issue_date: date,
                 settings: DocumentSettings = DEFAULT_SETTINGS,
                 refund_method: RefundMethod | None = None, copy: bool = False,
                 fingerprint: str | None = None, preview: bool = False,
                 history_head: HistoryHead | None = None) -> "DocumentInput":
        """The input for a case, with its determination computed. Pass ``fingerprint``,
        the one the approval recorded, when issuing: :func:`~.issue.prepare_issue` then
        refuses a case that no longer matches it. Without it the case's current
        fingerprint is used (previews, tests)."""
        pack = get_rule_pack(case.rule_pack)
        if fingerprint is None:
            fingerprint = case_fingerprint(case, pack.name, pack.version)
        return cls(case_number, case, pack.determine(case), fingerprint, prepared, approved,
                   issue_date, settings, refund_method, copy, preview, history_head)

    @property
    def kinds(self) -> tuple[DocumentKind, ...]:
        return kinds_for(self.determination)

    @property
    def locale(self) -> str:
        return self.case.account.effective_locale

    @property
    def memo_locale(self) -> str:
        """Memos are for staff: in the office's language, whatever the customer's."""
        return self.settings.office_locale

    @property
    def effective_refund_method(self) -> RefundMethod:
        # A former customer has no next bill to carry a credit: refund by check.
        if not self.case.account.is_current_customer:
            return RefundMethod.REFUND_CHECK
        return self.refund_method or self.settings.refund_method

    @property
    def balance_change(self) -> Decimal:
        """How much the letter moves the customer's account balance: up (> 0) by a
        back-bill, down by a credit on the bill; a refund check leaves it alone. What
        the customer is asked to pay, and what installments are offered on, is this."""
        det = self.determination
        credited = (det.refund_total if self.effective_refund_method is RefundMethod.BILL_CREDIT
                    else Decimal("0.00"))
        return det.back_bill_total - credited

    @property
    def due_date(self) -> date:
        """When an amount the letter asks for is due (setting backbill.due_days)."""
        return self.issue_date + timedelta(days=self.settings.due_days)

    @property
    def dispute_deadline(self) -> date:
        """The last day to ask for a review of the letter (setting dispute.days)."""
        return self.issue_date + timedelta(days=self.settings.dispute_days)

    def as_copy(self) -> "DocumentInput":
        """The same documents, stamped COPY (a reprint)."""
        return self._replace(copy=True)

    def as_preview(self) -> "DocumentInput":
        """The same documents, watermarked PREVIEW · NOT ISSUED (never stored)."""
        return self._replace(preview=True)

    def _replace(self, **changes: object) -> "DocumentInput":
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return DocumentInput(**values)  # type: ignore[arg-type]

    def __reduce__(self):
        # The determination holds read-only mappings that do not pickle; it is a pure
        # function of the case, so a worker process recomputes it.
        values = tuple(getattr(self, f.name) for f in fields(self) if f.name != "determination")
        return (_rebuild_input, values)


def _rebuild_input(case_number, case, fingerprint, prepared, approved, issue_date, settings,
                   refund_method, copy, preview, history_head) -> DocumentInput:
    return DocumentInput(case_number, case, get_rule_pack(case.rule_pack).determine(case),
                         fingerprint, prepared, approved, issue_date, settings, refund_method,
                         copy, preview, history_head)
