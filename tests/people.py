"""A server database with people (schema version 8): each a PostgreSQL login role of
their own in one of the database's groups, as IT and an administrator make them."""

from __future__ import annotations

import itertools
import os
from decimal import Decimal

import pytest

from billing_desk.domain.workflow import Role
from billing_desk.store import open_store
from tests.backends import Raw
from tests.staff import PASSWORD

_people = itertools.count(1)


class Office:
    """A database with people: ``admin`` (made by IT), ``clerk``, ``sup`` (limit 500),
    ``boss`` (limit 100000) -- login roles named uniquely per test (roles are the
    cluster's), dropped afterwards."""

    def __init__(self, server, conninfo: str) -> None:
        self.server = server
        self.dbname = dict(p.split("=", 1) for p in conninfo.split())["dbname"]
        n = next(_people)
        self.login = {who: f"{who}{os.getpid()}x{n}" for who in ("admin", "clerk", "sup", "boss")}
        self.it = conninfo  # the superuser, through the socket

    def open(self, who: str, password: str = PASSWORD):
        return open_store(self.server.conninfo(self.dbname, user=self.login[who]), password=password)

    def raw(self, who: str) -> Raw:
        """psql as that person: over TCP, their password checked by SCRAM."""
        return Raw(self.server.conninfo(self.dbname, user=self.login[who], password=f"'{PASSWORD}'"))

    def drop(self) -> None:
        self.server.drop_database(self.dbname)
        for login in self.login.values():
            self.server.admin(f'DROP ROLE IF EXISTS "{login}"')


@pytest.fixture
def office(pg_server, server_database):
    o = Office(pg_server, server_database)
    with open_store(o.it) as cf:
        cf.users.add_first_person(o.login["admin"], "Rita Root", PASSWORD)
    with o.open("admin") as cf:
        admin = o.login["admin"]
        cf.users.add(o.login["clerk"], "Alice Archer", Role.CLERK, PASSWORD, actor=admin)
        cf.users.add(o.login["sup"], "Sam Sutter", Role.SUPERVISOR, PASSWORD, actor=admin,
                     approval_limit=Decimal("500.00"))
        cf.users.add(o.login["boss"], "Bea Boss", Role.SUPERVISOR, PASSWORD, actor=admin,
                     approval_limit=Decimal("100000.00"))
    yield o
    o.drop()


