"""Case workflow: the states a case moves through and the one table of allowed moves.

draft -> submitted -> approved -> issued -> closed; submitted -> returned (with a
reason) -> draft; any state before issued -> void (with a reason). An edit to a submitted
or approved case returns it to draft (the approval no longer matches what was edited).
A returned case may also be submitted again as it is, when the supervisor's reason asked
for something outside the figures (the customer's bills attached, a date checked).

The ``check_*`` functions are the rules of who may move a case: each returns the next
state or raises :class:`WorkflowRefused` with a message for the user and a ``code``.
Approval authority -- who may approve what -- is :func:`may_approve`, asked by the UI
and the store alike (through :func:`check_approve`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..errors import EXIT_REFUSED, BillingDeskError
from .money import dollars

if TYPE_CHECKING:  # annotations only: the case list uses the statuses without the engine
    from .caseformat import CaseCheck
    from .determination import Determination
    from .printable import Typesetting


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
    (S.RETURNED, A.SUBMIT): S.SUBMITTED,  # resubmitted unchanged: the reason was answered
    (S.APPROVED, A.ISSUE): S.ISSUED,
    (S.ISSUED, A.CLOSE): S.CLOSED,
    (S.DRAFT, A.VOID): S.VOID,
    (S.SUBMITTED, A.VOID): S.VOID,
    (S.RETURNED, A.VOID): S.VOID,
    (S.APPROVED, A.VOID): S.VOID,
})

#: states in which the case's content can still change
EDITABLE = frozenset(s for (s, a) in TRANSITIONS if a is A.EDIT)


class TransitionRefused(BillingDeskError, ValueError):
    """An action the current state or the rules do not allow; the message is for the
    user and says which rule."""

    exit_code = EXIT_REFUSED
    title = "Not allowed"
    prefix = "refused: "
    meaning = ("refused by the workflow or user rules; the message says which rule")


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


# --- who may do what -------------------------------------------------------------------

class Role(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in user as the rules see them."""

    login: str
    role: Role
    #: the largest amount (refund or back bill) this user may approve; None: no authority
    approval_limit: Decimal | None = None
    active: bool = True
    #: who the account belongs to, as its history says (None: not asked, e.g. whether to
    #: offer the approval view at all); the store fills it in when it approves
    person: "Person | None" = None


@dataclass(frozen=True, slots=True)
class Person:
    """What the history says about an account beyond its role: for separation of duties
    by person, not by login (one person may have two accounts; an administrator makes
    the accounts)."""

    name: str
    #: who made the account (its first entry's actor)
    created_by: str
    #: who last gave it its role (made it, or changed its role)
    role_set_by: str
    #: who gave it its approval limit (None: it has none)
    limit_set_by: str | None = None


def same_person_name(a: str, b: str) -> bool:
    """Two account names that name one person: the same words, whatever the case."""
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


class WorkflowRefused(TransitionRefused):
    """A workflow action the rules refuse; ``code`` names the rule for tests and logs."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _inactive_refusal(actor: Actor) -> WorkflowRefused | None:
    if not actor.active:
        return WorkflowRefused("inactive_user", f"User {actor.login} is disabled.")
    return None


def _refuse(refusal: WorkflowRefused | None) -> None:
    if refusal is not None:
        raise refusal


def _require_active(actor: Actor) -> None:
    _refuse(_inactive_refusal(actor))


def check_submit(status: CaseStatus, actor: Actor, check: CaseCheck, *,
                 typesetting: Typesetting | None = None) -> CaseStatus:
    """A clerk hands a draft to the supervisors: it must have periods, be valid, and its
    letter must be printable and mailable (:func:`check_letter`)."""
    _require_active(actor)
    new = next_status(status, A.SUBMIT)
    fields = {p.field for p in check.problems}
    if "periods" in fields:
        raise WorkflowRefused("no_periods", "A case with no billing periods cannot be submitted.")
    if check.case is None:
        raise WorkflowRefused("invalid_case", _problems_message("submitted", check))
    check_letter(check, "submitted", typesetting=typesetting)
    return new


def check_letter(check: CaseCheck, verb: str, *, determination: Determination | None = None,
                 typesetting: Typesetting | None = None) -> None:
    """Refuse (``not_printable``) a valid case whose letter could not be printed as
    typed or mailed where it should go (domain/printable.py, domain/mailing.py): found
    where the case is typed and submitted, never after its approval. ``typesetting``:
    the documents' answers about fonts and the envelope window (else left to issue)."""
    from .printable import letter_problems, problems_message

    if determination is None:
        from .rulepacks import determine

        determination = determine(check.case)
    problems = letter_problems(check.case, determination.refund_total, typesetting)
    if problems:
        raise WorkflowRefused("not_printable", problems_message(verb, problems))


