"""Finding cases: search as you type, and a sorted, filtered list read page by page.

Built for a Qt model over a million cases: ``count`` and ``page`` (offset and limit,
sorted on an indexed column) never load whole cases, and ``search`` stops at its limit
instead of ranking every match, so a one-letter query on a million cases is as quick as
an eight-letter one. The list with search text typed works the same way: it holds the
newest ``SEARCH_LIMIT`` matching cases at most (the highest case numbers, shown in the
order chosen), because counting the 300,000 cases a one-letter prefix matches takes
longer than a keystroke may (bench/store.py); a clerk narrows a search by typing more,
and the list says when it left older matches out (``is_capped``). A second window
learns that something changed by polling ``change_counter`` (the newest audit entry)
and asking ``changed_since`` which cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Callable

from ..domain.workflow import CaseStatus
from .connection import Connection
from .summaries import SUMMARY_COLUMNS, CaseSummary, summary_from_row
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
    tokenizer splits the stored text; quoting each word keeps FTS syntax inert.

    An account number is also indexed without its separators (``account_key``, schema
    version 3), so its digits typed in a row find it (``6203313``, ``62033``); words typed
    apart may also be one account number written another way (``620 3313``, ``620-3313``
    for ``620-33-13``), so those are tried joined, as a prefix of that column."""
    words = _WORD.findall(text)
    if not words:
        return None
    match = " ".join(f'"{w}"*' for w in words)
    if len(words) > 1:
        match = f'({match}) OR account_key : "{"".join(words)}"*'
    return match


#: The most cases a list with search text holds: the newest that match (an old case
#: edited today is found by typing a little more of its name, number or address).
SEARCH_LIMIT = 1000

#: counting the cases in the statuses left out is cheaper up to this many of them
_FEW_OTHERS = 50_000

#: the columns a bounded search sorts on (every ``_ORDER`` column)
_SORT_COLUMNS = ("id", "account_number", "customer_name", "status", "assignee",
                 "discovered_on", "updated_at")


