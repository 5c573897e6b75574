"""Actions the signed-in user cannot take now, and why.

An action that is not available is disabled: greyed in its menu, and its shortcut does
nothing -- which, for a clerk pressing Ctrl+Shift+A (approve), said nothing at all. So
each such action carries the reason, in the rules' words where the rules give it: in its
tooltip, status tip and What's This ("… Not available: only a supervisor …"), and when
its shortcut is pressed the window says it in the status bar and announces it to a
screen reader (:func:`refused_by_key`, from ``MainWindow.keyPressEvent``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from .qt import QAction, QKeyEvent, QKeySequence

from ..domain.workflow import Action, TransitionRefused, next_status

if TYPE_CHECKING:
    from ..store.records import CaseRecord

_TIP = "available_tip"  # the action's own tip, kept the first time a reason is set
_WHY = "why_not"


def set_available(action: QAction, why_not: str | None = None) -> None:
    """Enable ``action``, or disable it and say why not (``why_not``, a sentence)."""
    tip = action.property(_TIP)
    if tip is None:
        tip = action.statusTip() or action.text().replace("&", "").rstrip("…")
        action.setProperty(_TIP, tip)
    action.setEnabled(why_not is None)
    action.setProperty(_WHY, why_not or "")
    text = tip if why_not is None else f"{tip.rstrip('.')}. Not available: {why_not}"
    action.setToolTip(text)
    action.setStatusTip(text)
    action.setWhatsThis(text)


def set_reason(action: QAction, why_not: str) -> None:
    """The reason to give whenever ``action`` is disabled by its owner (an undo stack)."""
    action.setProperty(_WHY, why_not)


def why_not(action: QAction) -> str:
    """Why ``action`` is not available ("" when it is, or when nobody said)."""
    return "" if action.isEnabled() else str(action.property(_WHY) or "")


def refusal(action: QAction) -> str:
    """The message for the status bar when ``action`` was asked for but is disabled."""
    name = action.text().replace("&", "").rstrip("…")
    return f"{name}: not available — {why_not(action) or 'not at this moment'}"


def refused_move(record: CaseRecord | None, action: Action) -> str | None:
    """Why the rules' table of moves refuses ``action`` on the case, in its words ("A
    case that is draft cannot be issued."); None when it allows it (who may take it is
    judged when it is taken)."""
    if record is None:
        return "no case is open."
    try:
        next_status(record.status, action)
    except TransitionRefused as e:
        return str(e)
    return None


def refused_by_key(actions: Iterable[QAction], event: QKeyEvent) -> QAction | None:
    """The disabled action whose shortcut ``event`` is, if any."""
    keys = QKeySequence(event.keyCombination())
    for action in actions:
        if not action.isEnabled() and keys in action.shortcuts():
            return action
    return None
