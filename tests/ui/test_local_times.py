"""Times in the window are this computer's local time, written as the rest of the app
writes dates (the case file keeps UTC; a tooltip says it in UTC): the case list, the
work queue, the workflow bar and the history. Run here in Denver, where UTC is never the
local time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from billing_desk.ui.main_window import MainWindow


DENVER = ZoneInfo("America/Denver")


def local(at: datetime, seconds: bool = False) -> str:
    return at.astimezone(DENVER).strftime("%m/%d/%Y %H:%M:%S" if seconds else "%m/%d/%Y %H:%M")


def test_times_are_shown_in_local_time(denver, make_window, office):
    w: MainWindow = make_window(office, "sup")
    record = w.session.load(1)
    submitted = record.submitted.at
    assert local(submitted) != submitted.strftime("%m/%d/%Y %H:%M")  # (Denver is not UTC)

    model = w.case_list.model
    row = next(r for r in range(model.rowCount()) if model.summary(r).id == 1)
    assert model.data(model.index(row, 8)) == local(model.summary(row).updated_at)
    assert model.headerData(8, Qt.Orientation.Horizontal) == "Updated"

    queue = w.workflow.queue.waiting
    assert queue.data(queue.index(0, 4)) == local(submitted)
    assert "UTC" in queue.data(queue.index(0, 4), Qt.ItemDataRole.ToolTipRole)

    w.open_case(1)
    assert f"Submitted</b> by Alice Archer (alice) on {local(submitted)};" in w.workflow.bar.text.text()
    w.tabs.setCurrentWidget(w.history)
    when = w.history.table.item(1, 0)
    assert when.text() == local(submitted, seconds=True)
    assert when.toolTip().startswith(submitted.strftime("%Y-%m-%d %H:%M:%S UTC"))
