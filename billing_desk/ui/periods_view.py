"""The periods table as a clerk uses it: like a spreadsheet.

Enter commits and moves down (staying on the last row), Tab moves right (wrapping to the
next row, adding one at the end), Insert adds a row above, Ctrl+Delete/Shift+Delete
removes the selected rows, Delete clears the selected cells, Ctrl+V pastes rows copied
from a spreadsheet. Since Tab stays in the table, Ctrl+Tab and Ctrl+Shift+Tab leave it
(as they leave a text box that takes Tab). Each of these is one saved edit.
"""

from __future__ import annotations

from .qt import (
    QAbstractItemDelegate, QAbstractItemView, QApplication, QGuiApplication, QHeaderView,
    QItemSelectionModel, QKeyEvent, QKeySequence, QModelIndex, QTableView, QWidget, Qt, Signal,
)

from ..domain.entry import TooManyRows, parse_rows, split_pasted_text
from .a11y import identify
from .periods_model import COLUMNS, PeriodsModel


class PeriodsView(QTableView):
    pasteReport = Signal(str)  # a message about what a paste did (rows, refused cells)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._read_only = False
        identify(self, "periods_table", "Billing periods")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setTabKeyNavigation(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        row = self.fontMetrics().height() + 8
        self.verticalHeader().setDefaultSectionSize(row)
        # at least six periods in view (the form scrolls rather than squeeze the table)
        self.setMinimumHeight(row * 7 + 4)
        self.setAlternatingRowColors(True)

    def periods_model(self) -> PeriodsModel:
        model = self.model()
        assert isinstance(model, PeriodsModel)
        return model

    def setModel(self, model) -> None:  # noqa: N802 (Qt name)
        super().setModel(model)
        # wide enough for what the column holds (a date, a five-figure amount), so the
        # note keeps the rest; the warning icon of a refused cell needs its room too
        fm = self.fontMetrics()
        pad = fm.height() + 8
        for c, sample in enumerate(("00/00/0000", "00/00/0000", "00/00/0000", "00,000.00", "00,000.00",
                                    "+00,000.00")):
            self.setColumnWidth(c, fm.horizontalAdvance(sample) + pad)

    # -- keyboard ------------------------------------------------------------------------

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only

    def commit_current_editor(self) -> None:
        """Commit the cell being edited (the window closes, another case opens)."""
        editor = QApplication.focusWidget()
        if editor is not None and self.isAncestorOf(editor) and editor is not self:
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and mods & Qt.KeyboardModifier.ControlModifier:
            QWidget.focusNextPrevChild(self, key == Qt.Key.Key_Tab
                                       and not mods & Qt.KeyboardModifier.ShiftModifier)
            return
        if self._read_only and (event.matches(QKeySequence.StandardKey.Paste)
                                or key in (Qt.Key.Key_Insert, Qt.Key.Key_Delete)):
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_clipboard()
            return
        if key == Qt.Key.Key_Insert:
            self.insert_row()
            return
        if key == Qt.Key.Key_Delete and mods & (Qt.KeyboardModifier.ControlModifier
                                                | Qt.KeyboardModifier.ShiftModifier):
            self.delete_selected_rows()
            return
        if key == Qt.Key.Key_Delete:
            self.clear_selected_cells()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            self._move(1, 0)
            return
        super().keyPressEvent(event)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802
        """After an edit, Enter moves down (like a spreadsheet); Tab moves right."""
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self._move(1, 0)

    def moveCursor(self, action, modifiers):  # noqa: N802
        index = super().moveCursor(action, modifiers)
        model = self.model()
        if model is None:
            return index
        cur = self.currentIndex()
        if action == QAbstractItemView.CursorAction.MoveNext and cur.isValid():
            # Tab past the last cell adds a row, as a spreadsheet would
            if cur.row() == model.rowCount() - 1 and cur.column() == model.columnCount() - 1:
                self.periods_model().insert_blank_rows(model.rowCount())
                return model.index(cur.row() + 1, 0)
        return index

    def _move(self, drow: int, dcol: int) -> None:
        model = self.model()
        cur = self.currentIndex()
        if model is None or not cur.isValid():
            return
        # Enter on the last row stays there (Tab past the last cell or Insert adds a row)
        row = min(cur.row() + drow, model.rowCount() - 1)
        target = model.index(row, cur.column() + dcol)
        self.setCurrentIndex(target)

    # -- actions -------------------------------------------------------------------------

    def insert_row(self) -> None:
        cur = self.currentIndex()
        row = cur.row() if cur.isValid() else self.model().rowCount()
        self.periods_model().insert_blank_rows(row)
        self.setCurrentIndex(self.model().index(row, 0))

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.selectionModel().selectedIndexes()}
        if not rows and self.currentIndex().isValid():
            rows = {self.currentIndex().row()}
        return sorted(rows)

    def delete_selected_rows(self) -> None:
        self.periods_model().remove_rows(self.selected_rows())

    def clear_selected_cells(self) -> None:
        indexes = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        self.periods_model().clear_cells((i.row(), i.column()) for i in indexes if i.isValid())

    def paste_clipboard(self) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> None:
        if not text.strip():
            return
        cur = self.currentIndex()
        top = cur.row() if cur.isValid() else self.model().rowCount()
        left = cur.column() if cur.isValid() else 0
        fields = tuple(f for f, _ in COLUMNS[left:] if f)
        try:
            parsed = parse_rows(split_pasted_text(text), fields)
        except TooManyRows as e:  # (refused as a whole: nothing pasted)
            self.pasteReport.emit(f"Not pasted: {e}")
            return
        n = self.periods_model().paste(parsed, top, fields)
        bad = len(parsed.problems)
        msg = f"Pasted {n} row{'s' if n != 1 else ''}"
        if bad:
            msg += f"; {bad} cell{'s' if bad != 1 else ''} refused and marked (not saved)"
        self.pasteReport.emit(msg)
        if n:
            sel = self.selectionModel()
            sel.clearSelection()
            self.setCurrentIndex(self.model().index(top, left))
            sel.select(self.model().index(top, left), QItemSelectionModel.SelectionFlag.Select)

    def cell_index(self, row: int, column: int) -> QModelIndex:
        return self.model().index(row, column)