class CaseListing:
    #: the most cases a list with search text holds (tests lower it)
    search_limit: int = SEARCH_LIMIT

    def __init__(self, connection: Connection) -> None:
        self._c = connection
        # the last search: its key, the ids in list order, whether more cases match;
        # ``count`` and then ``page`` for the same query (what the case list asks after
        # a keystroke) search once
        self._last: tuple[tuple[CaseQuery, int, int], tuple[int, ...], bool] | None = None

    def search(self, text: str, limit: int = 20) -> list[CaseSummary]:
        """Cases matching ``text`` as typed so far (case number, account number, customer
        name, service or mailing address; prefixes, any case, accents ignored), newest
        first, at most ``limit``."""
        if not text.strip():
            return self.page(CaseQuery(), 0, limit)
        match = self._c.text_match(text)
        if match is None:
            return []
        rows = self._c.rows(
            f"SELECT {', '.join('cases.' + c for c in SUMMARY_COLUMNS)} FROM {match.source} "
            f"WHERE {match.condition} ORDER BY {match.newest} DESC LIMIT ?", (*match.params, limit))
        return [summary_from_row(r) for r in rows]

    def count(self, query: CaseQuery = CaseQuery()) -> int:
        """How many cases the list for ``query`` holds: all that match, or with search
        text at most ``search_limit`` (see ``is_capped``)."""
        if query.text.strip():
            return len(self._matching(query)[0])
        if replace(query, statuses=frozenset(), sort=SortKey.UPDATED_AT,
                   descending=True) == CaseQuery():
            return self._count_statuses(query.statuses)
        where, params = _where(query)
        return self._c.value(f"SELECT count(*) FROM cases{where}", params)

    def _count_statuses(self, statuses: frozenset[CaseStatus]) -> int:
        """The cases in ``statuses`` (all when empty), without reading a million index
        entries for the case list's default "Open cases". Cases are never deleted and are
        numbered 1, 2, 3, ... (``cases_no_delete``; a new case gets the highest id + 1), so
        the highest id is the number of cases; when the cases in the other statuses are
        few, the count is that less theirs."""
        total = self._c.value("SELECT coalesce(max(id), 0) FROM cases")
        others = sorted(s.value for s in CaseStatus if statuses and s not in statuses)
        if not others:
            return total
        marks = ", ".join("?" * len(others))
        few = self._c.value(f"SELECT count(*) FROM (SELECT 1 FROM cases WHERE status IN "
                            f"({marks}) LIMIT ?) AS few", (*others, _FEW_OTHERS + 1))
        if few <= _FEW_OTHERS:
            return total - few
        where, params = _where(CaseQuery(statuses=statuses))
        return self._c.value(f"SELECT count(*) FROM cases{where}", params)

    def is_capped(self, query: CaseQuery) -> bool:
        """Whether the list for ``query`` leaves older matches out: a search holds the
        newest ``search_limit`` matches at most."""
        return bool(query.text.strip()) and self._matching(query)[1]

    def page(self, query: CaseQuery = CaseQuery(), offset: int = 0, limit: int = 100) -> list[CaseSummary]:
        if query.text.strip():
            return self._summaries(self._matching(query)[0][offset:offset + limit])
        where, params = _where(query, ordered=True, unindexed=self._c.unindexed)
        rows = self._c.rows(
            f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM cases{where} ORDER BY {_order(query)} "
            "LIMIT ? OFFSET ?", (*params, limit, offset))
        return [summary_from_row(r) for r in rows]

    def _matching(self, q: CaseQuery) -> tuple[tuple[int, ...], bool]:
        """The ids of the newest ``search_limit`` cases matching the search text and the
        filters, in the query's order, and whether more match. The index yields matches
        newest first and stops at the limit, so a one-letter prefix costs what an
        eight-letter one does."""
        key = (q, self.search_limit, self.change_counter())
        if self._last is not None and self._last[0] == key:
            return self._last[1], self._last[2]
        match = self._c.text_match(q.text)
        ids: tuple[int, ...] = ()
        more = False
        if match is not None:
            filters, params = _filters(q)
            where = "".join(f" AND {f}" for f in filters)
            columns = ", ".join(f"cases.{c} AS {c}" for c in _SORT_COLUMNS)
            ids = tuple(r[0] for r in self._c.rows(
                f"SELECT id FROM (SELECT {columns} FROM {match.source} WHERE {match.condition}"
                f"{where} ORDER BY {match.newest} DESC LIMIT ?) AS matching ORDER BY {_order(q)}",
                (*match.params, *params, self.search_limit + 1)))
            if len(ids) > self.search_limit:  # the one over the limit is the oldest
                more = True
                oldest = min(ids)
                ids = tuple(i for i in ids if i != oldest)
        self._last = (key, ids, more)
        return ids, more

    def _summaries(self, ids: tuple[int, ...]) -> list[CaseSummary]:
        """The list rows of the cases ``ids``, in that order."""
        if not ids:
            return []
        condition, param = self._c.id_list("id", ids)
        rows = self._c.rows(
            f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM cases WHERE {condition}", (param,))
        by_id = {r[0]: summary_from_row(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

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


def _order(q: CaseQuery) -> str:
    direction = " DESC" if q.descending else ""
    return ", ".join(column + direction for column in _ORDER[q.sort])


def _where(q: CaseQuery, *, ordered: bool = False,
           unindexed: Callable[[str], str] = str) -> tuple[str, list]:
    """The WHERE clause of a list without search text, and its parameters. ``ordered``:
    for a sorted page, where several statuses (the open cases) are read by walking the
    sort column's index (``unindexed``: SQLite's "+status" keeps it off the status index)
    and the page stops at its end, rather than sorting every open case first."""
    filters, params = _filters(q)
    if ordered and len(q.statuses) > 1:
        filters = [unindexed(f) if f.startswith("cases.status IN") else f for f in filters]
    return (" WHERE " + " AND ".join(filters) if filters else ""), params


def _filters(q: CaseQuery) -> tuple[list[str], list]:
    """The conditions of the filters on ``cases`` (search text aside), with parameters."""
    clauses: list[str] = []
    params: list = []
    if q.statuses:
        clauses.append(f"cases.status IN ({', '.join('?' * len(q.statuses))})")
        params += sorted(s.value for s in q.statuses)
    if q.unassigned:
        clauses.append("cases.assignee IS NULL")
    elif q.assignee is not None:
        clauses.append("cases.assignee = ?")
        params.append(q.assignee)
    if q.created_before is not None:
        clauses.append("cases.created_at < ?")
        params.append(format_utc(q.created_before))
    if q.created_after is not None:
        clauses.append("cases.created_at >= ?")
        params.append(format_utc(q.created_after))
    return clauses, params
