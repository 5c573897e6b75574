"""A case's history in sentences: each audit entry as what happened ("Submitted for
approval by akim (fingerprint 3f9a0c12…)") and what changed ("Period 3: billed $131.00 →
$100.00"), read from the entry's before/after JSON -- never the JSON itself. Money,
dates and times are written as everywhere in the app (ui/formatting.py).

Every action the store records has its sentence: the case's (create, edit, an edit that
voids an approval or withdraws a submission, notes, assign, and each workflow step:
submit, approve, return, reopen, issue, close, void), its attachments' (attach, detach),
its determinations' and documents' (determine, issue, print, reprint, save), and the
file's own (users, sign-ins, settings), should a view of the whole file show them. An
action this module does not know is still shown, by its name, with its changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Mapping

from ..domain.draft import DEFAULT_RULE_PACK
from ..domain.rulepacks import get_rule_pack
from ..issuing.period_changes import period_changes
from ..store.audit import DETAILS
from ..store.timestamps import parse_utc
from .case_editor import BASIS_LABELS, EVIDENCE_LABELS, LOCALES
from .determination_panel import OUTCOME_TEXT
from .formatting import KIND_LABELS, date_text, money, period_text, time_text

#: the case fields that are bookkeeping, not news (the entry's who and when say it)
_QUIET = frozenset({"revision", "updated_at", "created_at", "last_edited_by", "prepared_by",
                    "case_number", "format", DETAILS})
_ACCOUNT = {"number": "Account number", "customer_name": "Customer name",
            "service_address": "Service address", "mailing_address": "Mailing address",
            "locale": "Letter language", "current_customer": "Current customer"}
_OPTIONS = {"undercharge_reading": "Reading of (a)(2)", "minimal_threshold": "Minimal threshold",
            "occurred_basis": "Occurred by"}
_PERIOD = (("start", "start"), ("end", "end"), ("bill_date", "bill date"), ("billed", "billed"),
           ("correct", "correct"), ("note", "note"))
_FIELDS = {"service": "Service", "discovered_on": "Discovered on", "made_known_on": "Made known on",
           "notes": "Notes", "why": "Commentary", "rule_pack": "Rules", "currency": "Currency",
           "status": "Status", "status_reason": "Reason", "assignee": "Assigned to"}
_ROLES = {"clerk": "clerk", "supervisor": "supervisor", "administrator": "administrator"}


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One audit entry in words: ``what`` happened (a sentence naming who did it) and the
    ``changes`` it made, one sentence each."""

    what: str
    changes: tuple[str, ...] = ()


def describe_entry(action: str, entity: str, actor: str, before: dict | None,
                   after: dict | None, entity_id: str = "") -> HistoryLine:
    """The sentences of one audit entry: its ``action`` on ``entity`` (``entity_id``: a
    user's login, a setting's key) by ``actor``."""
    before, after = before or {}, after or {}
    describe = _ENTITIES.get(entity)
    if describe is not None:
        line = describe(action, actor, before, after, str(entity_id))
        if line is not None:
            return line
    return HistoryLine(f"{_words(action).capitalize()} by {actor}",
                       tuple(_changes(before, after)) or tuple(_plain(before, after)))


# -- the case -----------------------------------------------------------------------------

def _case(action: str, actor: str, before: dict, after: dict, entity_id: str) -> HistoryLine | None:
    details = after.get(DETAILS) or {}
    changes = _changes(before, after)
    if action == "create":
        return HistoryLine(f"Case {after.get('case_number', '')} created by {actor}".replace("  ", " "),
                           tuple(_created(after)))
    if action == "edit":
        return HistoryLine(f"Edited by {actor}", tuple(changes))
    if action.startswith("edit, "):  # the edit of a submitted or approved case (store/cases.py)
        what = _words(action.partition(", ")[2])
        return HistoryLine(f"Edited by {actor}; {what}: the case changed after that, so it is a "
                           "draft again", tuple(c for c in changes if not c.startswith(("Status:", "Reason:"))))
    if action == "notes":
        return HistoryLine(f"Notes changed by {actor}", (_notes(after.get("notes")),))
    if action == "assign":
        who = after.get("assignee")
        return HistoryLine(f"Assigned to {who} by {actor}" if who else f"Unassigned by {actor}")
    if action == "submit":
        again = "again " if before.get("status") == "returned" else ""
        return HistoryLine(f"Submitted {again}for approval by {actor}{_fingerprint(after.get('submitted'))}",
                           tuple(c for c in changes if not c.startswith(("Status:", "Reason:"))))
    if action == "approve":
        extra = [c for c in changes if not c.startswith("Status:")]
        return HistoryLine(f"Approved by {actor}{_fingerprint(after.get('approved'))}", tuple(extra))
    if action == "return":
        return HistoryLine(f"Returned to the clerk by {actor}: “{after.get('status_reason') or ''}”")
    if action == "reopen":
        return HistoryLine(f"Reopened as a draft by {actor}")
    if action == "close":
        return HistoryLine(f"Closed by {actor}")
    if action == "void":
        return HistoryLine(f"Voided by {actor}: “{after.get('status_reason') or ''}”")
    if action == "issue":
        return _issued(actor, details)
    return None


