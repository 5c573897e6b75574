"""The incident CSV (issue 18 point 1): the stormwater example read exactly; bad files
refused whole with line and column; bad rows named with line and column and their
accounts left out; the amounts from usage and rates computed in Decimal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from billing_desk.domain.delivery import Delivery
from billing_desk.domain.draft import CaseDraft
from billing_desk.domain.incident import fingerprint_and_figures, incident_totals
from billing_desk.domain.incident_csv import IncidentFileRefused, parse_incident_csv
from tests.incident_data import (
    HEADER, STORMWATER, STORMWATER_ACCOUNTS, STORMWATER_LARGEST, STORMWATER_LONG_SERVICE,
    STORMWATER_REFUND_TOTAL, STORMWATER_SIX_YEAR_TOTAL, STORMWATER_SMALLEST, email_of_account,
    stormwater_csv, stormwater_rows, stormwater_with_email_csv, to_csv,
)


def problems_of(data: bytes):
    return [(p.line, p.field) for p in parse_incident_csv(data, STORMWATER).problems]


def refused(data: bytes):
    with pytest.raises(IncidentFileRefused) as e:
        parse_incident_csv(data, STORMWATER)
    return e.value.problems


def test_the_stormwater_example_gives_the_issues_totals_exactly():
    imported = parse_incident_csv(stormwater_csv(), STORMWATER)
    assert imported.problems == () and imported.rejected == ()
    assert len(imported.accounts) == STORMWATER_ACCOUNTS
    assert imported.rows == imported.good_rows == sum(len(a.lines) for a in imported.accounts)
    totals = incident_totals(fingerprint_and_figures(a.case)[1] for a in imported.accounts)
    assert totals.cases == 74
    assert totals.refund == STORMWATER_REFUND_TOTAL == Decimal("43041.00")
    assert (totals.smallest, totals.largest) == (STORMWATER_SMALLEST, STORMWATER_LARGEST)
    assert totals.six_year == STORMWATER_SIX_YEAR_TOTAL == Decimal("26085.00")
    assert totals.six_year_cases == STORMWATER_LONG_SERVICE == 55
    assert totals.back_bill == totals.a1_i == totals.a1_ii == totals.a1_iii == Decimal("0.00")
    # no billing records before October 2000 (the memo): no period starts earlier
    assert min(p.start for a in imported.accounts for p in a.case.periods) >= date(2000, 10, 1)
    # each account's case is exactly what the case@1 validator accepts
    for a in imported.accounts[:10]:
        assert CaseDraft.from_case(a.case).check().case == a.case


def test_wrong_columns_are_refused_at_line_1_with_the_column():
    rows = stormwater_rows()
    no_end = to_csv([r[:6] + r[7:] for r in rows],
                    [h for h in HEADER if h != "period_end"])
    assert [(p.line, p.field) for p in refused(no_end)] == [(1, "period_end")]
    extra = to_csv([r + ["x"] for r in rows], HEADER + ["run_off_factor"])
    problems = refused(extra)
    assert [(p.line, p.field) for p in problems] == [(1, "run_off_factor")]
    assert "unknown column" in problems[0].message
    no_amounts = to_csv([r[:8] for r in rows], HEADER[:8])
    assert [(p.line, p.field) for p in refused(no_amounts)] == [(1, "billed")]


def test_a_bad_date_on_line_57_is_named_and_its_account_left_out():
    rows = stormwater_rows()
    rows[55][5] = "2005-02-30"  # line 57: the header is line 1, rows[0] line 2
    imported = parse_incident_csv(to_csv(rows), STORMWATER)
    assert [(p.line, p.field) for p in imported.problems] == [(57, "period_start")]
    assert "not a real calendar date" in imported.problems[0].message
    bad_account = rows[55][0]
    assert [r.number for r in imported.rejected] == [bad_account]
    assert 57 in imported.rejected[0].lines
    assert len(imported.accounts) == STORMWATER_ACCOUNTS - 1
    assert imported.bad_rows == len(imported.rejected[0].lines)


def test_a_duplicate_account_is_refused_at_the_line_that_differs():
    rows = stormwater_rows()
    first, other = rows[0][0], rows[200][0]
    assert first != other
    line = 202
    rows[200][0] = first  # another customer's rows given under the first account number
    problems = parse_incident_csv(to_csv(rows), STORMWATER).problems
    assert (line, "name") in [(p.line, p.field) for p in problems]
    message = next(p.message for p in problems if p.line == line and p.field == "name")
    assert f"account {first} is given as" in message and "on line 2" in message


def test_an_encoding_other_than_utf8_is_refused_at_its_line():
    rows = stormwater_rows()
    text = to_csv(rows).decode("utf-8")
    latin = text.encode("latin-1")  # "Peña", "María" in Latin-1, as an old export writes them
    problems = refused(latin)
    assert len(problems) == 1 and problems[0].field == "$" and "not UTF-8" in problems[0].message
    expected_line = next(k for k, line in enumerate(text.split("\n"), start=1)
                         if any(ord(c) > 127 for c in line))
    assert problems[0].line == expected_line
    # UTF-16 (Excel's "Unicode text") is not UTF-8 either
    assert refused(text.encode("utf-16"))[0].field == "$"


def test_a_byte_order_mark_is_accepted():
    imported = parse_incident_csv(b"\xef\xbb\xbf" + stormwater_csv(), STORMWATER)
    assert imported.problems == () and len(imported.accounts) == STORMWATER_ACCOUNTS


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(data):
    problems = refused(data)
    assert [(p.line, p.field) for p in problems] == [(1, "$")] and "empty" in problems[0].message


def test_a_header_without_rows_is_refused():
    problems = refused(to_csv([]))
    assert [(p.line, p.field) for p in problems] == [(2, "$")]


def test_every_bad_cell_is_reported_with_its_line_and_column():
    rows = stormwater_rows()
    rows[0][8] = "12.345"  # line 2: three decimals
    rows[1][6] = ""  # line 3: no end date
    rows[2][4] = "english"  # line 4: not a locale
    rows[3][1] = ""  # line 5: no name
    found = problems_of(to_csv(rows))
    assert found == [(2, "billed"), (3, "period_end"), (4, "locale"), (5, "name")]


def test_case_rules_are_reported_at_the_row_they_concern():
    rows = stormwater_rows()
    account = rows[0][0]
    n = sum(r[0] == account for r in rows)
    rows[n - 1][5], rows[n - 1][6] = "2009-07-15", "2009-07-31"  # starts after discovery
    rows[1][5] = rows[0][5]  # overlaps the first period
    found = problems_of(to_csv(rows))
    assert (n + 1, "period_start") in found  # line of the last row of the account
    assert (3, "period_start") in found or (2, "period_start") in found


def test_usage_with_the_wrong_and_right_rate_gives_billed_and_correct_in_decimal():
    header = ["account", "name", "mailing_address", "period_start", "period_end", "usage",
              "wrong_rate", "right_rate"]
    rows = [["1-1", "Pat Example", "1 Main St", "2009-01-01", "2009-01-31", "12.5", "0.4567",
             "0.3333"],
            ["1-1", "Pat Example", "", "02/01/2009", "02/28/2009", "1,000", "$0.0125", "0.01"]]
    imported = parse_incident_csv(to_csv(rows, header), STORMWATER)
    assert imported.problems == ()
    p1, p2 = imported.accounts[0].case.periods
    # 12.5 x 0.4567 = 5.70875 -> 5.71; 12.5 x 0.3333 = 4.16625 -> 4.17 (half up, in Decimal)
    assert (p1.billed, p1.correct) == (Decimal("5.71"), Decimal("4.17"))
    assert (p2.billed, p2.correct) == (Decimal("12.50"), Decimal("10.00"))
    assert all(isinstance(v, Decimal) for v in (p1.billed, p1.correct, p2.billed, p2.correct))
    # the detail given once (the mailing address) holds for the account's other rows
    assert imported.accounts[0].case.account.mailing_address == "1 Main St"


def test_a_row_giving_both_amounts_and_usage_is_refused():
    header = HEADER + ["usage", "wrong_rate", "right_rate"]
    row = stormwater_rows()[0] + ["10", "1.00", "0.50"]
    assert problems_of(to_csv([row], header)) == [(2, "billed")]


def test_semicolons_and_quoted_line_breaks_keep_line_numbers_right():
    rows = stormwater_rows()[:3]
    for row in rows:  # a quoted mailing address on two lines
        row[3] = "PO Box 1\nFort Collins, CO"
    rows[2][9] = "not money"
    text = to_csv(rows).decode().replace(",", ";")
    found = problems_of(text.encode())
    # header line 1; each row takes two lines: 2-3, 4-5, 6-7
    assert found == [(6, "correct")]


def test_the_check_reports_how_far_it_is_and_can_be_stopped():
    from tests.incident_data import SYNTHETIC, synthetic_csv

    data = synthetic_csv(3000)  # 12,000 rows
    seen = []
    parse_incident_csv(data, SYNTHETIC, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) == 2 and seen == sorted(seen) and all(t == len(data.decode()) for _, t in seen)

    class Stop(Exception):
        pass

    def stop(done, total):
        raise Stop

    with pytest.raises(Stop):
        parse_incident_csv(data, SYNTHETIC, progress=stop)


def test_an_email_address_and_delivery_per_account_are_read_and_checked():
    imported = parse_incident_csv(stormwater_with_email_csv(), STORMWATER)
    assert not imported.problems and len(imported.accounts) == 74
    by_email = [a for a in imported.accounts if a.case.account.email]
    assert len(by_email) == 19
    assert all(a.case.account.delivery is Delivery.EMAIL and
               a.case.account.email == email_of_account(a.number) for a in by_email)
    rows = stormwater_rows()
    header = HEADER + ["email", "delivery"]
    bad = [row + ["", ""] for row in rows]
    bad[0][-2:] = ["pat at example", ""]  # line 2: not an address
    bad[1][-2:] = ["", "fax"]  # line 3: no such delivery
    first_of = {}
    for line, row in enumerate(bad, start=2):
        first_of.setdefault(row[0], line)
    other = next(r for r in bad if first_of[r[0]] > 3)
    other[-1] = "email"  # by email, without an address
    found = problems_of(to_csv(bad, header))
    assert (2, "email") in found and (3, "delivery") in found
    assert (first_of[other[0]], "email") in found
