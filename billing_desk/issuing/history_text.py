"""A case's audit entries as sentences a supervisor or an auditor reads: "Edited: period
3: billed $131.00 → $100.00", "Returned to the clerk: ...", "Issued the letter no. 12 and
credit memo no. 3" -- amounts as money, dates as dates, in the words of the summary's
language (resources/locales/*/documents.toml, ``summary.history`` and
``summary.fields``). Who and when are the entry's own (the summary prints them in
columns of their own). Used by the case summary; Qt-free.

The entries' layout is the store's (billing_desk/store/audit.py): a case's creation
holds the whole case, each later entry the fields that changed (a list of periods
changed in a few items as a patch), a workflow step its bookkeeping, and an issue its
details; attachments, determinations and documents have entries of their own.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Callable, Mapping

from ..documents.wording import Wording
from ..store import AuditEntry
from ..store.audit import DETAILS, PATCH
from .period_changes import period_changes

#: the fields of a case's state that say how it moved, not what it says: a workflow
#: step's sentence covers them
_BOOKKEEPING = frozenset({"revision", "updated_at", "status", "submitted", "approved",
                          "status_reason", "last_edited_by", "divergence_acknowledged",
                          "created_at", "prepared_by", "case_number"})
#: the nested objects of a case@1 case, whose members are named on their own
_NESTED = ("account", "evidence", "options")
_MONEY = frozenset({"minimal_threshold", "billed", "correct"})
_DATES = frozenset({"discovered_on", "made_known_on", "start", "end", "bill_date"})
#: items of a list change named one by one, then "and N more"
_MAX_ITEMS = 6
_MAX_TEXT = 120


def describe(entry: AuditEntry, w: Wording, named: Callable[[str], str] = str) -> str:
    """The sentence for one entry of a case's history; ``named`` shows a login as the
    user's name (who an entry is about: an assignee)."""
    before, after = entry.before or {}, entry.after or {}
    action, entity = entry.action, entry.entity
    h = "summary.history."
    if entity == "case":
        if action == "create":
            account = after.get("account", {})
            return w.text(h + "create", account=account.get("number", "—"),
                          customer=account.get("customer_name", "—"),
                          periods=w.plural("counts.billing_periods", len(after.get("periods", []))))
        if action in ("edit", "edit, approval voided", "edit, submission withdrawn"):
            key = {"edit": "edit", "edit, approval voided": "edit_approval_voided",
                   "edit, submission withdrawn": "edit_submission_withdrawn"}[action]
            return w.text(h + key, changes=_changes(before, after, w))
        if action == "notes":
            text = after.get("notes") or ""
            return (w.text(h + "notes", text=_short(text)) if text.strip()
                    else w.text(h + "notes_cleared"))
        if action == "assign":
            who = after.get("assignee")
            return (w.text(h + "assign", who=named(who)) if who
                    else w.text(h + "unassign", who=named(before.get("assignee") or "—")))
        if action in ("submit", "approve"):
            signature = after.get("submitted" if action == "submit" else "approved") or {}
            fingerprint = str(signature.get("fingerprint", ""))[:12]
            key = ("approve_divergence" if action == "approve"
                   and after.get("divergence_acknowledged") else action)
            return w.text(h + key, fingerprint=fingerprint or "—")
        if action in ("return", "void"):
            return w.text(h + action, reason=_short(after.get("status_reason") or ""))
        if action in ("reopen", "close"):
            return w.text(h + action)
        if action == "issue":
            documents = after.get(DETAILS, {}).get("documents", [])
            return w.text(h + "issue", documents=w.join(
                _document(w, d.get("kind", ""), d.get("issue_number", "")) for d in documents))
    elif entity == "attachment":
        if action == "attach":
            return w.text(h + "attach", name=after.get("original_name", "—"),
                          size=w.number(int(after.get("size", 0))))
        if action == "detach":
            return w.text(h + "detach", name=before.get("original_name", "—"))
    elif entity == "determination" and action == "determine":
        return w.text(h + "determine", fingerprint=str(after.get("fingerprint", ""))[:12])
    elif entity == "document":
        document = _document(w, after.get("kind", ""), after.get("issue_number", ""))
        if action == "issue":
            return w.text(h + "document_issue", document=document)
        if action in ("print", "reprint"):
            return w.text(h + action, document=document)
        if action == "save":
            return w.text(h + "save", document=document, file=after.get("file_name", "—"))
    return w.text(h + "other", action=action, changes=_changes(before, after, w))


