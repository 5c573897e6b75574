"""Undo and redo of case edits (QUndoStack). Each command is one user action: its redo
saves the new draft, its undo saves the draft before it — each a transaction with its
own audit entry, so the history shows the undo as what it is."""

from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QUndoCommand

from ..domain.draft import CaseDraft

#: saves ``draft`` for ``case_id``; returns False when the save was refused
Saver = Callable[[int, CaseDraft, str], bool]


class EditCaseCommand(QUndoCommand):
    def __init__(self, case_id: int, before: CaseDraft, after: CaseDraft, description: str,
                 save: Saver) -> None:
        super().__init__(description)
        self.case_id = case_id
        self.before = before
        self.after = after
        self._save = save

    def redo(self) -> None:
        if not self._save(self.case_id, self.after, self.text()):
            self.setObsolete(True)  # refused (a conflict): nothing to undo

    def undo(self) -> None:
        if not self._save(self.case_id, self.before, f"Undo: {self.text()}"):
            self.setObsolete(True)
