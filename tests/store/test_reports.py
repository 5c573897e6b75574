"""The reports on real case files: the finance memo's rates reproduced from issued
cases, the adjustments adding up to the stored determinations, the facts of cases
issued before schema version 6 filled in by the migration."""

from __future__ import annotations

import shutil
import sqlite3
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest

from billing_desk.domain.bills_issued import ALL_SERVICES
from billing_desk.domain.money import from_cents
from billing_desk.domain.report_facts import cents
from billing_desk.domain.reports import DateRange
from billing_desk.domain.workflow import CaseStatus
from billing_desk.domain.mailing import earliest_issue_date
from billing_desk.issuing import issue_documents
from billing_desk.store import CaseQuery, create_case_file, open_case_file
from billing_desk.store.demo_file import create_demo_file
from billing_desk.store.sqlite.schema import LATEST_VERSION
from tests.reports_data import MEMO, MEMO_PER_10000, memo_office

from .conftest import StepClock


@pytest.fixture(scope="module")
def memo_file(tmp_path_factory):
    """The finance memo's four years, issued (built once for the module; tests that
    change it work on a copy)."""
    path = tmp_path_factory.mktemp("memo") / "office.bdesk"
    with create_case_file(path, clock=StepClock()) as cf:
        memo_office(cf)
    return path


def test_the_memo_rates_are_reproduced_from_the_issued_cases(memo_file):
    with open_case_file(memo_file) as cf:
        report = cf.reports.accuracy()
        assert cf.verify().ok
    rows = report.all_services()
    assert [(r.year, r.bills_issued, r.bills_adjusted) for r in rows] == [
        (year, issued, adjusted) for year, (issued, adjusted, _) in MEMO.items()]
    assert [f"{r.percent}%" for r in rows] == ["0.36%", "0.50%", "0.58%", "0.17%"]
    assert [str(r.per_10000) for r in rows] == [MEMO_PER_10000[y] for y in MEMO]
    assert report.benchmark == Decimal("7.2")
    # the services' own counts add up to the year's (no figure for them: no rate)
    for year in MEMO:
        services = [r for r in report.rows if r.year == year and r.service != ALL_SERVICES]
        assert sum(r.bills_adjusted for r in services) == MEMO[year][1]
        assert all(r.per_10000 is None for r in services)


def test_a_bill_adjusted_twice_counts_once_and_unissued_cases_not_at_all(memo_file):
    with open_case_file(memo_file) as cf:
        periods_with_difference = cf.db.execute(
            "SELECT count(*) FROM periods AS p JOIN cases AS c ON c.id = p.case_id WHERE "
            "c.status = 'issued' AND p.billed <> p.correct").fetchone()[0]
        pending = cf.listing.count(CaseQuery(statuses=frozenset({CaseStatus.APPROVED})))
    # four cases re-adjusted bills already adjusted: more periods than bills counted
    assert periods_with_difference > sum(n for _, n, _ in MEMO.values())
    assert pending == 1


def test_the_dates_chosen_select_the_issues_counted(memo_file):
    with open_case_file(memo_file) as cf:
        to_memo = cf.reports.accuracy(DateRange(date(2009, 1, 1), date(2009, 11, 5)))
        first_half = cf.reports.accuracy(DateRange(date(2009, 1, 1), date(2009, 6, 30)))
    assert [(r.year, r.bills_adjusted, str(r.per_10000)) for r in to_memo.all_services()] == [
        (2009, 1745, "17.4")]
    # the bills issued are the year's as entered; the bills adjusted those of the dates
    row, = first_half.all_services()
    assert row.bills_issued == 1_000_205 and 0 < row.bills_adjusted < 1745


