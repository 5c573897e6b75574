"""``billing-desk copy SOURCE TARGET``: an office's whole store moved from a case file to a
server, or from a server to a case file (an auditor's offline copy), row for row.

Every table is copied as it is -- cases, periods, users (with their password hashes),
sign-in failures, settings, attachments and their bytes, determinations, issued
documents and the whole audit history -- with the same ids, so each audit entry keeps
its hash and the chain its head: ``verify`` passes on both and names the same newest
entry. The source is read as of one moment (a snapshot: a server in use may go on
working meanwhile); the target must be new -- a case file that does not exist, or an
empty database -- and it is complete or absent (:func:`~.targets.create_store`). On a
server, the database's own rules check every row as it arrives: each audit entry must
follow the one before, each case take the next number. From a server whose people sign
in as themselves, their passwords stay on the server (see :func:`copy_store`).

Both stores must be at the same schema version: a case file is brought to this
version's when it is opened, a server must be (``billing-desk upgrade``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..domain.accounts import UserInvalid, check_password
from .casefile import CaseFile
from .errors import StoreError
from .passwords import STRONG, UNKNOWN_LOGIN_HASH, Passwords
from .targets import create_store

#: Every table a copy carries, in an order that satisfies each foreign key, with the
#: order its rows go in (the history and the cases in sequence: the server checks it).
TABLES: tuple[tuple[str, str], ...] = (
    ("settings", "key"),
    ("users", "id"),
    ("sign_in_failures", "login_key"),
    ("cases", "id"),
    ("periods", "case_id, position"),
    ("blobs", "id"),
    ("attachments", "id"),
    ("determinations", "id"),
    ("documents", "id"),
    ("document_copies", "id"),
    ("incidents", "id"),
    ("incident_cases", "case_id"),
    ("incident_reviews", "id"),
    ("incident_review_cases", "review_id, case_id"),
    ("incident_approvals", "id"),
    ("bills_issued", "year, service"),
    ("issue_facts", "case_id"),
    ("issue_sums", "issued_year, issued_month, service, outcome"),
    ("issue_days", "issued_year, issued_month, days_to_issue"),
    ("adjusted_bills", "account_number, service, start_date, end_date"),
    ("outbox", "id"),
    ("audit", "id"),
)

Progress = Callable[[str, int], None]


class SchemasDiffer(StoreError):
    """The two stores are not at the same schema version (upgrade the older one)."""

    exit_code = 28  # (as SchemaNeedsUpgrade: docs/cli.md)

    def __init__(self, table: str, source: list[str], target: list[str]) -> None:
        super().__init__(f"The {table} table differs between the two stores ({', '.join(source)} "
                         f"against {', '.join(target)}): they are not at the same schema "
                         "version. Nothing was copied.")


@dataclass
class CopyReport:
    """What was copied: rows per table; for a server with people, who may sign in to the
    copy (``signs_in``) and who has no password there (``no_password``)."""

    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)
    from_people: bool = False
    signs_in: list[str] = field(default_factory=list)
    no_password: list[str] = field(default_factory=list)


def copy_store(source: CaseFile, target: str | Path, *, progress: Progress | None = None,
               passwords: Mapping[str, str] | None = None, hasher: Passwords = STRONG,
               **connect) -> tuple[CaseFile, CopyReport]:
    """Copy ``source`` into a new store at ``target`` (``connect``: how to sign in to a
    server target, as for :func:`~.targets.open_store`); returns the new store, open,
    and the report. Refused, with nothing written, when the target exists or is not
    empty.

    A server with people (schema version 8) keeps their passwords as PostgreSQL's own,
    which no copy can carry (nobody may read them, and a copy has no PostgreSQL to check
    them): every person is copied -- name, role, limit, whether enabled, as their history
    replays them -- with a password nobody knows, except those given in ``passwords``
    (login -> the password they sign in to the copy with, hashed with ``hasher``). The
    server's own count of failed sign-ins is not copied either."""
    report = CopyReport(str(source.where), str(target))
    passwords = dict(passwords or {})
    people = source._c.person is not None
    if passwords and not people:
        raise UserInvalid("password", "only a copy of a server whose people sign in as "
                          "themselves needs a password given: the users keep their own")
    if people:
        logins = {u.login.lower(): u.login for u in source.users.list()}
        for login, password in list(passwords.items()):
            if login.lower() not in logins:
                raise UserInvalid("login", f"{login} is not a user of {source.where}; "
                                  "nothing was copied")
            check_password(password)
            del passwords[login]
            passwords[logins[login.lower()]] = password
        report.from_people = True

    def fill(new: CaseFile) -> None:
        report.target = str(new.where)
        src, dst = source._c, new._c
        with src.snapshot():
            for table, order in TABLES:
                columns = src.table_columns(table)
                wanted = dst.table_columns(table)
                if sorted(columns) != sorted(wanted):
                    raise SchemasDiffer(table, columns, wanted)
                if people and table == "sign_in_failures":
                    report.rows[table] = 0
                    continue
                selected = [("NULL" if people and table == "users"
                             and c in ("password_hash", "sealed_key") else c) for c in wanted]
                rows = src.stream(f"SELECT {', '.join(selected)} FROM {table} ORDER BY {order}")
                if people and table == "users":
                    rows = _with_passwords(rows, wanted, passwords, hasher, report)
                report.rows[table] = dst.load_rows(table, wanted, rows)
                if progress is not None:
                    progress(table, report.rows[table])

    # (the new store's own clock is never used: nothing is written through the app)
    return create_store(target, fill=fill, **connect), report


def _with_passwords(rows, columns: list[str], passwords: dict[str, str], hasher: Passwords,
                    report: CopyReport):
    """The users of a server with people, each with the hash of the password given for
    them, or of one nobody knows (:data:`~.passwords.UNKNOWN_LOGIN_HASH`)."""
    login_at, hash_at = columns.index("login"), columns.index("password_hash")
    for row in rows:
        row = list(row)
        login = row[login_at]
        if login in passwords:
            row[hash_at] = hasher.hash(passwords[login], login)
            report.signs_in.append(login)
        else:
            row[hash_at] = UNKNOWN_LOGIN_HASH
            report.no_password.append(login)
        yield row
