"""Demo case files: the demo office of :mod:`billing_desk.demo` (its users, their cases,
and the workflow steps they took, under the rules) written into a case file, and the
default file the desktop app opens on first run.

A demo file is marked so (setting ``demo_file``): its users' passwords are public, and
its sign-in screen shows them. Demo cases go only into a new file or a demo file, never
into an office's real file (that would give it an administrator with a public password).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import islice
from pathlib import Path
from typing import Callable

import platformdirs

from ..demo import (
    DEFAULT_SEED, DEMO_ADMINISTRATOR, DEMO_USERS, DemoCase, DemoClock, DemoStep, demo_cases,
)
from .casefile import CaseFile
from .targets import create_store
from .cases import NewCase
from .errors import CaseFileExists, NotADemoFile
from .passwords import DemoPasswords

DEFAULT_DEMO_CASES = 200
APP_NAME = "billing-desk"


def new_case(d: DemoCase) -> NewCase:
    return NewCase(d.draft, d.notes, d.assignee, prepared_by=d.prepared_by)


def is_demo_file(cf: CaseFile) -> bool:
    return bool(cf.settings.get("demo_file"))


def add_demo_office(cf: CaseFile) -> None:
    """Make an empty file a demo file: the demo administrator, then the other demo users
    (cheap, deterministic password hashes: the passwords are public anyway)."""
    users = cf.users.using(passwords=DemoPasswords())
    first, *others = DEMO_USERS
    users.create_first_administrator(first.login, first.name, first.password)
    for u in others:
        users.add(u.login, u.name, u.role, u.password, actor=first.login,
                  approval_limit=u.approval_limit)
    cf.settings.set("demo_file", True, actor=first.login)


def sign_in_demo_office(cf: CaseFile) -> None:
    """Every demo user signs in here (their passwords are public), so that the demo's
    changes are each signed by the demo user who makes them (store/signing.py)."""
    users = cf.users.using(passwords=DemoPasswords(), sleep=lambda _s: None)
    for u in DEMO_USERS:
        users.authenticate(u.login, u.password)


def fill_demo(cf: CaseFile, count: int, seed: int = DEFAULT_SEED, *, batch: int = 25,
              actor: str = DEMO_ADMINISTRATOR,
              progress: Callable[[int], None] | None = None) -> list[str]:
    """Add ``count`` demo cases, ``batch`` per transaction, on behalf of ``actor`` (a user
    of the demo file); the demo set continues after the cases already in the file. An
    empty file becomes a demo file first. The workflow steps come after all the cases
    are created, first steps first, each its own action (as in the app, and dated by the
    demo clock: a case is approved some time after it was submitted). Returns the new
    case numbers. ``progress``, if given, is told how many cases have been added after
    each transaction (bench/store.py writes a million)."""
    if cf.users.needs_first_administrator() and cf.listing.count() == 0:
        add_demo_office(cf)
    elif not is_demo_file(cf):
        raise NotADemoFile(cf.where)
    sign_in_demo_office(cf)
    numbers: list[str] = []
    waves: defaultdict[int, list[tuple[int, DemoStep]]] = defaultdict(list)  # k-th steps
    start = cf.listing.count()  # cases are never deleted: case i of the set gets id start + i + 1
    cases = enumerate(demo_cases(count, seed, start=start), start=start + 1)
    while chunk := list(islice(cases, batch)):
        numbers += cf.cases.create_many([new_case(d) for _, d in chunk], actor=actor)
        for case_id, d in chunk:
            for k, step in enumerate(d.steps):
                waves[k].append((case_id, step))
        if progress is not None:
            progress(len(numbers))
    for k in sorted(waves):
        for case_id, step in waves[k]:
            cf.workflow.act(case_id, step.action, actor=step.actor, reason=step.reason,
                            acknowledge_divergence=step.acknowledge_divergence)
    return numbers


def create_demo_file(target: Path | str, count: int, seed: int = DEFAULT_SEED, *,
                     progress: Callable[[int], None] | None = None, **connect) -> CaseFile:
    """A new store holding ``count`` demo cases -- a case file, or an empty database on a
    server (``connect``: how to sign in to it, see :func:`~.targets.open_store`): the same
    cases and the same history for the same seed (a :class:`DemoClock` dates every
    change), so a demo file is the same bytes every time and a demo database holds the
    same rows with the same audit hashes. Complete or absent, never half-made."""
    return create_store(target, clock=DemoClock(),
                        fill=lambda cf: fill_demo(cf, count, seed, progress=progress), **connect)


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