def _created(after: dict) -> list[str]:
    """What a new case held when it was made (an import, the demo: more than nothing)."""
    out = []
    account = after.get("account") or {}
    if account.get("number") or account.get("customer_name"):
        out.append(f"Account {account.get('number') or '(none)'}, "
                   f"{account.get('customer_name') or '(no name)'}")
    periods = after.get("periods") or []
    if periods:
        out.append(f"{len(periods)} billing period{'s' if len(periods) != 1 else ''}")
    if after.get("assignee"):
        out.append(f"Assigned to {after['assignee']}")
    return out


def _issued(actor: str, details: Mapping) -> HistoryLine:
    docs = details.get("documents") or []
    named = ", ".join(f"{_kind(d.get('kind'))} (issue {d.get('issue_number')}, "
                      f"{_pages(d.get('page_count'))})" for d in docs)
    changes = []
    rendered = details.get("rendered_from") or {}
    if rendered.get("issue_date"):
        changes.append(f"Dated {_date(rendered['issue_date'])}")
    determination = details.get("determination") or {}
    if determination:
        changes.append(_totals(determination))
    if details.get("fingerprint"):
        changes.append(f"Fingerprint {_short_hash(details['fingerprint'])}")
    return HistoryLine(f"Documents issued by {actor}: {named}" if named else f"Documents issued by {actor}",
                       tuple(changes))


# -- attachments, determinations, documents ------------------------------------------------

def _attachment(action: str, actor: str, before: dict, after: dict, entity_id: str) -> HistoryLine | None:
    if action == "attach":
        return HistoryLine(f"Attached {after.get('original_name')} by {actor}",
                           (f"{after.get('media_type')}, {_size(after.get('size'))}; SHA-256 "
                            f"{after.get('sha256')}",))
    if action == "detach":
        return HistoryLine(f"Attachment {before.get('original_name')} removed by {actor}",
                           (f"SHA-256 {before.get('sha256')}",))
    return None


def _determination(action: str, actor: str, before: dict, after: dict, entity_id: str) -> HistoryLine | None:
    if action == "determine":
        return HistoryLine(f"Determination recorded by {actor}{_fingerprint(after)}",
                           (_totals(after),))
    return None


def _document(action: str, actor: str, before: dict, after: dict, entity_id: str) -> HistoryLine | None:
    kind = f"{_kind(after.get('kind'))} (issue {after.get('issue_number')})"
    if action == "issue":
        return HistoryLine(f"{kind} stored by {actor}", (
            f"{_pages(after.get('page_count'))}; SHA-256 {_short_hash(after.get('sha256'))}",))
    if action == "print":
        return HistoryLine(f"{kind} printed by {actor}")
    if action == "reprint":
        return HistoryLine(f"{kind} printed again by {actor}, as a copy stamped COPY",
                           (f"The copy's SHA-256 {_short_hash(after.get('copy_sha256'))}",))
    if action == "save":
        return HistoryLine(f"{kind} saved as a PDF file by {actor}: {after.get('file_name')}")
    return None


# -- the file's own entries ----------------------------------------------------------------

def _user(action: str, actor: str, before: dict, after: dict, entity_id: str) -> HistoryLine | None:
    login = after.get("login") or before.get("login") or entity_id
    if action == "add":
        limit = f", approves up to {_money(after['approval_limit'])}" if after.get("approval_limit") else ""
        return HistoryLine(f"User {login} ({after.get('name')}, {_ROLES.get(after.get('role'), after.get('role'))}"
                           f"{limit}) added by {actor}")
    if action == "set_password":
        if after.get("public_key"):  # (set by an administrator: a new signing key with it)
            return HistoryLine(f"Password of {login} set by {actor}, with a new signing key "
                               f"({after['public_key'][:8]}…)")
        return HistoryLine(f"Password of {login} changed by {actor}")
    if action == "enrol_key":
        return HistoryLine(f"Signing key of {login} made when they signed in "
                           f"({after.get('public_key', '')[:8]}…)")
    verbs = {"disable": "disabled", "enable": "enabled", "set_role": "given another role",
             "set_limit": "given another approval limit"}
    if action in verbs:
        return HistoryLine(f"User {login} {verbs[action]} by {actor}", tuple(_plain(before, after)))
    return None


