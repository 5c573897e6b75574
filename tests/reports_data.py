"""Issued cases for the report tests, written fast: the finance memo of November 2009
in a case file.

The memo reported, per year, bills issued and bills adjusted (2001: 1,020,894 and 3,726;
2004: 1,159,714 and 5,824; 2007: 1,047,659 and 6,121; 2009 to November 5: 1,000,205 and
1,745). :func:`memo_office` puts those bills issued in a case file and issues cases
whose periods are exactly that many distinct adjusted bills a year -- with the traps a
count can fall into: periods without a difference (not a bill adjusted), bills adjusted
again by a later case (counted once, in the year first adjusted), an approved case not
yet issued (not counted).

The fast path: the approved cases are written directly as records (one transaction,
each with its creation entry in the history, as ``cf.cases.create_many`` writes them,
but already signed as submitted and approved), then issued through the store's own
issue (``cf.issues.issue_many``: one commit; the determination, the documents, the move
to issued, the facts, one audit entry a case) with stand-in PDF bytes -- rendering
thousands of letters is what bench/documents.py measures, not what these tests are
about. ``billing-desk verify`` passes on the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from billing_desk.domain.bills_issued import ALL_SERVICES, BillsIssued
from billing_desk.domain.case import Case, Evidence, Service
from billing_desk.domain.draft import AccountDraft, CaseDraft, PeriodDraft
from billing_desk.domain.fingerprint import case_fingerprint
from billing_desk.domain.rulepacks import get_rule_pack
from billing_desk.domain.workflow import CaseStatus
from billing_desk.store.determinations import keep_snapshot, snapshot_summary
from billing_desk.store import CaseFile, CaseRecord, DocumentKind, IssueRequest, NewDocument
from billing_desk.store.caserows import insert_record
from billing_desk.store.cases import case_number_for
from billing_desk.store.records import Signature
from tests.issuing.cases import CLERK, MAIL_ROOM, SUPERVISOR, ensure_office

#: year -> (bills issued, bills adjusted, the rate the memo printed)
MEMO = {2001: (1_020_894, 3_726, "0.36"), 2004: (1_159_714, 5_824, "0.50"),
        2007: (1_047_659, 6_121, "0.58"), 2009: (1_000_205, 1_745, "0.17")}
#: what the rounding rules give per 10,000 bills (half up, one decimal)
MEMO_PER_10000 = {2001: "36.5", 2004: "50.2", 2007: "58.4", 2009: "17.4"}
#: periods per case, in turn (monthly bills)
SIZES = (1, 6, 12, 24, 36, 60, 3, 18)
SERVICES = tuple(Service)


@dataclass(frozen=True, slots=True)
class Spec:
    """One case to issue: its draft and the date its documents carry."""

    draft: CaseDraft
    issue_date: date


def _month(first: date, k: int) -> tuple[date, date]:
    months = first.month - 1 + k
    start = date(first.year + months // 12, months % 12 + 1, 1)
    months += 1
    following = date(first.year + months // 12, months % 12 + 1, 1)
    return start, following - timedelta(days=1)


def monthly_periods(first: date, count: int, *, over: bool, skip: tuple[int, ...] = ()
                    ) -> tuple[PeriodDraft, ...]:
    """``count`` monthly bills from ``first``: overcharged by $10.00 or undercharged by
    $15.00, but billed right in the months ``skip`` (no difference: no bill adjusted)."""
    periods = []
    for k in range(count):
        start, end = _month(first, k)
        billed = Decimal("90.00") if k in skip else (
            Decimal("100.00") if over else Decimal("80.00"))
        periods.append(PeriodDraft(start, end, end + timedelta(days=8), billed, Decimal("90.00")
                                   if over or k in skip else Decimal("95.00")))
    return tuple(periods)


def draft(account: str, service: Service, discovered: date,
          periods: tuple[PeriodDraft, ...]) -> CaseDraft:
    return CaseDraft(account=AccountDraft(account, f"Customer {account}",
                                          f"{account[-4:]} W Olive St, Fort Collins, CO 80521",
                                          f"{account[-4:]} W Olive St, Fort Collins, CO 80521",
                                          "en_US", True),
                     service=service, discovered_on=discovered,
                     evidence=Evidence(False, True, True, False), periods=periods)


def memo_specs() -> tuple[list[Spec], list[Spec], dict[int, int]]:
    """(the cases to issue, in issue order; the cases left approved; year -> distinct
    bills adjusted for the first time that year), matching :data:`MEMO`."""
    issued: list[Spec] = []
    pending: list[Spec] = []
    counted: dict[int, int] = {}
    for year, (_, adjusted, _) in MEMO.items():
        left, k = adjusted, 0
        while left:
            size = min(SIZES[k % len(SIZES)], left)
            issue_date = date(year, 1 + k % 10, 1 + k % 28)  # (2009: before November 5)
            discovered = issue_date - timedelta(days=20 + k % 90)
            first = date(discovered.year - 7, 1 + k % 12, 1)
            # every fifth case has one more month billed right: a period, not a bill adjusted
            extra = 1 if k % 5 == 0 else 0
            periods = monthly_periods(first, size + extra, over=k % 3 != 2,
                                      skip=(size,) if extra else ())
            issued.append(Spec(draft(f"{year}-{k:05d}-01", SERVICES[k % 4], discovered, periods),
                               issue_date))
            left -= size
            k += 1
        counted[year] = adjusted
    # bills adjusted again: the first case of each year re-adjusted, in the same year and
    # in the year after it (counted once, in the year first adjusted)
    for year, then in ((2001, 2001), (2004, 2004), (2004, 2007), (2007, 2009)):
        again = next(s for s in issued if s.draft.account.number == f"{year}-00000-01")
        issued.append(Spec(again.draft, date(then, 11, 2 if then == 2009 else 20)))
    # approved, never issued: not a bill adjusted
    pending.append(Spec(draft("2009-99999-01", Service.WATER, date(2009, 10, 1),
                              monthly_periods(date(2008, 1, 1), 12, over=True)), date(2009, 10, 5)))
    return issued, pending, counted


def memo_figures() -> list[BillsIssued]:
    return [BillsIssued(year, ALL_SERVICES, issued) for year, (issued, _, _) in MEMO.items()]


def approved_records(cf: CaseFile, drafts: list[CaseDraft]) -> list[tuple[CaseRecord, Case]]:
    """The drafts as approved cases (and the valid case of each): prepared and submitted
    by the clerk, approved by the supervisor, for exactly their fingerprint; written in
    one transaction."""
    ensure_office(cf)
    records = []
    with cf._c.write(CLERK) as tx:
        next_id = tx.execute("SELECT coalesce(max(id), 0) + 1 FROM cases").fetchone()[0]
        for i, d in enumerate(drafts):
            case = d.check().case
            assert case is not None, d.check().problems
            pack = get_rule_pack(case.rule_pack)
            fingerprint = case_fingerprint(case, pack.name, pack.version)
            case_id = next_id + i
            record = CaseRecord(
                id=case_id, case_number=case_number_for(case_id), draft=d,
                status=CaseStatus.APPROVED, revision=1, created_at=tx.at, updated_at=tx.at,
                prepared_by=CLERK, last_edited_by=CLERK,
                submitted=Signature(CLERK, tx.at, fingerprint),
                approved=Signature(SUPERVISOR, tx.at, fingerprint),
                divergence_acknowledged=True)
            insert_record(tx, record)
            tx.audit("create", "case", case_id, case_id, None, record.state())
            # the determination the signatures name, recorded as the app records one
            kept, _ = keep_snapshot(tx, case_id, record.revision, case)
            tx.audit("determine", "determination", kept.id, case_id, None,
                     snapshot_summary(kept))
            records.append((record, case))
    return records


def issue_all(cf: CaseFile, specs: list[Spec]) -> list[CaseRecord]:
    """Approve and issue ``specs`` in their order (one transaction each step)."""
    records = approved_records(cf, [s.draft for s in specs])
    requests = []
    for (record, case), spec in zip(records, specs):
        pack = get_rule_pack(case.rule_pack)
        determination = pack.determine(case)
        kinds = [DocumentKind.LETTER]
        if determination.refund_total:
            kinds.append(DocumentKind.CREDIT_MEMO)
        if determination.back_bill_total:
            kinds.append(DocumentKind.BACK_BILL_MEMO)
        documents = tuple(NewDocument(k, f"%PDF stand-in {record.case_number} {k}".encode(), 1)
                          for k in kinds)
        requests.append(IssueRequest(record, record.approved.fingerprint,
                                     determination.to_json(), documents,
                                     {"issue_date": spec.issue_date.isoformat()}))
    outcomes = cf.issues.issue_many(requests, actor=MAIL_ROOM)
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert not refused, refused[:3]
    return [o.case for o in outcomes]


def memo_office(cf: CaseFile) -> dict[int, int]:
    """The memo's year in ``cf``: bills issued entered, the cases issued (and one left
    approved). Returns year -> bills adjusted."""
    issued, pending, counted = memo_specs()
    cf.bills_issued.import_figures(memo_figures(), actor=CLERK, source="finance-memo-2009.csv")
    issue_all(cf, issued)
    for record, _ in approved_records(cf, [s.draft for s in pending]):
        cf.determinations.record(record.id, actor=CLERK)  # (what its approval names)
    return counted
