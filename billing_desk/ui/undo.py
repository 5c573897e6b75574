"""Undo and redo of case edits (QUndoStack). Each command is one user action: its redo
saves the new draft, its undo saves the draft before it — each a transaction with its
own audit entry, so the history shows the undo as what it is.

In a text field, Ctrl+Z and Ctrl+Y (Ctrl+Shift+Z) take back the field's own edit first
-- what was typed there and not yet saved -- and, when the field has none, the case's
last edit (:class:`FieldFirstUndo`). Qt's text fields claim those keys for themselves
whether or not they have anything to undo, so without it the keys did nothing in a
field that had just been saved or opened."""

from __future__ import annotations

from typing import Callable

from .qt import (
    QAction, QApplication, QEvent, QKeyEvent, QKeySequence, QLineEdit, QObject, QPlainTextEdit,
    QUndoCommand, QUndoStack, QWidget, Qt,
)

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


TextField = QLineEdit | QPlainTextEdit


def _has_own(field: QWidget, which: str) -> bool:
    """The field has an edit of its own to undo (or redo): typed, not yet saved."""
    if isinstance(field, QLineEdit):
        return not field.isReadOnly() and (field.isUndoAvailable() if which == "undo"
                                           else field.isRedoAvailable())
    if isinstance(field, QPlainTextEdit):
        doc = field.document()
        return not field.isReadOnly() and (doc.isUndoAvailable() if which == "undo"
                                           else doc.isRedoAvailable())
    return False


class FieldFirstUndo(QObject):
    """The window's Undo and Redo, the field's own edit first.

    The watched fields get Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z only while they have an edit
    of their own to take back; otherwise the key goes to the window's action, which
    undoes the case's last edit. The actions (menu, toolbar) do the same from the field
    that has the focus. A field's own history is forgotten when its edit is saved
    (``editingFinished``): from then on that edit is the case's, and Ctrl+Z takes it back
    as one saved action, as every other."""

    def __init__(self, stack: QUndoStack, undo: QAction, redo: QAction, parent: QObject) -> None:
        super().__init__(parent)
        self.stack = stack
        self._actions = {"undo": undo, "redo": redo}
        self._fields: set[QWidget] = set()
        for action, slot in ((undo, self.undo), (redo, self.redo)):
            action.triggered.disconnect()  # (QUndoStack's own: the stack alone)
            action.triggered.connect(slot)

    def watch(self, *fields: TextField) -> None:
        for field in fields:
            self._fields.add(field)
            field.installEventFilter(self)
            field.editingFinished.connect(lambda f=field: _forget_history(f))
            field.destroyed.connect(lambda _obj=None, f=field: self._fields.discard(f))

    def undo(self) -> None:
        self._act("undo")

    def redo(self) -> None:
        self._act("redo")

    def _act(self, which: str) -> None:
        field = QApplication.focusWidget()
        if field in self._fields and _has_own(field, which):
            getattr(field, which)()
        elif which == "undo":
            self.stack.undo()
        else:
            self.stack.redo()

    def _which(self, event: QKeyEvent) -> str | None:
        """"undo", "redo" (a key of the window's Undo or Redo) or None."""
        if event.key() in (Qt.Key.Key_Control, Qt.Key.Key_Shift, Qt.Key.Key_Alt, Qt.Key.Key_Meta):
            return None
        keys = QKeySequence(event.keyCombination())
        for which, action in self._actions.items():
            if keys in action.shortcuts():
                return which
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        which = self._which(event)  # type: ignore[arg-type]
        if which is None:
            return False
        if _has_own(watched, which):  # type: ignore[arg-type]
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()  # the field's key, not the window's
            else:
                getattr(watched, which)()  # (Ctrl+Y too, which a line edit ignores)
            return True
        if kind == QEvent.Type.ShortcutOverride:
            event.ignore()  # the window's shortcut: the case's undo or redo
            return True
        return False


def _forget_history(field: TextField) -> None:
    if isinstance(field, QLineEdit):
        if field.isUndoAvailable() or field.isRedoAvailable():
            position = field.cursorPosition()
            field.setText(field.text())  # (setText starts a new history)
            field.setCursorPosition(position)
    else:
        field.document().clearUndoRedoStacks()
