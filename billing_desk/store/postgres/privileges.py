"""What each group role may do, read from a database's own catalogue (docs/roles.md).

:func:`privileges_table` asks PostgreSQL, for each group of ``server_roles`` (clerk,
supervisor, administrator), what it may do to every table of Billing Desk's schema
(``has_table_privilege``, and ``has_column_privilege`` where only some columns are
granted), which functions it may run (``has_function_privilege``), which changes a
trigger refuses outright (the triggers that run ``refuse()``), which other triggers
check a change, and which row-level security policies apply (``pg_policies``). The
answer is Markdown, the same for every database at the same schema: the groups are
named by their keys, never by the cluster's role names (``billing_clerk`` ...).

Run as a module it prints the tables for a database::

    .venv/bin/python -m billing_desk.store.postgres.privileges "service=office"

Any role that may connect can run it (the catalogue is readable by everyone); the
password is found as libpq finds it (a service file, ``~/.pgpass``, ``PGPASSWORD``).
``docs/roles_doc.py`` writes the tables into docs/roles.md from a throwaway server.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

from .schema import GROUPS, SCHEMA

if TYPE_CHECKING:
    import psycopg

#: Where the generated tables begin and end in docs/roles.md
BEGIN_MARKER = "<!-- generated: privileges -->"
END_MARKER = "<!-- end generated -->"

#: The table privileges reported, in this order, with the plain word for each
VERBS = (("SELECT", "read"), ("INSERT", "add"), ("UPDATE", "change"), ("DELETE", "remove"),
         ("TRUNCATE", "empty"))
#: The privileges that may be granted on some columns only
_COLUMN_VERBS = ("SELECT", "INSERT", "UPDATE")
#: pg_trigger.tgtype bits
_BEFORE, _INSERT, _DELETE, _UPDATE, _TRUNCATE = 2, 4, 8, 16, 32
_EVENTS = ((_INSERT, "INSERT"), (_UPDATE, "UPDATE"), (_DELETE, "DELETE"), (_TRUNCATE, "TRUNCATE"))
_POLICY_COMMANDS = {"SELECT": "read", "INSERT": "add", "UPDATE": "change", "DELETE": "remove",
                    "ALL": "all"}


def _groups(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """(key, role name) of the database's groups, in GROUPS' order."""
    names = dict(conn.execute(f"SELECT role, name FROM {SCHEMA}.server_roles").fetchall())
    return [(key, names[key]) for key in GROUPS if key in names]


def _tables(conn: psycopg.Connection) -> list[tuple[int, str, str]]:
    """(oid, name, row-level security) of every table of the schema, by name: ``on``
    (the table's owner not subject to it), ``on, the owner too`` (FORCE) or empty."""
    rows = conn.execute(
        "SELECT c.oid, c.relname, c.relrowsecurity, c.relforcerowsecurity "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p')", (SCHEMA,)).fetchall()
    rls = {(True, False): "on (not for the owner)", (True, True): "on (the owner too)"}
    return sorted(((oid, str(name), rls.get((on, forced), "")) for oid, name, on, forced in rows),
                  key=lambda r: r[1])


def _columns(conn: psycopg.Connection, table: int) -> list[str]:
    return [name for (name,) in conn.execute(
        "SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = %s AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum", (table,)).fetchall()]


def _granted(conn: psycopg.Connection, role: str, table: int, columns: list[str]) -> str:
    """What ``role`` may do to the table, in plain words: ``read, add`` ... A privilege
    held on some columns only names the columns left out."""
    words = []
    for verb, word in VERBS:
        if conn.execute("SELECT pg_catalog.has_table_privilege(%s, %s::oid, %s)",
                        (role, table, verb)).fetchone()[0]:
            words.append(word)
            continue
        if verb not in _COLUMN_VERBS:
            continue
        allowed = [c for c in columns if conn.execute(
            "SELECT pg_catalog.has_column_privilege(%s, %s::oid, %s, %s)",
            (role, table, c, verb)).fetchone()[0]]
        if allowed:
            left_out = ", ".join(f"`{c}`" for c in columns if c not in allowed)
            words.append(f"{word} (not {left_out})")
    return ", ".join(words) or "nothing"


def _triggers(conn: psycopg.Connection, table: int) -> tuple[list[str], list[str]]:
    """What the table's enabled triggers refuse outright (``refuse()`` before the
    change: UPDATE, DELETE, TRUNCATE) and the names of the other triggers, which check
    or follow a change."""
    refused, checking = set(), []
    for name, tgtype, function in conn.execute(
            "SELECT t.tgname, t.tgtype, p.proname FROM pg_catalog.pg_trigger t "
            "JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
            "WHERE t.tgrelid = %s AND NOT t.tgisinternal AND t.tgenabled <> 'D'",
            (table,)).fetchall():
        if function == "refuse" and tgtype & _BEFORE:
            refused.update(event for bit, event in _EVENTS if tgtype & bit)
        else:
            checking.append(str(name))
    words = [word for verb, word in VERBS if verb in refused]
    return words, sorted(checking)


def _without_schema(text: str) -> str:
    return text.replace(f"{SCHEMA}.", "")


def _policy_roles(roles: list[str], groups: list[tuple[str, str]]) -> str:
    by_name = {name: key for key, name in groups}
    return ", ".join("everyone" if r == "public" else by_name.get(r, r) for r in roles)


def _functions(conn: psycopg.Connection) -> list[tuple[int, str, bool]]:
    """(oid, name with its arguments' names, SECURITY DEFINER) of the schema's own
    functions that are not trigger functions (an extension's, ``unaccent``, left out)."""
    rows = conn.execute(
        "SELECT p.oid, p.proname, p.proargnames, "
        "pg_catalog.pg_get_function_identity_arguments(p.oid), p.prosecdef "
        "FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = %s AND p.prokind = 'f' "
        "AND p.prorettype <> 'pg_catalog.trigger'::pg_catalog.regtype "
        "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = "
        "'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'e')",
        (SCHEMA,)).fetchall()
    out = []
    for oid, name, argnames, identity, definer in rows:
        args = ", ".join(argnames) if argnames else _without_schema(identity)
        out.append((oid, f"{name}({args})", bool(definer)))
    return sorted(out, key=lambda r: r[1])


def _cell(text: str) -> str:
    return text.replace("|", "\\|") if text else "—"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def privileges_table(conn: psycopg.Connection) -> str:
    """The Markdown tables of what each group may do (tables, row-level security,
    functions), read from the catalogue of the database ``conn`` is connected to (at
    schema version 8 or later: its groups are in ``server_roles``). Ends with a new
    line; the same text for every database at the same schema."""
    groups = _groups(conn)
    keys = [key for key, _ in groups]
    tables = _tables(conn)

    lines = [_row(["table", *keys, "refused by a trigger", "checked by triggers",
                   "row-level security"]),
             "|" + "---|" * (len(keys) + 4)]
    for oid, name, rls in tables:
        columns = _columns(conn, oid)
        refused, checking = _triggers(conn, oid)
        lines.append(_row([f"`{name}`", *(_granted(conn, role, oid, columns) for _, role in groups),
                           ", ".join(refused), ", ".join(f"`{t}`" for t in checking),
                           rls]))

    policies = conn.execute(
        "SELECT tablename, policyname, cmd, roles::text[], qual, with_check FROM "
        "pg_catalog.pg_policies WHERE schemaname = %s", (SCHEMA,)).fetchall()
    lines += ["", _row(["table", "policy", "for", "applies to", "rows seen (USING)",
                        "rows allowed (WITH CHECK)"]), "|---|---|---|---|---|---|"]
    for table, policy, cmd, roles, qual, check in sorted(policies, key=lambda p: (p[0], p[1])):
        lines.append(_row([f"`{table}`", f"`{policy}`", _POLICY_COMMANDS.get(cmd, cmd),
                           _policy_roles(list(roles), groups),
                           f"`{_without_schema(qual)}`" if qual else "",
                           f"`{_without_schema(check)}`" if check else ""]))

    lines += ["", _row(["function", *keys, "runs as"]), "|" + "---|" * (len(keys) + 2)]
    for oid, signature, definer in _functions(conn):
        may = [conn.execute("SELECT pg_catalog.has_function_privilege(%s, %s::oid, 'EXECUTE')",
                            (role, oid)).fetchone()[0] for _, role in groups]
        if not any(may):
            continue
        lines.append(_row([f"`{signature}`", *("yes" if m else "no" for m in may),
                           "the owner (SECURITY DEFINER)" if definer else "the caller"]))
    return "\n".join(lines) + "\n"


def generated_block(conn: psycopg.Connection) -> str:
    """The tables between docs/roles.md's markers, markers included."""
    return f"{BEGIN_MARKER}\n{privileges_table(conn)}{END_MARKER}"


def replace_generated(document: str, block: str) -> str:
    """``document`` with its generated part (from BEGIN_MARKER to END_MARKER) replaced
    by ``block``."""
    pattern = re.compile(re.escape(BEGIN_MARKER) + r".*?" + re.escape(END_MARKER), re.S)
    if not pattern.search(document):
        raise ValueError(f"no {BEGIN_MARKER} ... {END_MARKER} in the document")
    return pattern.sub(lambda _: block, document, count=1)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m billing_desk.store.postgres.privileges CONNINFO\n"
              "  prints what each group may do in that database (Markdown)", file=sys.stderr)
        return 2
    import psycopg

    with psycopg.connect(argv[0], autocommit=True) as conn:
        sys.stdout.write(privileges_table(conn))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
