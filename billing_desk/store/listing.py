"""Finding cases: search as you type, and a sorted, filtered list read page by page.

Built for a Qt model over hundreds of thousands of cases: ``count`` and ``page`` (offset
and limit, sorted on an indexed column) never load whole cases, and ``search`` stops at
its limit instead of ranking every match, so a one-letter query on a million cases is as
quick as an eight-letter one. A second window learns that something changed by polling
``change_counter`` (the newest audit entry) and asking ``changed_since`` which cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from ..domain.workflow import CaseStatus
from .casecodec import SUMMARY_COLUMNS, summary_from_row
from .connection import Connection
from .records import CaseSummary
from .timestamps import format_utc


class SortKey(StrEnum):
    """The columns the list can be sorted by (each has an index)."""

    CASE_NUMBER = "case_number"
    ACCOUNT_NUMBER = "account_number"
    CUSTOMER_NAME = "customer_name"
    STATUS = "status"
    ASSIGNEE = "assignee"
    DISCOVERED_ON = "discovered_on"
    UPDATED_AT = "updated_at"
    CREATED_AT = "created_at"


_ORDER = {
    # case numbers follow creation order; "BD-1000000" sorts after "BD-999999" by id
    SortKey.CASE_NUMBER: ("id",),
    SortKey.CREATED_AT: ("id",),
    SortKey.ACCOUNT_NUMBER: ("account_number", "id"),
    SortKey.CUSTOMER_NAME: ("customer_name COLLATE NOCASE", "id"),
    SortKey.STATUS: ("status", "updated_at", "id"),
    SortKey.ASSIGNEE: ("assignee", "updated_at", "id"),
    SortKey.DISCOVERED_ON: ("discovered_on", "id"),
    SortKey.UPDATED_AT: ("updated_at", "id"),
}


@dataclass(frozen=True, slots=True)
class CaseQuery:
    """What the case list shows: search text, filters, sort order."""

    text: str = ""
    statuses: frozenset[CaseStatus] = field(default_factory=frozenset)  # empty = any status
    assignee: str | None = None          # a login; None = anyone
    unassigned: bool = False             # only cases nobody is assigned to
    created_before: datetime | None = None   # "older than", for the age filter
    created_after: datetime | None = None
    sort: SortKey = SortKey.UPDATED_AT
    descending: bool = True


_WORD = re.compile(r"\w+")


def fts_match(text: str) -> str | None:
    """The FTS5 query for what a clerk typed: every word, as a prefix, all required.
    Punctuation separates words (``620-33`` is ``620* 33*``) exactly as the index
    tokenizer splits the stored text; quoting each word keeps FTS syntax inert."""
    words = _WORD.findall(text)
    return " ".join(f'"{w}"*' for w in words) if words else None


class CaseListing:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def search(self, text: str, limit: int = 20) -> list[CaseSummary]:
        """Cases matching ``text`` as typed so far (case number, account number, customer
        name, service or mailing address; prefixes, any case, accents ignored), newest
        first, at most ``limit``."""
        if not text.strip():
            return self.page(CaseQuery(), 0, limit)
        match = fts_match(text)
        if match is None:
            return []
        rows = self._c.rows(
            f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM cases WHERE id IN "
            "(SELECT rowid FROM case_search WHERE case_search MATCH ? ORDER BY rowid DESC "
            "LIMIT ?) ORDER BY id DESC", (match, limit))
        return [summary_from_row(r) for r in rows]

    def count(self, query: CaseQuery = CaseQuery(), *, at_most: int | None = None) -> int:
        """How many cases the query finds; with ``at_most``, counting stops there (a
        one-letter search matches most of a large file, and counting every match takes
        longer than the clerk takes to type the next letter)."""
        # with text, the matches stream from the index joined to their cases, so a
        # count that stops early reads no further than it counts
        source = "case_search JOIN cases ON cases.id = case_search.rowid" if query.text.strip() else "cases"
        where, params = _where(query, joined=True)
        if where is None:
            return 0
        if at_most is None:
            return self._c.value(f"SELECT count(*) FROM {source}{where}", params)
        return self._c.value(f"SELECT count(*) FROM (SELECT 1 FROM {source}{where} LIMIT ?)",
                             (*params, at_most))

    def page(self, query: CaseQuery = CaseQuery(), offset: int = 0, limit: int = 100) -> list[CaseSummary]:
        where, params = _where(query, ordered=True)
        if where is None:
            return []
        direction = " DESC" if query.descending else ""
        order = ", ".join(column + direction for column in _ORDER[query.sort])
        rows = self._c.rows(
            f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM cases{where} ORDER BY {order} "
            "LIMIT ? OFFSET ?", (*params, limit, offset))
        return [summary_from_row(r) for r in rows]

    def assignees(self) -> list[str]:
        """Everyone some case is assigned to, sorted (the case list's assignee filter);
        read from the assignee index, so it stays quick on a large file."""
        return [r[0] for r in self._c.rows(
            "SELECT DISTINCT assignee FROM cases WHERE assignee IS NOT NULL ORDER BY assignee")]

    def change_counter(self) -> int:
        """Goes up with every change anyone makes to the file (it is the newest audit
        entry's number): poll it to learn that another window saved something."""
        return self._c.value("SELECT coalesce(max(id), 0) FROM audit")

    def changed_since(self, counter: int) -> frozenset[int]:
        """Ids of the cases changed after ``change_counter()`` returned ``counter``."""
        return frozenset(r[0] for r in self._c.rows(
            "SELECT DISTINCT case_id FROM audit WHERE id > ? AND case_id IS NOT NULL",
            (counter,)))


def _where(q: CaseQuery, *, ordered: bool = False, joined: bool = False) -> tuple[str | None, list]:
    """The WHERE clause and its parameters; ``None`` when text was typed but holds no
    searchable word (nothing can match). ``ordered``: for a sorted page; ``joined``: the
    search index is joined in (see ``count``)."""
    clauses: list[str] = []
    params: list = []
    if q.text.strip():
        match = fts_match(q.text)
        if match is None:
            return None, []
        # for a page, "+id" walks the sort column's index keeping the matches and stops at
        # the page's end, rather than sorting every match (at 100,000 cases a common
        # prefix matches most of them: 40 ms instead of 300 ms and more)
        clauses.append("case_search MATCH ?" if joined else
                       f"{'+' if ordered else ''}id IN "
                       "(SELECT rowid FROM case_search WHERE case_search MATCH ?)")
        params.append(match)
    if q.statuses:
        # several statuses (the open cases): walk the sort index too, or a page far down
        # the list sorts every open case first
        plus = "+" if ordered and len(q.statuses) > 1 else ""
        clauses.append(f"{plus}status IN ({', '.join('?' * len(q.statuses))})")
        params += sorted(s.value for s in q.statuses)
    if q.unassigned:
        clauses.append("assignee IS NULL")
    elif q.assignee is not None:
        clauses.append("assignee = ?")
        params.append(q.assignee)
    if q.created_before is not None:
        clauses.append("created_at < ?")
        params.append(format_utc(q.created_before))
    if q.created_after is not None:
        clauses.append("created_at >= ?")
        params.append(format_utc(q.created_after))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params
