"""CLI commands on whole stores: ``upgrade`` (the schema of a case file or a server
database brought to this version's) and ``copy`` (an office's store moved between a case
file and a server, history and all)."""

from __future__ import annotations

import argparse
import sys

from ..store import copy_store, upgrade_store
from .arguments import target_argument
from .exit_codes import EXIT_OK, EXIT_VERIFY_FAILED
from .signin import NEW_PASSWORD_ENV, ask_server_password, open_target, read_password


def cmd_upgrade(args: argparse.Namespace) -> int:
    done = upgrade_store(args.target, ask_password=ask_server_password)
    if done.before == done.after:
        print(f"{done.where}: the schema is current (version {done.after}); nothing to do.")
    elif done.before == 0:
        print(f"{done.where}: Billing Desk's schema created (version {done.after}). Next: "
              "`billing-desk new` for its first administrator, or `billing-desk copy` of an "
              "office's case file into it.")
    else:
        print(f"{done.where}: schema upgraded from version {done.before} to {done.after}.")
    return EXIT_OK


def cmd_copy(args: argparse.Namespace) -> int:
    def progress(table: str, rows: int) -> None:
        sys.stderr.write(f"copy: {table}: {rows:,} row(s)\n")

    with open_target(args.source) as source:
        passwords = {login: read_password(f"Password for {login} in the copy: ",
                                          env=NEW_PASSWORD_ENV, confirm=True)
                     for login in args.password_for}
        copied, report = copy_store(source, args.target, progress=progress,
                                    passwords=passwords, ask_password=ask_server_password)
        with copied:
            checks = [(store.where, store.verify(), store.newest_entry()) for store in (source, copied)]
    print(f"Copied {report.source} to {report.target}: {report.rows['cases']:,} case(s), "
          f"{report.rows['audit']:,} history entr{'y' if report.rows['audit'] == 1 else 'ies'}, "
          f"{report.rows['documents']:,} document(s), {report.rows['attachments']:,} "
          f"attachment(s), {report.rows['users']:,} user(s).")
    ok = True
    for where, verified, head in checks:
        chain = "no history yet" if head is None else f"entry {head.id}, hash {head.hash}"
        print(f"  {where}: {verified.summary()} Chain head: {chain}.")
        ok = ok and verified.ok
    if report.from_people:
        print(f"  The people of {report.source} sign in with their PostgreSQL passwords, which "
              "stay on the server. "
              + (f"In the copy, {', '.join(report.signs_in)} sign{'s' if len(report.signs_in) == 1 else ''} in "
                 "with the password just given; " if report.signs_in else "In the copy, ")
              + (f"{len(report.no_password)} other user(s) have no password until an "
                 "administrator of the copy sets one." if report.no_password else
                 "nobody else is a user."))
    heads = {None if head is None else (head.id, head.hash) for _, _, head in checks}
    if len(heads) != 1:
        print("  The two chain heads differ: the copy is not faithful (report this).")
        ok = False
    return EXIT_OK if ok else EXIT_VERIFY_FAILED


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("upgrade", help="bring a case file or a server database to this "
                                       "version's schema",
                       description="Bring TARGET's schema to this version of Billing Desk: a "
                                   "case file is migrated; on a server, Billing Desk's schema "
                                   "is created in an empty database, or the missing versions "
                                   "are applied, each in its own transaction (run it as the "
                                   "database's owner). A newer schema, or a database of "
                                   "another program, is refused and left as it was.")
    target_argument(p)
    p.set_defaults(func=cmd_upgrade)

    p = sub.add_parser("copy", help="copy an office's store between a case file and a server",
                       description="Copy every case, period, user, setting, attachment, "
                                   "document and the whole audit history from SOURCE into "
                                   "TARGET, row for row (the same hashes), then verify both and "
                                   "print their chain heads (the same entry). TARGET must be "
                                   "new: a case file that does not exist, or an empty database "
                                   "(exit 11 otherwise); it is complete or absent.")
    target_argument(p, "the store to copy (a case file or a server database)", name="source")
    target_argument(p, "where the copy goes: a new case file, or an empty database")
    p.add_argument("--password-for", metavar="LOGIN", action="append", default=[],
                   help="from a server whose people sign in as themselves (their passwords "
                        "stay on the server): a user who signs in to the copy, with the "
                        f"password from ${NEW_PASSWORD_ENV} or asked twice; everyone else "
                        "has no password in the copy (give it again for more users)")
    p.set_defaults(func=cmd_copy)
