"""Why a document cannot be issued: one exception class per failure a clerk can meet,
each with a message that says what is wrong and what to do."""

from __future__ import annotations

from typing import Iterable

from ..errors import EXIT_INVALID, BillingDeskError


class DocumentError(BillingDeskError):
    """Base of every documents failure; ``str(error)`` is the clerk-readable message."""

    exit_code = 18  # the issue was refused (docs/cli.md)
    title = "Documents"


class DocumentMismatch(DocumentError):
    """The text read back out of a rendered PDF does not match the case it is issued for
    (wrong account, name, address or amount): the issue is blocked. This is the control
    against a notice showing another customer's data."""

    def __init__(self, case_number: str, kind: str, problems: Iterable[str]) -> None:
        self.case_number = case_number
        self.kind = kind
        self.problems: tuple[str, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("DocumentMismatch needs at least one problem")
        lines = "; ".join(self.problems)
        super().__init__(
            f"Issue blocked: the {kind.replace('_', ' ')} for case {case_number} does not "
            f"match its case ({lines}). Nothing was issued; report this to support.")


class UnprintableText(DocumentError):
    """A name or address cannot be printed legibly: characters the letter font lacks, or
    too long for its place on the page (the envelope window)."""


class MissingMailingAddress(DocumentError):
    """The account has neither a mailing address nor a service address to mail to."""


class StaleDetermination(DocumentError):
    """The case or the rule pack changed since the determination was approved: the
    fingerprint no longer matches, so documents are not issued from it."""


class MissingSignoff(DocumentError):
    """A document to be issued must name who prepared the case and who approved it, and
    when (the memo prints both); only a preview may go without."""


class UnsupportedLocale(DocumentError):
    """No letter texts exist for the case's locale."""


class SettingInvalid(DocumentError):
    """A document setting (letterhead, thresholds) has a value of the wrong kind."""

    exit_code = EXIT_INVALID
