"""The ``billing-desk/case@1`` JSON format: parse, validate, write back.

:func:`parse_case` takes already-decoded JSON (or :func:`loads_case` takes the text) and
returns a :class:`~billing_desk.domain.case.Case` or raises :class:`CaseInvalid` carrying
*every* problem found, each with the path of its field (RULES.md §2). Nothing here reads
files; callers pass text or bytes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Callable

from .case import (
    CASE_FORMAT,
    CURRENCIES,
    Account,
    Case,
    Evidence,
    OccurredBasis,
    Options,
    Period,
    Reading,
    Service,
)
from .dates import DateProblem, parse_iso_date
from .limits import PERIODS
from .delivery import Delivery, delivery_problem, email_problem
from .money import parse_money_text
from .problems import CaseInvalid, Problem

#: RULES.md §1 locale; matched with ``fullmatch`` so that ``"en_US\n"`` is refused (§9)
LOCALE_PATTERN = re.compile(r"[a-z]{2}_[A-Z]{2}")

MONEY_MESSAGE = 'must be a non-negative decimal string with exactly 2 decimal places, e.g. "12.34"'
MISSING = "required field is missing"

TOP_KEYS = ("format", "rule_pack", "why", "cause", "options", "account", "service", "currency",
            "discovered_on", "made_known_on", "evidence", "periods")
TOP_REQUIRED = frozenset({"format", "rule_pack", "account", "service", "currency",
                          "discovered_on", "evidence", "periods"})
OPTION_KEYS = ("undercharge_reading", "minimal_threshold", "occurred_basis")
#: Billing Desk's documented extensions of ``account`` (docs/case-format.md): known keys
#: of the app's case@1, read and written by import, export and ``determine`` alike,
#: validated here, never used by the engine; a file without them is exactly RULES.md's
ACCOUNT_EXTENSION_KEYS = ("email", "delivery")
ACCOUNT_KEYS = ("number", "customer_name", "service_address", "mailing_address", "locale",
                "current_customer") + ACCOUNT_EXTENSION_KEYS
ACCOUNT_REQUIRED = frozenset({"number", "customer_name"})
EVIDENCE_KEYS = ("customer_could_have_discovered", "documentation_available",
                 "documentation_confirmed", "customer_concealed_error")
PERIOD_KEYS = ("start", "end", "bill_date", "billed", "correct", "note")
PERIOD_REQUIRED = frozenset({"start", "end", "billed", "correct"})


def _known_rule_packs() -> tuple[str, ...]:
    from .rulepacks import available_rule_packs  # late: rulepacks import this module's types

    return available_rule_packs()


class _Collector:
    """Reads one JSON object field by field, recording problems instead of raising."""

    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def obj(self, value: Any, path: str, keys: tuple[str, ...], required: frozenset[str]) -> dict | None:
        if not isinstance(value, dict):
            self.add(path or "$", "must be a JSON object")
            return None
        prefix = f"{path}." if path else ""
        for k in value:
            if k not in keys:
                self.add(f"{prefix}{k}", "unknown field")
        for k in keys:
            if k in required and value.get(k) is None:
                self.add(f"{prefix}{k}", MISSING)
        return value

    def string(self, value: Any, path: str, *, blank_ok: bool = True) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.add(path, "must be a string")
            return None
        if not blank_ok and not value.strip():
            self.add(path, "must not be blank")
            return None
        return value

    def boolean(self, value: Any, path: str) -> bool | None:
        if value is None:
            return None
        if not isinstance(value, bool):
            self.add(path, "must be true or false")
            return None
        return value

    def money(self, value: Any, path: str) -> Decimal | None:
        if value is None:
            return None
        amount = parse_money_text(value) if isinstance(value, str) else None
        if amount is None:
            self.add(path, MONEY_MESSAGE)
        return amount

    def date(self, value: Any, path: str) -> date | None:
        if value is None:
            return None
        try:
            return parse_iso_date(value)
        except DateProblem as e:
            self.add(path, str(e))
            return None

    def enum(self, value: Any, path: str, enum: Callable[[str], Any], allowed: tuple[str, ...]) -> Any:
        if value is None:
            return None
        if not isinstance(value, str) or value not in allowed:
            self.add(path, "must be one of: " + ", ".join(allowed))
            return None
        return enum(value)

    def literal(self, value: Any, path: str, allowed: tuple[str, ...]) -> str | None:
        if value is None:
            return None
        if value not in allowed:
            self.add(path, "must be " + " or ".join(f'"{a}"' for a in allowed))
            return None
        return value


def _values(enum: type) -> tuple[str, ...]:
    return tuple(m.value for m in enum)


def parse_case(data: Any) -> Case:
    """Validate decoded case@1 JSON and build the :class:`Case`; raise :class:`CaseInvalid`
    with every problem found (checks 7-12 of RULES.md §2 run once 1-6 are clean)."""
    c = _Collector()
    top = c.obj(data, "", TOP_KEYS, TOP_REQUIRED)
    if top is None:
        raise CaseInvalid(c.problems)

    c.literal(top.get("format"), "format", (CASE_FORMAT,))
    rule_pack = c.literal(top.get("rule_pack"), "rule_pack", _known_rule_packs())
    why = c.string(top.get("why"), "why")
    # an optional addition to case@1 (docs/case-file.md): what went wrong, for the letter
    cause = c.string(top.get("cause"), "cause")

    options = Options()
    raw_options = top.get("options")
    if raw_options is not None and c.obj(raw_options, "options", OPTION_KEYS, frozenset()) is not None:
        options = Options(
            undercharge_reading=c.enum(raw_options.get("undercharge_reading"),
                                       "options.undercharge_reading", Reading, _values(Reading)),
            minimal_threshold=c.money(raw_options.get("minimal_threshold"), "options.minimal_threshold"),
            occurred_basis=c.enum(raw_options.get("occurred_basis"), "options.occurred_basis",
                                  OccurredBasis, _values(OccurredBasis)),
        )

    account = None
    raw_account = top.get("account")
    if raw_account is not None and c.obj(raw_account, "account", ACCOUNT_KEYS, ACCOUNT_REQUIRED) is not None:
        number = c.string(raw_account.get("number"), "account.number", blank_ok=False)
        name = c.string(raw_account.get("customer_name"), "account.customer_name", blank_ok=False)
        service_address = c.string(raw_account.get("service_address"), "account.service_address")
        mailing_address = c.string(raw_account.get("mailing_address"), "account.mailing_address")
        locale = c.string(raw_account.get("locale"), "account.locale")
        if locale is not None and not LOCALE_PATTERN.fullmatch(locale):
            c.add("account.locale", 'must look like "en_US" (two lowercase letters, "_", two capitals)')
            locale = None
        current = c.boolean(raw_account.get("current_customer"), "account.current_customer")
        email, delivery = _parse_delivery(c, raw_account)
        if number is not None and name is not None:
            account = Account(number, name, service_address, mailing_address, locale, current,
                              email, delivery)

    service = c.enum(top.get("service"), "service", Service, _values(Service))
    currency = c.literal(top.get("currency"), "currency", CURRENCIES)
    discovered_on = c.date(top.get("discovered_on"), "discovered_on")
    made_known_on = c.date(top.get("made_known_on"), "made_known_on")

    evidence = None
    raw_evidence = top.get("evidence")
    if raw_evidence is not None and c.obj(raw_evidence, "evidence", EVIDENCE_KEYS,
                                          frozenset(EVIDENCE_KEYS)) is not None:
        flags = [c.boolean(raw_evidence.get(k), f"evidence.{k}") for k in EVIDENCE_KEYS]
        if all(f is not None for f in flags):
            evidence = Evidence(*flags)

    periods: list[Period | None] = []
    raw_periods = top.get("periods")
    if raw_periods is not None:
        if not isinstance(raw_periods, list):
            c.add("periods", "must be an array of periods")
        elif not raw_periods:
            c.add("periods", "must contain at least one period")
        elif len(raw_periods) > PERIODS:
            c.add("periods", f"has {len(raw_periods):,} periods; a case may have at most "
                             f"{PERIODS:,}")
        else:
            for i, raw in enumerate(raw_periods):
                periods.append(_parse_period(c, raw, f"periods[{i}]"))

    if c.problems:
        raise CaseInvalid(c.problems)

    assert account is not None and evidence is not None and discovered_on is not None
    assert rule_pack is not None and currency is not None and service is not None
    case = Case(
        rule_pack=rule_pack,
        account=account,
        service=service,
        currency=currency,
        discovered_on=discovered_on,
        evidence=evidence,
        periods=tuple(p for p in periods if p is not None),
        options=options,
        made_known_on=made_known_on,
        why=why,
        cause=cause,
    )
    problems = consistency_problems(case)
    if problems:
        raise CaseInvalid(problems)
    return case


def _parse_delivery(c: _Collector, raw_account: dict) -> tuple[str | None, Delivery | None]:
    """The extension fields ``account.email`` and ``account.delivery`` (issue 20)."""
    email = c.string(raw_account.get("email"), "account.email")
    if email is not None and (why := email_problem(email)) is not None:
        c.add("account.email", why)
        email = None
    raw_delivery = raw_account.get("delivery")
    delivery = c.enum(raw_delivery, "account.delivery", Delivery, _values(Delivery))
    if delivery is not None and raw_account.get("email") is None:
        why = delivery_problem(None, delivery)
        if why is not None:
            c.add("account.email", why)
    return email, delivery


def _parse_period(c: _Collector, raw: Any, path: str) -> Period | None:
    if c.obj(raw, path, PERIOD_KEYS, PERIOD_REQUIRED) is None:
        return None
    start = c.date(raw.get("start"), f"{path}.start")
    end = c.date(raw.get("end"), f"{path}.end")
    bill_date = c.date(raw.get("bill_date"), f"{path}.bill_date")
    billed = c.money(raw.get("billed"), f"{path}.billed")
    correct = c.money(raw.get("correct"), f"{path}.correct")
    note = c.string(raw.get("note"), f"{path}.note")
    if start is None or end is None or billed is None or correct is None:
        return None
    return Period(start, end, billed, correct, bill_date, note)


def consistency_problems(case: Case) -> list[Problem]:
    """Checks 7-12 of RULES.md §2 on a case whose fields are each well-formed."""
    problems: list[Problem] = []
    basis = case.options.basis
    discovered, made_known = case.discovered_on, case.made_known
    for i, p in enumerate(case.periods):
        if p.end < p.start:
            problems.append(Problem(f"periods[{i}].end", "must not be before start"))
        if basis is OccurredBasis.BILL_DATE and p.bill_date is None:
            problems.append(Problem(f"periods[{i}].bill_date",
                                    "required when options.occurred_basis is bill_date"))
        if p.start > discovered and p.start > made_known:
            problems.append(Problem(
                f"periods[{i}].start",
                "starts after both the discovery date and the made-known date: "
                "that is a current-bill correction, not a Sec. 26-721 matter"))
    # 10: sort by (start, index); a start on or before the largest end so far overlaps
    order = sorted(range(len(case.periods)), key=lambda k: (case.periods[k].start, k))
    latest_end: date | None = None
    for k in order:
        p = case.periods[k]
        if latest_end is not None and p.start <= latest_end:
            problems.append(Problem(f"periods[{k}].start", "overlaps another period"))
        if latest_end is None or p.end > latest_end:
            latest_end = p.end
    ev = case.evidence
    if ev.customer_concealed_error and not ev.customer_could_have_discovered:
        problems.append(Problem(
            "evidence.customer_could_have_discovered",
            "must be true when customer_concealed_error is true "
            "(a customer who hid the error knew of it)"))
    if ev.documentation_confirmed and not ev.documentation_available:
        problems.append(Problem(
            "evidence.documentation_confirmed",
            "cannot be true when documentation_available is false "
            "(there is nothing to confirm)"))
    return problems


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a case file")


class _Keys(dict):
    """A decoded JSON object that remembers the keys it was given more than once (the
    last value is kept, as ``json`` does, but the case is refused: domain/limits.py)."""

    __slots__ = ("repeated",)


def _object(pairs: list[tuple[str, Any]]) -> dict:
    obj = _Keys(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        obj.repeated = sorted({k for k, _ in pairs if k in seen or seen.add(k)})
    return obj


def _structure_problems(data: Any) -> list[Problem]:
    """Keys given twice (each at its own path) and nesting deeper than
    :data:`~.limits.JSON_DEPTH`, found walking the decoded document."""
    from .limits import JSON_DEPTH

    problems: list[Problem] = []
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if not isinstance(value, (dict, list)):
            continue
        if depth > JSON_DEPTH:
            problems.append(Problem(path or "$", f"nested more than {JSON_DEPTH} levels deep "
                                    "(objects and arrays within each other)"))
            continue
        if isinstance(value, dict):
            for key in getattr(value, "repeated", ()):
                problems.append(Problem(f"{path}.{key}" if path else key,
                                        "is given more than once; give each field once"))
            stack.extend((v, f"{path}.{k}" if path else k, depth + 1)
                         for k, v in reversed(value.items()))
        else:
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in reversed(list(enumerate(value))))
    return problems


def loads_case(text: str | bytes) -> Case:
    """Decode case@1 JSON text (or UTF-8 bytes) and :func:`parse_case` it. Unreadable text,
    bad JSON, NaN/Infinity or a non-object are reported at ``$``; so is a file over
    :data:`~.limits.CASE_FILE_BYTES`. A key given twice in an object is reported at its
    own path, and nesting past :data:`~.limits.JSON_DEPTH` where it goes deeper."""
    from .limits import CASE_FILE_BYTES, size_text

    size = len(text) if isinstance(text, (bytes, bytearray)) else len(text.encode("utf-8", "replace"))
    if size > CASE_FILE_BYTES:
        raise CaseInvalid([Problem("$", f"the file is larger than {size_text(CASE_FILE_BYTES)}, "
                                        "the most a case file may be")])
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as e:
            raise CaseInvalid([Problem("$", f"the file is not UTF-8 text (byte {e.start})")]) from None
    # RULES.md §9: one byte-order mark at the very start is ignored; anywhere else it is
    # a character like any other (and so, between JSON tokens, not valid JSON)
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_object)
    except json.JSONDecodeError as e:
        msg = ("unexpected byte-order mark (U+FEFF; one is allowed only at the very start)"
               if text[e.pos:e.pos + 1] == "\ufeff" else e.msg)
        raise CaseInvalid([Problem("$", f"not valid JSON: {msg} at line {e.lineno}, column {e.colno}")]) from None
    except ValueError as e:
        raise CaseInvalid([Problem("$", f"not valid JSON: {e}")]) from None
    except RecursionError:
        from .limits import JSON_DEPTH

        raise CaseInvalid([Problem("$", f"nested more than {JSON_DEPTH} levels deep (objects "
                                        "and arrays within each other)")]) from None
    structure = _structure_problems(data)
    if not structure:
        return parse_case(data)
    try:  # (every problem at once: the repeated keys, then whatever else is wrong)
        parse_case(data)
    except CaseInvalid as e:
        structure += [p for p in e.problems if p not in structure]
    raise CaseInvalid(structure)


def case_to_json(case: Case) -> dict[str, Any]:
    """The case as case@1 JSON (keys in the order of RULES.md §1, absent fields left out).
    ``parse_case(case_to_json(c)) == c`` for every valid case."""
    from .draft import CaseDraft  # the draft is the one writer of case@1 objects

    return CaseDraft.from_case(case).to_json()


def dumps_case(case: Case) -> str:
    """Canonical, human-readable case@1 text (UTF-8, two-space indent, trailing newline)."""
    return json.dumps(case_to_json(case), ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True, slots=True)
class CaseCheck:
    """Result of checking decoded JSON without raising: the case, or its problems."""

    case: Case | None
    problems: tuple[Problem, ...]


def check_case(data: Any) -> CaseCheck:
    try:
        return CaseCheck(parse_case(data), ())
    except CaseInvalid as e:
        return CaseCheck(None, e.problems)
