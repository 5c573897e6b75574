"""The determination panel never passes off a result as that of the form when the form
shows an entry the case does not hold: a date or an amount refused in a cell, typed,
pasted or imported, or in a date field (refused, or not yet a date while typed). The
panel says "Not current: fix …", lists the entry first (the real reason, not "required
field is missing"), greys and strikes through its figures, and is current again once the
entry is fixed."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from billing_desk.ui.main_window import MainWindow
from tests.ui.helpers import commit, enter_cell, type_case
from tests.ui.typing import press, type_text


def problems(w: MainWindow) -> list[str]:
    return [w.panel.problems.item(k).text() for k in range(w.panel.problems.count())]


def struck(w: MainWindow) -> bool:
    return all(label.font().strikeOut() for label in (w.panel.refund, w.panel.back_bill, w.panel.net))


def assert_current(w: MainWindow) -> None:
    assert w.panel.current and not w.panel.not_current.isVisibleTo(w.panel) and not struck(w)


def test_a_refused_date_in_a_cell_marks_the_panel_not_current_until_fixed(make_window, case_file):
    w = make_window(case_file)
    type_case(w)
    assert w.panel.refund.text() == "$12.75"
    assert_current(w)
    enter_cell(w, 0, 0, "2/30/2010")  # not a date: refused, the period keeps 01/01/2010
    assert not w.panel.current
    banner = w.panel.not_current
    assert banner.isVisibleTo(w.panel) and banner.text().startswith("⚠ Not current: fix Period 1 start.")
    assert problems(w)[0] == "✖ Period 1 start: “2/30/2010” is not a real calendar date; not saved"
    assert w.panel.problems_box.isVisibleTo(w.panel)
    assert struck(w) and w.panel.refund.text() == "$12.75"  # the case as saved, struck through
    assert "#8a8a8a" in w.panel.refund.styleSheet()
    # the entry is reached from the panel, as any problem is
    w.panel.problems.setCurrentRow(0)
    w.panel.problems.setFocus()
    press(w.panel.problems, Qt.Key.Key_Return)
    view = w.editor.periods_view
    assert QApplication.focusWidget() is view and (view.currentIndex().row(), view.currentIndex().column()) == (0, 0)
    enter_cell(w, 0, 0, "1/2/2010")  # fixed: saved, and the panel is the form's again
    assert_current(w)
    assert w.session.load(w.record.id).draft.periods[0].start.day == 2
    assert problems(w) == []


def test_a_refused_amount_typed_in_a_cell_is_named_with_its_reason(make_window, case_file):
    w = make_window(case_file)
    type_case(w)
    enter_cell(w, 0, 4, "71.455")
    assert not w.panel.current
    assert problems(w)[0].startswith("✖ Period 1 correct: more than 2 decimal places")
    assert "(typed: “71.455”); not saved" in problems(w)[0]
    w.editor.periods_view.setCurrentIndex(w.editor.periods_model.index(0, 4))
    press(w.editor.periods_view, Qt.Key.Key_Delete)  # the cell cleared: nothing refused left
    assert w.panel.current
    assert "Period 1 correct: required field is missing" in " ".join(problems(w))


def test_a_pasted_amount_with_wrong_grouping_is_reported_as_such(make_window, case_file):
    w = make_window(case_file)
    type_case(w)
    view = w.editor.periods_view
    view.setCurrentIndex(QModelIndex())  # no cell current: the rows are added at the end
    view.paste_text("2/1/2010\t2/28/2010\t\t$12,34.5\t70.00\n")  # appended as period 2
    assert w.editor.periods_model.rowCount() == 2
    listed = problems(w)
    assert listed[0].startswith("✖ Period 2 billed: “$12,34.5” is not an amount: its digit "
                                "grouping is wrong")
    assert not any("Period 2 billed: required field is missing" in p for p in listed)
    assert w.panel.status.text() == "⚠ Not determined: 1 problem to fix"
    assert not w.panel.current and "Period 2 billed" in w.panel.not_current.text()
    # the cell says the same
    cell = w.editor.periods_model.index(1, 3)
    assert "digit grouping is wrong" in w.editor.periods_model.data(cell, Qt.ItemDataRole.ToolTipRole)


def test_a_csv_import_with_a_refused_cell_marks_the_panel(make_window, case_file, tmp_path):
    w = make_window(case_file)
    type_case(w)
    csv = tmp_path / "periods.csv"
    csv.write_text("start,end,billed,correct\n2/1/2010,2/28/2010,90.00,1.2.3\n", encoding="utf-8")
    w.import_periods_from(csv)
    assert not w.panel.current
    assert problems(w)[0].startswith("✖ Period 2 correct: “1.2.3” is not an amount: it has more "
                                     "than one decimal point")


def test_a_refused_date_field_and_one_still_being_typed_mark_the_panel(make_window, case_file):
    w = make_window(case_file)
    type_case(w)
    field = w.editor.discovered_on.edit
    field.setFocus()
    field.selectAll()
    type_text(field, "2/30/2011")
    commit(field)
    assert not w.panel.current and w.panel.not_current.text().startswith("⚠ Not current: fix Discovered on.")
    assert problems(w)[0] == "✖ Discovered on: “2/30/2011” is not a real calendar date; not saved"
    assert w.panel.refund.text() == "$12.75" and struck(w)  # discovered 06/15/2010, as saved
    field.selectAll()
    type_text(field, "6/1")  # half typed: not a date yet, so the figures are not the form's
    assert not w.panel.current and "Discovered on" in w.panel.not_current.text()
    type_text(field, "/2016")  # a date again: the panel shows what the form shows
    assert_current(w)
    assert w.panel.refund.text() == "$0.00"  # 2010 is more than six years before 2016
    commit(field)
    assert_current(w)
    assert w.session.load(w.record.id).draft.discovered_on.year == 2016


def test_opening_another_case_drops_the_refused_entries_and_the_mark(make_window, case_file):
    w = make_window(case_file)
    type_case(w)
    first = w.record.id
    enter_cell(w, 0, 3, "12..0")
    assert not w.panel.current
    w.new_case()
    w.open_case(first)
    assert_current(w)
    assert w.panel.refund.text() == "$12.75"
