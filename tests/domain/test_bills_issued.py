"""Bills issued as typed and as imported: every bad row named by its number and field."""

from __future__ import annotations

import pytest

from billing_desk.domain.bills_issued import (
    ALL_SERVICES, BillsIssued, EntryProblem, csv_text, parse_bills, parse_csv, parse_entry,
    parse_service, parse_year,
)


@pytest.mark.parametrize("text,expected", [("2009", 2009), (" 1900 ", 1900), ("2999", 2999)])
def test_years(text, expected):
    assert parse_year(text) == expected


@pytest.mark.parametrize("text,message", [("", "missing"), ("09", "four digits"),
                                          ("1899", "out of range"), ("2009.0", "four digits"),
                                          ("year", "not a year")])
def test_bad_years(text, message):
    with pytest.raises(EntryProblem, match=message):
        parse_year(text)


@pytest.mark.parametrize("text,expected", [
    ("electric", "electric"), ("Water", "water"), ("Storm water", "stormwater"),
    ("WASTEWATER", "wastewater"), ("all", ALL_SERVICES), ("All services", ALL_SERVICES),
    ("Total", ALL_SERVICES)])
def test_services(text, expected):
    assert parse_service(text) == expected


def test_an_unknown_service_is_refused_with_the_choices():
    with pytest.raises(EntryProblem, match="“gas” is not a service; use electric, water"):
        parse_service("gas")


@pytest.mark.parametrize("text,expected", [("1020894", 1_020_894), ("1,020,894", 1_020_894),
                                           ("0", 0), (" 1 159 714 ", 1_159_714)])
def test_bill_counts(text, expected):
    assert parse_bills(text) == expected


@pytest.mark.parametrize("text,message", [("", "missing"), ("-5", "negative"),
                                          ("12.5", "whole number"), ("1,02,894", "whole number"),
                                          ("lots", "whole number"),
                                          ("9999999999999", "more than any utility")])
def test_bad_bill_counts(text, message):
    with pytest.raises(EntryProblem, match=message):
        parse_bills(text)


def test_a_typed_row_reports_every_bad_field():
    figure, problems = parse_entry(4, "20O9", "gas", "-1")
    assert figure is None
    assert [(p.row, p.field) for p in problems] == [(4, "year"), (4, "service"),
                                                    (4, "bills issued")]
    assert str(problems[0]).startswith("row 4, year: “20O9” is not a year")


def test_a_good_file_with_a_header_in_any_order():
    parsed = parse_csv("\ufeffService,Bills issued,Year\r\nall,\"1,020,894\",2001\r\n\r\n"
                       "water,400000,2004,,\n")
    assert parsed.problems == ()
    assert parsed.figures == (BillsIssued(2001, ALL_SERVICES, 1_020_894),
                              BillsIssued(2004, "water", 400_000))
    assert [row for row, _ in parsed.rows] == [2, 4]


def test_bad_rows_are_named_and_left_out_the_good_ones_kept():
    parsed = parse_csv("year,service,bills issued\n"
                       "2001,all,1020894\n"
                       "2004,gas,1159714\n"
                       "2007,all\n"
                       "200x,water,-3\n"
                       "2001,All services,999\n"
                       "2009,all,1000205\n")
    assert [(p.row, p.field) for p in parsed.problems] == [
        (3, "service"), (4, "row"), (5, "year"), (5, "bills issued"), (6, "service")]
    assert "given already on row 2" in str(parsed.problems[-1])
    assert parsed.figures == (BillsIssued(2001, ALL_SERVICES, 1_020_894),
                              BillsIssued(2009, ALL_SERVICES, 1_000_205))
    assert parsed.refused_rows == (3, 4, 5, 6)


def test_a_file_without_figures_or_with_a_wrong_header_is_refused():
    assert [str(p) for p in parse_csv("\n\n").problems] == [
        "row 1, row: the file has no rows of bills issued"]
    parsed = parse_csv("year,utility,count\n2001,all,5\n")
    assert parsed.figures == () and parsed.problems[0].row == 1
    assert "must name the columns" in parsed.problems[0].message


def test_figures_written_as_csv_read_back_the_same():
    figures = [BillsIssued(2004, "water", 7), BillsIssued(2001, ALL_SERVICES, 1_020_894),
               BillsIssued(2001, "electric", 3)]
    parsed = parse_csv(csv_text(figures))
    assert parsed.problems == () and sorted(parsed.figures) == sorted(figures)
