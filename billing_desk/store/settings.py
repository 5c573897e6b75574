"""Settings kept in the case file, declared once: key, default, type, description.

A setting that was never changed is not stored (its default applies), so a new default
in a later version reaches every file that did not choose otherwise. Changing a setting
is a change like any other: one transaction, one audit entry, and -- once the file has
users -- by an active administrator only. The settings are part of the history: replaying
the settings' entries gives what the table holds, or ``verify`` says which setting was
changed behind the application's back, and nothing is issued with it
(:meth:`SettingsRepository.history_problem`).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Mapping

from ..domain.accounts import check_manages_settings
from ..domain.canonical import canonical_json
from ..errors import BillingDeskError
from .connection import Connection
from .users import find_user, has_users


class InvalidSetting(BillingDeskError, ValueError):
    """An unknown key or a value of the wrong type; the message says which."""


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    default: Any
    type: type
    description: str
    minimum: int | None = None
    maximum: int | None = None
    #: the only values allowed (text settings)
    choices: tuple[str, ...] | None = None
    #: what is wrong with a value of the right type (a message), or None
    check: Callable[[Any], str | None] | None = None


def _address(value: str) -> str | None:
    from ..domain.delivery import email_problem

    return None if value == "" else email_problem(value)


def _host(value: str) -> str | None:
    if value != value.strip() or any(c.isspace() for c in value) or "/" in value:
        return "must be a host name or address alone, like mail.example.org (no spaces)"
    return None


def _benchmark(value: str) -> str | None:
    from ..domain.reports import benchmark_problem  # (the reports load when first used)

    return benchmark_problem(value)


SETTINGS = MappingProxyType({s.key: s for s in (
    Setting("attachment_max_bytes", 25_000_000, int,
            "Largest attachment accepted, in bytes (25 MB by default).", minimum=1),
    Setting("incident_sample_size", 30, int,
            "The size of an incident's review sample: its outliers and divergent cases "
            "(always in it), and cases drawn at random until it holds this many.", minimum=1),
    Setting("demo_file", False, bool,
            "A demo file: its users' passwords are public and shown on its sign-in screen."),
    # The documents layer declares and validates these (billing_desk.documents.settings:
    # letterhead, installments, refund method, memo language); the case file keeps the
    # office's choices as one set of named text values, so declaring them twice is
    # never needed and a key left out takes the documents' default.
    Setting("documents", {}, dict,
            "Letter and memo settings chosen by this office (key -> value; see "
            "docs/documents.md). A key not given takes its default."),
    Setting("accuracy_benchmark", "7.2", str,
            "The billing accuracy report's benchmark, adjusted bills per 10,000 bills issued "
            "(default: the AWWA QualServe 2005 median, 7.2).", check=_benchmark),
    # The office's outgoing mail (issue 20; docs/notices.md). The password is not a
    # setting: it comes from the environment (BILLING_DESK_SMTP_PASSWORD) or is asked for.
    Setting("mail.smtp_host", "", str,
            "Outgoing mail server (SMTP) host name; blank: notices are not sent by email.",
            check=_host),
    Setting("mail.smtp_port", 587, int, "Outgoing mail server port (587 with STARTTLS, 465 "
            "with TLS).", minimum=1, maximum=65535),
    Setting("mail.security", "starttls", str, "How the connection is protected: starttls "
            "(upgrade a plain connection), tls (TLS from the start) or none (a local relay "
            "only).", choices=("starttls", "tls", "none")),
    Setting("mail.login", "", str, "Login at the mail server; blank: no login."),
    Setting("mail.from_address", "", str, "The address notices are sent from.",
            check=_address),
    Setting("mail.reply_to", "", str, "Where customers' replies go (blank: the From address).",
            check=_address),
    Setting("mail.rate_per_minute", 120, int, "At most this many messages a minute (0: no "
            "limit).", minimum=0, maximum=100_000),
    Setting("mail.timeout_seconds", 30, int, "How long to wait for the mail server before "
            "giving up on an attempt.", minimum=1, maximum=600),
)})


_KINDS = {int: "a whole number", str: "text", bool: "true or false",
          dict: "a set of named values"}


def _encode(setting: Setting, value: Any) -> str:
    # bool is an int in Python: refuse it where a number is meant, and vice versa
    if type(value) is not setting.type:
        raise InvalidSetting(f"{setting.key} must be {_KINDS[setting.type]}, not {value!r}")
    if setting.minimum is not None and value < setting.minimum:
        raise InvalidSetting(f"{setting.key} must be at least {setting.minimum}")
    if setting.maximum is not None and value > setting.maximum:
        raise InvalidSetting(f"{setting.key} must be at most {setting.maximum}")
    if setting.choices is not None and value not in setting.choices:
        raise InvalidSetting(f"{setting.key} must be one of: {', '.join(setting.choices)}")
    if setting.check is not None and (why := setting.check(value)) is not None:
        raise InvalidSetting(f"{setting.key}: {why}")
    if setting.type is bool:
        return "true" if value else "false"
    if setting.type is dict:
        if not all(isinstance(k, str) for k in value):
            raise InvalidSetting(f"{setting.key} must name each of its values")
        return canonical_json(value)
    return str(value)


def _decode(setting: Setting, text: str) -> Any:
    if setting.type is bool:
        return text == "true"
    if setting.type is dict:
        return json.loads(text)
    return setting.type(text)


def _declared(key: str) -> Setting:
    try:
        return SETTINGS[key]
    except KeyError:
        raise InvalidSetting(f"there is no setting called {key!r}") from None


class SettingsRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, key: str) -> Any:
        setting = _declared(key)
        text = self._c.value("SELECT value FROM settings WHERE key = ?", (key,))
        # a copy of a mutable default, so a caller changing it changes nothing shared
        return copy.deepcopy(setting.default) if text is None else _decode(setting, text)

    def all(self) -> dict[str, Any]:
        return {key: self.get(key) for key in SETTINGS}

    def set_many(self, values: Mapping[str, Any], *, actor: str) -> None:
        """Several settings as one change: every value is checked first (the first bad
        one is refused, naming its key, and nothing is written), then all are stored in
        one transaction with one audit entry."""
        encoded = {key: _encode(_declared(key), value) for key, value in values.items()}
        with self._c.write(actor) as tx:
            self._check_manager(tx)
            before: dict[str, Any] = {}
            after: dict[str, Any] = {}
            for key, value in values.items():
                setting = SETTINGS[key]
                stored = tx.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
                old = setting.default if stored is None else _decode(setting, stored[0])
                if value == old:
                    continue
                before[key], after[key] = old, value
                if value == setting.default:
                    tx.execute("DELETE FROM settings WHERE key = ?", (key,))
                else:
                    tx.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT "
                               "(key) DO UPDATE SET value = excluded.value", (key, encoded[key]))
            if not after:
                tx.unchanged()
                return
            tx.audit("set", "setting", ", ".join(sorted(after)), None, before, after)

    def set(self, key: str, value: Any, *, actor: str) -> None:
        setting = _declared(key)
        text = _encode(setting, value)
        with self._c.write(actor) as tx:
            self._check_manager(tx)
            stored = tx.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
            before = setting.default if stored is None else _decode(setting, stored[0])
            if value == before:
                tx.unchanged()
                return
            if value == setting.default:
                tx.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                tx.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, text))
            tx.audit("set", "setting", key, None, {key: before}, {key: value})

    @staticmethod
    def _check_manager(tx) -> None:
        """Only an administrator changes the office's settings (a file without users yet
        has no administrator either)."""
        if has_users(tx):
            check_manages_settings(find_user(tx, tx.actor).actor())

    def history_problem(self) -> str | None:
        """Why the settings stored disagree with their history (a value written into the
        table without an audit entry), or None when they match it."""
        from .verify import settings_problem

        return settings_problem(self._c)

    def verified(self, key: str) -> Any:
        """The setting as :meth:`get` gives it, refused (:class:`SettingsAltered`) when the
        settings disagree with their history: what is printed on a letter must be what
        an administrator set."""
        from .errors import SettingsAltered

        problem = self.history_problem()
        if problem is not None:
            raise SettingsAltered(problem)
        return self.get(key)


def stored_value(key: str, text: str | None) -> Any:
    """A setting as it is in effect: its stored text decoded, or its default."""
    setting = _declared(key)
    return copy.deepcopy(setting.default) if text is None else _decode(setting, text)
