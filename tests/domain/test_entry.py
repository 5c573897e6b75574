"""Clerk input: US dates and amounts, pasted spreadsheet rows, CSV."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from billing_desk.domain.entry import (
    EntryError, parse_amount_entry, parse_csv_text, parse_date_entry, parse_rows, split_pasted_text,
)


@pytest.mark.parametrize("text,expected", [
    ("1/31/2024", date(2024, 1, 31)), ("01/31/2024", date(2024, 1, 31)), ("1-31-2024", date(2024, 1, 31)),
    ("2/29/24", date(2024, 2, 29)), ("12/1/99", date(1999, 12, 1)), ("2024-01-31", date(2024, 1, 31)),
    ("Jan 31, 2024", date(2024, 1, 31)), ("January 31 2024", date(2024, 1, 31)),
    ("31-Jan-2024", date(2024, 1, 31)), ("Sept 3, 2010", date(2010, 9, 3)), (" 3/4/2010 ", date(2010, 3, 4)),
])
def test_dates_in_the_usual_us_forms(text, expected):
    assert parse_date_entry(text) == expected


@pytest.mark.parametrize("text,needle", [
    ("2/30/2024", "not a real calendar date"), ("13/1/2024", "not a real calendar date"),
    ("31/1/2024", "not a real calendar date"), ("yesterday", "not a date"), ("1/31", "not a date"),
    ("Foo 3, 2010", "not a month"), ("1/1/1850", "out of range"),
])
def test_bad_dates_say_why(text, needle):
    with pytest.raises(EntryError, match=needle):
        parse_date_entry(text)


def test_empty_date_is_none():
    assert parse_date_entry("  ") is None


@pytest.mark.parametrize("text,expected", [
    ("$1,234.56", "1234.56"), ("1234.5", "1234.50"), ("12", "12.00"), ("$ 0.05", "0.05"),
    (".75", "0.75"), ("1,000,000", "1000000.00"), ("0", "0.00"), ("12.", "12.00"),
])
def test_amounts_in_the_usual_forms(text, expected):
    assert parse_amount_entry(text) == Decimal(expected)


@pytest.mark.parametrize("text,needle", [
    ("-5.00", "negative"), ("(5.00)", "negative"), ("1.005", "more than 2 decimal places"),
    ("1,23.45", "not an amount"), ("abc", "not an amount"), ("$", "not an amount"),
    ("1e3", "not an amount"), ("1000000000.00", "too large"), (".", "not an amount"),
])
def test_bad_amounts_say_why(text, needle):
    with pytest.raises(EntryError, match=needle):
        parse_amount_entry(text)


@pytest.mark.parametrize("text,needle", [
    ("$12,34.5", "“$12,34.5” is not an amount: its digit grouping is wrong"),
    ("1,23.45", "digit grouping is wrong"), ("12,3456.00", "digit grouping is wrong"),
    ("1,,234", "digit grouping is wrong"), ("1.2.3", "more than one decimal point"),
    ("1,234.5,6", "a comma after the decimal point"), ("abc", "type it like 1234.56"),
])
def test_an_amount_written_wrong_says_what_is_wrong_with_it(text, needle):
    """Not only "not an amount": the clerk is told what to fix (a pasted $12,34.5 was
    reported as a required field missing)."""
    with pytest.raises(EntryError) as refused:
        parse_amount_entry(text)
    assert needle in str(refused.value)


def test_pasted_rows_keep_good_cells_and_report_bad_ones():
    text = ("1/1/2010\t1/31/2010\t\t$84.20\t71.45\tfirst\n"
            "2/1/2010\t2/30/2010\t\t84.20\t$71.45\n"
            "\n"
            "3/1/2010\t3/31/2010\t\tabc\t71.45\n")
    parsed = parse_rows(split_pasted_text(text))
    assert len(parsed.periods) == 3 and parsed.skipped == 1
    first, second, third = parsed.periods
    assert (first.start, first.end, first.billed, first.correct, first.note) == (
        date(2010, 1, 1), date(2010, 1, 31), Decimal("84.20"), Decimal("71.45"), "first")
    assert second.end is None and second.billed == Decimal("84.20")  # the good cells survive
    assert third.billed is None and third.correct == Decimal("71.45")
    assert [(p.row, p.column) for p in parsed.problems] == [(1, "end"), (2, "billed")]


def test_pasting_from_a_middle_column_maps_onto_the_following_columns():
    parsed = parse_rows(split_pasted_text("10.00\t12.50\n"), columns=("billed", "correct", "note"))
    assert parsed.periods[0].billed == Decimal("10.00") and parsed.periods[0].correct == Decimal("12.50")


def test_header_row_decides_the_column_mapping():
    parsed = parse_rows(split_pasted_text("Amount billed\tService start\tService end\tCorrect\n"
                                          "$10.00\t1/1/2010\t1/31/2010\t12.00\n"))
    p = parsed.periods[0]
    assert (p.start, p.end, p.billed, p.correct) == (date(2010, 1, 1), date(2010, 1, 31),
                                                     Decimal("10.00"), Decimal("12.00"))
    assert parsed.skipped == 1


def test_extra_cells_are_reported_not_silently_dropped():
    parsed = parse_rows([["1/1/2010", "1/31/2010", "", "1.00", "2.00", "n", "surplus"]])
    assert parsed.problems and "extra cell" in parsed.problems[0].message


def test_csv_with_header_and_semicolons():
    parsed = parse_csv_text("start;end;billed;correct\n2010-01-01;2010-01-31;\"1,234.00\";1200.00\n")
    p = parsed.periods[0]
    assert p.billed == Decimal("1234.00") and p.correct == Decimal("1200.00")
    assert parsed.problems == ()


@pytest.mark.parametrize("text", ["2010-05-01\n", "5/1/2010\n", "May 1, 2010\n", "1-May-2010\r\n"])
def test_a_typed_date_with_a_line_break_after_it_is_the_date(text):
    # a cell copied with its line break: blanks around a value are forgiven, nothing else
    assert parse_date_entry(text) == date(2010, 5, 1)


@pytest.mark.parametrize("text", ["2010-05-01\nx", "5/1/2010 5/2/2010", "2010-05-01\n2010-05-02",
                                  "May 1, 2010\n!"])
def test_a_date_with_anything_else_after_it_is_refused(text):
    with pytest.raises(EntryError, match="not a date"):
        parse_date_entry(text)


def test_an_amount_with_a_line_break_after_it_is_the_amount_and_nothing_else_is():
    assert parse_amount_entry("$50.00\n") == Decimal("50.00")
    for text in ("50.00\n1", "50.00\nx", "50.00$"):
        with pytest.raises(EntryError, match="not an amount"):
            parse_amount_entry(text)
