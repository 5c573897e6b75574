"""A date entry field: typed (1/31/2024, 2024-01-31, Jan 31 2024) or picked from a calendar.

Unlike QDateEdit it can be empty, and a date that is not a date is shown marked with the
reason and is never passed on: ``dateCommitted`` fires only with a real date or None.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget, QWidgetAction

from ..domain.entry import EntryError, parse_date_entry
from .a11y import identify
from .periods_model import format_date


class DateField(QWidget):
    dateCommitted = Signal(object)  # date | None, after editing finished with a valid entry
    dateTyped = Signal(object)  # date | None while typing, only when the text parses
    invalidChanged = Signal(str)  # "" when valid again

    def __init__(self, identifier: str, accessible_name: str, parent=None) -> None:
        super().__init__(parent)
        self._value: date | None = None
        self._error = ""
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("MM/DD/YYYY")
        identify(self.edit, identifier, accessible_name)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setToolTip("Pick a date")
        identify(self.button, identifier + "_pick", f"Pick {accessible_name.lower()}")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; }")  # "▾" says it
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        menu = QMenu(self.button)
        menu.aboutToShow.connect(self._sync_calendar)
        self.button.setMenu(menu)
        self._identifier, self._name = identifier, accessible_name
        self._calendar: QCalendarWidget | None = None
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.edit.editingFinished.connect(self._commit)
        self.edit.textEdited.connect(self._typed)

    # -- API -----------------------------------------------------------------------------

    @property
    def calendar(self) -> QCalendarWidget:
        """The calendar the button pops up, made the first time it is wanted (one costs
        as much to build as the rest of the field)."""
        if self._calendar is None:
            menu = self.button.menu()
            self._calendar = QCalendarWidget(menu)
            identify(self._calendar, self._identifier + "_calendar", f"{self._name} calendar")
            action = QWidgetAction(menu)
            action.setDefaultWidget(self._calendar)
            menu.addAction(action)
            self._calendar.clicked.connect(self._picked)
            self._calendar.activated.connect(self._picked)
        return self._calendar

    def value(self) -> date | None:
        return self._value

    def error(self) -> str:
        return self._error

    def set_value(self, value: date | None) -> None:
        """Show a stored value (no signal)."""
        self._value = value
        self._set_error("")
        self.edit.setText(format_date(value))

    # -- internals -----------------------------------------------------------------------

    def _parse(self) -> date | None:
        return parse_date_entry(self.edit.text())

    def _typed(self, _text: str) -> None:
        try:
            self.dateTyped.emit(self._parse())
        except EntryError:
            pass

    def _commit(self) -> None:
        try:
            value = self._parse()
        except EntryError as e:
            self._set_error(str(e))
            return
        self._set_error("")
        if value is not None:
            self.edit.setText(format_date(value))
        if value != self._value:
            self._value = value
            self.dateCommitted.emit(value)

    def _set_error(self, message: str) -> None:
        if message == self._error:
            return
        self._error = message
        # a marker in the text field itself and its tooltip: never colour alone
        self.edit.setStyleSheet("QLineEdit { background: #ffd6d6; border: 2px solid #b00020; }" if message else "")
        self.edit.setToolTip(f"Not saved: {message}" if message else "")
        self.edit.setAccessibleDescription(f"invalid, not saved: {message}" if message else "")
        self.invalidChanged.emit(message)

    def _sync_calendar(self) -> None:
        v = self._value or date.today()
        self.calendar.setSelectedDate(QDate(v.year, v.month, v.day))

    def _picked(self, qd: QDate) -> None:
        self.edit.setText(format_date(date(qd.year(), qd.month(), qd.day())))
        self.button.menu().hide()
        self._commit()
