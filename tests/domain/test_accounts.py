"""User rules: what a login, name, password and limit must be; who may change users."""

from __future__ import annotations

from decimal import Decimal

import pytest

from billing_desk.domain.accounts import (
    AccountRefused, UserInvalid, check_administrators_remain, check_limit, check_login,
    check_manages_users, check_name, check_password,
)
from billing_desk.domain.workflow import Actor, Role


@pytest.mark.parametrize("login", ["akim", "a.kim", "M_Whitfield-2", "7"])
def test_good_logins_are_kept_as_typed(login):
    assert check_login(f"  {login} ") == login


@pytest.mark.parametrize("login,why", [("", "required"), ("  ", "required"),
                                       ("a kim", "letters"), ("-akim", "starting"),
                                       ("añez", "letters"), ("x" * 65, "1 to 64")])
def test_bad_logins_name_the_field(login, why):
    with pytest.raises(UserInvalid) as e:
        check_login(login)
    assert e.value.field == "login" and why in str(e.value)


def test_names_passwords():
    assert check_name("  Maria   Peña  Müller ") == "Maria Peña Müller"
    with pytest.raises(UserInvalid, match="name: the user's full name is required"):
        check_name(" ")
    assert check_password("correct horse") == "correct horse"
    with pytest.raises(UserInvalid, match="password: at least 8 characters"):
        check_password("short")
    with pytest.raises(UserInvalid, match="spaces only"):
        check_password(" " * 12)


def test_limits():
    assert check_limit(Role.SUPERVISOR, Decimal("2500")) == Decimal("2500.00")
    assert check_limit(Role.CLERK, None) is None
    with pytest.raises(UserInvalid, match="a clerk cannot approve"):
        check_limit(Role.CLERK, Decimal("10.00"))
    for bad in ("-1", "12.345", "1000000000", "NaN"):
        with pytest.raises(UserInvalid, match="limit: an amount"):
            check_limit(Role.ADMINISTRATOR, Decimal(bad))


def test_only_an_active_administrator_changes_users():
    check_manages_users(Actor("root", Role.ADMINISTRATOR))
    with pytest.raises(AccountRefused) as e:
        check_manages_users(Actor("sup", Role.SUPERVISOR, Decimal("10.00")))
    assert e.value.code == "not_administrator" and "Only an administrator" in str(e.value)
    with pytest.raises(AccountRefused) as e:
        check_manages_users(Actor("root", Role.ADMINISTRATOR, active=False))
    assert e.value.code == "inactive_user"


def test_the_last_administrator_stays():
    check_administrators_remain(1)
    with pytest.raises(AccountRefused, match="last active administrator"):
        check_administrators_remain(0)
