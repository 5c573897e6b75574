"""The incident windows (issue 18 points 1-4): a CSV checked on a worker and shown as good
accounts and bad rows (line and column) before anything is created; the incident's
totals, histogram, outliers and rule; the review, the approval by sample, an override
dropping a case out of it; a long step cancelled keeping nothing; every control named
for screen readers and tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtWidgets import (QAbstractButton, QComboBox, QLabel, QLineEdit, QPlainTextEdit,
                               QProgressBar, QTableView, QTableWidget)

from billing_desk.domain.incident import OUTLIER_RULE
from billing_desk.store import create_case_file, open_case_file
from billing_desk.store.incidents import CaseFilter
from billing_desk.ui.incident_import_dialog import IncidentImportDialog
from billing_desk.ui.incident_session import IncidentSession
from billing_desk.ui.incident_window import IncidentWindow
from billing_desk.ui.session import CaseSession
from tests.incident_data import stormwater_rows, synthetic_csv, to_csv
from tests.staff import add_staff
from tests.store.incident_helpers import stormwater_incident

STEP_TIMEOUT = 120_000


@pytest.fixture
def office(tmp_path):
    path = tmp_path / "office.bdesk"
    add_staff(create_case_file(path)).close()
    sessions: list[CaseSession] = []

    def session(login: str) -> CaseSession:
        s = CaseSession(login)
        s.open(path)
        sessions.append(s)
        return s

    yield path, session
    for s in sessions:
        s.close()


def fill_form(dialog: IncidentImportDialog, csv_path) -> None:
    dialog.description.setText("Incorrect stormwater run-off factor")
    dialog.cause.setText("Run-off table entered wrong")
    dialog.service.setCurrentIndex(dialog.service.findText("stormwater"))
    dialog.discovered.set_value(date(2009, 7, 1))
    dialog.csv_path.setText(str(csv_path))


def wait_idle(qtbot, runner) -> None:
    qtbot.waitUntil(lambda: not runner.busy, timeout=STEP_TIMEOUT)


def unnamed_controls(widget) -> list[str]:
    kinds = (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QTableView, QProgressBar)
    found = [w for kind in kinds for w in widget.findChildren(kind)]
    assert len(found) > 5  # (the check looks at something)
    return [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}" for w in found
            if not w.accessibleIdentifier() and w.isVisibleTo(widget)
            and w.parent().metaObject().className() not in ("QCalendarWidget", "QTableCornerButton")
            and not w.objectName().startswith("qt_")]


def test_bad_rows_are_shown_with_line_and_column_and_nothing_is_created_until_accepted(
        qtbot, office, tmp_path):
    path, session = office
    rows = stormwater_rows()
    rows[55][5] = "2005-02-30"  # line 57
    csv_path = tmp_path / "rows.csv"
    csv_path.write_bytes(to_csv(rows))
    dialog = IncidentImportDialog(IncidentSession(session("alice")))
    qtbot.addWidget(dialog)
    dialog.show()
    fill_form(dialog, csv_path)
    dialog.check_button.click()
    wait_idle(qtbot, dialog.runner)
    assert "make 73 account(s)" in dialog.summary.text()
    assert "1 problem(s)" in dialog.summary.text()
    assert [dialog.bad.item(0, c).text() for c in range(2)] == ["57", "period_start"]
    assert "not a real calendar date" in dialog.bad.item(0, 2).text()
    assert dialog.good.rowCount() == 73
    assert dialog.create_button.text() == "Accept the good rows, create &incident"
    with open_case_file(path) as cf:
        assert cf.incidents.list() == []  # nothing yet
    with qtbot.waitSignal(dialog.created, timeout=STEP_TIMEOUT) as created:
        dialog.create_button.click()
    record = created.args[0]
    with open_case_file(path) as cf:
        assert cf.incidents.summary(record.id).totals.cases == 73
    assert unnamed_controls(dialog) == []


def test_a_file_that_is_not_utf8_is_refused_in_the_preview(qtbot, office, tmp_path):
    path, session = office
    csv_path = tmp_path / "rows.csv"
    csv_path.write_bytes(to_csv(stormwater_rows()).decode().encode("latin-1"))
    dialog = IncidentImportDialog(IncidentSession(session("alice")))
    qtbot.addWidget(dialog)
    fill_form(dialog, csv_path)
    dialog.check_file()
    wait_idle(qtbot, dialog.runner)
    assert "is refused" in dialog.summary.text() and not dialog.create_button.isEnabled()
    assert dialog.bad.item(0, 1).text() == "$" and "not UTF-8" in dialog.bad.item(0, 2).text()


def test_cancelling_the_creation_keeps_nothing(qtbot, office, tmp_path):
    path, session = office
    csv_path = tmp_path / "big.csv"
    csv_path.write_bytes(synthetic_csv(1500))
    dialog = IncidentImportDialog(IncidentSession(session("alice")))
    qtbot.addWidget(dialog)
    fill_form(dialog, csv_path)
    dialog.service.setCurrentIndex(dialog.service.findText("water"))
    dialog.discovered.set_value(date(2024, 3, 15))
    dialog.check_file()
    wait_idle(qtbot, dialog.runner)
    assert dialog.create_button.isEnabled()
    dialog.create_button.click()
    assert dialog.cancel_step_button.isEnabled() and not dialog.close_button.isEnabled()
    dialog.cancel_step_button.click()
    wait_idle(qtbot, dialog.runner)
    assert "was cancelled: nothing was changed" in dialog.summary.text()
    with open_case_file(path) as cf:
        assert cf.incidents.list() == [] and cf.listing.count() == 0
        assert cf.verify().ok


def open_window(qtbot, session, incident_id) -> IncidentWindow:
    w = IncidentWindow(IncidentSession(session), incident_id)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.loaded, timeout=STEP_TIMEOUT):
        w.show()
    return w


def test_the_window_shows_the_totals_histogram_outliers_and_their_rule(qtbot, office):
    path, session = office
    with open_case_file(path) as cf:
        add_staff_users = cf  # (the office exists; the incident is the clerk's)
        record, _ = stormwater_incident(add_staff_users, submit=True)
    w = open_window(qtbot, session("boss"), record.id)
    text = {k: label.text() for k, label in w.totals.items()}
    assert text["incident_total_cases"] == "74"
    assert text["incident_total_refund"] == "43,041.00"
    assert text["incident_total_six_year"] == "26,085.00 (55 accounts)"
    assert text["incident_outliers"] == "1 account"
    assert sum(b.count for b in w.histogram.bins) == 74
    assert w.rule.text() == OUTLIER_RULE
    assert w.model.rowCount() == 74 and w.shown.text() == "74 of 74 cases"
    w.filter.setCurrentIndex(list(CaseFilter).index(CaseFilter.OUTLIERS))
    assert w.model.rowCount() == 1 and w.model.case_at(0).figures.refund == Decimal("42.00")
    # each changing value is read through its caption (a buddy), every control is named
    captions = {label.buddy(): label for label in w.findChildren(QLabel) if label.buddy()}
    assert all(value in captions for value in w.totals.values())
    assert unnamed_controls(w) == []
    assert w.sample_act.isEnabled() and not w.approve_act.isEnabled()
    assert not w.issue_act.isEnabled()


def test_sample_approve_and_an_override_that_drops_a_case_out(qtbot, office):
    path, session = office
    with open_case_file(path) as cf:
        record, _ = stormwater_incident(cf, submit=True)
    w = open_window(qtbot, session("boss"), record.id)
    with qtbot.waitSignal(w.loaded, timeout=STEP_TIMEOUT):
        w.sample_act.trigger()
    assert w.model.rowCount() == 30  # the window shows the sample it drew
    assert w.approve_act.isEnabled()
    w.approve()
    dialog = w.approve_dialog
    assert dialog.table.rowCount() == 30
    ok = dialog.buttons.buttons()[0]
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.reviewed.setChecked(True)
    with qtbot.waitSignal(w.loaded, timeout=STEP_TIMEOUT):
        dialog.accept()
    assert ok is not None
    assert w.totals["incident_approval"].text() == "approved by boss, 74 cases"
    assert w.issue_act.isEnabled()
    # an account overridden after the approval drops out of it, and the window says so
    w.filter.setCurrentIndex(0)
    w.table.selectRow(0)
    assert w.override_act.isEnabled()
    w.override()
    over = w.override_dialog
    over.boxes["customer_could_have_discovered"].setChecked(True)
    over.reason.setPlainText("Told of the wrong factor in 2004")
    with qtbot.waitSignal(w.loaded, timeout=STEP_TIMEOUT):
        over.accept()
    assert w.totals["incident_approval"].text() == (
        "approved by boss, 74 cases; 1 dropped out (edited afterwards)")
    assert w.totals["incident_total_refund"].text() == "42,191.00"
    w.filter.setCurrentIndex(list(CaseFilter).index(CaseFilter.DROPPED_OUT))
    assert w.model.rowCount() == 1
    cell = w.model.index(0, 10).data()
    assert cell.startswith("DROPPED OUT")


def test_the_memo_is_saved_off_the_gui_thread(qtbot, office, tmp_path):
    path, session = office
    with open_case_file(path) as cf:
        record, _ = stormwater_incident(cf)
    w = open_window(qtbot, session("alice"), record.id)
    target = tmp_path / "memo.pdf"
    w.save_memo(target)
    wait_idle(qtbot, w.runner)
    assert target.read_bytes().startswith(b"%PDF")
    assert w.step_label.text().startswith("Summary memo saved (")


def test_nothing_loads_qtcharts_or_the_incident_modules_until_an_incident_is_opened():
    import subprocess
    import sys

    code = ("import sys; import billing_desk.ui.main_window, billing_desk.ui.incident_menu; "
            "print([m for m in sys.modules if 'QtCharts' in m or 'incident_window' in m "
            "or m.endswith('store.incidents')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert out.strip() == "[]"


def test_the_tables_of_the_preview_say_what_they_hold_and_alt_letters_are_unique(qtbot, office):
    _, session = office
    dialog = IncidentImportDialog(IncidentSession(session("alice")))
    qtbot.addWidget(dialog)
    dialog.show()
    for table in dialog.findChildren(QTableWidget):
        assert table.accessibleName()
    from tests.ui.helpers import mnemonic

    letters = [mnemonic(w.text()) for w in dialog.findChildren(QLabel) + dialog.findChildren(
        QAbstractButton) if w.isVisibleTo(dialog) and mnemonic(w.text())]
    assert len(letters) >= 10 and len(letters) == len(set(letters)), sorted(letters)


def test_the_main_windows_incidents_menu_opens_an_incident_and_its_cases(qtbot, office, tmp_path):
    from PySide6.QtCore import QSettings

    from billing_desk.ui.main_window import MainWindow

    path, _ = office
    with open_case_file(path) as cf:
        record, _ = stormwater_incident(cf)
    main = MainWindow(CaseSession("alice"), QSettings(str(tmp_path / "w.ini"),
                                                      QSettings.Format.IniFormat))
    qtbot.addWidget(main)
    assert main.open_path(path)
    actions = main.incident_actions
    assert [a.text() for a in actions.menu.actions()] == [
        "&New incident from CSV…", "&Open incident…", "Incident of this &case"]
    assert not actions.case_act.isEnabled()
    window = actions.open_incident(record.id)
    qtbot.waitUntil(lambda: window.view is not None, timeout=STEP_TIMEOUT)
    assert actions.open_incident(record.id) is window  # one window per incident
    window.table.selectRow(2)
    window.open_act.trigger()
    assert main.record is not None and main.record.case_number == window.model.case_at(2).case_number
    assert actions.case_act.isEnabled()  # the case shown belongs to the incident
    window.close()
    main.session.close()