def _sign_in(action: str, actor: str, before: dict, after: dict, entity_id: str) -> HistoryLine | None:
    if action == "sign_in":
        n = before.get("failures", 0)
        return HistoryLine(f"{actor} signed in after {n} failed attempt{'s' if n != 1 else ''}")
    if action == "sign_in_failed":
        n = after.get("failures", 0)
        return HistoryLine(f"A sign-in as {entity_id or 'an unknown login'} failed ({n} in a row)")
    return None


def _setting(action: str, actor: str, before: dict, after: dict, entity_id: str) -> HistoryLine | None:
    if action == "set":
        return HistoryLine(f"Setting {_words(entity_id)} changed by {actor}", tuple(_plain(before, after)))
    return None


def _incident(action: str, actor: str, before: dict, after: dict, entity_id: str) -> HistoryLine | None:
    from ..domain.incident import incident_number_for  # incidents load when first shown

    d = after.get(DETAILS) or {}
    name = after.get("incident_number") or (
        incident_number_for(int(entity_id)) if entity_id.isdigit() else "An incident")
    if action == "create":
        return HistoryLine(
            f"{name} created by {actor} from {after.get('source', {}).get('name')}", (
                f"{d.get('cases')} cases, {d.get('first_case')} to {d.get('last_case')}",
                f"Refunds {_money(d.get('refund_total'))}, back-bills "
                f"{_money(d.get('back_bill_total'))}",
                f"Discovered on {_date(after.get('discovered_on'))}; {after.get('description')}"))
    if action == "override":
        changes = [f"{_words(k).capitalize()}: {_yes_no(d.get('evidence_before', {}).get(k))} "
                   f"\u2192 {_yes_no(v)}"
                   for k, v in (d.get("evidence_after") or {}).items()
                   if (d.get("evidence_before") or {}).get(k) != v]
        changes.append(f"Reason: {d.get('reason')}")
        if d.get("approval_voided"):
            changes.append("Its approval was withdrawn")
        return HistoryLine(f"Evidence of {d.get('case')} in {name} changed by "
                           f"{actor}", tuple(changes))
    if action == "submit":
        return HistoryLine(f"{name} submitted for approval by {actor}",
                           (f"{d.get('cases')} cases submitted",))
    if action == "sample":
        return HistoryLine(f"A review sample of {name} drawn by {actor}", (
            f"{d.get('sample_size')} of {d.get('listed')} cases, seed {d.get('seed')}",
            "Sampled: " + ", ".join(str(number) for number, _ in d.get("sample") or [])))
    if action == "approve":
        ack = ("; the sample's disagreement was acknowledged"
               if d.get("divergence_acknowledged") else "")
        return HistoryLine(f"{name} approved by {actor}{ack}", (
            f"{d.get('cases')} cases; refunds {_money(d.get('refund_total'))}, back-bills "
            f"{_money(d.get('back_bill_total'))}",))
    return None


def _bills_issued(action: str, actor: str, before: dict, after: dict, entity_id: str) -> HistoryLine | None:
    d = after.get(DETAILS) or {}
    lines = []
    for key in sorted(k for k in {*before, *after} if k != DETAILS):
        year, _, service = key.partition(" ")
        what = f"Bills issued in {year}, {'all services' if service == 'all' else service}"
        old, new = before.get(key), after.get(key)
        if old is None:
            lines.append(f"{what}: {new:,}")
        elif new is None:
            lines.append(f"{what}: {old:,} removed")
        else:
            lines.append(f"{what}: {old:,} \u2192 {new:,}")
    if action == "import":
        refused = d.get("refused_rows") or 0
        source = d.get("file") or "a CSV file"
        left = f" ({refused} refused row{'s' if refused != 1 else ''} left out)" if refused else ""
        return HistoryLine(f"Bills issued imported from {source} by {actor}{left}", tuple(lines))
    return HistoryLine(f"Bills issued ({entity_id}) changed by {actor}", tuple(lines))


_NOTICE_DONE = {"sent": "accepted by the mail server", "failed": "refused by the mail server",
                "failed, will retry": "not accepted yet; it will be tried again",
                "uncertain": "perhaps sent (no answer came): it waits for a person"}


