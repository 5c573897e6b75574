"""Inline case@1 builders for tests: a valid case, overridden where a test cares."""

from __future__ import annotations

import copy
from typing import Any

from billing_desk.domain.caseformat import parse_case

BASE: dict[str, Any] = {
    "format": "billing-desk/case@1",
    "rule_pack": "fort-collins-26-721",
    "account": {
        "number": "100-2000-01",
        "customer_name": "Pat Example",
        "service_address": "215 N Mason St, Fort Collins, CO 80524",
        "mailing_address": "215 N Mason St, Fort Collins, CO 80524",
        "locale": "en_US",
        "current_customer": True,
    },
    "service": "water",
    "currency": "USD",
    "discovered_on": "2010-06-15",
    "evidence": {
        "customer_could_have_discovered": False,
        "documentation_available": True,
        "documentation_confirmed": True,
        "customer_concealed_error": False,
    },
    "periods": [{"start": "2010-01-01", "end": "2010-01-31", "billed": "50.00", "correct": "40.00"}],
}


def period(start: str, end: str, billed: str, correct: str, **extra: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "billed": billed, "correct": correct, **extra}


def case_json(*, periods: list[dict] | None = None, evidence: dict | None = None,
              account: dict | None = None, options: dict | None = None, **top: Any) -> dict:
    """A valid case@1 object; ``evidence``/``account`` entries are merged into the base."""
    data = copy.deepcopy(BASE)
    if periods is not None:
        data["periods"] = periods
    if evidence:
        data["evidence"].update(evidence)
    if account:
        data["account"].update(account)
    if options is not None:
        data["options"] = options
    data.update(top)
    return data


def make_case(**kw: Any):
    return parse_case(case_json(**kw))
