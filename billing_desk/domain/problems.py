"""Problems with input, each naming its field (RULES.md §2, ``billing-desk/error@1``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..errors import EXIT_INVALID, BillingDeskError

ERROR_FORMAT = "billing-desk/error@1"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: ``field`` is a path such as ``periods[2].end``
    (``$`` for the document itself); ``message`` is for the clerk."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class CaseInvalid(BillingDeskError, ValueError):
    """The case cannot be determined; carries every problem found."""

    exit_code = EXIT_INVALID
    title = "The case is not valid"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("CaseInvalid needs at least one problem")
        super().__init__("; ".join(str(p) for p in self.problems))

    def to_json(self) -> dict:
        return {
            "format": ERROR_FORMAT,
            "errors": [{"field": p.field, "message": p.message} for p in self.problems],
        }
