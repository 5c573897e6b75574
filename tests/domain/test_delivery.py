"""The customer's email address and delivery preference: Billing Desk's extension of
case@1's ``account`` (docs/case-format.md). Optional and backward compatible: a file
without them is exactly RULES.md's and determines exactly as before; with them, the
determination is the same; a bad address is a problem naming ``account.email``."""

from __future__ import annotations

import json

import pytest

from billing_desk.domain.caseformat import (ACCOUNT_EXTENSION_KEYS, case_to_json, check_case,
                                            dumps_case, loads_case, parse_case)
from billing_desk.domain.delivery import Delivery, by_email, by_paper, email_problem
from billing_desk.domain.draft import AccountDraft, CaseDraft
from billing_desk.domain.rulepacks import get_rule_pack
from tests.shared_cases import worked_cases

from .builders import case_json, make_case


@pytest.mark.parametrize("address", ["pat@example.com", "Pat.Example+bills@mail.fcgov.com",
                                     "o'brien@example.co.uk", "x@xn--bcher-kva.example"])
def test_ordinary_addresses_are_accepted(address):
    assert email_problem(address) is None


@pytest.mark.parametrize("address,why", [
    ("", "blank"), (" pat@example.com", "space"), ("pat@example.com\n", "space"),
    ("pat @example.com", "spaces"), ("pat@example.com, eve@example.com", "one address"),
    ("pat@example.com;eve@example.com", "one address"), ("Pat <pat@example.com>", "one address"),
    ("patexample.com", "exactly one @"), ("pat@@example.com", "exactly one @"),
    ("@example.com", "before the @"), ("pat@", "domain"), ("pat@localhost", "full domain"),
    ("pat..x@example.com", "out of place"), ("pat@exa_mple.com", "not valid"),
    ("pat@example.c", "not valid"), ("josé@example.com", "plain letters"),
    ("p" * 65 + "@example.com", "64"),
])
def test_an_address_that_is_not_one_usable_mailbox_says_why(address, why):
    assert why in email_problem(address)


def test_the_preference_says_which_channels():
    assert (by_paper(None), by_email(None)) == (True, False)  # default: paper
    assert (by_paper(Delivery.EMAIL), by_email(Delivery.EMAIL)) == (False, True)
    assert (by_paper(Delivery.BOTH), by_email(Delivery.BOTH)) == (True, True)


def test_the_extension_round_trips_and_is_left_out_when_absent():
    data = case_json(account={"email": "pat@example.com", "delivery": "both"})
    case = parse_case(data)
    assert (case.account.email, case.account.delivery) == ("pat@example.com", Delivery.BOTH)
    assert case_to_json(case) == data
    assert json.loads(dumps_case(case))["account"]["delivery"] == "both"
    plain = make_case()
    assert set(case_to_json(plain)["account"]).isdisjoint(ACCOUNT_EXTENSION_KEYS)
    assert plain.account.effective_delivery is Delivery.PAPER


@pytest.mark.parametrize("account,field,message", [
    ({"email": "pat at example.com"}, "account.email", "spaces"),
    ({"email": 12}, "account.email", "must be a string"),
    ({"delivery": "fax"}, "account.delivery", "paper, email, both"),
    ({"delivery": "email"}, "account.email", "required when notices go out by email"),
    ({"delivery": "both"}, "account.email", "required when notices go out by both"),
])
def test_bad_delivery_fields_are_problems_naming_the_field(account, field, message):
    problems = check_case(case_json(account=account)).problems
    assert [(p.field, message in p.message) for p in problems] == [(field, True)]


def test_rules_md_fields_behave_exactly_as_before_with_or_without_the_extension():
    """Every worked case: the same determination with the extension added, and the
    same problems for the bad ones (an unknown key is still an error, RULES.md §1)."""
    pack = get_rule_pack("fort-collins-26-721")
    for path in worked_cases():
        data = json.loads(path.read_text(encoding="utf-8"))
        extended = json.loads(json.dumps(data))
        if isinstance(extended.get("account"), dict):
            extended["account"].update(email="pat@example.com", delivery="email")
        plain, more = check_case(data), check_case(extended)
        if plain.case is None:
            assert more.problems == plain.problems, path.name
            continue
        assert pack.determine(more.case).to_json() == pack.determine(plain.case).to_json(), path.name
    assert [p.field for p in check_case(case_json(account={"emails": "x"})).problems] == [
        "account.emails"]


def test_a_draft_carries_the_fields_and_the_validator_points_at_them():
    draft = CaseDraft.from_case(make_case(account={"email": "pat@example.com",
                                                   "delivery": "email"}))
    assert draft.account.email == "pat@example.com" and draft.check().case is not None
    bad = CaseDraft.from_case(make_case())
    from dataclasses import replace

    bad = replace(bad, account=replace(bad.account, delivery=Delivery.EMAIL))
    assert [p.field for p in bad.check().problems] == ["account.email"]
    assert AccountDraft("1", "Pat").to_json() == {"number": "1", "customer_name": "Pat"}


def test_an_old_file_without_the_fields_loads_as_written():
    for path in worked_cases():
        if path.name.startswith("bad-"):
            continue
        text = path.read_bytes()
        case = loads_case(text)
        assert case.account.email is None and case.account.delivery is None
        written = dumps_case(case)
        assert loads_case(written) == case
        assert set(json.loads(written)["account"]).isdisjoint(ACCOUNT_EXTENSION_KEYS)
