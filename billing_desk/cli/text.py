"""Plain-text helpers shared by the CLI commands: reading an input argument, printing
JSON, problem lists and aligned tables, saying where a summary PDF was written."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from ..domain.limits import CASE_FILE_BYTES, read_at_most
from ..domain.problems import CaseInvalid, Problem, shown_problems
from .exit_codes import EXIT_INVALID, EXIT_OK


def print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def read_input(path: str, limit: int = CASE_FILE_BYTES) -> bytes:
    """The bytes of a file argument; ``-`` is standard input. Past ``limit`` bytes it is
    refused (:class:`~billing_desk.domain.limits.TooLarge`, an ``OSError``, after
    reading ``limit + 1`` bytes: a device or a huge file answers at once)."""
    if path == "-":
        return read_at_most(sys.stdin.buffer, limit, "standard input")
    with open(path, "rb") as f:
        return read_at_most(f, limit, path)


def input_problem(path: str, exc: OSError) -> CaseInvalid:
    reason = exc.strerror or str(exc)
    return CaseInvalid([Problem("$", f"cannot read {path}: {reason}")])


def format_problems(problems: Sequence[Problem], heading: str = "The case is not valid") -> str:
    """The problems as a report: a heading with their number, then the first
    :data:`~billing_desk.domain.limits.PROBLEMS_SHOWN` and a count of the rest."""
    n = len(problems)
    problems = shown_problems(problems)
    lines = [f"{heading} ({n:,} problem{'s' if n != 1 else ''}):"]
    width = max(len(p.field) for p in problems)
    lines += [f"  {p.field:<{width}}  {p.message}" for p in problems]
    return "\n".join(lines) + "\n"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]

    def fmt(cells: Sequence[str]) -> str:
        out = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))]
        return "  ".join(out).rstrip()

    return [fmt(headers), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows]


def write_summary(command: str, out: Path, save: Callable[[], Any], what: str) -> int:
    """Write an internal summary PDF to ``out`` with ``save()`` (which writes it whole
    and returns what it wrote, with its ``pages``), and say so: ``Wrote {what} (N pages)
    to OUT``, where ``what`` may name the summary's fields (``{summary.case_number}``).
    A file that cannot be written is a message and exit 2."""
    try:
        summary = save()
    except OSError as e:
        sys.stderr.write(f"billing-desk {command}: cannot write {out}: {e.strerror or e}\n")
        return EXIT_INVALID
    print(f"Wrote {what.format(summary=summary)} ({summary.pages} page"
          f"{'s' if summary.pages != 1 else ''}) to {out}")
    return EXIT_OK
