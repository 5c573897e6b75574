"""The positional arguments most commands share, named and explained the same way in
every command's ``--help``: the case file, and a case or an incident in it."""

from __future__ import annotations

import argparse


def file_argument(p: argparse.ArgumentParser, help: str = "the case file") -> None:
    p.add_argument("file", metavar="FILE", help=help)


def case_arguments(p: argparse.ArgumentParser) -> None:
    """``FILE CASE-NUMBER``: one case of a case file."""
    file_argument(p)
    p.add_argument("case_number", metavar="CASE-NUMBER", help="e.g. BD-000123")


def incident_arguments(p: argparse.ArgumentParser) -> None:
    """``FILE INCIDENT``: one incident of a case file."""
    file_argument(p)
    p.add_argument("incident", metavar="INCIDENT", help="e.g. IN-000001")
