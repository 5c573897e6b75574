"""The reports window and the bills-issued table, on a real case file, headless: the
memo's figures in the table and in the chart's series, the chart drawn, the dates and
the benchmark applied, the exports written, the figures typed and imported."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from billing_desk.documents.readback import extract_text
from billing_desk.domain.bills_issued import ALL_SERVICES, BillsIssued
from billing_desk.store import create_case_file, open_case_file
from billing_desk.ui.main_window import MainWindow
from billing_desk.ui.session import CaseSession
from tests.issuing.cases import CLERK
from tests.reports_data import MEMO, MEMO_PER_10000, memo_office
from tests.store.conftest import StepClock


@pytest.fixture(scope="module")
def memo_master(tmp_path_factory):
    path = tmp_path_factory.mktemp("memo") / "office.bdesk"
    with create_case_file(path, clock=StepClock()) as cf:
        memo_office(cf)
    return path


@pytest.fixture
def memo_file(memo_master, tmp_path) -> Path:
    path = tmp_path / "office.bdesk"
    shutil.copy(memo_master, path)
    return path


def _window(qtbot, tmp_path, memo_file, login):
    w = MainWindow(CaseSession(login), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.open_path(memo_file)
    w.show()
    return w


@pytest.fixture
def window(qtbot, tmp_path, memo_file):
    w = _window(qtbot, tmp_path, memo_file, CLERK)
    yield w
    w.session.close()


@pytest.fixture
def admin_window(qtbot, tmp_path, memo_file):
    w = _window(qtbot, tmp_path, memo_file, "admin")
    yield w
    w.session.close()


def reports(window, qtbot):
    r = window.open_reports()
    qtbot.addWidget(r)
    r.today = date(2026, 3, 10)
    read(r, qtbot)
    return r


def read(r, qtbot):
    """Wait for the report being read on its thread to be shown."""
    qtbot.waitUntil(lambda: not r.reading, timeout=20_000)


def all_services_rows(r):
    table = r.pages["accuracy"].models["accuracy"]
    return [[table.data(table.index(row, c)) for c in range(table.columnCount())]
            for row in range(table.rowCount())
            if table.data(table.index(row, 1)) == "All services"]


def test_the_menu_opens_the_accuracy_report_with_the_memo_figures(window, qtbot):
    assert window.findChild(type(window.menuBar().actions()[0].menu()), "reports_menu")
    window.reports_act.trigger()
    r = window.reports_window
    qtbot.addWidget(r)
    read(r, qtbot)
    rows = all_services_rows(r)
    assert [(row[0], row[2], row[3], row[4], row[5]) for row in rows] == [
        (str(y), f"{issued:,}", f"{n:,}", f"{pct}%", MEMO_PER_10000[y])
        for y, (issued, n, pct) in MEMO.items()]
    # every control of the window can be found by its identifier
    for name in ("report_from", "report_to", "report_show", "report_export_csv",
                 "report_export_pdf", "report_bills_issued", "accuracy_benchmark",
                 "accuracy_benchmark_set", "accuracy_chart", "report_table_accuracy",
                 "report_tabs"):
        widget = r.findChild(object, name)
        assert widget is not None and widget.accessibleIdentifier() == name, name


def test_every_control_of_the_reports_and_the_bills_table_has_an_identifier(window, qtbot):
    from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QHeaderView, QLineEdit,
                                   QTabBar)

    r = reports(window, qtbot)
    d = r.open_bills_issued()
    qtbot.addWidget(d)
    checked = 0
    for top in (r, d):
        for tab in range(r.tabs.count()):
            r.tabs.setCurrentIndex(tab)
            read(r, qtbot)
            for kind in (QAbstractButton, QLineEdit, QAbstractItemView):
                for control in top.findChildren(kind):
                    if isinstance(control.parent(), (QAbstractItemView, QTabBar)) or isinstance(
                            control, QHeaderView) or control.objectName().startswith("qt_"):
                        continue
                    if control.isVisibleTo(top):
                        assert control.accessibleIdentifier(), (type(control).__name__,
                                                                control.objectName())
                        checked += 1
    assert checked > 15


def test_the_chart_holds_the_figures_and_is_drawn(window, qtbot):
    r = reports(window, qtbot)
    chart = r.chart
    assert chart.years == ["2001", "2004", "2007", "2009"]
    assert [chart.bars.at(i) for i in range(chart.bars.count())] == [36.5, 50.2, 58.4, 17.4]
    assert chart.labels == list(MEMO_PER_10000.values())
    points = chart.benchmark_line.points()
    assert [p.y() for p in points] == [7.2, 7.2] and points[0].x() < 0 < 3 < points[-1].x()
    r.resize(1000, 700)
    image = chart.grab().toImage()
    assert not image.isNull() and image.width() > 300
    colours = {image.pixel(x, y) for x in range(0, image.width(), 4)
               for y in range(0, image.height(), 4)}
    assert len(colours) > 20  # axes, labels, bars, the line: not a blank widget
    bar = chart.bars.color().rgb()
    assert sum(1 for x in range(image.width()) for y in range(0, image.height(), 3)
               if image.pixel(x, y) == bar) > 500


def test_a_clerk_reads_the_benchmark_and_cannot_change_it(window, qtbot):
    r = reports(window, qtbot)
    assert r.benchmark.text() == "7.2" and r.benchmark.isReadOnly()
    assert not r.benchmark_button.isEnabled()
    assert "administrator" in r.benchmark_button.toolTip()


def test_the_dates_and_the_benchmark_apply(admin_window, qtbot):
    window = admin_window
    r = reports(window, qtbot)
    r.start.set_value(date(2009, 1, 1))
    r.end.set_value(date(2009, 11, 5))
    qtbot.mouseClick(r.show_button, Qt.MouseButton.LeftButton)
    read(r, qtbot)
    assert [row[0] for row in all_services_rows(r)] == ["2009"]
    assert r.chart.years == ["2009"]
    r.end.set_value(date(2008, 1, 1))
    r.refresh()
    read(r, qtbot)
    assert "before their start" in r.message.text()
    r.end.set_value(None)
    r.benchmark.setText("3.96")
    qtbot.mouseClick(r.benchmark_button, Qt.MouseButton.LeftButton)
    read(r, qtbot)
    assert [p.y() for p in r.chart.benchmark_line.points()] == [3.96, 3.96]
    assert all_services_rows(r)[0][6] == "+13.44"
    r.benchmark.setText("seven")
    qtbot.mouseClick(r.benchmark_button, Qt.MouseButton.LeftButton)
    read(r, qtbot)
    assert "not a number of adjusted bills" in r.message.text()
    with open_case_file(window.session.path) as cf:
        assert cf.reports.benchmark() == Decimal("3.96")
        assert cf.audit_log(after=0, limit=100_000)[-1].after == {"accuracy_benchmark": "3.96"}


def test_each_report_is_shown_and_exported(window, qtbot, tmp_path):
    r = reports(window, qtbot)
    r.tabs.setCurrentIndex(1)
    read(r, qtbot)
    assert r.report.kind == "adjustments"
    by_month = r.pages["adjustments"].models["by_month"]
    assert by_month.rowCount() > 10 and by_month.data(by_month.index(0, 0)) == "2001-01"
    assert r.export_to(tmp_path / "adjustments.csv", "csv")
    assert (tmp_path / "adjustments.csv").read_text(encoding="utf-8").startswith("Adjustments,")
    r.tabs.setCurrentIndex(2)
    read(r, qtbot)
    assert r.pages["workload"].models["time_to_issue"].rowCount() > 1
    # every table of every report has its view, holding all of its rows
    for page in r.pages.values():
        assert set(page.models) == {t.key for t in page.report.tables}
        assert all(page.models[t.key].rowCount() == len(t.rows) for t in page.report.tables)
    r.tabs.setCurrentIndex(0)
    read(r, qtbot)
    assert r.export_to(tmp_path / "accuracy.pdf", "pdf")
    text = extract_text((tmp_path / "accuracy.pdf").read_bytes())
    assert "2007 All services 1,047,659 6,121 0.58% 58.4" in text
    assert not r.export_to(window.session.path, "pdf")
    assert "never written over it" in r.message.text()


def test_report_tables_pass_the_qt_model_tester(window, qtbot, qtmodeltester):
    r = reports(window, qtbot)
    r.tabs.setCurrentIndex(1)
    read(r, qtbot)
    for model in (r.pages["accuracy"].models["accuracy"], r.pages["adjustments"].models["kept_back"]):
        qtmodeltester.check(model)
    assert r.pages["adjustments"].models["kept_back"].data(
        r.pages["adjustments"].models["kept_back"].index(0, 1), Qt.ItemDataRole.UserRole) >= 0


def bills_dialog(window, qtbot):
    r = reports(window, qtbot)
    d = r.open_bills_issued()
    qtbot.addWidget(d)
    return r, d


def test_bills_issued_are_checked_as_typed_and_saved_as_one_action(window, qtbot, qtmodeltester):
    r, d = bills_dialog(window, qtbot)
    model = d.model
    assert model.rowCount() == 4 and model.data(model.index(0, 2)) == "1,020,894"
    qtmodeltester.check(model)
    row = model.add_row()
    model.setData(model.index(row, 0), "2010")
    model.setData(model.index(row, 1), "gas")
    assert not d.save_button.isEnabled() and not d.import_button.isEnabled()
    assert "Row 5, service: “gas” is not a service" in d.problems.text()
    assert model.data(model.index(row, 1), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(row, 1), Qt.ItemDataRole.ToolTipRole).startswith("Not saved: “gas”")
    model.setData(model.index(row, 1), "all")
    model.setData(model.index(row, 2), "2,001")
    assert "Row 5" not in d.problems.text()
    model.setData(model.index(row, 0), "2001")  # a year given twice
    assert "given already on row 1" in d.problems.text() and not d.save_button.isEnabled()
    model.setData(model.index(row, 0), "2010")
    with qtbot.waitSignal(d.saved):
        qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert d.status.text() == "Saved: 1 added, 4 unchanged."
    with open_case_file(window.session.path) as cf:
        assert BillsIssued(2010, ALL_SERVICES, 2001) in cf.bills_issued.list()
        entry = cf.audit_log(after=0, limit=100_000)[-1]
        assert (entry.action, entry.entity, entry.after) == ("edit", "bills_issued",
                                                             {"2010 all": 2001})
    # the report was read again with the new figure
    read(r, qtbot)
    assert "2010" in [row[0] for row in all_services_rows(r)]


def test_an_import_with_bad_rows_imports_nothing_unless_the_good_ones_are_accepted(
        window, qtbot, tmp_path):
    _, d = bills_dialog(window, qtbot)
    path = tmp_path / "bills.csv"
    path.write_text("year,service,bills issued\n2012,water,500000\n2013,gas,5\n"
                    "2014,all,-1\n", encoding="utf-8")
    d.import_file(path)
    box = d.question
    assert "row 3, service" in box.text() and "row 4, bills issued" in box.text()
    assert "Nothing has been imported" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    with open_case_file(window.session.path) as cf:
        assert len(cf.bills_issued.list()) == 4
    d.import_file(path)
    with qtbot.waitSignal(d.saved):
        d.question.findChild(object, "bills_import_good").click()
    assert d.status.text() == ("Imported 1 row(s) from bills.csv: 1 added; 2 refused row(s) "
                               "left out.")
    assert d.model.rowCount() == 5
    with open_case_file(window.session.path) as cf:
        entry = cf.audit_log(after=0, limit=100_000)[-1]
        assert entry.action == "import" and entry.after["details"]["refused_rows"] == 2


def test_a_good_file_is_imported_at_once_and_unsaved_edits_are_asked_about(window, qtbot, tmp_path):
    _, d = bills_dialog(window, qtbot)
    path = tmp_path / "bills.csv"
    path.write_text("2015,electric,\"400,000\"\n2015,all,900000\n", encoding="utf-8")
    with qtbot.waitSignal(d.saved):
        d.import_file(path)
    assert d.status.text() == "Imported 2 row(s) from bills.csv: 2 added."
    d.model.setData(d.model.index(0, 2), "5")
    assert d.import_file(path) is None  # (unsaved edits first)
    d.reject()
    assert d.question.objectName() == "bills_discard_question" and d.isVisible()
    d.question.button(QMessageBox.StandardButton.Discard).click()
    assert not d.isVisible()


def test_reports_are_read_off_the_gui_thread_and_a_stale_reading_is_not_shown(window, qtbot):
    import threading

    r = reports(window, qtbot)
    threads, real = [], r.service.read_report

    def recording(kind, period, today):
        threads.append(threading.current_thread())
        return real(kind, period, today)

    r.service.read_report = recording
    r.start.set_value(date(2009, 1, 1))
    r.refresh()
    r.start.set_value(None)
    r.refresh()  # asked again before the first reading was shown
    read(r, qtbot)
    qtbot.wait(50)
    assert len(threads) == 2 and threading.main_thread() not in threads
    # the second reading (every year) is the one shown
    assert [row[0] for row in all_services_rows(r)] == ["2001", "2004", "2007", "2009"]
