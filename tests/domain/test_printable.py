"""What a letter cannot print is refused where it is typed, naming the field (issue 14
point 5), and a former customer is never written to at the service address they left
(point 2) -- rules of the app, not of the engine: the engine still determines such a
case as RULES.md says."""

from __future__ import annotations

from decimal import Decimal

import pytest

from billing_desk.domain.draft import AccountDraft, CaseDraft
from billing_desk.domain.mailing import (address_lines, issue_date_problem, letter_address,
                                         mailing_problems)
from billing_desk.domain.printable import (MAX_MAILING_LINES, MAX_NAME_CHARS, letter_problems,
                                           printable_problems)
from billing_desk.domain.rulepacks import determine
from tests.domain.builders import make_case


class NoFonts:
    """Typesetting that lacks every CJK character and fits nothing longer than 30 characters."""

    def missing_characters(self, text):
        return "".join(dict.fromkeys(c for c in text if "\u4e00" <= c <= "\u9fff"))

    def place_problems(self, account):
        from billing_desk.domain.problems import Problem

        return ([Problem("account.customer_name", "too wide")]
                if len(account.customer_name) > 30 else [])


def problems(**account):
    return printable_problems(make_case(account=account))


@pytest.mark.parametrize("name, words", [
    ("Pat\x07 Example", "control character (U+0007"),
    ("Pat Example\u202e", "direction mark or override (U+202E right-to-left override)"),
    ("\u2066Pat\u2069", "direction mark or override"),
    ("Pat\u200bExample", "invisible character (U+200B zero width space)"),
    ("Pat\ufeffExample", "invisible character"),
    ("Pat\ue000", "no printed form"),
    ("Pat\nExample", "must be on one line"),
    ("דוד כהן", "right-to-left script (Hebrew)"),
    ("محمد علي", "right-to-left script (Arabic)"),
    ("Pat a\u0301\u0302", "more than one accent on a letter"),
])
def test_unprintable_names_are_refused_naming_the_field(name, words):
    found = problems(customer_name=name)
    assert [p.field for p in found] == ["account.customer_name"], found
    assert words in found[0].message
    # the engine copies the name as given and still determines the case (RULES.md §1)
    assert determine(make_case(account={"customer_name": name})).refund_total == Decimal("10.00")


def test_names_in_latin_scripts_print():
    for name in ("María Peña Núñez", "Nguyễn Thị Minh Khai", "Łukasz Żółć & Søren Ærø",
                 "Zoë Dvořák", "R. (Bob) O'Brien \\ Trust", "Nguye\u0302\u0303n"):
        assert problems(customer_name=name) == [], name


def test_every_field_the_letter_prints_is_checked():
    case = make_case(account={"number": "100\u200b-2000", "service_address": "1 Main St\u202e",
                              "mailing_address": "PO Box 1\tFort Collins"},
                     cause="Your meter\x1b was read wrong.")
    assert sorted(p.field for p in printable_problems(case)) == [
        "account.mailing_address", "account.number", "account.service_address", "cause"]


def test_lengths_that_fit_the_envelope_window():
    long_name = "A" * (MAX_NAME_CHARS + 1)
    assert "at most 70 fit" in problems(customer_name=long_name)[0].message
    lines = "\n".join(f"Line {i}" for i in range(MAX_MAILING_LINES + 1))
    assert "has 5 lines; at most 4" in problems(mailing_address=lines)[0].message
    assert "at most 45 fit" in problems(mailing_address="1 " + "x" * 50 + " St\nCity")[0].message
    # a one-line address is split as it is printed: parts before the city each a line
    assert address_lines("Apt 4, 1200 South College Avenue, Fort Collins, CO 80525") == [
        "Apt 4", "1200 South College Avenue", "Fort Collins, CO 80525"]
    assert problems(mailing_address="Apt 4, 1200 South College Avenue, Fort Collins, CO 80525") == []


def test_the_fonts_and_the_window_are_asked_of_the_typesetting():
    case = make_case(account={"customer_name": "王小明"})
    assert printable_problems(case) == []  # without the typesetting: left to the issue
    found = printable_problems(case, NoFonts())
    assert [p.field for p in found] == ["account.customer_name"]
    assert "'王' (U+738B)" in found[0].message and "letter font cannot print" in found[0].message
    wide = make_case(account={"customer_name": "Pat Example Pat Example Pat Example"})
    assert [p.message for p in printable_problems(wide, NoFonts())] == ["too wide"]


def test_a_draft_is_checked_as_it_is_typed():
    draft = CaseDraft(account=AccountDraft("100", "Pat\u202eExample"))
    assert [p.field for p in printable_problems(draft)] == ["account.customer_name"]
    assert printable_problems(CaseDraft()) == []  # nothing typed yet: nothing unprintable


# -- a former customer (point 2) ------------------------------------------------------

FORMER = {"current_customer": False, "service_address": "215 N Mason St, Fort Collins, CO 80524"}


def test_a_former_customers_letter_never_falls_back_to_the_service_address():
    left = make_case(account={**FORMER, "mailing_address": ""}).account
    assert letter_address(left) is None
    current = make_case(account={"mailing_address": ""}).account
    assert letter_address(current) == "215 N Mason St, Fort Collins, CO 80524"
    assert [(p.field, "forwarding address" in p.message) for p in mailing_problems(left)] == [
        ("account.mailing_address", True)]


def test_a_refund_to_a_former_customer_needs_a_forwarding_address():
    same = make_case(account={**FORMER, "mailing_address": "215 N Mason St.,  Fort Collins CO 80524"})
    found = letter_problems(same, Decimal("10.00"))
    assert [p.field for p in found] == ["account.mailing_address"]
    assert "refund check to a former customer must go to their forwarding address" in found[0].message
    assert letter_problems(same, Decimal("0.00")) == []  # no check to mail
    moved = make_case(account={**FORMER, "mailing_address": "1630 Pearl St, Boulder, CO 80302"})
    assert letter_problems(moved, Decimal("10.00")) == []


def test_a_letter_is_not_dated_before_its_case_nor_too_far_ahead():
    from datetime import date

    case = make_case()  # discovered 2010-06-15, one period in January 2010
    today = date(2026, 3, 4)
    assert issue_date_problem(case, date(2010, 6, 14), today=today, max_days_ahead=30) == (
        "the issue date 2010-06-14 is before the error was discovered (2010-06-15)")
    late = make_case(periods=[{"start": "2010-01-01", "end": "2010-07-31", "billed": "5.00",
                               "correct": "4.00"}])
    assert "before the end of the last billing period" in issue_date_problem(
        late, date(2010, 7, 1), today=today, max_days_ahead=30)
    assert issue_date_problem(case, date(2026, 4, 3), today=today, max_days_ahead=30) is None
    assert "more than 30 days after today (2026-03-04)" in issue_date_problem(
        case, date(2026, 4, 4), today=today, max_days_ahead=30)
