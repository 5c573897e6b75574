"""The main window on a real case file: create, type, save, reopen, undo/redo, two windows,
a stale save refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QSettings, Qt

from billing_desk.domain.rulepacks import determine
from billing_desk.store.sqlite.files import open_case_file
from billing_desk.ui.main_window import MainWindow
from billing_desk.ui.session import CaseSession
from tests.ui.helpers import commit, type_case
from tests.ui.typing import press, type_text


def test_typed_case_is_saved_and_found_after_reopening(make_window, case_file):
    w = make_window(case_file)
    type_case(w)
    assert w.panel.refund.text() == "$12.75"
    number = w.record.case_number
    w.close()
    w.session.close()

    with open_case_file(case_file) as cf:
        record = cf.cases.find(number)
        assert record.draft.account.customer_name == "Peña Müller"
        assert record.draft.discovered_on == date(2010, 6, 15)
        assert record.draft.periods[0].correct == Decimal("71.45")
        case = record.draft.check().case
        assert determine(case).refund_total == Decimal("12.75")
        # one audit entry per user action: create + 3 fields + service + date + 2 ticks
        # + add row + 4 cells
        history = cf.cases.history(record.id)
        assert len(history) == 1 + 3 + 1 + 1 + 2 + 1 + 4
        assert {h.actor for h in history} == {"clerk1"}

    w2 = make_window(case_file)
    w2.case_list.search.setText("pena")
    w2.case_list.apply_filters()
    assert w2.case_list.model.rowCount() == 1
    w2.case_list._activate(0)
    assert w2.editor.customer_name.text() == "Peña Müller"
    assert w2.panel.refund.text() == "$12.75"


def test_bad_date_is_not_saved(make_window, case_file):
    w = make_window(case_file)
    w.new_case()
    revision = w.record.revision
    w.editor.discovered_on.edit.setFocus()
    type_text(w.editor.discovered_on.edit, "2/30/2010")
    commit(w.editor.discovered_on.edit)
    assert w.record.revision == revision
    assert w.session.load(w.record.id).draft.discovered_on is None
    assert "not a real calendar date" in w.editor._problem_labels["discovered_on"].text()


def test_undo_and_redo_save_each_step(make_window, case_file):
    w = make_window(case_file)
    w.new_case()
    e = w.editor
    e.customer_name.setFocus()
    type_text(e.customer_name, "Ana")
    commit(e.customer_name)
    e.customer_name.setFocus()
    e.customer_name.selectAll()
    type_text(e.customer_name, "Ana Okafor")
    commit(e.customer_name)
    case_id = w.record.id
    assert w.session.load(case_id).draft.account.customer_name == "Ana Okafor"
    w.undo_act.trigger()
    assert e.customer_name.text() == "Ana"
    assert w.session.load(case_id).draft.account.customer_name == "Ana"
    w.undo_act.trigger()
    assert w.session.load(case_id).draft.account.customer_name == ""
    w.redo_act.trigger()
    w.redo_act.trigger()
    assert w.session.load(case_id).draft.account.customer_name == "Ana Okafor"
    actions = [h.action for h in w.session.history(case_id)]
    assert actions.count("edit") == 6  # 2 edits, 2 undos, 2 redos: each saved and audited


def test_two_windows_see_each_others_changes_and_a_stale_save_is_refused(make_window, case_file):
    a = make_window(case_file, "clerk1")
    a.new_case()
    case_id = a.record.id
    b = make_window(case_file, "clerk2")
    b.open_case(case_id)

    b.editor.customer_name.setFocus()
    type_text(b.editor.customer_name, "Written by B")
    commit(b.editor.customer_name)

    # A has not refreshed yet: its edit is based on a stale revision and is refused
    a.editor.number.setFocus()
    type_text(a.editor.number, "from A")
    commit(a.editor.number)
    assert a.last_error_box is not None
    assert "was changed by clerk2" in a.last_error_box.text()
    stored = a.session.load(case_id)
    assert stored.draft.account.customer_name == "Written by B"
    assert stored.draft.account.number == ""  # A's edit did not overwrite anything
    assert a.editor.customer_name.text() == "Written by B"  # A now shows the file's version
    a.last_error_box.close()

    # a refresh (the poll) shows each window the other's saves
    a.editor.number.setFocus()
    type_text(a.editor.number, "77-1")
    commit(a.editor.number)
    b.session.poll()
    assert b.editor.number.text() == "77-1"


def test_closing_the_window_saves_the_field_being_typed(make_window, case_file):
    w = make_window(case_file)
    w.new_case()
    w.editor.customer_name.setFocus()
    type_text(w.editor.customer_name, "Half typed")
    case_id = w.record.id
    w.close()
    assert w.session.file is None  # the window closes its file
    with open_case_file(case_file) as cf:
        assert cf.cases.load(case_id).draft.account.customer_name == "Half typed"


def test_window_remembers_layout_and_last_file(make_window, case_file, tmp_path):
    w = make_window(case_file)
    w.splitter.setSizes([300, 900, 400])
    w.close()
    settings = QSettings(str(tmp_path / "settings-0.ini"), QSettings.Format.IniFormat)
    assert settings.value("last_file") == str(case_file)
    assert str(case_file) in settings.value("recent_files")
    w2 = MainWindow(CaseSession("clerk1"), settings)
    assert w2.splitter.saveState() == settings.value("splitter")
    w2.session.close()


def test_opening_a_file_that_is_not_a_case_file_says_so(make_window, case_file, tmp_path):
    w = make_window(case_file)
    junk = tmp_path / "notes.bdesk"
    junk.write_bytes(b"just some text, not a database")
    before = junk.read_bytes()
    assert not w.open_path(junk)
    assert "not a Billing Desk case file" in w.last_error_box.text()
    assert junk.read_bytes() == before
    assert w.session.path == case_file  # the open file stays open


def test_periods_from_a_csv_file_are_added_and_bad_cells_marked(make_window, case_file, tmp_path):
    w = make_window(case_file)
    w.new_case()
    csv_file = tmp_path / "periods.csv"
    csv_file.write_text("Service start,Service end,Amount billed,Correct\n"
                        "1/1/2010,1/31/2010,\"$1,084.20\",1071.45\n"
                        "2/1/2010,2/28/2010,84.20,oops\n", encoding="utf-8")
    w.import_periods_from(csv_file)
    stored = w.session.load(w.record.id).draft.periods
    assert len(stored) == 2
    assert stored[0].billed == Decimal("1084.20") and stored[0].correct == Decimal("1071.45")
    assert stored[1].correct is None
    model = w.editor.periods_model
    assert model.data(model.index(1, 4)) == "oops"
    assert "1 cell(s) refused" in w.statusBar().currentMessage()


def test_paste_from_the_clipboard(make_window, case_file):
    from PySide6.QtGui import QGuiApplication, QKeySequence

    w = make_window(case_file)
    w.new_case()
    QGuiApplication.clipboard().setText("3/1/2010\t3/31/2010\t4/8/2010\t$12.00\t10.50\tmeter swap\n")
    view = w.editor.periods_view
    view.setFocus()
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    seq = QKeySequence(QKeySequence.StandardKey.Paste)[0]
    QApplication.sendEvent(view, QKeyEvent(QEvent.Type.KeyPress, seq.key(), seq.keyboardModifiers()))
    p = w.session.load(w.record.id).draft.periods[0]
    assert (p.start, p.end, p.bill_date, p.billed, p.correct, p.note) == (
        date(2010, 3, 1), date(2010, 3, 31), date(2010, 4, 8), Decimal("12.00"), Decimal("10.50"),
        "meter swap")


def test_table_models_pass_the_qt_model_tester(make_window, case_file, qtmodeltester):
    from billing_desk.store.demo_file import fill_demo

    w = make_window(case_file)
    fill_demo(w.session.file, 30)
    w.case_list.apply_filters()
    qtmodeltester.check(w.case_list.model)
    w.open_case(w.case_list.model.summary(0).id)
    qtmodeltester.check(w.editor.periods_model)


def test_keyboard_row_editing(make_window, case_file):
    w = make_window(case_file)
    w.new_case()
    view = w.editor.periods_view
    view.setFocus()
    press(view, Qt.Key.Key_Insert)
    press(view, Qt.Key.Key_Insert)
    assert len(w.session.load(w.record.id).draft.periods) == 2
    view.setCurrentIndex(w.editor.periods_model.index(1, 0))
    press(view, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert len(w.session.load(w.record.id).draft.periods) == 1
    assert [h.action for h in w.session.history(w.record.id)].count("edit") == 3


def test_a_search_matching_many_cases_lists_the_newest_and_says_so(make_window, case_file):
    w = make_window(case_file)
    for name in ("Ana Okafor", "Ana Peña", "Anders Olsen", "Bob Smith"):
        w.new_case()
        w.editor.customer_name.setText(name)
        commit(w.editor.customer_name)
    w.session.file.listing.search_limit = 2
    w.case_list.search.setText("an")
    w.case_list.apply_filters()
    assert w.case_list.model.rowCount() == 2
    assert [w.case_list.model.summary(r).customer_name for r in range(2)] == [
        "Anders Olsen", "Ana Peña"]
    assert w.case_list.count.text() == "The newest 2 matching cases; type more to narrow the search"
    w.case_list.search.setText("ana")
    w.case_list.apply_filters()
    assert w.case_list.count.text() == "2 cases"
    w.case_list.search.setText("")
    w.case_list.apply_filters()
    assert w.case_list.count.text() == "4 cases"


def test_a_case_file_every_user_can_read_is_warned_about_where_the_clerk_looks(
        make_window, case_file):
    case_file.chmod(0o644)
    w = make_window(case_file)
    assert w.file_label.text() == f"⚠ {case_file} — readable by others"
    assert "can be read by every user of this computer" in w.file_label.toolTip()
    assert w.statusBar().currentMessage().startswith(f"Warning: {case_file} can be read")
    w.session.close()
    case_file.chmod(0o600)
    w2 = make_window(case_file)
    assert w2.file_label.text() == str(case_file) and w2.file_label.toolTip() == ""


def test_a_file_whose_newest_entries_were_removed_is_said_when_it_opens(make_window, tmp_path,
                                                                         qtbot):
    import sqlite3

    from billing_desk.domain.draft import CaseDraft
    from billing_desk.store import create_store
    from tests.domain.builders import make_case
    from tests.staff import add_staff

    path = tmp_path / "office.bdesk"
    with create_store(path) as cf:  # worked in here: closing remembers the head
        add_staff(cf)
        cf.cases.create(CaseDraft.from_case(make_case()), actor="alice")
        seen = cf.history_head().entry
    with sqlite3.connect(path, isolation_level=None) as raw:  # the new case taken out
        for sql in ("DROP TRIGGER audit_no_delete", f"DELETE FROM audit WHERE id = {seen}",
                    "DROP TRIGGER cases_no_delete", "DELETE FROM case_search WHERE rowid = 1",
                    "DELETE FROM periods WHERE case_id = 1", "DELETE FROM cases WHERE id = 1"):
            raw.execute(sql)
    w = make_window(path, "alice")
    w.build_workspace()
    qtbot.waitUntil(lambda: w.last_error_box is not None, timeout=5000)
    assert w.last_error_box.windowTitle() == "The history is not what this workstation saw"
    assert (f"but this workstation saw entry #{seen}" in w.last_error_box.text()
            and "its newest entries were removed" in w.last_error_box.text())