def _document(w: Wording, kind: str, number: Any) -> str:
    key = f"summary.kinds.{kind}"
    return w.text("summary.history.document", kind=w.text(key) if w.has(key) else kind,
                  number=number)


def _changes(before: Mapping[str, Any], after: Mapping[str, Any], w: Wording) -> str:
    """The fields an entry changed, one phrase each, in the case@1 order."""
    parts: list[str] = []
    for key in dict.fromkeys([*after.keys(), *before.keys()]):
        if key in _BOOKKEEPING or key == DETAILS:
            continue
        old, new = before.get(key), after.get(key)
        if key in _NESTED and (isinstance(old, Mapping) or isinstance(new, Mapping)):
            old, new = old or {}, new or {}
            parts += [_change(w, sub, old.get(sub), new.get(sub))
                      for sub in dict.fromkeys([*old.keys(), *new.keys()])
                      if old.get(sub) != new.get(sub)]
        elif key == "periods":
            parts.append(_periods(w, old, new))
        elif old != new:
            parts.append(_change(w, key, old, new))
    return "; ".join(parts) or w.text("summary.history.nothing")


def _change(w: Wording, field: str, old: Any, new: Any) -> str:
    return w.text("summary.history.change", field=_label(w, field),
                  old=_value(w, field, old), new=_value(w, field, new))


def _label(w: Wording, field: str) -> str:
    key = f"summary.fields.{field}"
    return w.text(key) if w.has(key) else field


def _value(w: Wording, field: str, value: Any) -> str:
    """A value of the case as the rest of the summary shows it."""
    none = w.text("memo.none_value")
    if value is None or value == "":
        return none
    if isinstance(value, bool):
        return w.text("summary.yes" if value else "summary.no")
    if field in _MONEY:
        return w.money(Decimal(str(value)))
    if field in _DATES:
        try:
            return w.short_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    for prefix in {"service": ("services.",), "undercharge_reading": ("memo.readings.",),
                   "occurred_basis": ("memo.bases.",),
                   "locale": ("summary.languages.",)}.get(field, ()):
        if w.has(prefix + str(value)):
            return w.text(prefix + str(value))
    return f'"{_short(str(value))}"' if isinstance(value, str) else str(value)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT - 3].rstrip() + "..."


def _period_values(w: Wording, item: Mapping[str, Any] | None) -> str:
    item = item or {}
    return ", ".join(f"{_label(w, k)} {_value(w, k, item[k])}" for k in
                     ("start", "end", "bill_date", "billed", "correct", "note") if k in item)


def _periods(w: Wording, old: Any, new: Any) -> str:
    """A change of the periods: item by item when recorded as a patch (an amount edited,
    a row added), else the lists themselves compared position by position."""
    h = "summary.history."
    changes = period_changes(old, new)
    if not (isinstance(new, Mapping) and PATCH in new):
        old_list, new_list = list(old or []), list(new or [])
        if old_list and len(old_list) == len(new_list) and len(changes) > _MAX_ITEMS:
            return w.text(h + "periods_replaced",
                          old=w.plural("counts.billing_periods", len(old_list)),
                          new=w.plural("counts.billing_periods", len(new_list)))
    phrases = []
    for index, was_item, now_item in ((c.index, c.before, c.after) for c in changes):
        number = index + 1
        if was_item is None and now_item is not None:
            phrases.append(w.text(h + "period_added", number=number,
                                  values=_period_values(w, now_item)))
        elif now_item is None:
            phrases.append(w.text(h + "period_removed", number=number,
                                  values=_period_values(w, was_item) or "—"))
        else:
            fields = [f for f in dict.fromkeys([*was_item, *now_item])
                      if was_item.get(f) != now_item.get(f)]
            phrases.append(w.text(h + "period", number=number, changes=", ".join(
                _change(w, f, was_item.get(f), now_item.get(f)) for f in fields)))
    if len(phrases) > _MAX_ITEMS:
        rest = len(phrases) - _MAX_ITEMS
        phrases = phrases[:_MAX_ITEMS] + [w.text(h + "more", count=w.number(rest))]
    return "; ".join(phrases) or w.text(h + "nothing")
