"""The case@1 validator: every problem reported, each at its field (RULES.md §2)."""

from __future__ import annotations

import json

import pytest

from billing_desk.domain.caseformat import case_to_json, check_case, loads_case, parse_case
from billing_desk.domain.problems import CaseInvalid
from tests.domain.builders import case_json, period
from tests.shared_cases import worked_cases


def problems_of(data) -> dict[str, str]:
    with pytest.raises(CaseInvalid) as e:
        parse_case(data)
    return {p.field: p.message for p in e.value.problems}


def one_period(**fields):
    p = period("2010-01-01", "2010-01-31", "50.00", "40.00")
    p.update(fields)
    return case_json(periods=[p])


@pytest.mark.parametrize("bad", ["2010-02-30", "2010-13-01", "2010-1-5", "20100105", "2010/01/05",
                                 "", " 2010-01-05", "1899-12-31", "3000-01-01", "2010-02-29"])
def test_malformed_dates_are_refused_at_their_field(bad):
    assert "periods[0].start" in problems_of(one_period(start=bad))


def test_non_string_date_is_refused():
    assert problems_of(case_json(discovered_on=20100105)) == {
        "discovered_on": "must be a date string YYYY-MM-DD"}


def test_end_before_start():
    assert problems_of(one_period(start="2010-02-01", end="2010-01-31")) == {
        "periods[0].end": "must not be before start"}


def test_overlapping_periods_name_the_later_one():
    data = case_json(periods=[period("2010-01-01", "2010-01-31", "1.00", "2.00"),
                              period("2010-03-01", "2010-03-31", "1.00", "2.00"),
                              period("2010-01-31", "2010-02-28", "1.00", "2.00")])
    assert problems_of(data) == {"periods[2].start": "overlaps another period"}


def test_adjacent_periods_do_not_overlap():
    data = case_json(periods=[period("2010-01-01", "2010-01-31", "1.00", "2.00"),
                              period("2010-02-01", "2010-02-28", "1.00", "2.00")])
    assert check_case(data).problems == ()


@pytest.mark.parametrize("amount", ["-1.00", "1.5", "1.005", "1e3", "abc", "01.00", "1,000.00",
                                    "$5.00", "1000000000.00", " 1.00", 12.5, 12, True, []])
def test_bad_amounts_are_refused_at_their_field(amount):
    msgs = problems_of(one_period(billed=amount))
    assert list(msgs) == ["periods[0].billed"]
    assert "exactly 2 decimal places" in msgs["periods[0].billed"]


@pytest.mark.parametrize("path,container", [
    ("periods[0].amount", "period"), ("account.phone", "account"), ("evidence.witness", "evidence"),
    ("options.rounding", "options"), ("extra", "top")])
def test_unknown_fields_are_refused_at_their_own_path(path, container):
    data = case_json(options={})
    key = path.rsplit(".", 1)[-1]
    target = {"period": data["periods"][0], "account": data["account"],
              "evidence": data["evidence"], "options": data["options"], "top": data}[container]
    target[key] = "x"
    assert problems_of(data) == {path: "unknown field"}


def test_every_problem_is_reported_not_just_the_first():
    data = case_json(periods=[period("2010-02-30", "2010-01-31", "1.5", "-2.00", colour="red")])
    data["account"]["customer_name"] = "   "
    data["service"] = "gas"
    del data["discovered_on"]
    data["evidence"]["documentation_available"] = "yes"
    msgs = problems_of(data)
    assert set(msgs) == {"periods[0].start", "periods[0].billed", "periods[0].correct",
                         "periods[0].colour", "account.customer_name", "service", "discovered_on",
                         "evidence.documentation_available"}
    assert msgs["account.customer_name"] == "must not be blank"
    assert msgs["service"] == "must be one of: electric, water, wastewater, stormwater"
    assert msgs["discovered_on"] == "required field is missing"
    assert msgs["evidence.documentation_available"] == "must be true or false"


def test_null_counts_as_absent():
    data = case_json(made_known_on=None, why=None, options=None)
    data["periods"][0].update(note=None, bill_date=None)
    assert check_case(data).problems == ()
    data["evidence"]["customer_concealed_error"] = None
    assert problems_of(data) == {"evidence.customer_concealed_error": "required field is missing"}


