"""Incidents in the case file (issue 18): one billing error, many accounts.

``cf.incidents``. Every change is one transaction through ``Connection.write`` with its
audit entries, and every control is enforced here, inside that transaction, whoever
calls (the app, the command line, a script):

- :meth:`IncidentRepository.create` makes the incident and one case per account, all or
  nothing: one entry per case (its ``create``, naming the incident and the CSV line
  under ``details``) and one for the incident, whose ``after`` records the file's
  SHA-256 and a digest of the incident's membership. Interrupted (cancelled, killed,
  the disk full), it leaves no incident and no case.
- :meth:`override` changes one case's evidence (a customer who could have discovered
  the error): the case's own ``edit`` entry and an ``override`` entry of the incident,
  with the reason. Like any edit it sends a submitted or approved case back to draft,
  so an approved case overridden drops out of the incident's approval.
- :meth:`submit` submits every draft case of the incident (``workflow`` rules, one
  entry per case, one for the incident).
- :meth:`draw_sample` records a review: the submitted cases with the fingerprint each
  was submitted with, and the sample (``domain.sampling``) drawn from a seed that the
  ``sample`` entry records.
- :meth:`approve` approves exactly the cases and fingerprints of a review drawn by the
  approver: each case by ``workflow.check_approve`` (own case, per-case limit, what was
  submitted, divergence acknowledged) through the same step as a single approval, and
  the incident by ``incident.check_incident_approval`` (nobody who created the incident
  or prepared, edited or submitted any of its cases; the incident total within the
  approver's limit). Any refusal undoes the whole approval.

The SQL is standard (no SQLite-only function), for the server backend too.
"""

from __future__ import annotations

import hashlib
import json
from bisect import insort
import secrets
import threading
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Callable, Iterable, Iterator, Sequence

from ..domain.canonical import canonical_json
from ..domain.case import Case, Evidence, OccurredBasis, Options, Reading, Service
from ..domain.caseformat import EVIDENCE_KEYS
from ..domain.draft import CaseDraft
from ..domain.incident import (
    FIGURE_COLUMNS, CaseFigures, Incident, IncidentTotals, check_incident_approval,
    fingerprint_and_figures, incident_number_for, incident_totals, incident_why, merge_totals,
    outliers,
)
from ..domain.incident_csv import AccountRows
from ..domain.money import from_cents, money_text, to_cents
from ..domain.sampling import Candidate, SampledBecause, draw_sample
from ..domain.workflow import Action, CaseStatus, WorkflowRefused, next_status
from .audit import AUDIT_COLUMNS, DETAILS, AuditEntry
from .casecodec import period_rows
from .caserows import INSERT_CASE, INSERT_PERIOD, fetch_record, record_values, write_record
from .cases import VOIDED_BY_EDIT, case_number_for
from .connection import Connection, Transaction
from .errors import RecordNotFound, StoreError
from .records import CaseRecord
from .summaries import SUMMARY_COLUMNS, CaseSummary, summary_from_row
from .timestamps import format_utc, parse_utc
from .users import find_user
from .workflow import apply_action

Progress = Callable[[int, int], None]
#: how often (in cases) a long step reports progress and looks at its cancel event
STEP = 250


class IncidentCancelled(StoreError):
    """A long incident step was cancelled: nothing of it was kept."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} was cancelled: nothing was changed.")


class ApprovalState(StrEnum):
    """A case's standing under its incident's approvals."""

    NOT_COVERED = "not_covered"  # in no approval of the incident (yet)
    COVERED = "covered"  # approved by the incident's approval, exactly as reviewed
    DROPPED_OUT = "dropped_out"  # approved with the incident, edited since: needs its own approval
    OWN = "own"  # dropped out, then approved on its own


@dataclass(frozen=True, slots=True)
class IncidentRecord:
    id: int
    incident_number: str
    incident: Incident
    source_name: str
    source_sha256: str
    source_rows: int
    created_at: datetime
    created_by: str

    def state(self) -> dict:
        """What the history records about the incident (and ``verify`` compares)."""
        i = self.incident
        state = {
            "incident_number": self.incident_number, "description": i.description,
            "cause": i.cause, "service": i.service.value, "currency": i.currency,
            "discovered_on": i.discovered_on.isoformat(),
            "evidence": {k: getattr(i.evidence, k) for k in EVIDENCE_KEYS},
            "rule_pack": i.rule_pack,
            "source": {"name": self.source_name, "sha256": self.source_sha256,
                       "rows": self.source_rows},
            "created_at": format_utc(self.created_at), "created_by": self.created_by,
        }
        if i.made_known_on is not None:
            state["made_known_on"] = i.made_known_on.isoformat()
        o = i.options
        options = {}
        if o.undercharge_reading is not None:
            options["undercharge_reading"] = o.undercharge_reading.value
        if o.minimal_threshold is not None:
            options["minimal_threshold"] = money_text(o.minimal_threshold)
        if o.occurred_basis is not None:
            options["occurred_basis"] = o.occurred_basis.value
        if options:
            state["options"] = options
        return state


@dataclass(frozen=True, slots=True)
class IncidentListing:
    """One incident in the list: its record and how many cases are in each status."""

    record: IncidentRecord
    statuses: dict[str, int]

    @property
    def cases(self) -> int:
        return sum(self.statuses.values())


@dataclass(frozen=True, slots=True)
class IncidentCase:
    """One case of the incident as the incident view shows it."""

    case_id: int
    case_number: str
    account_number: str
    customer_name: str
    status: CaseStatus
    revision: int
    line: int
    #: None: the case cannot be determined as it stands (it was edited into an invalid state)
    figures: CaseFigures | None
    submitted_fingerprint: str | None
    approved_fingerprint: str | None
    approval: ApprovalState
    #: why it is in the sample of the review the list was asked for (None: not in it)
    sampled: SampledBecause | None = None
    #: outside the fences the list was asked for
    outlier: bool = False


class CaseFilter(StrEnum):
    """Which of an incident's cases a list shows."""

    ALL = "All cases"
    DIVERGENT = "Readings diverge"
    OUTLIERS = "Outliers"
    SAMPLE = "In the review sample"
    DROPPED_OUT = "Dropped out of the approval"
    NOT_APPROVED = "Not approved yet"


