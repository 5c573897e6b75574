"""The window over its life: first run, recent files, a refused undo, closing with edits
half done or refused."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from billing_desk import __main__ as entry
from billing_desk.store.sqlite.files import create_case_file, open_case_file
from billing_desk.ui import app as app_module
from billing_desk.ui.app import build_main_window
from tests.ui.helpers import commit
from tests.ui.typing import enter_text, press, type_text


def settings_in(tmp_path: Path, name: str = "s.ini") -> QSettings:
    return QSettings(str(tmp_path / name), QSettings.Format.IniFormat)


def test_first_run_opens_the_demo_case_file(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    w = build_main_window("clerk1", settings_in(tmp_path))
    qtbot.addWidget(w)
    demo = tmp_path / "data" / "billing-desk" / "demo.bdesk"
    assert w.session.path == demo
    assert w.case_list.model.rowCount() > 100  # real cases to open, not an empty dialog
    assert w.file_label.text() == str(demo)
    w.session.close()


def test_a_remembered_file_that_is_gone_bad_falls_back_to_the_demo_file(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    broken = tmp_path / "office.bdesk"
    broken.write_bytes(b"not a database")
    settings = settings_in(tmp_path)
    settings.setValue("last_file", str(broken))
    settings.setValue("recent_files", [str(broken)])
    w = build_main_window("clerk1", settings)
    qtbot.addWidget(w)
    assert w.session.path.name == "demo.bdesk"
    assert str(broken) not in w._recent()
    assert broken.read_bytes() == b"not a database"  # left as it was
    w.session.close()


def test_billing_desk_with_a_case_file_opens_the_app_on_it(monkeypatch, tmp_path):
    opened = []
    monkeypatch.setattr(app_module, "run_app", lambda path=None: opened.append(path) or 0)
    assert entry.main([str(tmp_path / "office.bdesk")]) == 0
    assert entry.main([]) == 0
    assert opened == [tmp_path / "office.bdesk", None]


def test_recent_files_newest_first_and_each_reopens(make_window, case_file, tmp_path):
    other = tmp_path / "other.bdesk"
    create_case_file(other).close()
    w = make_window(case_file)
    w.open_path(other)
    titles = [a.text() for a in w.recent_menu.actions()]
    assert titles == [f"&1 {other}", f"&2 {case_file}"]
    w.recent_menu.actions()[1].trigger()
    assert w.session.path == case_file
    assert w.windowTitle().startswith("cases.bdesk")


def test_an_undo_refused_as_stale_is_reported_and_shows_the_file(make_window, case_file, qtbot):
    a = make_window(case_file, "clerk1")
    a.new_case()
    a.editor.customer_name.setFocus()
    type_text(a.editor.customer_name, "Ana")
    commit(a.editor.customer_name)
    b = make_window(case_file, "clerk2")
    b.open_case(a.record.id)
    b.editor.number.setFocus()
    type_text(b.editor.number, "55-1")
    commit(b.editor.number)

    a.undo_act.trigger()  # based on the revision before B's save: refused
    assert "was changed by clerk2" in a.last_error_box.text()
    qtbot.waitUntil(lambda: a.editor.number.text() == "55-1")  # A now shows the file
    stored = a.session.load(a.record.id).draft.account
    assert (stored.customer_name, stored.number) == ("Ana", "55-1")  # nothing overwritten
    assert not a.undo_stack.canUndo() and not a.undo_stack.canRedo()


def test_closing_with_a_cell_being_typed_saves_it(make_window, case_file):
    w = make_window(case_file)
    w.new_case()
    w.editor.add_row_button.click()
    view = w.editor.periods_view
    view.setCurrentIndex(w.editor.periods_model.index(0, 3))
    view.edit(view.currentIndex())
    type_text(view.focusWidget(), "$1,084.20")
    w.notes.setPlainText("Called the customer")  # typed, never left the field
    case_id = w.record.id
    w.close()
    with open_case_file(case_file) as cf:
        stored = cf.cases.load(case_id)
    assert stored.draft.periods[0].billed == Decimal("1084.20")
    assert stored.notes == "Called the customer"


def test_closing_with_a_refused_entry_asks_first(make_window, case_file, qtbot):
    w = make_window(case_file)
    w.new_case()
    w.editor.made_known_on.edit.setFocus()
    type_text(w.editor.made_known_on.edit, "13/01/2010")
    commit(w.editor.made_known_on.edit)
    w.editor.add_row_button.click()
    w.editor.periods_model.setData(w.editor.periods_model.index(0, 4), "12.345")

    assert not w.close()  # not yet: the clerk is asked
    box = w.last_error_box
    assert box.objectName() == "discard_dialog" and w.isVisible()
    assert "Made known on: “13/01/2010”" in box.text() and "Period 1 correct: “12.345”" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert w.isVisible()  # Cancel: still open, the entries still there to correct

    w.close()
    w.last_error_box.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not w.isVisible())
    with open_case_file(case_file) as cf:
        stored = cf.cases.load(w.record.id).draft
    assert stored.made_known_on is None and stored.periods[0].correct is None


def test_delete_on_selected_cells_is_one_saved_action(make_window, case_file):
    w = make_window(case_file)
    w.new_case()
    view, model = w.editor.periods_view, w.editor.periods_model
    view.paste_text("1/1/2010\t1/31/2010\t\t84.20\t71.45\n2/1/2010\t2/28/2010\t\t84.20\t71.45\n")
    edits = [h.action for h in w.session.history(w.record.id)].count("edit")
    view.setFocus()
    # the two "billed" cells, selected explicitly (a click's meaning depends on the
    # modifier keys the application believes are held)
    sel = view.selectionModel()
    sel.clearSelection()
    for row in (0, 1):
        sel.select(model.index(row, 3), sel.SelectionFlag.Select)
    sel.setCurrentIndex(model.index(0, 3), sel.SelectionFlag.NoUpdate)
    assert len(sel.selectedIndexes()) == 2
    press(view, Qt.Key.Key_Delete)
    stored = w.session.load(w.record.id).draft.periods
    assert [p.billed for p in stored] == [None, None]
    assert [p.correct for p in stored] == [Decimal("71.45")] * 2
    assert [h.action for h in w.session.history(w.record.id)].count("edit") == edits + 1
    w.undo_act.trigger()
    assert [p.billed for p in w.session.load(w.record.id).draft.periods] == [Decimal("84.20")] * 2

    with open_case_file(case_file) as cf:
        assert cf.verify().ok


def test_every_field_typed_picked_or_ticked_is_found_after_reopening(make_window, case_file, tmp_path):
    from datetime import date

    from PySide6.QtCore import QDate

    from billing_desk.domain.rulepacks import determine

    w = make_window(case_file)
    w.new_case()
    e = w.editor
    enter_text(e.number, "620-3391-04")
    enter_text(e.customer_name, "Peña Müller")
    enter_text(e.service_address, "412 Whedbee St, Fort Collins, CO 80524")
    e.mailing_address.setFocus()
    type_text(e.mailing_address, "Apartado 12")
    press(e.mailing_address, Qt.Key.Key_Return)
    type_text(e.mailing_address, "Fort Collins, CO 80522")
    press(e.mailing_address, Qt.Key.Key_Tab)  # leaving the field saves it
    e.locale.setCurrentIndex(e.locale.findData("es_US"))
    e.locale.activated.emit(e.locale.currentIndex())
    e.current_customer.click()  # no longer a customer
    e.service.setCurrentIndex(e.service.findData("electric"))
    e.service.activated.emit(e.service.currentIndex())
    e.discovered_on.edit.setFocus()
    type_text(e.discovered_on.edit, "Jul 16 2010")
    commit(e.discovered_on.edit)
    e.made_known_on.calendar.clicked.emit(QDate(2010, 8, 2))  # picked, not typed
    e.reading.setCurrentIndex(e.reading.findData("staff_practice"))
    e.reading.activated.emit(e.reading.currentIndex())
    e.evidence["documentation_available"].click()
    e.periods_view.paste_text("Start\tEnd\tBilled\tCorrect\n"
                              "6/1/2010\t6/30/2010\t$1,212.40\t1,180.00\n"
                              "7/1/2010\t7/31/2010\t98.15\t$120.07\n")
    w.tabs.setCurrentWidget(w.notes)
    w.notes.setFocus()
    type_text(w.notes, "Meter multiplier fixed on 7/16.")
    w.tabs.setCurrentWidget(e)  # leaving the notes saves them
    shown_refund, shown_back_bill = w.panel.refund.text(), w.panel.back_bill.text()
    number = w.record.case_number
    w.close()
    w.session.close()

    w2 = make_window(case_file)
    w2.case_list.search.setText("620-3391")
    w2.case_list.apply_filters()
    w2.case_list._activate(0)
    r = w2.session.load(w2.record.id)
    a = r.draft.account
    assert r.case_number == number
    assert (a.number, a.customer_name, a.service_address, a.mailing_address, a.locale, a.current_customer) == (
        "620-3391-04", "Peña Müller", "412 Whedbee St, Fort Collins, CO 80524",
        "Apartado 12\nFort Collins, CO 80522", "es_US", False)
    assert (r.draft.discovered_on, r.draft.made_known_on) == (date(2010, 7, 16), date(2010, 8, 2))
    assert r.draft.options.undercharge_reading.value == "staff_practice"
    assert r.draft.evidence.documentation_available and not r.draft.evidence.documentation_confirmed
    assert [(p.billed, p.correct) for p in r.draft.periods] == [
        (Decimal("1212.40"), Decimal("1180.00")), (Decimal("98.15"), Decimal("120.07"))]
    assert r.notes == "Meter multiplier fixed on 7/16."
    # the reopened window shows what the engine says, and what the first window showed
    d = determine(r.draft.check().case)
    assert d.reading == "staff_practice"
    assert w2.panel.refund.text() == shown_refund == f"${d.refund_total:,.2f}"
    assert w2.panel.back_bill.text() == shown_back_bill == f"${d.back_bill_total:,.2f}"
    assert "Staff memo" in w2.panel.basis.text()
    assert w2.editor.locale.currentData() == "es_US" and not w2.editor.current_customer.isChecked()
    assert w2.editor.mailing_address.toPlainText() == "Apartado 12\nFort Collins, CO 80522"