def test_bills_issued_are_saved_and_imported_as_one_audited_action_each(case_file):
    from billing_desk.domain.bills_issued import BillsIssued
    from billing_desk.store.bills_issued import BillsIssuedChanged

    bills = case_file.bills_issued
    entries = len(case_file.audit_log())
    change = bills.import_figures([BillsIssued(2001, "all", 1_020_894),
                                   BillsIssued(2004, "water", 5)], actor="alice",
                                  source="memo.csv", refused_rows=2)
    assert (change.added, change.changed) == (2, 0)
    entry, = case_file.audit_log(after=entries)
    assert (entry.action, entry.entity, entry.entity_id, entry.actor) == (
        "import", "bills_issued", "2001-2004", "alice")
    assert entry.before == {"2001 all": None, "2004 water": None}
    assert entry.after["2001 all"] == 1_020_894
    assert entry.after["details"] == {"file": "memo.csv", "rows": 2, "refused_rows": 2}
    # the same file again changes nothing and records nothing
    again = bills.import_figures([BillsIssued(2001, "all", 1_020_894)], actor="alice", source="m")
    assert not again.any and len(case_file.audit_log()) == entries + 1
    # a save makes the table what the clerk left: 2004 water removed, 2001 corrected
    current = bills.list()
    change = bills.save([BillsIssued(2001, "all", 1_020_895)], actor="bob", expected=current)
    assert (change.changed, change.removed) == (1, 1)
    entry = case_file.audit_log(after=entries + 1)[-1]
    assert (entry.action, entry.before, entry.after) == (
        "edit", {"2001 all": 1_020_894, "2004 water": 5}, {"2001 all": 1_020_895, "2004 water": None})
    # a save from a table read before that change is refused, nothing written
    with pytest.raises(BillsIssuedChanged):
        bills.save([BillsIssued(2001, "all", 1)], actor="alice", expected=current)
    assert bills.list() == [BillsIssued(2001, "all", 1_020_895)]
    assert case_file.verify().ok


def test_a_figure_the_file_refuses_leaves_every_figure_as_it_was(case_file):
    from billing_desk.domain.bills_issued import BillsIssued
    from billing_desk.store.errors import RefusedByFile

    case_file.bills_issued.import_figures([BillsIssued(2001, "all", 10)], actor="a", source="x")
    entries = len(case_file.audit_log())
    with pytest.raises(RefusedByFile):  # (the domain never makes one: the file checks too)
        case_file.bills_issued.import_figures([BillsIssued(2002, "all", 10),
                                               BillsIssued(2003, "all", -1)], actor="a", source="y")
    assert case_file.bills_issued.list() == [BillsIssued(2001, "all", 10)]
    assert len(case_file.audit_log()) == entries


def test_the_benchmark_is_a_setting_checked_and_audited(case_file):
    from billing_desk.store.settings import InvalidSetting

    assert case_file.reports.benchmark() == Decimal("7.2")
    assert case_file.reports.set_benchmark(Decimal("3.96"), actor="alice") == Decimal("3.96")
    assert case_file.audit_log()[-1].after == {"accuracy_benchmark": "3.96"}
    with pytest.raises(InvalidSetting, match="not a number of adjusted bills per 10,000"):
        case_file.reports.set_benchmark("lots", actor="alice")
    assert case_file.reports.accuracy().benchmark == Decimal("3.96")


@pytest.fixture(scope="module")
def issued_demo(tmp_path_factory):
    """A demo file whose approved cases are all issued through the issuing service (real
    letters and memos, read back), their issue dates spread over two years."""
    path = tmp_path_factory.mktemp("demo") / "demo.bdesk"
    with create_demo_file(path, 320) as cf:
        approved = cf.listing.page(CaseQuery(statuses=frozenset({CaseStatus.APPROVED})), 0, 1000)
        for k, case in enumerate(approved):
            earliest = earliest_issue_date(cf.cases.load(case.id).draft.check().case)
            issue_documents(cf, case.id, actor="mwhitfield",
                            issue_date=max(earliest, date(2024 + k % 2, 1 + k * 5 % 12,
                                                            1 + k % 28)))
    return path


def stored_issues(cf):
    """(case, the determination its documents were issued with, issue date) of every
    issued case, read from the stored snapshots and the issue entries."""
    out = []
    for case in cf.listing.page(CaseQuery(statuses=frozenset({CaseStatus.ISSUED})), 0, 10_000):
        record = cf.cases.load(case.id)
        snapshot = cf.determinations.get(case.id, record.approved.fingerprint)
        entry = next(e for e in reversed(cf.cases.history(case.id)) if e.action == "issue")
        issued_on = date.fromisoformat(entry.after["details"]["rendered_from"]["issue_date"])
        out.append((record, snapshot.determination, issued_on))
    return out


