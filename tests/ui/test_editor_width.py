"""The case editor never scrolls sideways: in a narrow window the account and the dates
go one above the other and the texts wrap, and at the window's minimum width every
field is inside the form's visible width (no horizontal scroll bar); with room they sit
side by side again."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from tests.ui.helpers import open_demo_case


def outside(editor, viewport_width: int) -> list[str]:
    """The visible controls of the form that reach past its visible width."""
    out = []
    for child in editor.findChildren(QWidget):
        if child.isVisibleTo(editor) and child.objectName() and not child.objectName().startswith("qt_"):
            right = child.mapTo(editor, child.rect().topRight()).x()
            if right > viewport_width:
                out.append(f"{child.objectName()} ends at {right} > {viewport_width}")
    return out


def test_at_its_minimum_width_the_editor_wraps_instead_of_scrolling_sideways(make_window, case_file, qtbot):
    w = make_window(case_file)
    open_demo_case(w)
    w.resize(w.minimumSizeHint().width(), 800)
    qtbot.waitUntil(lambda: w.width() == w.minimumSizeHint().width())
    qtbot.wait(20)
    scroll, editor = w.editor_scroll, w.editor
    assert scroll.horizontalScrollBar().maximum() == 0
    assert editor.width() <= scroll.viewport().width()
    assert editor.stacked and editor.dates_box.y() > editor.account_box.y()
    assert outside(editor, scroll.viewport().width()) == []
    # a long header wraps rather than widening the form
    editor.header.setText("<b>BD-000001</b> · " + "prepared by someone with a long name, " * 6)
    qtbot.wait(20)
    assert scroll.horizontalScrollBar().maximum() == 0

    w.resize(1900, 900)
    qtbot.waitUntil(lambda: not editor.stacked)
    assert editor.dates_box.y() == editor.account_box.y()  # side by side with room
    assert scroll.horizontalScrollBar().maximum() == 0


def test_the_splitter_cannot_squeeze_the_editor_under_a_scroll_bar(make_window, case_file, qtbot):
    w = make_window(case_file)
    open_demo_case(w)
    w.resize(w.minimumSizeHint().width() + 200, 800)
    qtbot.wait(20)
    sizes = w.splitter.sizes()
    w.splitter.setSizes([sizes[0] + sizes[1] - 50, 50, sizes[2]])  # dragged nearly shut
    qtbot.wait(20)
    assert w.editor_scroll.width() >= w.editor.minimum_width()
    assert w.editor_scroll.horizontalScrollBar().maximum() == 0
    assert outside(w.editor, w.editor_scroll.viewport().width()) == []