@pytest.mark.parametrize("field,value", [("periods", {}), ("evidence", []), ("account", "Pat"),
                                         ("options", 3)])
def test_wrong_container_type_is_reported_at_its_own_path(field, value):
    data = case_json()
    data[field] = value
    assert problems_of(data) == {field: "must be a JSON object" if field != "periods"
                                 else "must be an array of periods"}


def test_wrong_container_type_for_a_period():
    data = case_json()
    data["periods"].append("2010-02-01")
    assert "periods[1]" in problems_of(data)


def test_empty_periods():
    assert problems_of(case_json(periods=[])) == {"periods": "must contain at least one period"}


@pytest.mark.parametrize("locale", ["en", "EN_us", "en-US", "english", ""])
def test_bad_locale(locale):
    assert "account.locale" in problems_of(case_json(account={"locale": locale}))


def test_bill_date_required_under_bill_date_basis():
    assert problems_of(case_json(options={"occurred_basis": "bill_date"})) == {
        "periods[0].bill_date": "required when options.occurred_basis is bill_date"}


def test_bill_date_is_still_validated_under_service_days():
    assert "periods[0].bill_date" in problems_of(one_period(bill_date="2010-02-31"))


def test_period_starting_after_both_reference_dates_is_not_a_26_721_matter():
    data = case_json(discovered_on="2010-06-15", made_known_on="2010-06-20",
                     periods=[period("2010-06-21", "2010-07-20", "1.00", "2.00")])
    assert "periods[0].start" in problems_of(data)
    # ...but a period may end after them
    data["periods"][0]["start"] = "2010-06-20"
    assert check_case(data).problems == ()


def test_concealment_implies_could_have_discovered():
    data = case_json(evidence={"customer_concealed_error": True, "customer_could_have_discovered": False})
    assert list(problems_of(data)) == ["evidence.customer_could_have_discovered"]


def test_confirmed_documentation_must_exist():
    data = case_json(evidence={"documentation_available": False, "documentation_confirmed": True})
    assert list(problems_of(data)) == ["evidence.documentation_confirmed"]


def test_wrong_format_and_rule_pack():
    msgs = problems_of(case_json(format="billing-desk/case@2", rule_pack="colorado-puc-3402",
                                 currency="EUR"))
    assert msgs == {"format": 'must be "billing-desk/case@1"',
                    "rule_pack": 'must be "fort-collins-26-721"',
                    "currency": 'must be "USD"'}


def test_unknown_reading_lists_the_allowed_ones():
    assert problems_of(case_json(options={"undercharge_reading": "lenient"})) == {
        "options.undercharge_reading": "must be one of: ordinance, executive_summary, staff_practice"}


def test_optional_strings_must_be_strings_but_may_be_blank():
    assert check_case(case_json(why="", account={"service_address": ""})).problems == ()
    assert problems_of(case_json(account={"mailing_address": 42})) == {
        "account.mailing_address": "must be a string"}


def test_names_are_kept_exactly_as_given():
    case = parse_case(case_json(account={"number": " 100-2 ", "customer_name": "Peña Müller "}))
    assert case.account.number == " 100-2 " and case.account.customer_name == "Peña Müller "


@pytest.mark.parametrize("raw,needle", [
    (b"\xff\xfe{}", "not UTF-8"),
    (b"{\"format\": Infinity}", "Infinity"),
    (b"[]", "must be a JSON object"),
    (b"{,}", "not valid JSON"),
])
def test_unreadable_documents_are_reported_at_dollar(raw, needle):
    with pytest.raises(CaseInvalid) as e:
        loads_case(raw)
    assert e.value.problems[0].field == "$"
    assert needle in e.value.problems[0].message


def test_utf8_bom_is_accepted():
    text = "\ufeff" + json.dumps(case_json())
    assert loads_case(text.encode("utf-8")).account.number == "100-2000-01"


def test_error_json_shape():
    with pytest.raises(CaseInvalid) as e:
        parse_case(case_json(service="gas"))
    assert e.value.to_json() == {"format": "billing-desk/error@1", "errors": [
        {"field": "service", "message": "must be one of: electric, water, wastewater, stormwater"}]}


@pytest.mark.parametrize("path", [p for p in worked_cases() if not p.name.startswith("bad-")],
                         ids=lambda p: p.stem)
