"""Nothing in the case list and the work queues is cut off without a way to read it: a
cell or a heading elided in a narrow column shows its full text as a tooltip, and a
queue's title as well."""

from __future__ import annotations

from PySide6.QtCore import Qt

from billing_desk.store.sqlite.files import open_case_file
from billing_desk.store.demo_file import fill_demo


TIP = Qt.ItemDataRole.ToolTipRole


def fill(path) -> None:
    with open_case_file(path) as cf:
        fill_demo(cf, 40)


def cut_off(table, row: int, column: int, text: str) -> bool:
    return table.fontMetrics().horizontalAdvance(text) + 8 > table.columnWidth(column)


def test_elided_cells_and_headings_show_their_full_text(make_window, case_file, qtbot):
    fill(case_file)
    w = make_window(case_file, "dpatel")  # a demo clerk with a case returned to them
    w.resize(w.minimumSizeHint().width(), 700)
    qtbot.wait(50)
    seen = 0
    tables = [(w.case_list.table, w.case_list.headings), (w.workflow.queue.waiting_table, None),
              (w.workflow.queue.returned_table, None)]
    for table, headings in tables:
        model = table.model()
        assert model.rowCount() > 0
        for column in range(model.columnCount()):
            table.setColumnWidth(column, 40)  # narrow: almost everything is cut off
            heading = model.headerData(column, Qt.Orientation.Horizontal)
            header_model = headings or model
            assert header_model.headerData(column, Qt.Orientation.Horizontal, TIP).startswith(heading), heading
            for row in range(min(model.rowCount(), 20)):
                index = model.index(row, column)
                text = model.data(index)
                if text and cut_off(table, row, column, text):
                    seen += 1
                    tip = model.data(index, TIP) or ""
                    if heading == "Flags":  # each flag in full: what it tells the supervisor
                        assert tip.count("⚑") == text.count(",") + 1, (text, tip)
                    else:
                        assert text in tip, (heading, text)
    assert seen > 100
    for box in (w.workflow.queue.waiting_box, w.workflow.queue.returned_box):
        assert box.toolTip() == box.title() and box.title()
