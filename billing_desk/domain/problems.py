"""Problems with input, each naming its field (RULES.md §2, ``billing-desk/error@1``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

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


def shown_problems(problems: Sequence[Problem]) -> tuple[Problem, ...]:
    """The problems a report lists: the first :data:`~.limits.PROBLEMS_SHOWN`, then one
    more at ``$`` that counts the rest (a file with ten thousand bad periods gets a
    report a person can read, not one of ten thousand lines)."""
    from .limits import PROBLEMS_SHOWN

    problems = tuple(problems)
    if len(problems) <= PROBLEMS_SHOWN:
        return problems
    rest = len(problems) - PROBLEMS_SHOWN
    return problems[:PROBLEMS_SHOWN] + (Problem(
        "$", f"and {rest:,} more problem{'s' if rest != 1 else ''} not listed (the first "
             f"{PROBLEMS_SHOWN} are; {len(problems):,} in all)"),)


class CaseInvalid(BillingDeskError, ValueError):
    """The case cannot be determined; carries every problem found."""

    exit_code = EXIT_INVALID
    title = "The case is not valid"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("CaseInvalid needs at least one problem")
        super().__init__("; ".join(str(p) for p in self.shown()))

    def shown(self) -> tuple[Problem, ...]:
        return shown_problems(self.problems)

    def to_json(self) -> dict:
        return {
            "format": ERROR_FORMAT,
            "errors": [{"field": p.field, "message": p.message} for p in self.shown()],
        }
