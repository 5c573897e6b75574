"""Who prepared and who approved a case, and when: the sign-offs its memo prints.

Until the case file keeps approval signatures (issue 7 adds ``CaseRecord.submitted``
and ``CaseRecord.approved``, each a ``Signature(login, at, fingerprint)``, and
``cf.users.get(login).name``), they are read from the case's audit history: the latest
``submit`` and ``approve`` entries give the login and the time. The fingerprint the
approval bound to is the case's current one: any edit of a submitted or approved case
sends it back to draft (``workflow.TRANSITIONS``), so an approval still in force is of
the case as it is. :func:`signoffs_for` is the one place to switch to the signatures.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..documents import Signoff
from ..domain.case import Case
from ..domain.fingerprint import case_fingerprint
from ..domain.rulepacks import get_rule_pack
from ..domain.workflow import CaseStatus
from ..store import CaseFile, CaseRecord

#: states in which the latest submission / approval is still in force
_SUBMITTED = frozenset({CaseStatus.SUBMITTED, CaseStatus.APPROVED, CaseStatus.ISSUED,
                        CaseStatus.CLOSED})
_APPROVED = frozenset({CaseStatus.APPROVED, CaseStatus.ISSUED, CaseStatus.CLOSED})


@dataclass(frozen=True, slots=True)
class Signoffs:
    prepared: Signoff | None  # who submitted the case for approval (None: not submitted)
    approved: Signoff | None  # who approved it (None: not approved)
    fingerprint: str | None  # what the approval bound to (None: the case is not valid)


def current_fingerprint(record: CaseRecord, case: Case | None = None) -> str | None:
    """The fingerprint of the case as stored (None while it is incomplete or invalid);
    ``case``: the record's case, when it is checked already."""
    case = case or record.draft.check().case
    if case is None:
        return None
    pack = get_rule_pack(case.rule_pack)
    return case_fingerprint(case, pack.name, pack.version)


def signoffs_for(cf: CaseFile, record: CaseRecord, case: Case | None = None) -> Signoffs:
    """The sign-offs in force for ``record`` (see the module docstring); ``case``: the
    record's case, when the caller has checked it already (a batch)."""
    submitted = approved = None
    for entry in cf.cases.history(record.id, actions=("submit", "approve")):
        if entry.entity != "case":
            continue
        if entry.action == "submit":
            submitted, approved = entry, None  # a new submission needs a new approval
        elif entry.action == "approve":
            approved = entry

    def signoff(entry) -> Signoff | None:
        # the name is the login until the case file has users with names (issue 7)
        return None if entry is None else Signoff(entry.actor, entry.at)

    return Signoffs(signoff(submitted) if record.status in _SUBMITTED else None,
                    signoff(approved) if record.status in _APPROVED else None,
                    current_fingerprint(record, case))