def test_the_adjustments_add_up_to_the_stored_determinations(issued_demo):
    with open_case_file(issued_demo) as cf:
        issues = stored_issues(cf)
        report = cf.reports.adjustments()
    assert len(issues) >= 10
    expected = defaultdict(lambda: [0, 0, 0])
    excluded = defaultdict(int)
    for record, det, issued_on in issues:
        key = (f"{issued_on:%Y-%m}", record.draft.service.value.capitalize(), det["outcome"])
        expected[key][0] += 1
        expected[key][1] += cents(det["refund_total"])
        expected[key][2] += cents(det["back_bill_total"])
        excluded[issued_on.year] += sum(cents(p["excluded_amount"]) for p in det["periods"])
    outcome_key = {"Credit": "credit", "Back bill": "back_bill",
                   "Credit and back bill": "credit_and_back_bill", "No adjustment": "no_adjustment"}
    by_month = report.table("by_month")
    got = {(m, s, outcome_key[o]): [n, c, b] for m, s, o, n, c, b, _ in by_month.rows[:-1]}
    assert got == {k: [n, from_cents(c), from_cents(b)] for k, (n, c, b) in expected.items()}
    assert by_month.rows[-1][3:6] == (len(issues), from_cents(sum(v[1] for v in expected.values())),
                                      from_cents(sum(v[2] for v in expected.values())))
    kept = report.table("kept_back")
    for row in kept.rows[:-1]:
        year, cost, spared = row[0], row[-2], row[-1]
        assert cost + spared == from_cents(excluded[year])
    differ = [r[0] for r in report.table("readings_differ").rows]
    assert set(differ) == {record.case_number for record, det, _ in issues
                           if "readings_differ" in det["flags"]}
    spread = {record.case_number: max(cents(r["back_bill_total"]) for r in det["readings"].values())
              - min(cents(r["back_bill_total"]) for r in det["readings"].values())
              for record, det, _ in issues}
    assert [spread[c] for c in differ] == sorted((spread[c] for c in differ), reverse=True)
    assert report.table("readings_differ_by_year").rows[-1][1] == len(differ)


def test_cases_issued_before_version_6_get_their_facts_in_the_migration(issued_demo, tmp_path):
    path = tmp_path / "old.bdesk"
    shutil.copy(issued_demo, path)
    raw = sqlite3.connect(path, isolation_level=None)
    facts = raw.execute("SELECT * FROM issue_facts ORDER BY case_id").fetchall()
    sums = raw.execute("SELECT * FROM issue_sums ORDER BY 1, 2, 3, 4").fetchall()
    days = raw.execute("SELECT * FROM issue_days ORDER BY 1, 2, 3").fetchall()
    bills = raw.execute("SELECT * FROM adjusted_bills ORDER BY 1, 2, 3, 4").fetchall()
    assert facts and bills
    # the file as version 5 left it: no report tables (what the migration adds), nor
    # version 7's outbox and delivery columns
    raw.executescript("""
        DROP TRIGGER issue_facts_no_update; DROP TRIGGER issue_facts_no_delete;
        DROP TABLE issue_facts; DROP TABLE issue_sums; DROP TABLE issue_days; DROP TABLE adjusted_bills;
        DROP TABLE bills_issued; DROP INDEX cases_open_work; DROP INDEX cases_open_by_discovery;
        DROP TABLE outbox; DROP TABLE document_copies; ALTER TABLE cases DROP COLUMN email;
        ALTER TABLE cases DROP COLUMN delivery;
        PRAGMA user_version = 5;""")
    raw.close()
    with open_case_file(path) as cf:
        assert cf.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert cf.db.execute("SELECT * FROM issue_facts ORDER BY case_id").fetchall() == facts
        assert cf.db.execute("SELECT * FROM issue_sums ORDER BY 1, 2, 3, 4").fetchall() == sums
        assert cf.db.execute("SELECT * FROM issue_days ORDER BY 1, 2, 3").fetchall() == days
        assert cf.db.execute("SELECT * FROM adjusted_bills ORDER BY 1, 2, 3, 4").fetchall() == bills
        assert cf.verify().ok


def test_workload_counts_every_open_case_once(issued_demo):
    with open_case_file(issued_demo) as cf:
        report = cf.reports.workload(date(2026, 3, 10))
        open_count = cf.listing.count(CaseQuery(statuses=frozenset(
            {CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.RETURNED, CaseStatus.APPROVED})))
        issued = cf.listing.count(CaseQuery(statuses=frozenset({CaseStatus.ISSUED})))
    by_status = report.table("open_by_status")
    assert by_status.rows[-1][2] == open_count
    assert sum(r[2] for r in by_status.rows if r[1] != "All") == open_count
    oldest = report.table("oldest_open")
    discovered = oldest.column("discovered_on")
    assert discovered == sorted(discovered) and len(discovered) == 100
    assert report.table("time_to_issue").rows[-1][1] == issued


