"""Why a case's documents are not issued, reprinted or printed: one exception class per
refusal the service adds to those of the store and the documents layer, each with a
message for the clerk."""

from __future__ import annotations

from ..domain.workflow import TransitionRefused
from ..errors import EXIT_INVALID
from ..store import CaseRecord


class NotApproved(TransitionRefused):
    """Only an approved case is issued (DESIGN.md: draft -> submitted -> approved ->
    issued); the message names the status the case is in."""

    def __init__(self, record: CaseRecord) -> None:
        self.case_number, self.status = record.case_number, record.status
        super().__init__(f"Case {record.case_number} is {record.status.value}, not approved: "
                         "only an approved case can be issued. Submit it and have a "
                         "supervisor approve it first.")


class NoIssueRecord(TransitionRefused):
    """A document with no record of what it was rendered from cannot be reprinted
    faithfully (it was stored without an issue entry)."""

    def __init__(self, document_id: int, case_number: str) -> None:
        super().__init__(f"Document #{document_id} of case {case_number} has no record of "
                         "how it was issued, so an exact copy cannot be made. Print the "
                         "stored document instead.")


class IssueDateRefused(TransitionRefused):
    """A letter date that cannot be: before the case's discovery or the end of its last
    period, or further ahead than the office allows (setting issue.max_days_ahead)."""

    exit_code = EXIT_INVALID  # (a usage error: nothing was issued)

    def __init__(self, case_number: str | None, problem: str) -> None:
        self.case_number = case_number
        where = f"Case {case_number} was not issued: " if case_number else "Nothing was issued: "
        super().__init__(f"{where}{problem}. Give an issue date on or after it "
                         f"(--issue-date YYYY-MM-DD).")
