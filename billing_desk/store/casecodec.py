"""A :class:`CaseDraft` as rows of ``cases`` and ``periods``, and back.

Money is stored as its canonical text (``"12.34"``), dates as ISO text, absent values as
NULL, so that loading gives back a draft equal to the one saved.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..domain.case import Evidence, OccurredBasis, Options, Reading, Service
from ..domain.delivery import Delivery
from ..domain.draft import AccountDraft, CaseDraft, PeriodDraft
from ..domain.money import money_text
from ..domain.workflow import CaseStatus
from .records import CaseRecord, Signature
from .timestamps import format_utc, parse_utc

#: ``cases`` columns holding the draft, in the order :func:`draft_values` gives them.
CONTENT_COLUMNS = (
    "rule_pack", "why", "undercharge_reading", "minimal_threshold", "occurred_basis",
    "account_number", "customer_name", "service_address", "mailing_address", "locale",
    "current_customer", "service", "currency", "discovered_on", "made_known_on",
    "customer_could_have_discovered", "documentation_available", "documentation_confirmed",
    "customer_concealed_error", "cause",
    "email", "delivery",  # schema version 7: how the customer's notices go out (issue 20)
)
#: bookkeeping columns, in the order of :class:`CaseRecord`'s fields after ``draft``
META_COLUMNS = ("status", "revision", "created_at", "updated_at", "prepared_by",
                "last_edited_by", "assignee", "notes", "status_reason")
#: the submission and approval signatures (schema version 2), after the content
SIGNATURE_COLUMNS = ("submitted_by", "submitted_at", "submitted_fingerprint", "approved_by",
                     "approved_at", "approved_fingerprint", "divergence_acknowledged")
RECORD_COLUMNS = ("id", "case_number") + META_COLUMNS + CONTENT_COLUMNS + SIGNATURE_COLUMNS
PERIOD_COLUMNS = ("start_date", "end_date", "bill_date", "billed", "correct", "note")

def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _money(m: Decimal | None) -> str | None:
    return None if m is None else money_text(m)


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _enum(kind: Any, value: str | None) -> Any:
    return None if value is None else kind(value)


def draft_values(d: CaseDraft) -> tuple:
    a, e, o = d.account, d.evidence, d.options
    return (
        d.rule_pack, d.why,
        None if o.undercharge_reading is None else o.undercharge_reading.value,
        _money(o.minimal_threshold),
        None if o.occurred_basis is None else o.occurred_basis.value,
        a.number, a.customer_name, a.service_address, a.mailing_address, a.locale,
        a.current_customer,
        None if d.service is None else d.service.value,
        d.currency, _iso(d.discovered_on), _iso(d.made_known_on),
        bool(e.customer_could_have_discovered), bool(e.documentation_available),
        bool(e.documentation_confirmed), bool(e.customer_concealed_error), d.cause,
        a.email, None if a.delivery is None else a.delivery.value,
    )


def period_row(case_id: int, position: int, p: PeriodDraft) -> tuple:
    return (case_id, position, _iso(p.start), _iso(p.end), _iso(p.bill_date), _money(p.billed),
            _money(p.correct), p.note)


def period_rows(case_id: int, d: CaseDraft) -> list[tuple]:
    return [period_row(case_id, i, p) for i, p in enumerate(d.periods)]


@lru_cache(maxsize=8192)
def period_from_row(row: tuple) -> PeriodDraft:
    """One ``periods`` row (PERIOD_COLUMNS values) as a period. Cached by the row's
    values: a case open in the editor is read again inside every save (the state the
    edit is checked against), and all but the edited row read the same as last time. A
    PeriodDraft is immutable, so one can be shared."""
    s, e, b, billed, correct, note = row
    return PeriodDraft(_date(s), _date(e), _date(b), _decimal(billed), _decimal(correct), note)


def draft_from_row(c: tuple, periods: list[tuple]) -> CaseDraft:
    """``c``: the CONTENT_COLUMNS values; ``periods``: PERIOD_COLUMNS rows in order."""
    (rule_pack, why, reading, threshold, basis, number, name, service_address,
     mailing_address, locale, current, service, currency, discovered, made_known,
     could, available, confirmed, concealed, cause, email, delivery) = c
    return CaseDraft(
        rule_pack=rule_pack,
        account=AccountDraft(number, name, service_address, mailing_address, locale, _bool(current),
                             email, _enum(Delivery, delivery)),
        service=_enum(Service, service),
        currency=currency,
        discovered_on=_date(discovered),
        made_known_on=_date(made_known),
        evidence=Evidence(bool(could), bool(available), bool(confirmed), bool(concealed)),
        periods=tuple(map(period_from_row, periods)),
        options=Options(_enum(Reading, reading), _decimal(threshold), _enum(OccurredBasis, basis)),
        why=why,
        cause=cause,
    )


def signature_values(r: CaseRecord) -> tuple:
    """The SIGNATURE_COLUMNS values of a record."""
    values: tuple = ()
    for sig in (r.submitted, r.approved):
        values += (None, None, None) if sig is None else (sig.login, format_utc(sig.at), sig.fingerprint)
    return values + (bool(r.divergence_acknowledged),)


def _signature(login: str | None, at: str | None, fingerprint: str | None) -> Signature | None:
    return None if login is None else Signature(login, parse_utc(at), fingerprint)


def record_from_row(row: tuple, periods: list[tuple]) -> CaseRecord:
    """``row``: the RECORD_COLUMNS values."""
    n_meta, n_content = len(META_COLUMNS), len(CONTENT_COLUMNS)
    id_, number = row[0], row[1]
    status, revision, created, updated, prepared, edited, assignee, notes, reason = row[2:2 + n_meta]
    content = row[2 + n_meta:2 + n_meta + n_content]
    signatures = row[2 + n_meta + n_content:]
    return CaseRecord(
        id=id_, case_number=number, draft=draft_from_row(content, periods),
        status=CaseStatus(status), revision=revision, created_at=parse_utc(created),
        updated_at=parse_utc(updated), prepared_by=prepared, last_edited_by=edited,
        assignee=assignee, notes=notes, status_reason=reason,
        submitted=_signature(*signatures[0:3]), approved=_signature(*signatures[3:6]),
        divergence_acknowledged=bool(signatures[6]),
    )
