"""Approved cases in a case file, set up through the store API (until the approval
workflow of issue 7 exists): created by a clerk, submitted, approved by a supervisor."""

from __future__ import annotations

import dataclasses
from datetime import date

from billing_desk.domain.draft import CaseDraft
from billing_desk.domain.workflow import Action
from billing_desk.store import CaseFile, CaseRecord, NewCase, WorkflowStep
from tests.documents.inputs import worked

ISSUE_DATE = date(2026, 3, 4)
CLERK, SUPERVISOR, MAIL_ROOM = "alex", "sam", "mailroom"


def draft_of(stem: str = "18", **account) -> CaseDraft:
    """The draft of worked case ``stem`` with account fields overridden."""
    draft = CaseDraft.from_case(worked(stem))
    return dataclasses.replace(draft, account=dataclasses.replace(draft.account, **account))


def approved_case(cf: CaseFile, stem: str = "18", **account) -> CaseRecord:
    record = cf.cases.create(draft_of(stem, **account), actor=CLERK)
    record = cf.cases.change_status(record.id, Action.SUBMIT, expected_revision=record.revision,
                                    actor=CLERK)
    return cf.cases.change_status(record.id, Action.APPROVE, expected_revision=record.revision,
                                  actor=SUPERVISOR)


def approved_cases(cf: CaseFile, count: int, stems=("01", "13", "18", "23", "07")) -> list[str]:
    """``count`` approved cases (unique accounts and names), created in one transaction."""
    steps = (WorkflowStep(Action.SUBMIT, CLERK), WorkflowStep(Action.APPROVE, SUPERVISOR))
    return cf.cases.create_many(
        [NewCase(draft_of(stems[i % len(stems)], number=f"500-{i:04d}-01",
                          customer_name=f"Customer Número {i:04d}"), steps=steps,
                 prepared_by=CLERK)
         for i in range(count)], actor=CLERK)
