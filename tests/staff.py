"""Users for tests: an office of five, with cheap argon2 parameters (a real file's users
get the strong defaults; see billing_desk/store/passwords.py) and one known password."""

from __future__ import annotations

from decimal import Decimal

from argon2 import PasswordHasher

from billing_desk.domain.workflow import Role
from billing_desk.store.casefile import CaseFile
from billing_desk.store.passwords import Passwords

FAST = Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
PASSWORD = "correct horse battery"

#: (login, name, role, approval limit); the administrator first (the first user)
STAFF = (
    ("root", "Rita Root", Role.ADMINISTRATOR, None),
    ("alice", "Alice Archer", Role.CLERK, None),
    ("bob", "Bob Brandt", Role.CLERK, None),
    ("sup", "Sam Sutter", Role.SUPERVISOR, Decimal("500.00")),
    ("boss", "Bea Boss", Role.SUPERVISOR, Decimal("100000.00")),
)


def add_staff(cf: CaseFile) -> CaseFile:
    """Give ``cf`` the test office (its repository keeps the cheap hasher)."""
    cf.users = cf.users.using(passwords=FAST, sleep=lambda s: None)
    (login, name, _, _), *others = STAFF
    cf.users.create_first_administrator(login, name, PASSWORD)
    for login_, name_, role, limit in others:
        cf.users.add(login_, name_, role, PASSWORD, actor=login, approval_limit=limit)
    sign_in_all(cf)
    return cf


def sign_in_all(cf: CaseFile, logins=None, password: str = PASSWORD) -> CaseFile:
    """Each of the office signs in here, as they would at their workstation: their
    signing keys are open in this process (store/signing.py), so a test may act as any
    of them."""
    users = cf.users.using(passwords=FAST, sleep=lambda s: None)
    for login in logins or [u.login for u in cf.users.list() if u.active]:
        users.authenticate(login, password)
    return cf
