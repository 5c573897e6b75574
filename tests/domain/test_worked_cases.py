"""Every worked case in ../shared/cases through the engine, in-process."""

from __future__ import annotations

import pytest

from billing_desk.domain.caseformat import loads_case
from billing_desk.domain.problems import CaseInvalid
from billing_desk.domain.rulepacks import determine
from tests.shared_cases import load_expected, worked_cases

CASES = worked_cases()


def test_there_are_worked_cases_of_both_kinds():
    names = [p.name for p in CASES]
    assert sum(n.startswith("bad-") for n in names) >= 10
    assert sum(not n.startswith("bad-") for n in names) >= 24


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_engine_matches_expected(path):
    expected = load_expected(path)
    try:
        got = determine(loads_case(path.read_bytes())).to_json()
    except CaseInvalid as e:
        got = e.to_json()
    if expected["format"] == "billing-desk/error@1":
        # the order of errors is free (RULES.md §9)
        key = lambda e: (e["field"], e["message"])  # noqa: E731
        assert sorted(got["errors"], key=key) == sorted(expected["errors"], key=key)
        assert got["format"] == expected["format"]
    else:
        assert got == expected


@pytest.mark.parametrize("path", [p for p in CASES if not p.name.startswith("bad-")],
                         ids=lambda p: p.stem)
def test_a_kept_determination_reads_back_as_it_was(path):
    """The approval view shows the snapshot kept at submission: read back from its JSON,
    it is the determination as computed (every amount, flag, line and reading)."""
    from billing_desk.domain.determination import determination_from_json

    d = determine(loads_case(path.read_bytes()))
    back = determination_from_json(d.to_json(), d.rule_pack_version)
    assert back.to_json() == d.to_json()
    assert back.readings == d.readings and back.refund_total == d.refund_total
