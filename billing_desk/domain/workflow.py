"""Case workflow: the states a case moves through and the one table of allowed moves.

draft -> submitted -> approved -> issued -> closed; submitted -> returned (with a
reason) -> draft; any state before issued -> void (with a reason). An edit to a submitted
or approved case returns it to draft (the approval no longer matches what was edited).
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType


class CaseStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    ISSUED = "issued"
    CLOSED = "closed"
    VOID = "void"


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    ISSUE = "issue"
    CLOSE = "close"
    VOID = "void"


S, A = CaseStatus, Action

#: (state, action) -> next state. Anything not listed is refused.
TRANSITIONS = MappingProxyType({
    (S.DRAFT, A.EDIT): S.DRAFT,
    (S.RETURNED, A.EDIT): S.DRAFT,
    (S.SUBMITTED, A.EDIT): S.DRAFT,   # edit after submission: back to the clerk's draft
    (S.APPROVED, A.EDIT): S.DRAFT,    # edit after approval voids the approval
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.APPROVE): S.APPROVED,
    (S.SUBMITTED, A.RETURN): S.RETURNED,
    (S.RETURNED, A.REOPEN): S.DRAFT,
    (S.APPROVED, A.ISSUE): S.ISSUED,
    (S.ISSUED, A.CLOSE): S.CLOSED,
    (S.DRAFT, A.VOID): S.VOID,
    (S.SUBMITTED, A.VOID): S.VOID,
    (S.RETURNED, A.VOID): S.VOID,
    (S.APPROVED, A.VOID): S.VOID,
})

#: states in which the case's content can still change
EDITABLE = frozenset(s for (s, a) in TRANSITIONS if a is A.EDIT)


class TransitionRefused(ValueError):
    """An action the current state does not allow; the message is for the user."""


def next_status(status: CaseStatus, action: Action) -> CaseStatus:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionRefused(
            f"A case that is {status.value} cannot be {_PAST[action]}.") from None


_PAST = {
    A.EDIT: "edited", A.SUBMIT: "submitted", A.APPROVE: "approved", A.RETURN: "returned",
    A.REOPEN: "reopened", A.ISSUE: "issued", A.CLOSE: "closed", A.VOID: "voided",
}
