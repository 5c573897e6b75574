"""What the window shows while no case file is open: the sign-in was cancelled, or the
file could not be opened. Cancelling a sign-in is not a request to quit: the window
stays, says why nothing is open, and offers the ways on -- sign in to that file after
all, open another, make a new one (File > Quit ends the app)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from .qt import QAction, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget, Signal

from .a11y import identify


class StartScreen(QWidget):
    retryRequested = Signal(object)  # Path: sign in to (or open) that file again

    def __init__(self, open_file: QAction, new_file: QAction, parent=None) -> None:
        super().__init__(parent)
        identify(self, "start_screen", "No case file open")
        self._path: Path | None = None
        self.title = QLabel("<h2>No case file is open</h2>")
        identify(self.title, "start_title", description="No case file is open")
        self.text = QLabel()
        identify(self.text, "start_text", description="Why no case file is open")
        self.text.setWordWrap(True)
        self.retry = QPushButton()
        identify(self.retry, "start_retry", "Sign in to the case file")
        self.open = QPushButton("&Open a case file…")
        identify(self.open, "start_open", "Open a case file (Ctrl+O)")
        self.new = QPushButton("&New case file…")
        identify(self.new, "start_new", "Create a new case file (Ctrl+Shift+N)")
        self.retry.clicked.connect(lambda: self._path is not None and self.retryRequested.emit(self._path))
        self.open.clicked.connect(open_file.trigger)
        self.new.clicked.connect(new_file.trigger)

        box = QWidget()
        box.setMaximumWidth(560)
        v = QVBoxLayout(box)
        v.addWidget(self.title)
        v.addWidget(self.text)
        buttons = QHBoxLayout()
        for b in (self.retry, self.open, self.new):
            buttons.addWidget(b)
        buttons.addStretch(1)
        v.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 4)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def show_reason(self, path: Path | str | None, cancelled: bool) -> None:
        """Why nothing is open: the sign-in to ``path`` (a case file, or a server's
        connection string) was cancelled, or ``path`` could not be opened (the error was
        shown)."""
        self._path = path
        if isinstance(path, str):  # a server: named as the recent list names it
            self._show_server(path, cancelled)
            return
        if path is None:
            self.text.setText("Open a case file, or make a new one.")
        elif cancelled:
            self.text.setText(f"The sign-in to <b>{escape(path.name)}</b> was cancelled "
                              f"({escape(str(path.parent))}). Sign in to it, or open another "
                              "case file.")
        else:
            self.text.setText(f"<b>{escape(path.name)}</b> could not be opened "
                              f"({escape(str(path.parent))}); the message said why. Try it "
                              "again, or open another case file.")
        name = path.name.replace("&", "&&") if path is not None else ""
        self.retry.setText(f"&Sign in to {name}…" if cancelled else f"&Try {name} again")
        self.retry.setVisible(path is not None)
        (self.retry if path is not None else self.open).setFocus()

    def _show_server(self, target: str, cancelled: bool) -> None:
        if cancelled:
            self.text.setText(f"The sign-in to the server <b>{escape(target)}</b> was "
                              "cancelled. Sign in to it, or open a case file.")
        else:
            self.text.setText(f"The server <b>{escape(target)}</b> could not be used; the "
                              "message said why. Try it again, or open a case file.")
        self.retry.setText("&Sign in to the server…" if cancelled else "&Try the server again")
        self.retry.setVisible(True)
        self.retry.setFocus()
