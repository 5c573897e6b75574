"""Store fixtures: a fresh store per test -- a case file in its own temp folder, or a
database of its own on the server (each test that uses them runs on both) -- a clock
that moves one second per reading, drafts from the shared worked cases."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from billing_desk.domain.caseformat import loads_case
from billing_desk.domain.draft import CaseDraft
from billing_desk.store import create_case_file, open_store
from tests.shared_cases import worked_cases
from tests.staff import add_staff

START = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)


class StepClock:
    """Deterministic UTC clock: ``START``, then one second later at every reading."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        now = self.now
        self.now += timedelta(seconds=1)
        return now


def valid_case_paths() -> list[Path]:
    return [p for p in worked_cases() if not p.name.startswith("bad-")]


def shared_draft(prefix: str) -> CaseDraft:
    """The draft of the worked case whose file name starts with ``prefix`` ("23-")."""
    path = next(p for p in valid_case_paths() if p.name.startswith(prefix))
    return CaseDraft.from_case(loads_case(path.read_bytes()))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def case_file(backend, tmp_path, clock, request):
    """An empty store of each backend: a new case file, or a fresh database on the
    server (tests/conftest.py ``server_database``)."""
    if backend == "file":
        cf = create_case_file(tmp_path / "office.bdesk", clock=clock)
    else:
        cf = open_store(request.getfixturevalue("server_database"), clock=clock)
    yield cf
    cf.close()


@pytest.fixture
def staffed(case_file):
    """A case file with the test office of tests/staff.py (root, alice, bob, sup, boss)."""
    return add_staff(case_file)
