"""The start screen when the store to open cannot be opened -- most often a server that
cannot be reached this morning: it says why, and offers the recent list (a case file
perhaps, or another server), trying again, connecting to another server, a case file,
or the demo file. Nothing is opened behind the clerk's back."""

from __future__ import annotations

from .qt import Signal
from .qt import (
    QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout,
    QWidget,
)

from .a11y import identify

#: what the dialog's buttons ask for (``chosen`` carries one, with the target if any)
OPEN, RETRY, CONNECT, OPEN_FILE, DEMO = "open", "retry", "connect", "open_file", "demo"


class StartDialog(QDialog):
    chosen = Signal(str, str)  # what, target ("" when none)

    def __init__(self, failed: str, error: BaseException, recent: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ..store.targets import is_server_target, target_label

        identify(self, "start_dialog", "Billing Desk could not open its cases")
        self.setWindowTitle("Billing Desk")
        self.failed = failed
        lay = QVBoxLayout(self)
        what = "server" if is_server_target(failed) else "case file"
        head = QLabel(f"<b>The {what} you used last could not be opened.</b>")
        lay.addWidget(head)
        self.reason = QLabel(str(error))
        identify(self.reason, "start_reason", description="Why it could not be opened")
        self.reason.setWordWrap(True)
        lay.addWidget(self.reason)
        lay.addWidget(QLabel("Open one of these instead, or try again in a moment:"))
        self.recent = QListWidget()
        identify(self.recent, "start_recent", "Recent case files and servers")
        for target in recent:
            item = QListWidgetItem(target_label(target))
            item.setData(256, target)  # Qt.ItemDataRole.UserRole (see ui/roles.py)
            self.recent.addItem(item)
        if self.recent.count():
            self.recent.setCurrentRow(0)
        self.recent.itemActivated.connect(lambda item: self._choose(OPEN, item.data(256)))
        lay.addWidget(self.recent, 1)
        buttons = QDialogButtonBox()
        self.buttons: dict[str, QPushButton] = {}
        for what_, text in ((OPEN, "&Open"), (RETRY, "&Try again"), (CONNECT, "Connect to &server…"),
                            (OPEN_FILE, "Open &case file…"), (DEMO, "&Demo file")):
            button = buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
            identify(button, f"start_{what_}", text.replace("&", "").rstrip("…"))
            button.clicked.connect(lambda _=False, w=what_: self._clicked(w))
            self.buttons[what_] = button
        self.buttons[OPEN].setEnabled(self.recent.count() > 0)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(640, 420)

    def _clicked(self, what: str) -> None:
        if what == OPEN:
            item = self.recent.currentItem()
            if item is None:
                return
            self._choose(OPEN, item.data(256))
        elif what == RETRY:
            self._choose(RETRY, self.failed)
        else:
            self._choose(what, "")

    def _choose(self, what: str, target: str) -> None:
        self.chosen.emit(what, target)
        self.accept()
