"""The kinds a case is made of -- its service, the reading of 26-721(a)(2), the basis
of "occurred" -- apart from the case's dataclasses, so that a list of cases (the
store's summaries, the case list) can name them without building the case model; and
the kinds of document a case is issued as, the one enum the documents that render them,
the case file that stores them and the windows and commands that list them share."""

from __future__ import annotations

from enum import StrEnum


class Service(StrEnum):
    ELECTRIC = "electric"
    WATER = "water"
    WASTEWATER = "wastewater"
    STORMWATER = "stormwater"


class Reading(StrEnum):
    """The three readings of 26-721(a)(2) (RULES.md §3.4)."""

    ORDINANCE = "ordinance"
    EXECUTIVE_SUMMARY = "executive_summary"
    STAFF_PRACTICE = "staff_practice"


class OccurredBasis(StrEnum):
    SERVICE_DAYS = "service_days"
    BILL_DATE = "bill_date"


class DocumentKind(StrEnum):
    """A document issued for a case: the customer letter, and the memos to finance
    (its value is what the case file stores and what a file name or manifest shows)."""

    LETTER = "letter"
    CREDIT_MEMO = "credit_memo"
    BACK_BILL_MEMO = "back_bill_memo"
