"""Every table model of the app on its own, without a window, under Qt's own model tester
(pytest-qt's ``qtmodeltester``: it stays attached and re-checks the model on every signal
the model sends): the case list, the work queues, the periods table, the determination's
lines and an incident's cases, each empty, with real rows from a case file or the engine,
and after the resets and updates the windows make (a filter, a sort, an edit refused and
accepted, rows added, pasted and deleted). What each shows is checked as a clerk reads
it: the cell texts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from billing_desk.domain.caseformat import loads_case
from billing_desk.domain.draft import PeriodDraft
from billing_desk.domain.entry import parse_csv_text
from billing_desk.domain.rulepacks import determine
from billing_desk.domain.workflow import CaseStatus
from billing_desk.issuing.incidents import incident_view
from billing_desk.store import create_case_file, open_case_file
from billing_desk.store.demo_file import create_demo_file
from billing_desk.store.incidents import CaseFilter
from billing_desk.store.listing import CaseQuery
from billing_desk.ui.case_list_model import CaseListModel
from billing_desk.ui.determination_lines_model import DeterminationLinesModel
from billing_desk.ui.incident_cases_model import IncidentCasesModel
from billing_desk.ui.periods_model import PeriodsModel
from billing_desk.ui.queue_model import RETURNED_COLUMNS, WAITING_COLUMNS, QueueModel
from billing_desk.ui.session import CaseSession
from tests.shared_cases import worked_cases
from tests.staff import add_staff
from tests.store.incident_helpers import stormwater_incident

DISPLAY, TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole


def cells(model, row: int, role=DISPLAY) -> list:
    return [model.data(model.index(row, c), role) for c in range(model.columnCount())]


def column(model, col: int) -> list:
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


# -- the case list --------------------------------------------------------------------------


def test_the_case_list_model_empty_filled_filtered_and_sorted(qapp, tmp_path, qtmodeltester):
    empty = CaseSession("akim")
    assert empty.open(_empty_file(tmp_path))
    model = CaseListModel(empty)
    qtmodeltester.check(model)
    model.refresh()
    assert model.rowCount() == 0 and model.summary(0) is None
    empty.close()

    path = tmp_path / "office.bdesk"
    create_demo_file(path, 40).close()
    session = CaseSession("akim")
    assert session.open(path)
    model = CaseListModel(session)
    qtmodeltester.check(model)
    model.refresh()
    with open_case_file(path) as cf:
        newest = cf.listing.page(CaseQuery(), 0, 40)
    assert model.rowCount() == 40
    assert column(model, 0) == [s.case_number for s in newest]  # newest first
    assert cells(model, 0)[1] == newest[0].status.value
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Case"

    drafts = frozenset({CaseStatus.DRAFT})
    model.set_query(CaseQuery(statuses=drafts))  # a filter: a reset, fewer rows
    assert 0 < model.rowCount() < 40 and set(column(model, 1)) == {"draft"}
    model.sort(0, Qt.SortOrder.AscendingOrder)  # by case number
    assert column(model, 0) == sorted(column(model, 0))
    model.refresh_rows()  # the same count: rows re-read in place
    assert column(model, 0) == sorted(column(model, 0))
    model.set_query(CaseQuery(text="no such customer anywhere"))
    assert model.rowCount() == 0
    session.close()


# -- the work queues ------------------------------------------------------------------------


def test_the_work_queue_models_empty_waiting_and_returned(tmp_path, qtmodeltester):
    from tests.domain.builders import make_case

    path = tmp_path / "office.bdesk"
    with create_case_file(path) as cf:
        add_staff(cf)
        from billing_desk.domain.draft import CaseDraft

        ids = [cf.cases.create(CaseDraft.from_case(make_case()), actor="alice").id for _ in range(3)]
        for case_id in ids:
            cf.workflow.submit(case_id, actor="alice")
        cf.workflow.return_case(ids[0], "Evidence missing", actor="sup")
        waiting, returned = cf.queue.submitted(), cf.queue.returned_to("alice")

    model = QueueModel(WAITING_COLUMNS)
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and model.item(0) is None
    model.set_items(waiting)
    assert model.rowCount() == 2
    assert column(model, 0) == [q.case_number for q in waiting]
    row = cells(model, 0)
    assert row[3] == "alice" and row[5] == f"${waiting[0].refund_total:,.2f}"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.UserRole) == waiting[0].case_id
    model.set_items([])  # the queue emptied
    assert model.rowCount() == 0

    back = QueueModel(RETURNED_COLUMNS)
    qtmodeltester.check(back)
    back.set_items(returned)
    assert cells(back, 0)[:3] == [returned[0].case_number, returned[0].customer_name,
                                   "Evidence missing"]


# -- the periods table ----------------------------------------------------------------------


def test_the_periods_model_through_edits_refusals_pastes_and_deletes(qtmodeltester):
    model = PeriodsModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0
    edits = []
    model.periodsEdited.connect(lambda periods, what: edits.append(what))
    model.set_periods((PeriodDraft(date(2010, 1, 1), date(2010, 1, 31), None, Decimal("84.20"),
                                   Decimal("71.45")),
                       PeriodDraft(date(2010, 2, 1), date(2010, 2, 28), date(2010, 3, 8),
                                   Decimal("1962.00"), Decimal("40.00"), "meter swap")))
    assert cells(model, 0)[:6] == ["01/01/2010", "01/31/2010", "", "84.20", "71.45", "+12.75"]
    assert cells(model, 1)[3:] == ["1,962.00", "40.00", "+1,922.00", "meter swap"]
    assert model.data(model.index(1, 3), Qt.ItemDataRole.EditRole) == "1962.00"

    assert model.setData(model.index(0, 1), "2/30/2010")  # refused: shown, marked, not applied
    assert model.data(model.index(0, 1)) == "2/30/2010"
    assert model.data(model.index(0, 1), TOOLTIP).startswith("Not saved: ")
    assert model.periods()[0].end == date(2010, 1, 31) and edits == []
    assert model.setData(model.index(0, 1), "1/30/2010")  # fixed
    assert model.periods()[0].end == date(2010, 1, 30) and len(edits) == 1
    assert not model.setData(model.index(0, 5), "1.00")  # the difference is computed

    model.set_problems({(1, "correct"): "Correct is more than billed?", (0, None): "Overlaps"})
    assert model.data(model.index(1, 4), TOOLTIP) == "Correct is more than billed?"
    assert model.headerData(0, Qt.Orientation.Vertical) == "1 ⚠"

    model.insert_blank_rows(1, 2)
    assert model.rowCount() == 4 and cells(model, 1)[:2] == ["", ""]
    model.paste(parse_csv_text("3/1/2010,3/31/2010,,50.00,45.00\n4/1/2010,4/30/2010,,9.x,1\n"), 1,
                ("start", "end", "bill_date", "billed", "correct"))
    assert cells(model, 1)[:6] == ["03/01/2010", "03/31/2010", "", "50.00", "45.00", "+5.00"]
    assert model.data(model.index(2, 3)) == "9.x"  # the bad cell shown as typed
    model.clear_cells([(1, 6), (2, 3)])
    model.remove_rows([1, 3])  # a selection of two rows apart
    assert model.rowCount() == 2
    assert column(model, 3) == ["84.20", ""]
    model.remove_period_rows(0, 2)
    assert model.rowCount() == 0
    model.set_periods(())
    assert model.rowCount() == 0


# -- the determination's lines --------------------------------------------------------------


def test_the_determination_lines_model_for_a_worked_case_and_none(qtmodeltester):
    model = DeterminationLinesModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0
    path = next(p for p in worked_cases() if p.name.startswith("03-"))  # straddles the cutoff
    case = loads_case(path.read_bytes())
    d = determine(case)
    model.show(case, d)
    assert model.rowCount() == 2 * len(d.periods) == 6
    assert cells(model, 2)[1:] == [f"${d.periods[1].included_amount:,.2f}",
                                   f"${d.periods[1].excluded_amount:,.2f}", d.periods[1].clause]
    assert model.data(model.index(3, 0)).startswith("Overcharge — ")
    assert model.data(model.index(3, 1)) is None  # the reason row spans the width
    model.show(case, d)  # the next keystroke: the same lines again
    assert model.rowCount() == 6
    model.show(None, None)  # no case open
    assert model.rowCount() == 0


# -- an incident's cases --------------------------------------------------------------------


def test_the_incident_cases_model_all_filtered_sorted_and_none(tmp_path, qtmodeltester):
    path = tmp_path / "office.bdesk"
    with create_case_file(path) as cf:
        add_staff(cf)
        record, _ = stormwater_incident(cf)
    with open_case_file(path) as cf:
        incidents = cf.incidents
        model = IncidentCasesModel(
            lambda query: incidents.count(record.id, query),
            lambda query, offset, limit: incidents.page(record.id, query, offset, limit))
        qtmodeltester.check(model)
        assert model.rowCount() == 0 and model.case_at(0) is None  # no view yet
        view = incident_view(cf, record.id)
        model.set_view(view)
        assert model.rowCount() == view.totals.cases == 74
        numbers = column(model, 0)
        assert numbers == sorted(numbers)  # the CSV's order
        assert model.headerData(4, Qt.Orientation.Horizontal) == "Refund"
        refunds = [Decimal(t.replace(",", "")) for t in column(model, 4)]
        model.sort(4, Qt.SortOrder.DescendingOrder)
        assert [Decimal(t.replace(",", "")) for t in column(model, 4)] == sorted(refunds, reverse=True)
        kept = QPersistentModelIndex(model.index(1, 0))  # (a view's selection, its current row)
        was = kept.data()
        model.sort(0, Qt.SortOrder.DescendingOrder)
        assert column(model, 0) == sorted(numbers, reverse=True)
        # an index kept on a row never ends up on another case than the one it was on
        assert not kept.isValid() or kept.data() == was
        model.sort(0, Qt.SortOrder.AscendingOrder)
        model.set_filter(CaseFilter.OUTLIERS)
        assert model.rowCount() == view.outliers and set(column(model, 8)) <= {"yes"}
        model.set_filter(CaseFilter.SAMPLE)  # not sampled yet
        assert model.rowCount() == 0
        model.set_filter(CaseFilter.ALL)
        assert model.rowCount() == 74
        assert model.index(0, 0, model.index(0, 0)) == QModelIndex()  # a table: no children


def _empty_file(tmp_path):
    path = tmp_path / "empty.bdesk"
    create_case_file(path).close()
    return path


# -- the reports' tables and the bills issued ------------------------------------------------


def test_the_report_table_model_for_a_table_and_none(qtmodeltester):
    from billing_desk.domain.reports import Column, Kind, Table
    from billing_desk.ui.report_table_model import ReportTableModel

    model = ReportTableModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0
    table = Table("t", "Bills adjusted", (Column("year", "Year", Kind.YEAR),
                                          Column("service", "Service", Kind.TEXT),
                                          Column("bills", "Bills", Kind.COUNT)),
                  ((2009, "water", 1200), (2010, "electric", None), (None, "All", 1200)), totals=1)
    model.set_table(table)
    assert model.rowCount() == 3 and model.columnCount() == 3
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Bills"
    assert cells(model, 0) == ["2009", "water", "1,200"]
    assert cells(model, 1)[2] != "" and cells(model, 1)[2] != "None"  # "no figure", said so
    model.set_table(None)
    assert model.rowCount() == 0


def test_the_bills_issued_model_loaded_edited_refused_and_cut(qtmodeltester):
    from billing_desk.domain.bills_issued import BillsIssued
    from billing_desk.ui.bills_issued_model import BillsIssuedModel

    model = BillsIssuedModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0
    model.load([BillsIssued(2009, "water", 1_020_894), BillsIssued(2010, "all", 2_001)])
    assert model.rowCount() == 2 and model.data(model.index(0, 2)) == "1,020,894"
    row = model.add_row()
    model.setData(model.index(row, 0), "2011")
    model.setData(model.index(row, 1), "gas")  # refused: shown, marked
    assert model.data(model.index(row, 1)) == "gas"
    assert model.data(model.index(row, 1), Qt.ItemDataRole.ToolTipRole).startswith("Not saved: ")
    model.remove_rows([row, 0])
    assert model.rowCount() == 1 and model.data(model.index(0, 0)) == "2010"


def test_the_outbox_model_empty_listed_and_refreshed(qtmodeltester):
    from datetime import datetime, timezone

    from billing_desk.domain.outbox import Channel, NoticeState
    from billing_desk.store.outbox import NoticeRecord
    from billing_desk.ui.outbox_model import OutboxModel

    at = datetime(2026, 3, 2, 15, 4, tzinfo=timezone.utc)

    def notice(k: int, state: NoticeState, reply: str | None = None) -> NoticeRecord:
        return NoticeRecord(k, k, f"BD-00000{k}", f"300-4400-1{k}", f"Customer {k}", "f" * 64,
                            "letter", Channel.EMAIL, k, "a" * 64, f"<notice.{k}@example.org>",
                            f"c{k}@example.org", state, False, 1, None, None, None, reply, at,
                            "akim", at, at if state is NoticeState.SENT else None)

    model = OutboxModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0
    model.set_notices([notice(1, NoticeState.SENT, "250 OK"), notice(2, NoticeState.UNCERTAIN)])
    assert model.rowCount() == 2 and model.headerData(4, Qt.Orientation.Horizontal) == "To"
    assert cells(model, 0)[:5] == ["1", "BD-000001", "Customer 1", "300-4400-11", "c1@example.org"]
    assert cells(model, 0)[5] == NoticeState.SENT.label and cells(model, 0)[8] == "250 OK"
    model.set_notices([notice(2, NoticeState.UNCERTAIN)])  # the next refresh
    assert column(model, 1) == ["BD-000002"]


# -- the users -----------------------------------------------------------------------------


def test_the_users_model_empty_and_with_the_office(tmp_path, qtmodeltester):
    from billing_desk.ui.users_model import UsersModel

    model = UsersModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and model.user(0) is None
    with create_case_file(tmp_path / "office.bdesk") as cf:
        add_staff(cf)
        cf.users.disable("bob", actor="root")
        model.load(cf.users.list())
    assert column(model, 0) == ["alice", "bob", "boss", "root", "sup"]
    assert cells(model, 1) == ["bob", "Bob Brandt", "Clerk", "—", "Disabled"]
    assert cells(model, 2) == ["boss", "Bea Boss", "Supervisor", "$100,000.00", "Enabled"]
    assert cells(model, 2, TOOLTIP)[3] == "Approves refunds and back bills up to this amount"
    assert model.row_of("SUP") == 4 and model.row_of("nobody") == -1
