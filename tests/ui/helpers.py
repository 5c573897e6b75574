"""What the UI tests do again and again, as a clerk would: finish an edit with Enter,
type into a cell of the periods table, type a whole case, open a demo case, wait for
work running in the background (ui/background.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from billing_desk.store.demo_file import fill_demo
from billing_desk.ui.main_window import MainWindow
from tests.ui.typing import press, type_text


def commit(widget) -> None:
    """Finish a field edit as the clerk does with Enter (works whether or not the window
    is the active one, unlike a focus change)."""
    press(widget, Qt.Key.Key_Return)


def enter_cell(window: MainWindow, row: int, col: int, text: str) -> None:
    view = window.editor.periods_view
    view.setCurrentIndex(window.editor.periods_model.index(row, col))
    view.edit(view.currentIndex())
    type_text(view.focusWidget(), text)
    press(view.focusWidget(), Qt.Key.Key_Return)


def type_case(w: MainWindow) -> None:
    """A new case typed field by field: a water overcharge of 12.75 in January 2010."""
    w.new_case()
    e = w.editor
    for edit, text in ((e.number, "300-4400-17"), (e.customer_name, "Peña Müller"),
                       (e.service_address, "1200 S College Ave")):
        edit.setFocus()
        type_text(edit, text)
        commit(edit)
    e.service.setCurrentIndex(e.service.findData("water"))
    e.service.activated.emit(e.service.currentIndex())
    e.discovered_on.edit.setFocus()
    type_text(e.discovered_on.edit, "6/15/2010")
    commit(e.discovered_on.edit)
    e.evidence["documentation_available"].click()
    e.evidence["documentation_confirmed"].click()
    e.add_row_button.click()
    for col, text in ((0, "1/1/2010"), (1, "1/31/2010"), (3, "84.20"), (4, "71.45")):
        enter_cell(w, 0, col, text)


def mnemonic(text: str) -> str | None:
    """The letter after a single '&' ("&&" is a literal ampersand)."""
    k = text.replace("&&", "").find("&")
    stripped = text.replace("&&", "")
    return stripped[k + 1].upper() if 0 <= k < len(stripped) - 1 else None


def open_demo_case(w: MainWindow) -> None:
    fill_demo(w.session.file, 5)
    w.case_list.apply_filters()
    w.open_case(w.case_list.model.summary(0).id)


def finish(qtbot, task, timeout: int = 60_000) -> None:
    """Wait until work started in the background (a BackgroundTask) has ended and its
    result or error has been handed to the window."""
    if task is not None:
        qtbot.waitUntil(lambda: task.ended, timeout=timeout)
