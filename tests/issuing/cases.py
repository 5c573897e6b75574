"""Approved cases in a case file, through the workflow as an office does it: created by
a clerk, submitted, approved by a supervisor; the mail room issues them."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from billing_desk.domain.draft import CaseDraft
from billing_desk.domain.workflow import Role
from billing_desk.store import CaseFile, CaseRecord, NewCase
from tests.documents.inputs import worked
from tests.staff import FAST, PASSWORD, sign_in_all

ISSUE_DATE = date(2026, 3, 4)
CLERK, SUPERVISOR, MAIL_ROOM = "alex", "sam", "mailroom"

#: (login, name, role, approval limit); the administrator first (the first user)
OFFICE = (
    ("admin", "Ada Admin", Role.ADMINISTRATOR, None),
    (CLERK, "Alex Clerk", Role.CLERK, None),
    (SUPERVISOR, "Sam Supervisor", Role.SUPERVISOR, Decimal("1000000.00")),
    (MAIL_ROOM, "Morgan Mailroom", Role.CLERK, None),
)


def name_of(login: str) -> str:
    return next(name for lg, name, _, _ in OFFICE if lg == login)


def ensure_office(cf: CaseFile) -> CaseFile:
    """Give ``cf`` the office above once (cheap password hashes, as in tests/staff.py)."""
    if cf.users.needs_first_administrator():
        users = cf.users.using(passwords=FAST, sleep=lambda s: None)
        (login, name, _, _), *others = OFFICE
        users.create_first_administrator(login, name, PASSWORD)
        for login_, name_, role, limit in others:
            users.add(login_, name_, role, PASSWORD, actor=login, approval_limit=limit)
        sign_in_all(cf)
    return cf


def draft_of(stem: str = "18", **account) -> CaseDraft:
    """The draft of worked case ``stem`` with account fields overridden."""
    draft = CaseDraft.from_case(worked(stem))
    return dataclasses.replace(draft, account=dataclasses.replace(draft.account, **account))


def approve(cf: CaseFile, case_id: int) -> CaseRecord:
    """Submit (by the clerk) and approve (by the supervisor, who reviewed any divergence)."""
    cf.workflow.submit(case_id, actor=CLERK)
    return cf.workflow.approve(case_id, actor=SUPERVISOR, acknowledge_divergence=True)


def approved_case(cf: CaseFile, stem: str = "18", **account) -> CaseRecord:
    ensure_office(cf)
    return approve(cf, cf.cases.create(draft_of(stem, **account), actor=CLERK).id)


def approved_cases(cf: CaseFile, count: int, stems=("01", "13", "18", "23", "07")) -> list[str]:
    """``count`` approved cases (unique accounts and names), created in one transaction."""
    ensure_office(cf)
    numbers = cf.cases.create_many(
        [NewCase(draft_of(stems[i % len(stems)], number=f"500-{i:04d}-01",
                          customer_name=f"Customer Número {i:04d}"), prepared_by=CLERK)
         for i in range(count)], actor=CLERK)
    for number in numbers:
        approve(cf, cf.cases.find(number).id)
    return numbers