class CaseSort(StrEnum):
    CASE = "case"
    ACCOUNT = "account"
    CUSTOMER = "customer"
    STATUS = "status"
    REFUND = "refund"
    BACK_BILL = "back_bill"
    SIX_YEAR = "six_year"
    DIVERGES = "diverges"
    OUTLIER = "outlier"
    SAMPLE = "sample"
    APPROVAL = "approval"


@dataclass(frozen=True, slots=True)
class IncidentCaseQuery:
    """What a list of an incident's cases shows: a filter, an order, the review whose
    sample it marks and the outlier fences in whole cents (``domain.incident.cents_bounds``)."""

    filter: CaseFilter = CaseFilter.ALL
    sort: CaseSort = CaseSort.CASE
    descending: bool = False
    review: int | None = None
    outside: tuple[int, int] | None = None
    first_case: int | None = None
    last_case: int | None = None


@dataclass(frozen=True, slots=True)
class IncidentSummary:
    totals: IncidentTotals
    #: the amount (the larger of refund and back bill) of every case with one above zero,
    #: in whole cents, ascending
    amounts: tuple[int, ...]
    statuses: tuple[tuple[str, int], ...]
    dropped_out: int
    #: cases changed since their figures were kept (computed again for this summary)
    changed: int


def _cents(column: str) -> str:
    """A money column (exactly two decimals, by its CHECK: text in a file, numeric on a
    server) as whole cents: exact integer arithmetic in the database, never a float."""
    return f"CAST(replace(CAST(ic.{column} AS TEXT), '.', '') AS BIGINT)"


#: a case's amount in cents: the larger of refund and back bill (as ``CaseFigures.amount``)
_AMOUNT = (f"CASE WHEN {_cents('refund')} >= {_cents('back_bill')} THEN {_cents('refund')} "
           f"ELSE {_cents('back_bill')} END")
_SUM_UNDETERMINED = "sum(CASE WHEN ic.refund IS NULL THEN 1 ELSE 0 END)"
#: 1 for a case with something kept back by the six-year limit
_SIX_YEAR_CASE = "CASE WHEN ic.six_year <> '0.00' THEN 1 ELSE 0 END"
#: the newest approval of the incident that listed each case, and the fingerprint it listed
_COVERED = (
    "SELECT rc.case_id AS case_id, rc.fingerprint AS fingerprint FROM incident_review_cases rc "
    "JOIN incident_approvals a ON a.review_id = rc.review_id JOIN (SELECT rc2.case_id AS cid, "
    "max(a2.id) AS aid FROM incident_review_cases rc2 JOIN incident_approvals a2 ON "
    "a2.review_id = rc2.review_id WHERE a2.incident_id = ? GROUP BY rc2.case_id) newest ON "
    "newest.cid = rc.case_id AND newest.aid = a.id")
_DONE_STATUSES = "('approved', 'issued', 'closed')"
_APPROVAL = (
    "CASE WHEN cov.fingerprint IS NULL THEN 'not_covered' "
    f"WHEN c.approved_fingerprint = cov.fingerprint AND c.status IN {_DONE_STATUSES} THEN 'covered' "
    f"WHEN c.approved_fingerprint IS NOT NULL AND c.status IN {_DONE_STATUSES} THEN 'own' "
    "ELSE 'dropped_out' END")
_PAGE_COLUMNS = (
    "ic.case_id, c.case_number, c.account_number, c.customer_name, c.status, c.revision, "
    f"ic.line, ic.case_revision, {', '.join('ic.' + f for f in FIGURE_COLUMNS)}, "
    "ic.readings_differ, ic.outcome, c.submitted_fingerprint, c.approved_fingerprint, "
    f"{_APPROVAL} AS approval, rc.sampled, {{outlier}} AS outlier")
_SORT = {
    CaseSort.CASE: "ic.case_id", CaseSort.ACCOUNT: "c.account_number",
    CaseSort.CUSTOMER: "c.customer_name", CaseSort.STATUS: "c.status",
    CaseSort.REFUND: _cents("refund"), CaseSort.BACK_BILL: _cents("back_bill"),
    CaseSort.SIX_YEAR: _cents("six_year"), CaseSort.DIVERGES: "ic.readings_differ",
    CaseSort.OUTLIER: "outlier", CaseSort.SAMPLE: "rc.sampled", CaseSort.APPROVAL: "approval",
}


def _outlier_sql(query: IncidentCaseQuery) -> tuple[str, list]:
    if query.outside is None:
        return "0", []
    low, high = query.outside
    return (f"CASE WHEN ic.refund IS NOT NULL AND {_AMOUNT} > 0 AND ({_AMOUNT} < ? OR "
            f"{_AMOUNT} > ?) THEN 1 ELSE 0 END", [low, high])


def _case_select(incident_id: int, query: IncidentCaseQuery, columns: str) -> tuple[str, list]:
    """SELECT ``columns`` FROM the incident's cases that ``query`` shows (no ORDER BY)."""
    outlier, outlier_params = _outlier_sql(query)
    uses_outlier = "{outlier}" in columns
    columns = columns.replace("{outlier}", outlier)
    params: list = list(outlier_params) if uses_outlier else []
    params.append(incident_id)  # (the covered cases' subquery)
    where = ["ic.incident_id = ?"]
    params.append(query.review if query.review is not None else -1)
    params.append(incident_id)
    f = query.filter
    if f is CaseFilter.DIVERGENT:
        where.append("ic.readings_differ")
    elif f is CaseFilter.OUTLIERS:
        where.append(f"({outlier}) = 1")
        params += outlier_params
    elif f is CaseFilter.SAMPLE:
        where.append("rc.sampled IS NOT NULL")
    elif f is CaseFilter.DROPPED_OUT:
        where.append(f"({_APPROVAL}) = 'dropped_out'")
    elif f is CaseFilter.NOT_APPROVED:
        where.append(f"({_APPROVAL}) IN ('not_covered', 'dropped_out')")
    if query.first_case is not None:
        where.append("ic.case_id >= ?")
        params.append(query.first_case)
    if query.last_case is not None:
        where.append("ic.case_id <= ?")
        params.append(query.last_case)
    sql = (f"SELECT {columns} FROM incident_cases ic JOIN cases c ON c.id = ic.case_id "
           f"LEFT JOIN ({_COVERED}) cov ON cov.case_id = ic.case_id "
           "LEFT JOIN incident_review_cases rc ON rc.review_id = ? AND rc.case_id = ic.case_id "
           f"WHERE {' AND '.join(where)}")
    return sql, params


