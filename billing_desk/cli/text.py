"""Plain-text helpers shared by the CLI commands: reading an input argument, printing
JSON, problem lists and aligned tables, saying where a summary PDF was written."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from ..domain.problems import CaseInvalid, Problem
from .exit_codes import EXIT_INVALID, EXIT_OK


def print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def read_input(path: str) -> bytes:
    """The bytes of a file argument; ``-`` is standard input."""
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as f:
        return f.read()


def input_problem(path: str, exc: OSError) -> CaseInvalid:
    reason = exc.strerror or str(exc)
    return CaseInvalid([Problem("$", f"cannot read {path}: {reason}")])


def format_problems(problems: Sequence[Problem], heading: str = "The case is not valid") -> str:
    n = len(problems)
    lines = [f"{heading} ({n} problem{'s' if n != 1 else ''}):"]
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
