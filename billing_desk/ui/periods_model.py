"""Table model over a case's billing periods (start, end, bill date, billed, correct,
difference, note).

The model holds the periods of the open draft. A typed value that cannot be used (a
date like 2/30/2024, an amount like 1.005) is *not* applied: the cell keeps showing what
was typed, marked with the reason, and the period keeps its last good value, so nothing
invalid reaches the engine or the case file. Every accepted change is announced with
``periodsEdited(periods, description)``; the editor turns it into one undoable,
saved user action. Whenever the set of refused cells changes (a cell refused, fixed,
cleared, deleted, pasted over) ``rejectedChanged`` says so: while one is refused, the
determination is not that of the table as shown (ui/live_determination.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from .qt import (
    QAbstractTableModel, QBrush, QColor, QIcon, QModelIndex, QPersistentModelIndex, Qt, Signal,
)

from ..domain.draft import PeriodDraft
from ..domain.entry import EntryError, ParsedRows, parse_cell
from . import roles
from .formatting import amount_text, date_text, difference_text

Index = QModelIndex | QPersistentModelIndex

#: (period field or None for the computed column, header)
COLUMNS: tuple[tuple[str | None, str], ...] = (
    ("start", "Start"),
    ("end", "End"),
    ("bill_date", "Bill date"),
    ("billed", "Billed"),
    ("correct", "Correct"),
    (None, "Difference"),
    ("note", "Note"),
)
FIELD_COLUMN = {f: i for i, (f, _) in enumerate(COLUMNS) if f}
DIFFERENCE_COLUMN = 5
EDITABLE_FIELDS = tuple(f for f, _ in COLUMNS if f)

# combined once: the view asks for every cell's flags on every paint
_READ_ONLY_CELL = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE_CELL = _READ_ONLY_CELL | Qt.ItemFlag.ItemIsEditable
_REJECTED_BG = QColor(255, 214, 214)
_PROBLEM_BG = QColor(255, 240, 190)


# (the names this module gave them first; they live in ui/formatting.py)
format_date = date_text
format_amount = amount_text


class PeriodsModel(QAbstractTableModel):
    periodsEdited = Signal(object, str)  # (tuple[PeriodDraft, ...], description)
    cellRejected = Signal(int, int, str)  # row, column, message
    rejectedChanged = Signal()  # the refused cells are not what they were

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._periods: list[PeriodDraft] = []
        self._rejected: dict[tuple[int, int], tuple[str, str]] = {}  # (row, col) -> (text, why)
        self._problems: dict[tuple[int, int], str] = {}  # from validation of the whole case
        self._row_problems: dict[int, str] = {}
        self._icon: QIcon | None = None

    # -- loading -----------------------------------------------------------------------

    def set_periods(self, periods: tuple[PeriodDraft, ...], *, keep_rejected: bool = False) -> None:
        """Show these periods (a case loaded, an undo). Rejected overlays are dropped unless
        the rows are the same edit's echo."""
        before = dict(self._rejected)
        self.beginResetModel()
        self._periods = list(periods)
        if not keep_rejected:
            self._rejected.clear()
        self.endResetModel()
        self._rejected_since(before)

    def periods(self) -> tuple[PeriodDraft, ...]:
        return tuple(self._periods)

    def set_problems(self, problems: dict[tuple[int, str | None], str]) -> None:
        """Validation problems of the whole case by (row, field); field None = the row."""
        self._problems = {(r, FIELD_COLUMN[f]): m for (r, f), m in problems.items()
                          if f in FIELD_COLUMN}
        self._row_problems = {r: m for (r, f), m in problems.items() if f not in FIELD_COLUMN}
        if self._periods:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._periods) - 1,
                                                               len(COLUMNS) - 1))
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self._periods) - 1)

    def rejected_cells(self) -> dict[tuple[int, int], tuple[str, str]]:
        """(row, column) -> (the text typed, why it was refused), for every refused cell."""
        return dict(self._rejected)

    def _rejected_since(self, before: dict) -> None:
        if self._rejected != before:
            self.rejectedChanged.emit()

    # -- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._periods)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == roles.DISPLAY:
                return COLUMNS[section][1]
            if role == roles.TOOLTIP and section == DIFFERENCE_COLUMN:
                return "Billed minus correct: positive is an overcharge, negative an undercharge"
            return None
        if role == roles.DISPLAY:
            mark = " ⚠" if section in self._row_problems else ""
            return f"{section + 1}{mark}"
        if role == roles.TOOLTIP:
            return self._row_problems.get(section)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _READ_ONLY_CELL if index.column() == DIFFERENCE_COLUMN else _EDITABLE_CELL

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        p = self._periods[r]
        field = COLUMNS[c][0]
        rejected = self._rejected.get((r, c))
        problem = self._problems.get((r, c))
        if role == roles.DISPLAY:
            if rejected:
                return rejected[0]
            return self._display(p, field)
        if role == roles.EDIT:
            if rejected:
                return rejected[0]
            if field in ("billed", "correct"):
                return format_amount(getattr(p, field), grouping=False)
            return self._display(p, field)
        if role == roles.TOOLTIP:
            if rejected:
                return f"Not saved: {rejected[1]}"
            return problem or (p.note if field == "note" else None)  # a long note read in full
        if role == roles.ACCESSIBLE_DESCRIPTION:
            if rejected:
                return f"invalid, not saved: {rejected[1]}"
            return f"problem: {problem}" if problem else None
        if role == roles.BACKGROUND:
            if rejected:
                return QBrush(_REJECTED_BG)
            if problem:
                return QBrush(_PROBLEM_BG)
            return None
        if role == roles.DECORATION:
            # colour is never the only signal: an icon marks a bad cell too
            return self._warning_icon() if (rejected or problem) else None
        if role == roles.ALIGNMENT:
            if field in ("billed", "correct") or field is None:
                return roles.RIGHT_ALIGNED
            return None
        return None

    def _warning_icon(self) -> QIcon:
        if self._icon is None:
            # fetched when a cell first needs it: QStyle costs more to load than the window
            from .qt import QApplication, QStyle

            self._icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return self._icon

    @staticmethod
    def _display(p: PeriodDraft, field: str | None) -> str:
        if field is None:
            return difference_text(p.difference)
        value = getattr(p, field)
        if field in ("start", "end", "bill_date"):
            return format_date(value)
        if field in ("billed", "correct"):
            return format_amount(value)
        return value or ""

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != roles.EDIT:
            return False
        r, c = index.row(), index.column()
        field = COLUMNS[c][0]
        if field is None:
            return False
        text = "" if value is None else str(value)
        try:
            parsed = parse_cell(field, text)
        except EntryError as e:
            before = dict(self._rejected)
            self._rejected[(r, c)] = (text, str(e))
            self._changed_row(r)
            self.cellRejected.emit(r, c, str(e))
            self._rejected_since(before)
            return True  # the text stays visible, marked; the period is unchanged
        had_overlay = self._rejected.pop((r, c), None) is not None
        old = self._periods[r]
        if getattr(old, field) == parsed:
            if had_overlay:
                self._changed_row(r)
                self.rejectedChanged.emit()
            return True
        self._periods[r] = replace(old, **{field: parsed})
        self._changed_row(r)
        self.periodsEdited.emit(self.periods(), f"Edit {COLUMNS[c][1].lower()} of period {r + 1}")
        if had_overlay:
            self.rejectedChanged.emit()
        return True

    def _changed_row(self, r: int) -> None:
        self.dataChanged.emit(self.index(r, 0), self.index(r, len(COLUMNS) - 1))

    # -- rows ----------------------------------------------------------------------------

    def insert_blank_rows(self, row: int, count: int = 1) -> None:
        row = max(0, min(row, len(self._periods)))
        before = dict(self._rejected)
        self.beginInsertRows(QModelIndex(), row, row + count - 1)
        self._periods[row:row] = [PeriodDraft() for _ in range(count)]
        self._shift_overlays(row, count)
        self.endInsertRows()
        self.periodsEdited.emit(self.periods(), f"Insert {count} period row{'s' if count > 1 else ''}")
        self._rejected_since(before)  # (a refused cell below moved down a row)

    def remove_period_rows(self, row: int, count: int = 1) -> None:
        if count <= 0 or row < 0 or row + count > len(self._periods):
            return
        self.remove_rows(range(row, row + count))

    def remove_rows(self, rows: Iterable[int]) -> None:
        """Delete these rows, contiguous or not (a selection): one edit for all of them."""
        doomed = sorted({r for r in rows if 0 <= r < len(self._periods)}, reverse=True)
        if not doomed:
            return
        before = dict(self._rejected)
        for row in doomed:  # from the bottom, so the rows above keep their numbers
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._periods[row]
            self._rejected = {(r, c): v for (r, c), v in self._rejected.items() if r != row}
            self._shift_overlays(row + 1, -1)
            self.endRemoveRows()
        n = len(doomed)
        self.periodsEdited.emit(self.periods(), f"Delete {n} period row{'s' if n > 1 else ''}")
        self._rejected_since(before)

    def clear_cells(self, cells: Iterable[tuple[int, int]]) -> None:
        """Empty these cells (Delete on a selection): one edit, refused entries dropped."""
        periods = list(self._periods)
        before = dict(self._rejected)
        touched: set[int] = set()
        for r, c in cells:
            field = COLUMNS[c][0] if 0 <= c < len(COLUMNS) else None
            if field is None or not 0 <= r < len(periods):
                continue
            if self._rejected.pop((r, c), None) is not None:
                touched.add(r)
            if getattr(periods[r], field) is not None:
                periods[r] = replace(periods[r], **{field: None})
                touched.add(r)
        changed = periods != self._periods
        self._periods = periods
        for r in sorted(touched):
            self._changed_row(r)
        if changed:
            n = len(touched)
            self.periodsEdited.emit(self.periods(), f"Clear cells in {n} period row{'s' if n > 1 else ''}")
        self._rejected_since(before)

    def _shift_overlays(self, from_row: int, delta: int) -> None:
        self._rejected = {((r + delta) if r >= from_row else r, c): v
                          for (r, c), v in self._rejected.items()}

    def paste(self, parsed: ParsedRows, top_row: int, fields: tuple[str, ...]) -> int:
        """Merge pasted rows into the table from ``top_row``: each pasted cell overwrites
        its field, rows beyond the end are appended; bad cells are marked and keep the old
        value. One edit for the whole paste. Returns the number of rows touched."""
        if not parsed.periods:
            return 0
        before = dict(self._rejected)
        self.beginResetModel()
        for k, pasted in enumerate(parsed.periods):
            r = top_row + k
            if r >= len(self._periods):
                self._periods.append(PeriodDraft())
            current = self._periods[r]
            # a header row may have mapped cells onto other fields than ``fields``
            changes = {f: getattr(pasted, f) for f in EDITABLE_FIELDS
                       if getattr(pasted, f) is not None}
            self._periods[r] = replace(current, **changes)
            for f in fields:
                self._rejected.pop((r, FIELD_COLUMN[f]), None)
        for problem in parsed.problems:
            if problem.column in FIELD_COLUMN:
                self._rejected[(top_row + problem.row, FIELD_COLUMN[problem.column])] = (
                    problem.text, problem.message)
        self.endResetModel()
        n = len(parsed.periods)
        self.periodsEdited.emit(self.periods(), f"Paste {n} period row{'s' if n > 1 else ''}")
        self._rejected_since(before)
        return n