def _order(query: IncidentCaseQuery) -> str:
    direction = " DESC" if query.descending else ""
    key = _SORT[query.sort]
    return f"{key}{direction}, ic.case_id{direction}" if key != "ic.case_id" else f"{key}{direction}"


def _incident_case(row: tuple) -> "IncidentCase":
    n = len(FIGURE_COLUMNS)
    case_id, number, account, name, status, revision, line, kept = row[:8]
    texts = row[8:8 + n]
    differ, outcome, submitted_fp, approved_fp, approval, sampled, outlier = row[8 + n:]
    figures = None if texts[0] is None else CaseFigures.from_texts(texts, differ, outcome)
    return IncidentCase(case_id, number, account, name, CaseStatus(status), revision, line,
                        figures, submitted_fp, approved_fp, ApprovalState(approval),
                        None if sampled is None else SampledBecause(sampled), bool(outlier))


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    id: int
    incident_id: int
    seed: str
    sample_size: int
    listed: int
    listing_sha256: str
    drawn_at: datetime
    drawn_by: str
    #: case id -> why it is in the sample
    sample: dict[int, SampledBecause]
    approved: bool = False


@dataclass(frozen=True, slots=True)
class ApprovalRecord:
    id: int
    incident_id: int
    review_id: int
    approved_at: datetime
    approved_by: str
    cases: int
    refund_total: Decimal
    back_bill_total: Decimal


_INCIDENT_COLUMNS = (
    "id", "incident_number", "description", "cause", "service", "currency", "discovered_on",
    "made_known_on", "customer_could_have_discovered", "documentation_available",
    "documentation_confirmed", "customer_concealed_error", "rule_pack", "undercharge_reading",
    "minimal_threshold", "occurred_basis", "source_name", "source_sha256", "source_rows",
    "created_at", "created_by")
_FIGURE_SQL = ", ".join(FIGURE_COLUMNS)


def _incident_values(r: IncidentRecord) -> tuple:
    i, o = r.incident, r.incident.options
    return (r.id, r.incident_number, i.description, i.cause, i.service.value, i.currency,
            i.discovered_on.isoformat(),
            None if i.made_known_on is None else i.made_known_on.isoformat(),
            *(bool(getattr(i.evidence, k)) for k in EVIDENCE_KEYS), i.rule_pack,
            None if o.undercharge_reading is None else o.undercharge_reading.value,
            None if o.minimal_threshold is None else money_text(o.minimal_threshold),
            None if o.occurred_basis is None else o.occurred_basis.value,
            r.source_name, r.source_sha256, r.source_rows, format_utc(r.created_at), r.created_by)


def _incident_record(row: tuple) -> IncidentRecord:
    (id_, number, description, cause, service, currency, discovered, made_known, could,
     available, confirmed, concealed, rule_pack, reading, threshold, basis, source_name,
     source_sha, source_rows, created_at, created_by) = row
    incident = Incident(
        description=description, service=Service(service), cause=cause,
        discovered_on=date.fromisoformat(discovered),
        evidence=Evidence(bool(could), bool(available), bool(confirmed), bool(concealed)),
        made_known_on=None if made_known is None else date.fromisoformat(made_known),
        options=Options(None if reading is None else Reading(reading),
                        None if threshold is None else Decimal(threshold),
                        None if basis is None else OccurredBasis(basis)),
        rule_pack=rule_pack, currency=currency)
    return IncidentRecord(id_, number, incident, source_name, source_sha, source_rows,
                          parse_utc(created_at), created_by)


def membership_digest(rows: Iterable[tuple[int, int]]) -> str:
    """SHA-256 over the incident's (case id, CSV line) pairs in case order: what the
    incident's ``create`` entry records and ``verify`` recomputes."""
    return hashlib.sha256(canonical_json(sorted(map(list, rows))).encode("utf-8")).hexdigest()


def listing_digest(rows: Iterable[tuple[int, str]]) -> str:
    """SHA-256 over a review's (case id, fingerprint) pairs in case order."""
    return hashlib.sha256(canonical_json(sorted(map(list, rows))).encode("utf-8")).hexdigest()


_figures_of = fingerprint_and_figures


FiguresOf = Callable[[Sequence[Case]], Iterable[tuple[str, CaseFigures]]]


def serial_figures(cases: Sequence[Case]) -> Iterable[tuple[str, CaseFigures]]:
    """Each case's fingerprint and figures, in order, in this process."""
    return map(_figures_of, cases)


def _figure_row(case_id: int, revision: int, fingerprint: str | None,
                figures: CaseFigures | None) -> tuple:
    if figures is None:
        return (revision, None, *([None] * len(FIGURE_COLUMNS)), None, None, case_id)
    return (revision, fingerprint, *figures.to_texts(), bool(figures.readings_differ),
            figures.outcome.value, case_id)


_UPDATE_FIGURES = (f"UPDATE incident_cases SET case_revision = ?, fingerprint = ?, "
                   f"{', '.join(f'{c} = ?' for c in FIGURE_COLUMNS)}, readings_differ = ?, "
                   "outcome = ? WHERE case_id = ?")


def _checkpoint(done: int, total: int, progress: Progress | None,
                cancel: threading.Event | None, what: str) -> None:
    """Every STEP cases (and at the last): Cancel is looked at, progress reported."""
    if done % STEP == 0 or done == total:
        if cancel is not None and cancel.is_set():
            raise IncidentCancelled(what)
        if progress is not None:
            progress(done, total)


class IncidentRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    # -- reading ---------------------------------------------------------------------------

    def get(self, incident_id: int) -> IncidentRecord:
        row = self._c.row(f"SELECT {', '.join(_INCIDENT_COLUMNS)} FROM incidents WHERE id = ?",
                          (incident_id,))
        if row is None:
            raise RecordNotFound(f"Incident #{incident_id}")
        return _incident_record(row)

    def find(self, incident_number: str) -> IncidentRecord:
        """The incident with this number (``IN-000001``, letters in any case; ``1`` too)."""
        text = incident_number.strip().upper()
        if text.isdigit():
            text = incident_number_for(int(text))
        row = self._c.row(f"SELECT {', '.join(_INCIDENT_COLUMNS)} FROM incidents "
                          "WHERE incident_number = ?", (text,))
        if row is None:
            raise RecordNotFound(f"Incident {incident_number.strip()}")
        return _incident_record(row)

    def list(self) -> list[IncidentListing]:
        """Every incident, newest first, with its cases counted by status."""
        records = [_incident_record(r) for r in self._c.rows(
            f"SELECT {', '.join(_INCIDENT_COLUMNS)} FROM incidents ORDER BY id DESC")]
        counts: dict[int, dict[str, int]] = {}
        for incident_id, status, n in self._c.rows(
                "SELECT ic.incident_id, c.status, count(*) FROM incident_cases ic JOIN cases c "
                "ON c.id = ic.case_id GROUP BY ic.incident_id, c.status"):
            counts.setdefault(incident_id, {})[status] = n
        return [IncidentListing(r, counts.get(r.id, {})) for r in records]

    def incident_of(self, case_id: int) -> IncidentRecord | None:
        """The incident the case belongs to, if any."""
        incident_id = self._c.value("SELECT incident_id FROM incident_cases WHERE case_id = ?",
                                    (case_id,))
        return None if incident_id is None else self.get(incident_id)

    def count(self, incident_id: int, query: IncidentCaseQuery = IncidentCaseQuery()) -> int:
        """How many cases of the incident ``query`` shows."""
        sql, params = _case_select(incident_id, query, "count(*)")
        return self._c.value(sql, params)

    def page(self, incident_id: int, query: IncidentCaseQuery = IncidentCaseQuery(),
             offset: int = 0, limit: int = 200) -> list[IncidentCase]:
        """The cases ``query`` shows, sorted, from ``offset``: each with its figures --
        those kept with it, or, for a case changed since they were kept (edited in the
        case editor), computed again now from the case as it stands (a changed case is
        sorted by the figures kept with it)."""
        sql, params = _case_select(incident_id, query, _PAGE_COLUMNS)
        out = []
        for row in self._c.rows(f"{sql} ORDER BY {_order(query)} LIMIT ? OFFSET ?",
                                (*params, limit, offset)):
            case = _incident_case(row)
            if row[7] != row[5]:  # kept for an older revision
                current = fetch_record(self._c, case.case_id).draft.check().case
                case = replace(case, figures=None if current is None else _figures_of(current)[1])
            out.append(case)
        return out

    def cases(self, incident_id: int, query: IncidentCaseQuery = IncidentCaseQuery(),
              chunk: int = 5000) -> Iterator[IncidentCase]:
        """Every case ``query`` shows, a page at a time (for the memo and the command line)."""
        offset = 0
        while True:
            page = self.page(incident_id, query, offset, chunk)
            yield from page
            if len(page) < chunk:
                return
            offset += chunk

    def cases_by_id(self, incident_id: int, case_ids: Iterable[int]) -> list[IncidentCase]:
        """The incident's cases with these ids (the review sample), in case order."""
        wanted = set(case_ids)
        if not wanted:
            return []
        lo, hi = min(wanted), max(wanted)
        query = IncidentCaseQuery(first_case=lo, last_case=hi)
        return [c for c in self.cases(incident_id, query) if c.case_id in wanted]

    def summary(self, incident_id: int) -> IncidentSummary:
        """The incident's totals, each case's amount, its cases by status and how many
        dropped out of its approval: summed by the file in whole cents (exact), with the
        cases changed since their figures were kept computed again here."""
        self.get(incident_id)
        current = "ic.case_revision = c.revision"
        # one pass: per status, how many cases, how many changed since their figures were
        # kept, and the kept figures of the others summed in whole cents
        def kept_only(expression: str) -> str:
            # (a server sums whole cents as numeric: read back as a whole number again)
            return f"CAST(sum(CASE WHEN {current} THEN {expression} END) AS BIGINT)"

        groups = self._c.rows(
            f"SELECT c.status, count(*), sum(CASE WHEN {current} THEN 0 ELSE 1 END), "
            f"{kept_only('CASE WHEN ic.refund IS NULL THEN 1 ELSE 0 END')}, "
            f"{', '.join(kept_only(_cents(f)) for f in FIGURE_COLUMNS)}, "
            f"{kept_only(_SIX_YEAR_CASE)}, "
            f"{kept_only('CASE WHEN ic.readings_differ THEN 1 ELSE 0 END')} "
            "FROM incident_cases ic JOIN cases c ON c.id = ic.case_id WHERE ic.incident_id = ? "
            "GROUP BY c.status ORDER BY c.status", (incident_id,))
        statuses = tuple((g[0], g[1]) for g in groups)
        n_changed = sum(g[2] for g in groups)
        column = lambda k: sum(g[k] or 0 for g in groups)  # noqa: E731
        sums = [from_cents(column(4 + k)) for k in range(len(FIGURE_COLUMNS))]
        kept = IncidentTotals(sum(g[1] for g in groups) - n_changed, sums[0], sums[1], sums[2],
                              sums[3], sums[4], sums[5], (sums[6], sums[7], sums[8]),
                              column(4 + len(FIGURE_COLUMNS)), column(5 + len(FIGURE_COLUMNS)),
                              column(3))
        # the amounts above zero, in whole cents, sorted by the file: one column to read
        # (with no case changed, every kept figure is current: the cases need not be read)
        source = ("incident_cases ic WHERE ic.incident_id = ?" if not n_changed else
                  f"incident_cases ic JOIN cases c ON c.id = ic.case_id WHERE "
                  f"ic.incident_id = ? AND {current}")
        amounts = [cents for (cents,) in self._c.rows(
            f"SELECT amount FROM (SELECT {_AMOUNT} AS amount FROM {source} AND "
            "ic.refund IS NOT NULL) kept WHERE amount > 0 ORDER BY amount", (incident_id,))]
        changed = []
        for (case_id,) in (() if not n_changed else self._c.rows(
                "SELECT ic.case_id FROM incident_cases ic JOIN cases c ON c.id = ic.case_id "
                "WHERE ic.incident_id = ? AND ic.case_revision <> c.revision", (incident_id,))):
            case = fetch_record(self._c, case_id).draft.check().case
            figures = None if case is None else _figures_of(case)[1]
            changed.append(figures)
            if figures is not None and figures.amount > 0:
                insort(amounts, to_cents(figures.amount))
        totals = replace(merge_totals(kept, incident_totals(changed)),
                         smallest=from_cents(amounts[0]) if amounts else None,
                         largest=from_cents(amounts[-1]) if amounts else None)
        approved = self._c.value("SELECT 1 FROM incident_approvals WHERE incident_id = ?",
                                 (incident_id,)) is not None
        dropped = (self.count(incident_id, IncidentCaseQuery(filter=CaseFilter.DROPPED_OUT))
                   if approved else 0)
        return IncidentSummary(totals, tuple(amounts), statuses, dropped, len(changed))

    def totals(self, incident_id: int) -> IncidentTotals:
        return self.summary(incident_id).totals

    def approved_cases(self, incident_id: int) -> list[CaseSummary]:
        """The incident's cases that are approved (by its approval, or on their own once
        they dropped out of it), oldest first: what issuing the incident issues."""
        self.get(incident_id)
        return [summary_from_row(r) for r in self._c.rows(
            f"SELECT {', '.join('c.' + c for c in SUMMARY_COLUMNS)} FROM cases c JOIN "
            "incident_cases ic ON ic.case_id = c.id WHERE ic.incident_id = ? AND "
            "c.status = ? ORDER BY c.id", (incident_id, CaseStatus.APPROVED.value))]

    def history(self, incident_id: int) -> list[AuditEntry]:
        """The incident's own entries (create, override, submit, sample, approve)."""
        return [AuditEntry.from_row(r) for r in self._c.rows(
            f"SELECT {AUDIT_COLUMNS} FROM audit WHERE entity = 'incident' AND entity_id = ? "
            "ORDER BY id", (str(incident_id),))]

    def reviews(self, incident_id: int) -> list[ReviewRecord]:
        approved = {r[0] for r in self._c.rows(
            "SELECT review_id FROM incident_approvals WHERE incident_id = ?", (incident_id,))}
        out = []
        for row in self._c.rows(
                "SELECT id, incident_id, seed, sample_size, listed, listing_sha256, drawn_at, "
                "drawn_by FROM incident_reviews WHERE incident_id = ? ORDER BY id", (incident_id,)):
            sample = {case_id: SampledBecause(why) for case_id, why in self._c.rows(
                "SELECT case_id, sampled FROM incident_review_cases WHERE review_id = ? AND "
                "sampled IS NOT NULL ORDER BY case_id", (row[0],))}
            out.append(ReviewRecord(*row[:6], parse_utc(row[6]), row[7], sample,
                                    row[0] in approved))
        return out

    def latest_review(self, incident_id: int, by: str | None = None) -> ReviewRecord | None:
        """The newest review of the incident (drawn by ``by``, if given)."""
        reviews = [r for r in self.reviews(incident_id)
                   if by is None or r.drawn_by.casefold() == by.casefold()]
        return reviews[-1] if reviews else None

    def review_listing(self, review_id: int) -> dict[int, str]:
        """Case id -> fingerprint, as the review listed them."""
        return dict(self._c.rows("SELECT case_id, fingerprint FROM incident_review_cases "
                                 "WHERE review_id = ?", (review_id,)))

    def approvals(self, incident_id: int) -> list[ApprovalRecord]:
        return [ApprovalRecord(id_, inc, review, parse_utc(at), by, n, Decimal(r), Decimal(b))
                for id_, inc, review, at, by, n, r, b in self._c.rows(
                    "SELECT id, incident_id, review_id, approved_at, approved_by, cases, "
                    "refund_total, back_bill_total FROM incident_approvals WHERE incident_id = ? "
                    "ORDER BY id", (incident_id,))]

    # -- creating --------------------------------------------------------------------------

    def create(self, incident: Incident, accounts: Sequence[AccountRows], *, source_name: str,
               source: bytes, rows: int, actor: str, progress: Progress | None = None,
               cancel: threading.Event | None = None,
               figures_of: FiguresOf | None = None) -> IncidentRecord:
        """The incident and a draft case for each account, in one transaction (see the
        module docstring). ``source``: the CSV's bytes (only their SHA-256 is kept);
        ``rows``: the data rows it had. ``figures_of``: how each case's fingerprint and
        figures are computed, in order (default: the engine, one case after the other;
        a test passes one that fails part-way to see that nothing is kept)."""
        if not accounts:
            raise WorkflowRefused("no_accounts", "There is no account to make a case of: the "
                                  "file has no good rows.")
        with self._c.write(actor) as tx:
            incident_id = tx.execute("SELECT coalesce(max(id), 0) + 1 FROM incidents").fetchone()[0]
            record = IncidentRecord(incident_id, incident_number_for(incident_id), incident,
                                    source_name, hashlib.sha256(source).hexdigest(), rows, tx.at,
                                    tx.actor)
            tx.execute(f"INSERT INTO incidents ({', '.join(_INCIDENT_COLUMNS)}) VALUES "
                       f"({', '.join('?' * len(_INCIDENT_COLUMNS))})", _incident_values(record))
            why = incident_why(record.incident_number, incident)
            cases = [replace(account.case, why=why) for account in accounts]
            computed = iter((figures_of or serial_figures)(cases))
            try:
                self._create_cases(tx, record, accounts, cases, computed, progress, cancel)
            finally:
                close = getattr(computed, "close", None)
                if close is not None:
                    close()  # (worker processes stop, whether it commits or not)
            return record

    def _create_cases(self, tx: Transaction, record: IncidentRecord,
                      accounts: Sequence[AccountRows], cases: list[Case],
                      computed: Iterator[tuple[str, CaseFigures]], progress: Progress | None,
                      cancel: threading.Event | None) -> None:
        """One case per account, its entry, its figures; then the incident's entry. The
        rows go in a chunk at a time (one statement for a chunk's cases, one for their
        periods); the entries one by one, as the chain needs."""
        number, total = record.incident_number, len(accounts)
        next_id = tx.connection.next_case_id(tx)
        members: list[tuple[int, int]] = []
        figures: list[CaseFigures] = []
        for start in range(0, total, STEP):
            chunk = []
            for k in range(start, min(start + STEP, total)):
                account, case_id = accounts[k], next_id + k
                chunk.append((account, CaseRecord(
                    id=case_id, case_number=case_number_for(case_id),
                    draft=CaseDraft.from_case(cases[k]), status=CaseStatus.DRAFT, revision=1,
                    created_at=tx.at, updated_at=tx.at, prepared_by=tx.actor,
                    last_edited_by=tx.actor,
                    notes=f"Incident {number}: {record.source_name}, line {account.first_line}.")))
            tx.executemany(INSERT_CASE, [record_values(r) for _, r in chunk])
            tx.executemany(INSERT_PERIOD, [row for _, r in chunk
                                                for row in period_rows(r.id, r.draft)])
            figure_rows = []
            for account, case_record in chunk:
                tx.audit("create", "case", case_record.id, case_record.id, None,
                         {**case_record.state(),
                          DETAILS: {"incident": number, "line": account.first_line}})
                fingerprint, case_fig = next(computed)
                figures.append(case_fig)
                figure_rows.append((record.id, case_record.id, account.first_line, 1,
                                    fingerprint, *case_fig.to_texts(),
                                    bool(case_fig.readings_differ), case_fig.outcome.value))
                members.append((case_record.id, account.first_line))
            self._insert_figures(tx, figure_rows)
            _checkpoint(min(start + STEP, total), total, progress, cancel, "Creating the incident")
        totals = incident_totals(figures)
        tx.audit("create", "incident", record.id, None, None, {
            **record.state(),
            DETAILS: {"cases": total, "first_case": case_number_for(next_id),
                      "last_case": case_number_for(next_id + total - 1),
                      "membership_sha256": membership_digest(members),
                      "refund_total": money_text(totals.refund),
                      "back_bill_total": money_text(totals.back_bill),
                      "six_year_total": money_text(totals.six_year)}})

    @staticmethod
    def _insert_figures(tx: Transaction, rows: list[tuple]) -> None:
        if rows:
            tx.executemany(
                f"INSERT INTO incident_cases (incident_id, case_id, line, case_revision, "
                f"fingerprint, {_FIGURE_SQL}, readings_differ, outcome) VALUES "
                f"({', '.join('?' * (7 + len(FIGURE_COLUMNS)))})", rows)
            rows.clear()

    # -- changing --------------------------------------------------------------------------

    def override(self, incident_id: int, case_id: int, evidence: Evidence, reason: str, *,
                 actor: str, expected_revision: int | None = None) -> CaseRecord:
        """Change one case's evidence (see the module docstring); ``reason`` is required
        and kept in the incident's history."""
        reason = reason.strip()
        if not reason:
            raise WorkflowRefused("reason_required",
                                  "Say why this account's evidence differs from the incident's; "
                                  "it is kept in the history.")
        with self._c.write(actor) as tx:
            incident = self._incident_in(tx, incident_id)
            self._member(tx, incident_id, case_id)
            current = fetch_record(tx, case_id)
            if expected_revision is not None and current.revision != expected_revision:
                from .errors import StaleRevision
                from .workflow import last_actor

                raise StaleRevision(current.case_number, expected_revision, current.revision,
                                    last_actor(tx, case_id))
            if current.draft.evidence == evidence:
                tx.unchanged()
                return current
            status = next_status(current.status, Action.EDIT)  # issued, closed, void: refused
            action, reason_shown = "edit", current.status_reason
            if current.status in VOIDED_BY_EDIT:
                action, reason_shown = VOIDED_BY_EDIT[current.status]
            new = replace(current, draft=replace(current.draft, evidence=evidence), status=status,
                          status_reason=reason_shown, submitted=None, approved=None,
                          divergence_acknowledged=False)
            before = {k: getattr(current.draft.evidence, k) for k in EVIDENCE_KEYS
                      if getattr(current.draft.evidence, k) != getattr(evidence, k)}
            after = {k: getattr(evidence, k) for k in before}
            written = write_record(tx, current, new, action, actor=tx.actor,
                                   details={"incident": incident.incident_number,
                                            "override": reason})
            case = written.draft.check().case
            fingerprint, figures = _figures_of(case) if case is not None else (None, None)
            tx.execute(_UPDATE_FIGURES, _figure_row(case_id, written.revision, fingerprint, figures))
            tx.audit("override", "incident", incident_id, None, None, {DETAILS: {
                "case": written.case_number, "evidence_before": before, "evidence_after": after,
                "reason": reason, "approval_voided": current.status is CaseStatus.APPROVED}})
            return written

    def submit(self, incident_id: int, *, actor: str, progress: Progress | None = None,
               cancel: threading.Event | None = None) -> int:
        """Submit every draft (or returned) case of the incident for approval, under the
        workflow's rules; returns how many. One transaction."""
        with self._c.write(actor) as tx:
            self._incident_in(tx, incident_id)
            ids = [r[0] for r in tx.execute(
                "SELECT ic.case_id FROM incident_cases ic JOIN cases c ON c.id = ic.case_id "
                "WHERE ic.incident_id = ? AND c.status IN (?, ?) ORDER BY ic.case_id",
                (incident_id, CaseStatus.DRAFT.value, CaseStatus.RETURNED.value)).fetchall()]
            if not ids:
                tx.unchanged()
                return 0
            for k, case_id in enumerate(ids):
                current = fetch_record(tx, case_id)
                new = apply_action(tx, current, Action.SUBMIT, actor=tx.actor)
                self._keep_figures(tx, new)
                _checkpoint(k + 1, len(ids), progress, cancel, "Submitting the incident")
            tx.audit("submit", "incident", incident_id, None, None,
                     {DETAILS: {"cases": len(ids)}})
            return len(ids)

    @staticmethod
    def _keep_figures(tx: Transaction, record: CaseRecord) -> None:
        """The kept figures follow the case's revision (a workflow step changes the
        revision, not the figures)."""
        tx.execute("UPDATE incident_cases SET case_revision = ? WHERE case_id = ? AND "
                   "case_revision = ?", (record.revision, record.id, record.revision - 1))

    def draw_sample(self, incident_id: int, *, actor: str, seed: str | None = None,
                    size: int | None = None) -> ReviewRecord:
        """Record a review of the incident's submitted cases and draw its sample (size:
        the ``incident_sample_size`` setting unless given; seed: a fresh random one
        unless given). Only a user with approval authority reviews."""
        from .settings import SettingsRepository

        size = SettingsRepository(self._c).get("incident_sample_size") if size is None else size
        seed = seed or secrets.token_hex(16)
        with self._c.write(actor) as tx:
            self._incident_in(tx, incident_id)
            user = find_user(tx, tx.actor)
            if user is None or user.approval_limit is None or not user.active:
                raise WorkflowRefused("not_an_approver", f"User {tx.actor} has no approval "
                                      "authority: only a supervisor reviews an incident.")
            listed = self._submitted_with_figures(tx, incident_id)
            if not listed:
                raise WorkflowRefused("nothing_submitted", "No case of this incident is "
                                      "submitted: submit the incident before it is reviewed.")
            far = outliers([a if a is not None else Decimal(0) for _, _, a, _ in listed])
            sample = draw_sample([Candidate(case_id, k in far, differ)
                                  for k, (case_id, _, _, differ) in enumerate(listed)], size, seed)
            digest = listing_digest((case_id, fp) for case_id, fp, _, _ in listed)
            review_id = tx.execute("SELECT coalesce(max(id), 0) + 1 FROM incident_reviews"
                                   ).fetchone()[0]
            tx.execute("INSERT INTO incident_reviews (id, incident_id, seed, sample_size, listed, "
                       "listing_sha256, drawn_at, drawn_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (review_id, incident_id, seed, size, len(listed), digest, tx.at_text,
                        tx.actor))
            tx.executemany(
                "INSERT INTO incident_review_cases (review_id, case_id, fingerprint, sampled) "
                "VALUES (?, ?, ?, ?)",
                [(review_id, case_id, fp, sample[case_id].value if case_id in sample else None)
                 for case_id, fp, _, _ in listed])
            numbers = dict(tx.execute(
                "SELECT c.id, c.case_number FROM cases c JOIN incident_review_cases rc ON "
                "rc.case_id = c.id WHERE rc.review_id = ? AND rc.sampled IS NOT NULL",
                (review_id,)).fetchall())
            tx.audit("sample", "incident", incident_id, None, None, {DETAILS: {
                "review": review_id, "seed": seed, "sample_size": size, "listed": len(listed),
                "listing_sha256": digest,
                "sample": [[numbers[k], sample[k].value] for k in sorted(sample)]}})
            return ReviewRecord(review_id, incident_id, seed, size, len(listed), digest, tx.at,
                                tx.actor, dict(sorted(sample.items())))

    def _submitted_with_figures(self, tx: Transaction, incident_id: int
                                ) -> list[tuple[int, str, Decimal | None, bool]]:
        """(case id, submitted fingerprint, amount, readings differ) of each submitted
        case, in case order (amount None: it cannot be determined); the figures kept for
        an older revision are computed again."""
        out = []
        for case_id, fingerprint, revision, kept, cents, differ in tx.execute(
                f"SELECT c.id, c.submitted_fingerprint, c.revision, ic.case_revision, {_AMOUNT}, "
                "ic.readings_differ FROM incident_cases ic JOIN cases c ON c.id = ic.case_id "
                "WHERE ic.incident_id = ? AND c.status = ? AND c.submitted_fingerprint IS NOT NULL "
                "ORDER BY c.id", (incident_id, CaseStatus.SUBMITTED.value)).fetchall():
            if kept == revision:
                out.append((case_id, fingerprint, None if cents is None else from_cents(cents),
                            bool(differ)))
                continue
            case = fetch_record(tx, case_id).draft.check().case
            figures = None if case is None else _figures_of(case)[1]
            out.append((case_id, fingerprint, None if figures is None else figures.amount,
                        figures is not None and figures.readings_differ))
        return out

    def approve(self, incident_id: int, review_id: int, *, actor: str,
                acknowledge_divergence: bool = False, progress: Progress | None = None,
                cancel: threading.Event | None = None) -> ApprovalRecord:
        """Approve exactly the cases and fingerprints of review ``review_id`` (see the
        module docstring). Refused (``WorkflowRefused``, nothing approved) when the review
        is not the approver's, is approved already, or any listed case changed since it
        was drawn; by the incident's rules; or by any case's."""
        with self._c.write(actor) as tx:
            self._incident_in(tx, incident_id)
            user = find_user(tx, tx.actor)
            if user is None:
                raise WorkflowRefused("no_users", "This case file has no users yet.")
            who = user.actor()
            participants = self._participants(tx, incident_id)
            # authority and participation first: the total is checked once it is known
            check_incident_approval(who, participants=participants, total=IncidentTotals())
            review = tx.execute("SELECT incident_id, drawn_by, listing_sha256 FROM "
                                "incident_reviews WHERE id = ?", (review_id,)).fetchone()
            if review is None or review[0] != incident_id:
                raise RecordNotFound(f"Review #{review_id} of this incident")
            if review[1].casefold() != user.login.casefold():
                raise WorkflowRefused("not_your_review",
                                      f"The sample of review #{review_id} was drawn by "
                                      f"{review[1]}: draw and review your own sample before "
                                      "approving.")
            if tx.execute("SELECT 1 FROM incident_approvals WHERE review_id = ?",
                          (review_id,)).fetchone() is not None:
                raise WorkflowRefused("approved_already", f"Review #{review_id} is approved "
                                      "already.")
            listing = tx.execute("SELECT case_id, fingerprint FROM incident_review_cases "
                                 "WHERE review_id = ? ORDER BY case_id", (review_id,)).fetchall()
            if listing_digest(listing) != review[2]:
                raise WorkflowRefused("review_altered", f"Review #{review_id} does not match "
                                      "what was recorded when it was drawn; draw a new sample.")
            figures = []
            for k, (case_id, listed) in enumerate(listing):
                current = fetch_record(tx, case_id)
                if current.submitted is None or current.submitted.fingerprint != listed:
                    raise WorkflowRefused(
                        "changed_since_review",
                        f"Case {current.case_number} changed after the sample was drawn (it "
                        f"is {current.status.value} now): the approval must cover exactly "
                        "what was reviewed. Draw a new sample.")
                case = current.draft.check().case
                new = apply_action(tx, current, Action.APPROVE, actor=tx.actor,
                                   acknowledge_divergence=acknowledge_divergence)
                self._keep_figures(tx, new)
                figures.append(_figures_of(case)[1] if case is not None else None)
                _checkpoint(k + 1, len(listing), progress, cancel, "Approving the incident")
            totals = incident_totals(figures)
            check_incident_approval(who, participants=participants, total=totals)
            approval_id = tx.execute("SELECT coalesce(max(id), 0) + 1 FROM incident_approvals"
                                     ).fetchone()[0]
            tx.execute("INSERT INTO incident_approvals (id, incident_id, review_id, approved_at, "
                       "approved_by, cases, refund_total, back_bill_total) VALUES "
                       "(?, ?, ?, ?, ?, ?, ?, ?)",
                       (approval_id, incident_id, review_id, tx.at_text, tx.actor, len(listing),
                        money_text(totals.refund), money_text(totals.back_bill)))
            tx.audit("approve", "incident", incident_id, None, None, {DETAILS: {
                "approval": approval_id, "review": review_id, "cases": len(listing),
                "listing_sha256": review[2], "refund_total": money_text(totals.refund),
                "back_bill_total": money_text(totals.back_bill),
                "divergence_acknowledged": acknowledge_divergence}})
            return ApprovalRecord(approval_id, incident_id, review_id, tx.at, tx.actor,
                                  len(listing), totals.refund, totals.back_bill)

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _incident_in(tx: Transaction, incident_id: int) -> IncidentRecord:
        row = tx.execute(f"SELECT {', '.join(_INCIDENT_COLUMNS)} FROM incidents WHERE id = ?",
                         (incident_id,)).fetchone()
        if row is None:
            raise RecordNotFound(f"Incident #{incident_id}")
        return _incident_record(row)

    @staticmethod
    def _member(tx: Transaction, incident_id: int, case_id: int) -> None:
        if tx.execute("SELECT 1 FROM incident_cases WHERE incident_id = ? AND case_id = ?",
                      (incident_id, case_id)).fetchone() is None:
            raise RecordNotFound(f"Case #{case_id} of incident #{incident_id}")

    @staticmethod
    def _participants(tx: Transaction, incident_id: int) -> set[str]:
        """Everyone who created the incident, overrode or submitted it, or created,
        edited or submitted any of its cases (whatever the case's status now)."""
        who = {r[0] for r in tx.execute(
            "SELECT DISTINCT actor FROM audit WHERE entity = 'incident' AND entity_id = ? AND "
            "action IN ('create', 'override', 'submit')", (str(incident_id),))}
        who |= {r[0] for r in tx.execute(
            "SELECT DISTINCT a.actor FROM audit a JOIN incident_cases ic ON ic.case_id = a.case_id "
            "WHERE ic.incident_id = ? AND a.entity = 'case' AND (a.action IN ('create', "
            "'submit') OR a.action LIKE 'edit%')", (incident_id,))}
        return who


