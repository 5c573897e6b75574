"""Recompute on every edit: validate the draft, determine, show — in one place.

Connects a case editor to the determination panel. Nothing invalid reaches the engine:
a draft that does not validate shows its problems instead of amounts. And the panel never
passes off a result as that of the form when the form shows an entry the draft does not
hold (a refused date or amount, a date half typed): it is marked not current, with that
entry first among the problems -- in place of the validation's own word for the same
field, which sees only what was held ("required field is missing" for a pasted
``$12,34.5`` that was refused).
"""

from __future__ import annotations

from .qt import QObject, Signal

from ..documents.typesetting import LETTER_TYPESETTING
from ..domain.caseformat import CaseCheck
from ..domain.determination import Determination
from ..domain.draft import CaseDraft
from ..domain.printable import letter_problems
from ..domain.rulepacks import determine
from .case_editor import CaseEditor
from .determination_panel import DeterminationPanel


class LiveDetermination(QObject):
    updated = Signal(object, object)  # CaseCheck, Determination | None

    def __init__(self, editor: CaseEditor, panel: DeterminationPanel, parent=None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.panel = panel
        self.last_check: CaseCheck | None = None
        self.last_determination: Determination | None = None
        editor.draftTyped.connect(self.recompute)
        editor.draftEdited.connect(lambda draft, _what: self.recompute(draft))
        editor.refusedChanged.connect(lambda: self.recompute(editor.draft()))
        panel.problemActivated.connect(editor.focus_field)

    def recompute(self, draft: CaseDraft) -> None:
        check = draft.check()
        determination = determine(check.case) if check.case is not None else None
        self.last_check, self.last_determination = check, determination
        refused = self.editor.refused_problems()
        if determination is not None:
            self.panel.show_determination(check.case, determination)
        else:
            held = {p.field for p in refused}  # the refusal says why, not "missing"
            self.panel.show_problems(tuple(p for p in check.problems if p.field not in held))
        self.panel.set_refused(refused)
        # what the letter could not print or mail is shown at its field as it is typed
        # (the same rules refuse the submission: domain/printable.py, domain/mailing.py)
        self.editor.set_problems(check.problems + tuple(letter_problems(
            draft, None if determination is None else determination.refund_total,
            LETTER_TYPESETTING)))
        self.updated.emit(check, determination)

    def clear(self) -> None:
        self.last_check = self.last_determination = None
        self.panel.show_nothing()
        self.editor.set_problems(())
