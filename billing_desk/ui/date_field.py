"""A date entry field: typed (1/31/2024, 2024-01-31, Jan 31 2024) or picked from a calendar.

Unlike QDateEdit it can be empty, and a date that is not a date is shown marked with the
reason and is never passed on: ``dateCommitted`` fires only with a real date or None.
While the text shown is not the date the field holds -- refused when the edit finished,
or being typed and not yet a date -- :meth:`DateField.pending_error` says why, and
``pendingChanged`` fires when that changes: the determination beside the form is then
not that of what the form shows (ui/live_determination.py).
"""

from __future__ import annotations

from datetime import date

from .qt import (
    QCalendarWidget, QDate, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget, QWidgetAction,
    Qt, Signal,
)

from ..domain.entry import EntryError, parse_date_entry
from .a11y import identify
from .formatting import date_text as format_date


class DateField(QWidget):
    dateCommitted = Signal(object)  # date | None, after editing finished with a valid entry
    dateTyped = Signal(object)  # date | None while typing, only when the text parses
    invalidChanged = Signal(str)  # "" when valid again
    pendingChanged = Signal()  # pending_error() is not what it was

    def __init__(self, identifier: str, accessible_name: str, parent=None) -> None:
        super().__init__(parent)
        self._value: date | None = None
        self._error = ""
        self._typing_error = ""  # the text being typed is not (yet) a date
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
        """Why the entry was refused when its edit finished ("" if it was not)."""
        return self._error

    def pending_error(self) -> str:
        """Why the text shown is not the date held: refused, or not yet a date while it
        is typed ("" when it is the date held, or one that will be)."""
        return self._typing_error or self._error

    def set_value(self, value: date | None) -> None:
        """Show a stored value (no ``dateCommitted``)."""
        pending = self.pending_error()
        self._value = value
        self._typing_error = ""
        self._set_error("", pending)
        self.edit.setText(format_date(value))

    # -- internals -----------------------------------------------------------------------

    def _parse(self) -> date | None:
        return parse_date_entry(self.edit.text())

    def _typed(self, _text: str) -> None:
        try:
            value = self._parse()
        except EntryError as e:
            self._set_typing_error(str(e))
            return
        # a date again: what was refused is typed over (the mark goes with it)
        pending = self.pending_error()
        self._typing_error = ""
        self._set_error("", pending)
        self.dateTyped.emit(value)

    def _commit(self) -> None:
        pending = self.pending_error()
        self._typing_error = ""  # the edit is finished: held, or refused (said below)
        try:
            value = self._parse()
        except EntryError as e:
            self._set_error(str(e), pending)
            return
        self._set_error("", pending)
        if value is not None:
            self.edit.setText(format_date(value))
        if value != self._value:
            self._value = value
            self.dateCommitted.emit(value)

    def _set_typing_error(self, message: str) -> None:
        if message != self._typing_error:
            pending = self.pending_error()
            self._typing_error = message
            if self.pending_error() != pending:
                self.pendingChanged.emit()

    def _set_error(self, message: str, pending: str | None = None) -> None:
        """``pending``: what :meth:`pending_error` said before the change began."""
        pending = self.pending_error() if pending is None else pending
        if message != self._error:
            self._error = message
            # a marker in the text field itself and its tooltip: never colour alone
            self.edit.setStyleSheet("QLineEdit { background: #ffd6d6; border: 2px solid #b00020; }"
                                    if message else "")
            self.edit.setToolTip(f"Not saved: {message}" if message else "")
            self.edit.setAccessibleDescription(f"invalid, not saved: {message}" if message else "")
            self.invalidChanged.emit(message)
        if self.pending_error() != pending:
            self.pendingChanged.emit()

    def _sync_calendar(self) -> None:
        v = self._value or date.today()
        self.calendar.setSelectedDate(QDate(v.year, v.month, v.day))

    def _picked(self, qd: QDate) -> None:
        self.edit.setText(format_date(date(qd.year(), qd.month(), qd.day())))
        self.button.menu().hide()
        self._commit()
