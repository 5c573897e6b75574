"""What a case's documents are rendered from, built from the case file: the case as
stored, its sign-offs, the office's document settings and the issue date. The same
values are recorded with the issue (``rendered_from``) so that a reprint renders
exactly that issue again, whatever the settings say by then."""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from ..documents import (DocumentInput, DocumentSettings, RefundMethod, Signoff,
                         document_settings)
from ..domain.case import Case
from ..domain.history import HistoryHead
from ..domain.problems import CaseInvalid
from ..store import CaseFile, CaseRecord
from ..store.timestamps import format_utc, parse_utc
from .signoffs import Signoffs


def settings_values(cf: CaseFile) -> dict[str, Any]:
    """The office's document settings as stored (validated when they are used)."""
    return cf.settings.get("documents")


def verified_settings(cf: CaseFile) -> dict[str, Any]:
    """The office's document settings as stored, refused (the store's
    ``SettingsAltered``) when the settings disagree with their history: what a letter
    prints is what an administrator set."""
    return cf.settings.verified("documents")


def set_document_settings(cf: CaseFile, values: Mapping[str, Any], *, actor: str) -> None:
    """Store the office's document settings, refused (``SettingInvalid``, naming the
    setting) unless the documents layer accepts every value."""
    document_settings(values)
    cf.settings.set("documents", dict(values), actor=actor)


def checked_case(record: CaseRecord) -> Case:
    """The record's case, validated; ``CaseInvalid`` (every problem) when it is not
    complete and valid (there is nothing to put in a letter yet)."""
    check = record.draft.check()
    if check.case is None:
        raise CaseInvalid(check.problems)
    return check.case


def document_input(record: CaseRecord, signoffs: Signoffs, *, issue_date: date,
                   settings: DocumentSettings, refund_method: RefundMethod | None = None,
                   preview: bool = False, case: Case | None = None,
                   history_head: HistoryHead | None = None) -> DocumentInput:
    """The input for ``record``'s documents (``case``: its case, if checked already;
    ``history_head``: the file's, for an issue). Raises ``CaseInvalid`` when the case is
    not complete and valid."""
    return DocumentInput.for_case(
        record.case_number, case or checked_case(record), prepared=signoffs.prepared,
        approved=signoffs.approved, issue_date=issue_date, settings=settings,
        refund_method=refund_method, fingerprint=None if preview else signoffs.fingerprint,
        preview=preview, history_head=None if preview else history_head)


def rendered_from(inp: DocumentInput, values: Mapping[str, Any]) -> dict[str, Any]:
    """What the issue records about its input besides the case (JSON values)."""
    def signoff(s: Signoff | None) -> dict | None:
        return None if s is None else {"name": s.name, "at": format_utc(s.at)}

    recorded = {"issue_date": inp.issue_date.isoformat(), "prepared": signoff(inp.prepared),
                "approved": signoff(inp.approved),
                "refund_method": None if inp.refund_method is None else inp.refund_method.value,
                "settings": dict(values)}
    if inp.history_head is not None:  # (a reprint prints the same head again)
        recorded["history_head"] = inp.history_head.to_json()
    return recorded


def recorded_input(record: CaseRecord, recorded: Mapping[str, Any], fingerprint: str, *,
                   copy: bool) -> DocumentInput:
    """The input an issue was rendered from, rebuilt from what it recorded."""
    def signoff(value: Mapping | None) -> Signoff | None:
        return None if value is None else Signoff(value["name"], parse_utc(value["at"]))

    method = recorded.get("refund_method")
    return DocumentInput.for_case(
        record.case_number, checked_case(record), prepared=signoff(recorded["prepared"]),
        approved=signoff(recorded["approved"]),
        issue_date=date.fromisoformat(recorded["issue_date"]),
        settings=document_settings(recorded["settings"]),
        refund_method=None if method is None else RefundMethod(method),
        fingerprint=fingerprint, copy=copy,
        history_head=HistoryHead.from_json(recorded.get("history_head")))
