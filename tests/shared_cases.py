"""The worked cases in ../shared/cases (beside the project root)."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_CASES = ROOT.parent / "shared" / "cases"


def worked_cases() -> list[Path]:
    """Every case in ../shared/cases that has an expected result. Missing cases are an
    error, not a skip: the suite must run them."""
    cases = sorted(p for p in SHARED_CASES.glob("*.json") if not p.name.endswith(".expected.json"))
    if not cases:
        raise RuntimeError(f"no worked cases found in {SHARED_CASES}")
    return cases


def expected_of(case_path: Path) -> Path:
    return case_path.with_name(case_path.name[: -len(".json")] + ".expected.json")


def load_expected(case_path: Path) -> dict:
    return json.loads(expected_of(case_path).read_text(encoding="utf-8"))
