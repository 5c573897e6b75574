"""Demo case files: the generator of :mod:`billing_desk.demo` written into a case file,
and the default file the desktop app opens on first run."""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Callable

import platformdirs

from ..demo import DEFAULT_SEED, DemoCase, DemoClock, demo_cases
from .casefile import CaseFile, create_case_file
from .cases import NewCase, WorkflowStep
from .errors import CaseFileExists

DEFAULT_DEMO_CASES = 200
DEMO_ACTOR = "demo"
APP_NAME = "billing-desk"


def new_case(d: DemoCase) -> NewCase:
    return NewCase(d.draft, d.notes, d.assignee,
                   tuple(WorkflowStep(s.action, s.actor, s.reason) for s in d.steps),
                   prepared_by=d.prepared_by)


def fill_demo(cf: CaseFile, count: int, seed: int = DEFAULT_SEED, *, batch: int = 25,
              progress: Callable[[int], None] | None = None) -> list[str]:
    """Add ``count`` demo cases, ``batch`` per transaction; the demo set continues after
    the cases already in the file. Returns the new case numbers. ``progress``, if given,
    is told how many have been added after each transaction (bench/store.py writes a
    million)."""
    numbers: list[str] = []
    cases = demo_cases(count, seed, start=cf.listing.count())
    while chunk := list(islice(cases, batch)):
        numbers += cf.cases.create_many([new_case(d) for d in chunk], actor=DEMO_ACTOR)
        if progress is not None:
            progress(len(numbers))
    return numbers


def create_demo_file(path: Path, count: int, seed: int = DEFAULT_SEED, *,
                     progress: Callable[[int], None] | None = None) -> CaseFile:
    """A new case file holding ``count`` demo cases: the same bytes for the same seed
    (a :class:`DemoClock` dates every change). Complete or absent, never half-made."""
    return create_case_file(path, clock=DemoClock(),
                            fill=lambda cf: fill_demo(cf, count, seed, progress=progress))


def default_case_file_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "demo.bdesk"


def ensure_default_case_file() -> Path:
    """The case file the app opens when none is named: created on first run, with
    demo cases, under the user's data folder; left as it is afterwards."""
    path = default_case_file_path()
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        create_demo_file(path, DEFAULT_DEMO_CASES).close()
    except CaseFileExists:
        pass  # another instance of the app created it a moment ago
    return path
