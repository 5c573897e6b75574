"""The demo office's logins and passwords on the sign-in screen of a demo file (public, for
the demo only).

Only an explicit choice fills the sign-in form: a click on a row, or Enter or Space on
the current row. Moving through the table chooses nothing -- Tab into it from the
password (which makes its first row current), the arrow keys -- so the login being
typed is never replaced behind the clerk's back. Enter on a row chooses it and is not
passed on to the dialog (which would sign in at once, as whoever the row is).
"""

from __future__ import annotations

from .qt import (
    QAbstractItemView, QHeaderView, QKeyEvent, QTableWidget, QTableWidgetItem, Qt, Signal,
)

from .a11y import identify
from .formatting import money

HEADERS = ("Login", "Name", "Role", "Password")
CHOOSE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)


class DemoUsersTable(QTableWidget):
    chosen = Signal(int)  # row: fill the form with this user

    def __init__(self, users, parent=None) -> None:
        super().__init__(len(users), len(HEADERS), parent)
        identify(self, "demo_sign_ins", "Demo logins and passwords",
                 "Click a row, or press Enter or Space on it, to fill in the form")
        self.setHorizontalHeaderLabels(list(HEADERS))
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        for row, u in enumerate(users):
            limit = f", limit {money(u.approval_limit)}" if u.approval_limit is not None else ""
            for col, text in enumerate((u.login, u.name, u.role.value + limit, u.password)):
                self.setItem(row, col, QTableWidgetItem(text))
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.resizeRowsToContents()
        self.setFixedHeight(self.horizontalHeader().sizeHint().height()
                            + sum(self.rowHeight(r) for r in range(len(users)))
                            + 2 * self.frameWidth())
        self.cellClicked.connect(lambda row, _col: self.chosen.emit(row))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in CHOOSE_KEYS and not event.modifiers() and self.currentRow() >= 0:
            self.chosen.emit(self.currentRow())
            event.accept()
            return
        super().keyPressEvent(event)
