"""Drafts: an unfinished case keeps what was typed and validates like the CLI."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from billing_desk.domain.caseformat import case_to_json, loads_case
from billing_desk.domain.draft import AccountDraft, CaseDraft, PeriodDraft
from billing_desk.domain.fingerprint import case_fingerprint
from tests.shared_cases import worked_cases


def test_new_draft_reports_what_is_missing():
    problems = {p.field for p in CaseDraft().check().problems}
    assert {"account.number", "account.customer_name", "service", "discovered_on",
            "periods"} <= problems


def test_incomplete_period_row_points_at_its_cells():
    draft = CaseDraft(account=AccountDraft("1", "Pat"), discovered_on=date(2010, 6, 1),
                      periods=(PeriodDraft(start=date(2010, 1, 1), billed=Decimal("5.00")),))
    fields = {p.field for p in draft.check().problems}
    assert {"periods[0].end", "periods[0].correct"} <= fields


def test_draft_of_a_valid_case_gives_back_the_same_case_and_json():
    for path in worked_cases():
        if path.name.startswith("bad-"):
            continue
        case = loads_case(path.read_bytes())
        draft = CaseDraft.from_case(case)
        assert draft.check().case == case
        assert draft.to_json() == case_to_json(case)


def test_row_edits_return_new_drafts():
    d = CaseDraft(periods=(PeriodDraft(), PeriodDraft(note="b")))
    d2 = d.with_periods_inserted(1, (PeriodDraft(note="new"),))
    assert [p.note for p in d2.periods] == [None, "new", "b"]
    assert [p.note for p in d2.without_periods(0, 2).periods] == ["b"]
    assert d2.with_period(0, PeriodDraft(note="a")).periods[0].note == "a"
    assert PeriodDraft().is_blank and not PeriodDraft(note="x").is_blank


def test_fingerprint_changes_with_any_input_and_with_the_rule_pack_version():
    case = loads_case(next(p for p in worked_cases() if p.name.startswith("18-")).read_bytes())
    base = case_fingerprint(case, "fort-collins-26-721", "1.0.0")
    assert base == case_fingerprint(case, "fort-collins-26-721", "1.0.0")
    assert base != case_fingerprint(case, "fort-collins-26-721", "1.0.1")
    import dataclasses
    moved = dataclasses.replace(case, account=dataclasses.replace(case.account, mailing_address="PO Box 1"))
    assert base != case_fingerprint(moved, "fort-collins-26-721", "1.0.0")
