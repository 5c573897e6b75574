"""A case's history: every audit entry (who, when, what changed), oldest first; whether
the chain verifies for this case (each of its entries hashes to itself and links to the
entries beside it, and the case matches its entries: checked each time a case is shown),
and a button that verifies the file's whole chain (on demand: on a large file it reads
every entry). The history is read when the view is shown, not on every save made while
another tab is in front (a long history of a 72-period case takes tens of milliseconds)."""

from __future__ import annotations

import json

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..store.audit import PATCH
from .a11y import identify
from .session import CaseSession


def _short(value) -> str:
    if isinstance(value, dict) and {"login", "at"} <= value.keys():  # a signature
        return f"{value['login']} {value['at'][:16].replace('T', ' ')}"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:77] + "…"


def describe_change(before: dict | None, after: dict | None, entity: str = "case") -> str:
    if before is None and after is not None:
        # a new case is its whole content (see the case itself); anything else is
        # described by what was added (an attachment's name and sha256)
        return "created" if entity == "case" else "added: " + _fields(after)
    if after is None and before is not None:
        return "removed: " + _fields(before)
    keys = sorted(set(before or {}) | set(after or {}))
    return "; ".join(_patch_change(k, (before or {}).get(k), (after or {}).get(k))
                     if isinstance((after or {}).get(k), dict) and PATCH in after[k]
                     else f"{k}: {_short((before or {}).get(k))} → {_short((after or {}).get(k))}"
                     for k in keys)


def _patch_change(key: str, before: dict | None, after: dict) -> str:
    """A list field changed in a few items (see store.audit.changes), item by item:
    "periods 41: correct 28.87 → 28.88"; items added or removed at the end are named."""
    old = (before or {}).get(PATCH, {"length": 0, "set": {}})
    new = after[PATCH]
    parts = []
    for index in sorted(set(old["set"]) | set(new["set"]), key=int):
        was, now = old["set"].get(index), new["set"].get(index)
        label = f"{key} {int(index) + 1}"
        if was is None:
            parts.append(f"{label} added: {_fields(now)}")
        elif now is None:
            parts.append(f"{label} removed: {_fields(was)}")
        else:
            fields = sorted(set(was) | set(now))
            parts.append(f"{label}: " + ", ".join(
                f"{f} {_short(was.get(f))} → {_short(now.get(f))}" for f in fields
                if was.get(f) != now.get(f)))
    return "; ".join(parts)


def _fields(values: dict) -> str:
    return "; ".join(f"{k}: {_short(v)}" for k, v in values.items())


class HistoryView(QWidget):
    def __init__(self, session: CaseSession, parent=None) -> None:
        super().__init__(parent)
        identify(self, "history", "Case history")
        self.session = session
        self._case_id: int | None = None
        self._stale = False
        self.chain = QLabel()
        identify(self.chain, "history_chain", description="Verification of this case's history")
        self.chain.setWordWrap(True)
        self.file_chain = QLabel()
        identify(self.file_chain, "history_file_chain", description="Verification of the whole file")
        self.file_chain.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        identify(self.table, "history_table", "Case history")
        self.table.setHorizontalHeaderLabels(["When (UTC)", "Who", "What", "Changes"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.verify_button = QPushButton("Ver&ify history")
        identify(self.verify_button, "verify_history", "Verify the tamper-evident history")
        self.verify_button.clicked.connect(self.verify)
        top = QHBoxLayout()
        top.addWidget(self.verify_button)
        top.addWidget(self.file_chain, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.chain)
        lay.addLayout(top)
        lay.addWidget(self.table)

    def show_case(self, case_id: int | None) -> None:
        self._case_id, self._stale = case_id, True
        self.verify_button.setEnabled(case_id is not None)
        if self.isVisible():
            self._fill()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._fill()

    def _fill(self) -> None:
        self._stale = False
        case_id = self._case_id
        entries = self.session.history(case_id) if case_id is not None else []
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            cells = [f"{e.at:%Y-%m-%d %H:%M:%S}", e.actor, e.action, describe_change(e.before, e.after, e.entity)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.verify_button.setEnabled(case_id is not None)
        self.file_chain.setText("")
        if case_id is None:
            self.chain.setText("")
            return
        report = self.session.verify_case(case_id)
        n = report.entries
        self.chain.setText(
            f"✔ History verified: the {n} entr{'y' if n == 1 else 'ies'} of this case are "
            "intact, linked into the file's chain, and the case matches them."
            if report.ok else f"✖ History does not verify: {report.problem}")
        self.chain.setStyleSheet("" if report.ok else "color: #a00000; font-weight: bold;")

    def verify(self) -> None:
        if self.session.file is None:
            return
        report = self.session.verify_file()
        self.file_chain.setText(("✔ " if report.ok else "✖ ") + report.summary())