def test_worked_cases_round_trip_exactly(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    case = loads_case(path.read_bytes())
    written = case_to_json(case)

    def drop_nulls(v):
        if isinstance(v, dict):
            return {k: drop_nulls(x) for k, x in v.items() if x is not None}
        if isinstance(v, list):
            return [drop_nulls(x) for x in v]
        return v

    assert written == drop_nulls(raw)
    assert parse_case(written) == case


# --- RULES.md §9 clarifications ---------------------------------------------------------

@pytest.mark.parametrize("field,value", [
    ("discovered_on", "2010-05-01\n"), ("made_known_on", "2010-06-15\n"),
    ("periods[0].start", "2010-01-01\n"), ("periods[0].bill_date", "2010-02-05\n"),
    ("periods[0].billed", "50.00\n"), ("periods[0].correct", "40.00\n"),
    ("options.minimal_threshold", "25.00\n"), ("account.locale", "en_US\n"),
    ("periods[0].billed", "50.00\r\n"), ("discovered_on", "2010-05-01\x00"),
])
def test_every_pattern_matches_the_whole_string(field, value):
    data = case_json(options={})
    head, _, key = field.rpartition(".")
    target = {"": data, "options": data["options"], "account": data["account"],
              "periods[0]": data["periods"][0]}[head]
    target[key] = value
    msgs = problems_of(data)
    assert list(msgs) == [field]


def test_a_trailing_newline_is_refused_through_the_json_text_too():
    text = json.dumps(case_json(discovered_on="2010-05-01\n", periods=[
        period("2010-01-01", "2010-01-31", "50.00\n", "40.00")]))
    with pytest.raises(CaseInvalid) as e:
        loads_case(text)
    assert {p.field for p in e.value.problems} == {"discovered_on", "periods[0].billed"}


def test_a_bom_only_at_the_very_start_is_ignored():
    body = json.dumps(case_json()).encode("utf-8")
    bom = "\ufeff".encode("utf-8")
    assert loads_case(bom + body).account.number == "100-2000-01"
    for raw in (bom + bom + body, b" " + bom + body, body[:1] + bom + body[1:]):
        with pytest.raises(CaseInvalid) as e:
            loads_case(raw)
        assert [p.field for p in e.value.problems] == ["$"]
        assert "byte-order mark" in e.value.problems[0].message


def test_a_bom_inside_a_value_is_just_a_character():
    data = case_json(account={"number": "\ufeff100-2000-01"})
    text = json.dumps(data, ensure_ascii=False).encode("utf-8")
    assert loads_case(text).account.number == "\ufeff100-2000-01"
    assert "discovered_on" in problems_of(case_json(discovered_on="\ufeff2010-06-15"))


def test_overlap_is_reported_together_with_end_before_start():
    data = case_json(periods=[period("2010-05-10", "2010-05-01", "1.00", "2.00"),
                              period("2010-05-05", "2010-05-31", "1.00", "2.00")])
    assert problems_of(data) == {"periods[0].end": "must not be before start",
                                 "periods[0].start": "overlaps another period"}


def test_checks_7_to_12_are_all_reported_at_once():
    data = case_json(discovered_on="2010-06-15", options={"occurred_basis": "bill_date"},
                     evidence={"customer_concealed_error": True, "customer_could_have_discovered": False,
                               "documentation_available": False, "documentation_confirmed": True},
                     periods=[period("2010-03-10", "2010-03-01", "1.00", "2.00"),
                              period("2010-03-05", "2010-03-31", "1.00", "2.00", bill_date="2010-04-01"),
                              period("2010-07-01", "2010-07-31", "1.00", "2.00", bill_date="2010-08-01")])
    assert set(problems_of(data)) == {
        "periods[0].end", "periods[0].bill_date", "periods[0].start", "periods[2].start",
        "evidence.customer_could_have_discovered", "evidence.documentation_confirmed"}


def test_a_document_nested_too_deeply_is_reported_at_dollar():
    with pytest.raises(CaseInvalid) as e:
        loads_case(b"[" * 100_000)
    assert [(p.field, p.message) for p in e.value.problems] == [
        ("$", "nested more than 16 levels deep (objects and arrays within each other)")]
