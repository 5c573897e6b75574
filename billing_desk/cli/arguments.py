"""The positional arguments most commands share, named and explained the same way in
every command's ``--help``: the store (a case file or a database on a server), and a
case or an incident in it."""

from __future__ import annotations

import argparse

#: what TARGET may be, in every command's --help
TARGET_HELP = ("a case file (office.bdesk), or a database on a server: postgresql://HOST/DATABASE "
               "or service=NAME (its password from ~/.pgpass, PGPASSWORD or a prompt)")


def target_argument(p: argparse.ArgumentParser, help_text: str = TARGET_HELP,
                    name: str = "target") -> None:
    p.add_argument(name, metavar=name.upper(), help=help_text)


def case_arguments(p: argparse.ArgumentParser) -> None:
    """``TARGET CASE-NUMBER``: one case of a store."""
    target_argument(p)
    p.add_argument("case_number", metavar="CASE-NUMBER", help="e.g. BD-000123")


def incident_arguments(p: argparse.ArgumentParser) -> None:
    """``TARGET INCIDENT``: one incident of a store."""
    target_argument(p)
    p.add_argument("incident", metavar="INCIDENT", help="e.g. IN-000001")
