"""Document inputs for tests: a worked case or an inline case, signed off and dated."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timezone
from typing import Any

from billing_desk.documents.model import DocumentInput, Signoff
from billing_desk.documents.settings import DEFAULT_SETTINGS, DocumentSettings, RefundMethod
from billing_desk.domain.case import Case
from billing_desk.domain.caseformat import loads_case
from tests.domain.builders import make_case
from tests.shared_cases import SHARED_CASES

PREPARED = Signoff("Alex Clerk", datetime(2026, 3, 2, 15, 4, tzinfo=timezone.utc))
APPROVED = Signoff("Sam Supervisor", datetime(2026, 3, 3, 9, 30, tzinfo=timezone.utc))
ISSUED_ON = date(2026, 3, 4)


def worked(name: str) -> Case:
    """A worked case from ../shared/cases by its number or file stem ("18")."""
    matches = sorted(p for p in SHARED_CASES.glob(f"{name}*.json")
                     if not p.name.endswith(".expected.json"))
    assert matches, f"no worked case {name!r}"
    return loads_case(matches[0].read_bytes())


def with_account(case: Case, **changes: Any) -> Case:
    return dataclasses.replace(case, account=dataclasses.replace(case.account, **changes))


def document_input(case: Case | str | None = None, *, case_number: str = "BD-2026-000123",
                   settings: DocumentSettings = DEFAULT_SETTINGS,
                   refund_method: RefundMethod | None = None, copy: bool = False,
                   **account: Any) -> DocumentInput:
    """The input for ``case`` (a Case, a worked-case number, or an inline default case),
    with account fields overridden by keyword."""
    if case is None:
        case = make_case()
    elif isinstance(case, str):
        case = worked(case)
    if account:
        case = with_account(case, **account)
    return DocumentInput.for_case(case_number, case, prepared=PREPARED, approved=APPROVED,
                                  issue_date=ISSUED_ON, settings=settings,
                                  refund_method=refund_method, copy=copy)
