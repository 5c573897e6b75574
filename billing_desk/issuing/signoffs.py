"""Who prepared and who approved a case, and when: the sign-offs its memo prints.

They are the case's signatures (``CaseRecord.submitted`` and ``CaseRecord.approved``,
each a login, a UTC time and the fingerprint of exactly the case signed), with the
user's name from the case file. The fingerprint the documents bind to is the
approval's: :func:`~billing_desk.documents.prepare_issue` refuses a case that no longer
has it. An edit of a submitted or approved case clears both signatures (the case is a
draft again), so a signature present is one still in force.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..documents import Signoff
from ..domain.case import Case
from ..domain.fingerprint import case_fingerprint
from ..domain.rulepacks import get_rule_pack
from ..store import CaseFile, CaseRecord, Signature


@dataclass(frozen=True, slots=True)
class Signoffs:
    prepared: Signoff | None  # who submitted the case for approval (None: not submitted)
    approved: Signoff | None  # who approved it (None: not approved)
    fingerprint: str | None  # what the approval bound to (None: not approved and not valid)


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
    record's case, when the caller has checked it already (a batch). Without an
    approval (a preview) the fingerprint is the case's current one."""

    def signoff(signature: Signature | None) -> Signoff | None:
        if signature is None:
            return None
        user = cf.users.find(signature.login)
        # the name as the memo prints it, with the login the history records
        name = f"{user.name} ({user.login})" if user is not None else signature.login
        return Signoff(name, signature.at)

    approved = record.approved
    return Signoffs(signoff(record.submitted), signoff(approved),
                    approved.fingerprint if approved is not None
                    else current_fingerprint(record, case))