def _notice(action: str, actor: str, before: dict, after: dict, entity_id: str) -> HistoryLine | None:
    name = f"Email notice #{entity_id}"
    reply = after.get("server_reply")
    said = (f"The server said: {reply}",) if reply else ()
    if action == "queue":
        return HistoryLine(f"{name} queued for {after.get('to')} by {actor}",
                           (f"The letter, SHA-256 {_short_hash(after.get('document_sha256'))}; "
                            f"Message-ID {after.get('message_id')}",))
    if action == "sending":
        copy = " (as a copy)" if after.get("copy") else ""
        return HistoryLine(f"{name} handed to the mail server{copy}, attempt "
                           f"{after.get('attempt')}, by {actor}")
    if action == "uncertain":
        why = (after.get("reason"),) if after.get("reason") else said
        return HistoryLine(f"{name} {_NOTICE_DONE[action]}", tuple(why))
    if action in _NOTICE_DONE:
        retry = (f"Next attempt {_time(after['next_attempt_at'])}",) if after.get(
            "next_attempt_at") else ()
        return HistoryLine(f"{name} {_NOTICE_DONE[action]}", said + retry)
    if action == "late answer":
        return HistoryLine(f"A late answer about email notice #{entity_id} kept (the notice "
                           "had moved on)", said)
    note = (f"Note: {after['note']}",) if after.get("note") else ()
    if action == "marked as sent":
        return HistoryLine(f"{name} marked as sent by {actor}", note)
    if action == "resend as copy":
        return HistoryLine(f"{name} to be sent again as a copy, by {actor}", note)
    if action == "retry":
        return HistoryLine(f"{name} queued again by {actor}", note)
    return None


def _yes_no(value: Any) -> str:
    return {True: "yes", False: "no", None: "not recorded"}.get(value, str(value))


_ENTITIES: dict[str, Callable[[str, str, dict, dict, str], HistoryLine | None]] = {
    "case": _case, "attachment": _attachment, "determination": _determination,
    "document": _document, "user": _user, "sign_in": _sign_in, "setting": _setting,
    "incident": _incident, "bills_issued": _bills_issued, "notice": _notice,
}


# -- the changes to a case's fields --------------------------------------------------------

def _changes(before: dict, after: dict) -> list[str]:
    out: list[str] = []
    for key in sorted(set(before) | set(after), key=_field_order):
        if key in _QUIET:
            continue
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key == "account":
            out += _sub_changes(old, new, _ACCOUNT, _account_value)
        elif key == "options":
            out += _sub_changes(old, new, _OPTIONS, _option_value)
        elif key == "evidence":
            out += _evidence(old or {}, new or {})
        elif key == "periods":
            out += _periods(old, new)
        elif key in ("submitted", "approved"):
            out += _signature(key, old, new)
        elif key == "divergence_acknowledged":
            out.append("The divergence between the readings of 26-721(a)(2) acknowledged" if new
                       else "The acknowledgement of the divergence between the readings withdrawn")
        elif key == "notes":
            out.append(_notes(new))
        else:
            out.append(f"{_FIELDS.get(key, _words(key).capitalize())}: {_value(key, old)} → {_value(key, new)}")
    return out


_ORDER = ("status", "status_reason", "assignee", "account", "service", "discovered_on",
          "made_known_on", "evidence", "options", "periods", "notes")


def _field_order(key: str) -> tuple[int, str]:
    return (_ORDER.index(key) if key in _ORDER else len(_ORDER), key)


def _sub_changes(old: dict | None, new: dict | None, names: Mapping[str, str],
                 value: Callable[[str, Any], str]) -> list[str]:
    old, new = old or {}, new or {}
    return [f"{names.get(k, _words(k).capitalize())}: {value(k, old.get(k))} → {value(k, new.get(k))}"
            for k in list(names) + sorted((set(old) | set(new)) - set(names))
            if old.get(k) != new.get(k)]


def _evidence(old: dict, new: dict) -> list[str]:
    out = []
    for key, text in EVIDENCE_LABELS.items():
        if bool(old.get(key)) != bool(new.get(key)):
            out.append(f"{'Ticked' if new.get(key) else 'Unticked'}: {text}")
    return out


