"""What the documents say about the periods: by period or by year, exclusions grouped by
reason."""

from __future__ import annotations

from decimal import Decimal

from billing_desk.domain.determination import Direction
from billing_desk.domain.rulepacks import determine
from billing_desk.documents.summaries import affected, exclusion_groups, letter_rows, memo_rows
from tests.documents.inputs import worked


def test_up_to_twelve_periods_are_listed_one_by_one():
    case = worked("13")
    rows, by_year = letter_rows(affected(case, determine(case)))
    assert not by_year and len(rows) == 5


def test_many_periods_are_summed_by_calendar_year():
    case = worked("23")
    rows, by_year = letter_rows(affected(case, determine(case)))
    assert by_year
    assert [(r.year, r.count) for r in rows] == [(2003, 6), (2004, 12), (2005, 12), (2006, 12),
                                                (2007, 12), (2008, 12), (2009, 6)]
    assert sum(r.credit for r in rows) == Decimal("844.61")


def test_exclusions_sharing_a_reason_become_one_group():
    case = worked("13")
    groups = exclusion_groups(affected(case, determine(case)))
    assert [(g.reason.code, g.count, g.amount) for g in groups] == [
        ("under.staff_practice.old", 3, Decimal("360.00")),
        ("under.staff_practice.collected", 1, Decimal("40.43"))]


def test_each_memo_of_a_mixed_case_lists_its_own_direction():
    case = worked("18")
    det = determine(case)
    credit = memo_rows(case, det, Direction.OVERCHARGE, only_memo=False)
    assert [ln.index for _, ln in credit] == [0, 2]
    assert [ln.index for _, ln in memo_rows(case, det, Direction.UNDERCHARGE, False)] == [1]
    assert len(memo_rows(case, det, Direction.OVERCHARGE, only_memo=True)) == 3