def approval_amount(determination: Determination) -> Decimal:
    """What a supervisor's limit is measured against: the larger of refund and back bill."""
    return max(determination.refund_total, determination.back_bill_total)


def same_login(a: str | None, b: str | None) -> bool:
    """Logins name the same user whatever their letter case (``AKim`` is ``akim``)."""
    return a is not None and b is not None and a.casefold() == b.casefold()


def may_approve(actor: Actor, *, prepared_by: str | None = None,
                last_edited_by: str | None = None, submitted_by: str | None = None,
                determination: Determination | None = None,
                authors: dict[str, Person] | None = None) -> WorkflowRefused | None:
    """Approval authority, in one place: ``None`` if ``actor`` may approve a case
    prepared, last edited and submitted by those logins whose determination is
    ``determination``; otherwise the refusal (its ``code`` and message). Asked without
    the case, whether the actor may approve cases at all (the approval view is offered).

    Refused: a disabled user; no approval authority (a clerk never has it, whatever limit
    is set; a supervisor or administrator without a limit has none; an administrator
    whose limit they set themselves has none); the approver's own case; a case prepared,
    edited or submitted by the administrator who made the approver's account or gave it
    its role, or by another account of the same person (the same name, made by the same
    administrator: ``authors``, each author's :class:`Person`); an adjustment above the
    approver's limit."""
    return (_inactive_refusal(actor) or _authority_refusal(actor)
            or _own_case_refusal(actor, prepared_by, last_edited_by, submitted_by)
            or _same_person_refusal(actor, authors or {}, prepared_by, last_edited_by,
                                    submitted_by)
            or (None if determination is None else _limit_refusal(actor, determination)))


def _authority_refusal(actor: Actor) -> WorkflowRefused | None:
    if actor.role not in (Role.SUPERVISOR, Role.ADMINISTRATOR) or actor.approval_limit is None:
        return WorkflowRefused("not_an_approver",
                               f"User {actor.login} ({actor.role.value}) has no approval authority.")
    person = actor.person
    if actor.role is Role.ADMINISTRATOR and person is not None and (
            person.limit_set_by is None or same_login(person.limit_set_by, actor.login)):
        return WorkflowRefused("not_an_approver",
                               f"{actor.login} is an administrator, who approves cases only with "
                               "an approval limit given by another administrator; theirs was "
                               "set by themselves.")
    return None


def _same_person_refusal(actor: Actor, authors: dict[str, Person],
                         *logins: str | None) -> WorkflowRefused | None:
    me = actor.person
    if me is None:
        return None
    for login in logins:
        if login is None:
            continue
        if same_login(login, me.created_by) or same_login(login, me.role_set_by):
            return WorkflowRefused(
                "own_case_by_proxy",
                f"You cannot approve a case that {login} prepared, edited or submitted: "
                f"{login} is the administrator who made your account or gave it its role. "
                "Another supervisor must approve it.")
        other = next((p for k, p in authors.items() if same_login(k, login)), None)
        if (other is not None and same_person_name(other.name, me.name)
                and same_login(other.created_by, me.created_by)):
            return WorkflowRefused(
                "own_case_other_account",
                f"{login} and {actor.login} are two accounts of one person ({me.name}, both "
                f"made by {me.created_by}): you cannot approve a case prepared, edited or "
                "submitted under your other account. Another supervisor must approve it.")
    return None


def _own_case_refusal(actor: Actor, *authors: str | None) -> WorkflowRefused | None:
    # DESIGN.md: nobody approves their own case (prepared, last edited or submitted it)
    if any(same_login(actor.login, who) for who in authors):
        return WorkflowRefused("own_case",
                               "You cannot approve a case you prepared, last edited or submitted; "
                               "another supervisor must approve it.")
    return None


def _limit_refusal(actor: Actor, determination: Determination) -> WorkflowRefused | None:
    amount = approval_amount(determination)
    if actor.approval_limit is None or amount > actor.approval_limit:
        limit = "none" if actor.approval_limit is None else dollars(actor.approval_limit)
        return WorkflowRefused("over_limit",
                               f"This case adjusts {dollars(amount)}, above your approval limit "
                               f"of {limit}; refer it to a supervisor with a higher limit.")
    return None