RANGES = [DateRange(date(2024, 1, 1), date(2024, 12, 31)),   # whole months only
          DateRange(date(2024, 3, 15), date(2025, 6, 10)),   # cut at both ends
          DateRange(date(2024, 6, 2), date(2024, 6, 28)),    # inside one month
          DateRange(date(2025, 2, 1), None), DateRange(None, date(2024, 11, 30)),
          DateRange(date(2024, 5, 31), date(2024, 6, 1))]


@pytest.mark.parametrize("period", RANGES, ids=lambda p: p.label())
def test_the_dates_chosen_count_exactly_the_cases_issued_on_them(issued_demo, period):
    """The sums kept per month, and a month cut by the dates summed from its cases, give
    what summing every issued case of those dates gives."""
    with open_case_file(issued_demo) as cf:
        facts = cf.db.execute("SELECT issued_on, refund_cents, back_bill_cents, new_bills, "
                              "days_to_issue FROM issue_facts").fetchall()
        groups = cf.reports.adjustment_groups(period)
        months, overall = cf.reports.issue_times(period)
    inside = [f for f in facts if period.first.isoformat() <= f[0] <= period.last.isoformat()]
    assert sum(g.cases for g in groups) == len(inside) == overall.cases
    assert sum(g.refund for g in groups) == sum(f[1] for f in inside)
    assert sum(g.back_bill for g in groups) == sum(f[2] for f in inside)
    assert sum(g.new_bills for g in groups) == sum(f[3] for f in inside)
    from billing_desk.domain.reports import median, nearest_rank

    for t in months:
        days = sorted(f[4] for f in inside if f[0].startswith(f"{t.year:04d}-{t.month:02d}"))
        assert (t.cases, t.median, t.p90) == (len(days), median(days), nearest_rank(days, 90))
    every = sorted(f[4] for f in inside)
    assert (overall.median, overall.p90) == (median(every), nearest_rank(every, 90))


def test_the_reports_of_an_office_moved_to_a_server_are_the_same(issued_demo, pg_server,
                                                                 tmp_path):
    """The reports' SQL on the server (issue 16): the issued demo office copied to a
    database gives every report as the file does; and the server's schema version 6
    fills in the facts of cases issued before it, as the file's does."""
    from billing_desk.store import copy_store, upgrade_store
    from tests.backends import raw, tamper

    name = pg_server.new_database(template=False)
    target = pg_server.conninfo(name)
    try:
        with open_case_file(issued_demo) as cf:
            copied, _ = copy_store(cf, target)
            period = DateRange(date(2024, 3, 1), date(2025, 8, 31))
            with copied:
                for server_side, file_side in (
                        (copied.reports.accuracy(), cf.reports.accuracy()),
                        (copied.reports.adjustments(period), cf.reports.adjustments(period)),
                        (copied.reports.workload(date(2026, 3, 10)),
                         cf.reports.workload(date(2026, 3, 10)))):
                    assert server_side == file_side
            tables = ("issue_facts", "issue_sums", "issue_days", "adjusted_bills")
            with raw(target) as r:
                before = {t: r.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3, 4").fetchall()
                          for t in tables}
            assert before["issue_facts"]
            # the database as version 5 left it, then upgraded: the same facts again
            tamper(target, "DROP TABLE outbox", "DROP FUNCTION check_notice_change",
                   "DROP FUNCTION check_notice_document", "ALTER TABLE cases DROP COLUMN email",
                   "ALTER TABLE cases DROP COLUMN delivery",
                   *(f"DROP TABLE {t}" for t in tables + ("bills_issued",)),
                   "DROP INDEX cases_open_work", "DROP INDEX cases_open_by_discovery",
                   "UPDATE schema_version SET version = 5")
            assert upgrade_store(target).after == LATEST_VERSION
            with raw(target) as r:
                assert {t: r.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3, 4").fetchall()
                        for t in tables} == before
    finally:
        pg_server.drop_database(name)