# --- verify --------------------------------------------------------------------------------

def verify_incidents(conn) -> str | None:
    """What ``billing-desk verify`` checks of the incidents (None: all is well): each
    incident is what its ``create`` entry recorded, its cases are the ones that entry's
    membership digest names, every review and approval was recorded by its entry (seed,
    listing, sample, totals), and the figures kept for each case are what its
    determination gives now (for the revision they were kept for)."""
    entries: dict[tuple[str, str], list[dict]] = {}
    for entity_id, action, after in conn.execute(
            "SELECT entity_id, action, after FROM audit WHERE entity = 'incident' ORDER BY id"):
        entries.setdefault((entity_id, action), []).append(json.loads(after))
    incidents = conn.execute(f"SELECT {', '.join(_INCIDENT_COLUMNS)} FROM incidents "
                             "ORDER BY id").fetchall()
    created = sum(len(v) for (_, action), v in entries.items() if action == "create")
    if created != len(incidents):
        return (f"{len(incidents)} incident(s) in the file but {created} created in the "
                "history: an incident was added or removed without an audit entry.")
    for row in incidents:
        record = _incident_record(row)
        made = entries.get((str(record.id), "create"))
        if not made:
            return f"incident {record.incident_number} has no history: it was added behind " \
                   "the application's back."
        recorded = dict(made[0])
        details = recorded.pop(DETAILS, {})
        if recorded != record.state():
            return f"incident {record.incident_number} does not match its history."
        members = conn.execute("SELECT case_id, line FROM incident_cases WHERE incident_id = ?",
                               (record.id,)).fetchall()
        if membership_digest(members) != details.get("membership_sha256"):
            return (f"the cases of incident {record.incident_number} are not the ones it was "
                    "created with: a case was added to it or moved without an audit entry.")
        samples = {d[DETAILS]["review"]: d[DETAILS]
                   for d in entries.get((str(record.id), "sample"), ())}
        for review_id, seed, size, listed, digest in conn.execute(
                "SELECT id, seed, sample_size, listed, listing_sha256 FROM incident_reviews "
                "WHERE incident_id = ?", (record.id,)).fetchall():
            d = samples.get(review_id)
            listing = conn.execute("SELECT case_id, fingerprint FROM incident_review_cases "
                                   "WHERE review_id = ?", (review_id,)).fetchall()
            sampled = conn.execute(
                "SELECT c.case_number, rc.sampled FROM incident_review_cases rc JOIN cases c ON "
                "c.id = rc.case_id WHERE rc.review_id = ? AND rc.sampled IS NOT NULL ORDER BY "
                "rc.case_id", (review_id,)).fetchall()
            if (d is None or (d["seed"], d["sample_size"], d["listed"], d["listing_sha256"])
                    != (seed, size, listed, digest) or listing_digest(listing) != digest
                    or [list(s) for s in sampled] != d["sample"]):
                return (f"review #{review_id} of incident {record.incident_number} does not "
                        "match the sample its history recorded.")
        approvals = {d[DETAILS]["approval"]: d[DETAILS]
                     for d in entries.get((str(record.id), "approve"), ())}
        for approval_id, review_id, n, refund, back in conn.execute(
                "SELECT id, review_id, cases, refund_total, back_bill_total FROM "
                "incident_approvals WHERE incident_id = ?", (record.id,)).fetchall():
            d = approvals.get(approval_id)
            if d is None or (d["review"], d["cases"], d["refund_total"], d["back_bill_total"]) \
                    != (review_id, n, refund, back):
                return (f"approval #{approval_id} of incident {record.incident_number} has no "
                        "matching entry in the history.")
    n = len(FIGURE_COLUMNS)
    for row in conn.execute(
            f"SELECT ic.case_id, c.revision, ic.case_revision, ic.fingerprint, "
            f"{', '.join('ic.' + f for f in FIGURE_COLUMNS)}, ic.readings_differ, ic.outcome "
            "FROM incident_cases ic JOIN cases c ON c.id = ic.case_id ORDER BY ic.case_id"
            ).fetchall():
        case_id, revision, kept, fingerprint = row[:4]
        if kept != revision:
            continue  # kept for an older revision: never shown, computed again when used
        case = fetch_record(conn, case_id).draft.check().case
        expected = (None, (None,) * n, None, None) if case is None else (
            lambda fp, f: (fp, f.to_texts(), int(f.readings_differ), f.outcome.value))(
                *_figures_of(case))
        if (fingerprint, tuple(row[4:4 + n]), row[4 + n], row[5 + n]) != expected:
            return (f"the incident figures kept for case {case_number_for(case_id)} are not "
                    "what its determination gives: they were changed behind the "
                    "application's back.")
    return None
