"""The Qt binding must not corrupt Python's reference counts: PySide6 6.12.0 under
Python 3.11 dropped a reference to None on every void call, and a day of clerk work
ended in "Fatal Python error: none_dealloc". This guards the pinned version."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel, QTableWidget


def test_void_calls_keep_the_reference_count_of_none(qtbot):
    table = QTableWidget(0, 4)
    label = QLabel()
    qtbot.addWidget(table)
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        table.setRowCount(5)
        label.setText("a")
    assert abs(sys.getrefcount(None) - before) < 50