def _periods(old: Any, new: Any) -> list[str]:
    """Period by period: "Period 3: billed $131.00 → $100.00", "Period 4 added: …"."""
    out = []
    for change in period_changes(old, new):  # (the whole lists, or a patch: store/audit.py)
        k, a, b = change.index, change.before, change.after
        if a is None and b is not None:
            out.append(f"Period {k + 1} added: {_period(b)}")
        elif b is None:
            out.append(f"Period {k + 1} removed: {_period(a)}")
        else:
            out.append(f"Period {k + 1}: " + "; ".join(
                f"{name} {_period_value(f, a.get(f))} → {_period_value(f, b.get(f))}"
                for f, name in _PERIOD if a.get(f) != b.get(f)))
    return out


def _period(p: dict | None) -> str:
    p = p or {}
    parts = []
    if p.get("start") or p.get("end"):
        parts.append(period_text(_as_date(p.get("start")), _as_date(p.get("end"))))
    for f, name in _PERIOD[2:]:
        if p.get(f) is not None:
            parts.append(f"{name} {_period_value(f, p[f])}")
    return ", ".join(parts) or "empty"


def _period_value(field: str, value: Any) -> str:
    if value is None:
        return "(empty)"
    if field in ("start", "end", "bill_date"):
        return _date(value)
    if field in ("billed", "correct"):
        return _money(value)
    return f"“{value}”"


def _signature(key: str, old: dict | None, new: dict | None) -> list[str]:
    noun = "submission" if key == "submitted" else "approval"
    if new is None and old:
        return [f"The {noun} by {old.get('login')} of {_time(old.get('at'))} no longer holds"]
    return []  # (a signature given is the entry's headline)


def _notes(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        return "Notes emptied"
    short = text if len(text) <= 120 else text[:117] + "…"
    return f"Notes now: “{short}”"


# -- values --------------------------------------------------------------------------------

def _value(key: str, value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if key in ("discovered_on", "made_known_on"):
        return _date(value)
    if key == "service":
        return str(value).capitalize()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return f"“{value}”" if key in ("status_reason", "why") else value
    return _short(value)


def _account_value(key: str, value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if key == "locale":
        return dict(LOCALES).get(value, value)
    if key == "current_customer":
        return "yes" if value else "no"
    return str(value).replace("\n", ", ")


def _option_value(key: str, value: Any) -> str:
    if value is None:
        return "(default)"
    if key == "minimal_threshold":
        return _money(value)
    if key == "undercharge_reading":
        readings = get_rule_pack(DEFAULT_RULE_PACK).readings
        return readings[value].title if value in readings else str(value)
    if key == "occurred_basis":
        return next((text for basis, (text, _) in BASIS_LABELS.items() if basis.value == value), str(value))
    return str(value)


def _totals(d: Mapping) -> str:
    outcome = next((text for o, text in OUTCOME_TEXT.items() if o.value == d.get("outcome")),
                   d.get("outcome") or "")
    return (f"{outcome}: refund {_money(d.get('refund_total'))}, back bill "
            f"{_money(d.get('back_bill_total'))}")


def _money(text: Any) -> str:
    try:
        return money(Decimal(str(text)))
    except (InvalidOperation, ValueError):
        return str(text)


def _as_date(text: Any) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _date(text: Any) -> str:
    d = _as_date(text)
    return date_text(d) if d is not None else str(text)


def _time(text: Any) -> str:
    try:
        return time_text(parse_utc(text)) if isinstance(text, str) else "?"
    except ValueError:
        return str(text)


def _fingerprint(signature: Mapping | None) -> str:
    fingerprint = (signature or {}).get("fingerprint")
    return f" (fingerprint {_short_hash(fingerprint)})" if fingerprint else ""


def _short_hash(text: Any) -> str:
    return f"{text[:8]}…" if isinstance(text, str) and len(text) > 8 else str(text)


def _kind(kind: Any) -> str:
    return KIND_LABELS.get(kind, _words(str(kind)).capitalize())


def _pages(n: Any) -> str:
    return f"{n} page{'s' if n != 1 else ''}"


def _size(n: Any) -> str:
    return f"{n:,} bytes" if isinstance(n, int) else str(n)


def _words(code: str) -> str:
    return code.replace("_", " ")


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _plain(before: dict, after: dict) -> list[str]:
    """Any other entry's fields, each as "name: old → new"."""
    def value(k: str, v: Any) -> str:
        return _money(v) if k == "approval_limit" and v is not None else _value(k, v)

    return [f"{_words(k).capitalize()}: {value(k, before.get(k))} → {value(k, after.get(k))}"
            for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]


def entry_time(at: datetime) -> str:
    """When, for the history's first column: local time, to the second."""
    return time_text(at, seconds=True)

