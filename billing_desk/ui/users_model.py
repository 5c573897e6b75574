"""The users of the open store as a table: login, name, role, approval limit, status.

Read only: every change is the Users window's (through the session), after which the
window loads the list again."""

from __future__ import annotations

from .qt import QAbstractTableModel, QModelIndex, QPersistentModelIndex

from ..store.summaries import UserRecord
from . import roles
from .formatting import money

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Login", "Name", "Role", "Approval limit", "Status")


def _texts(user: UserRecord) -> tuple[str, ...]:
    return (user.login, user.name, user.role.value.capitalize(),
            money(user.approval_limit) if user.approval_limit is not None else "—",
            "Enabled" if user.active else "Disabled")


class UsersModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.users: list[UserRecord] = []

    def load(self, users: list[UserRecord]) -> None:
        self.beginResetModel()
        self.users = list(users)
        self.endResetModel()

    def user(self, row: int) -> UserRecord | None:
        return self.users[row] if 0 <= row < len(self.users) else None

    def row_of(self, login: str) -> int:
        for row, user in enumerate(self.users):
            if user.login.lower() == login.lower():
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.users)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = roles.DISPLAY):
        if not index.isValid() or not 0 <= index.row() < len(self.users):
            return None
        user = self.users[index.row()]
        if role == roles.DISPLAY:
            return _texts(user)[index.column()]
        if role == roles.TOOLTIP and index.column() == 3:
            return ("Approves refunds and back bills up to this amount"
                    if user.approval_limit is not None else "Approves nothing")
        if role == roles.ALIGNMENT and index.column() == 3:
            return roles.RIGHT_ALIGNED
        return None

    def headerData(self, section: int, orientation, role: int = roles.DISPLAY):
        from .qt import Qt

        if (role == roles.DISPLAY and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None