def check_approve(status: CaseStatus, actor: Actor, *, prepared_by: str | None,
                  last_edited_by: str | None, submitted_by: str | None, check: CaseCheck,
                  determination: Determination | None, divergence_acknowledged: bool,
                  fingerprint: str | None, submitted_fingerprint: str | None,
                  typesetting: Typesetting | None = None,
                  authors: dict[str, Person] | None = None) -> CaseStatus:
    """A supervisor approves exactly the determination submitted. Refused, in this
    order: a disabled user; a case that is not submitted; no approval authority, or the
    approver's own case (:func:`may_approve`); validation problems; a case that is not
    what was submitted (``fingerprint`` differs from ``submitted_fingerprint``); above the
    approver's limit (:func:`may_approve` of the determination); unacknowledged
    divergence between readings."""
    _require_active(actor)
    new = next_status(status, A.APPROVE)
    _refuse(may_approve(actor, prepared_by=prepared_by, last_edited_by=last_edited_by,
                        submitted_by=submitted_by, authors=authors))
    if check.case is None or determination is None:
        raise WorkflowRefused("invalid_case", _problems_message("approved", check))
    check_letter(check, "approved", determination=determination, typesetting=typesetting)
    _require_bound(fingerprint, submitted_fingerprint, "submission", "submitted",
                   "return it so that the clerk submits it again")
    _refuse(may_approve(actor, determination=determination))
    if determination.readings_differ and not divergence_acknowledged:
        raise WorkflowRefused("divergence_not_acknowledged",
                              "The readings of 26-721(a)(2) differ for this case; tick the "
                              "acknowledgement that you reviewed the divergence before approving.")
    return new


def check_return(status: CaseStatus, actor: Actor, reason: str) -> CaseStatus:
    _require_active(actor)
    new = next_status(status, A.RETURN)
    if actor.role not in (Role.SUPERVISOR, Role.ADMINISTRATOR):
        raise WorkflowRefused("not_an_approver", "Only a supervisor can return a case.")
    if not reason.strip():
        raise WorkflowRefused("reason_required", "Say why the case is returned; the clerk sees it.")
    return new


def check_void(status: CaseStatus, actor: Actor, reason: str) -> CaseStatus:
    """Any state before issued; once a case is in a supervisor's hands (submitted or
    approved) only a supervisor or an administrator may void it."""
    _require_active(actor)
    new = next_status(status, A.VOID)
    if status in (S.SUBMITTED, S.APPROVED) and actor.role is Role.CLERK:
        raise WorkflowRefused("not_an_approver",
                              f"A case that is {status.value} can only be voided by a supervisor.")
    if not reason.strip():
        raise WorkflowRefused("reason_required", "Say why the case is voided; it is kept in the history.")
    return new


def check_reopen(status: CaseStatus, actor: Actor) -> CaseStatus:
    """A returned case goes back to draft (any edit does this too)."""
    _require_active(actor)
    return next_status(status, A.REOPEN)


def check_issue(status: CaseStatus, actor: Actor, *, fingerprint: str | None,
                approved_fingerprint: str | None) -> CaseStatus:
    """Letters and memos go out only for exactly what was approved."""
    _require_active(actor)
    new = next_status(status, A.ISSUE)
    _require_bound(fingerprint, approved_fingerprint, "approval", "approved",
                   "edit it and submit it for approval again before issuing")
    return new


def check_close(status: CaseStatus, actor: Actor) -> CaseStatus:
    _require_active(actor)
    return next_status(status, A.CLOSE)


def _require_bound(fingerprint: str | None, signed: str | None, noun: str, verb: str,
                   remedy: str) -> None:
    """A signature binds to the fingerprint of exactly what was signed: the case as it is
    now (under the rules as they are now) must still have it."""
    if signed is None:
        raise WorkflowRefused("not_signed", f"This case was {verb} before Billing Desk recorded "
                              f"what was {verb}; {remedy}.")
    if fingerprint != signed:
        raise WorkflowRefused(f"changed_since_{noun}",
                              f"The case, or the rules it is determined by, changed after it was "
                              f"{verb}: the {noun} no longer binds to it; {remedy}.")


def _problems_message(verb: str, check: CaseCheck) -> str:
    n = len(check.problems)
    first = "; ".join(str(p) for p in check.problems[:3])
    more = f" (and {n - 3} more)" if n > 3 else ""
    return f"The case has {n} validation problem{'s' if n != 1 else ''} and cannot be {verb}: {first}{more}."
