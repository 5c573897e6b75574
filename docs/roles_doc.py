"""Write the generated tables of docs/roles.md: what each group may do, read from the
grants of a fresh database at the current schema on a throwaway PostgreSQL server
(tests/pg_server.py: Debian's ``postgresql`` package must be installed).

    .venv/bin/python docs/roles_doc.py

tests/store/test_privileges_doc.py fails when docs/roles.md no longer says what a new
database grants; this brings it up to date. Only the part between the markers is
rewritten; the prose around it is kept.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from billing_desk.store.postgres.privileges import generated_block, replace_generated  # noqa: E402
from tests.backends import prepare_template  # noqa: E402
from tests.pg_server import start_server  # noqa: E402

DOC = ROOT / "docs" / "roles.md"


def main() -> int:
    import psycopg

    server = start_server()
    try:
        server.template_ready(prepare_template)
        name = server.new_database()
        try:
            with psycopg.connect(server.conninfo(name), autocommit=True) as conn:
                block = generated_block(conn)
        finally:
            server.drop_database(name)
    finally:
        server.stop()
    before = DOC.read_text(encoding="utf-8")
    after = replace_generated(before, block)
    if after == before:
        print(f"{DOC.relative_to(ROOT)} is up to date")
    else:
        DOC.write_text(after, encoding="utf-8")
        print(f"{DOC.relative_to(ROOT)} rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
