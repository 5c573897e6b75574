"""The office's settings as an administrator reads and changes them (``billing-desk
settings`` and the app's Office settings dialog): the letter settings of the documents
layer (letterhead, telephone, e-mail, signatures, installments, due and review days,
languages...) and the case file's own (the largest attachment). Every change is one
audited action of an administrator (the store refuses anyone else) and is validated
first: a value the letters could not print, or of the wrong kind, is refused naming
the setting, and nothing is saved.

A per-language setting is named with its language: ``letterhead.hours.es_US``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ..documents import SETTINGS as DOCUMENT_SETTINGS
from ..documents import SettingInvalid, document_settings
from ..documents.settings import SETTINGS_BY_KEY, SUPPORTED_LOCALES
from ..store import SETTINGS as FILE_SETTINGS
from ..store import CaseFile, InvalidSetting

#: case-file settings an administrator may change here (the demo mark is the demo's)
FILE_KEYS = ("attachment_max_bytes",)


@dataclass(frozen=True, slots=True)
class SettingView:
    key: str  # as typed on the command line (a language suffix for a localized one)
    value: str  # as shown: lines joined by " / "
    is_default: bool
    description: str
    lines: bool = False  # the value is one line per line (an address)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return " / ".join(str(value).splitlines()) if isinstance(value, str) else str(value)


def office_settings(cf: CaseFile) -> list[SettingView]:
    """Every setting with its value in effect, in the order they are declared."""
    stored = cf.settings.get("documents")
    out: list[SettingView] = []
    for s in DOCUMENT_SETTINGS:
        if s.type == "localized":
            chosen = stored.get(s.key)
            chosen = chosen if isinstance(chosen, dict) else {}
            for loc in SUPPORTED_LOCALES:
                value = chosen.get(loc, s.default[loc])
                out.append(SettingView(f"{s.key}.{loc}", _shown(value), value == s.default[loc],
                                       f"{s.description} ({loc})"))
        else:
            value = stored.get(s.key, s.default)
            out.append(SettingView(s.key, _shown(value), s.key not in stored, s.description,
                                   lines=s.type == "lines"))
    for key in FILE_KEYS:
        s = FILE_SETTINGS[key]
        value = cf.settings.get(key)
        out.append(SettingView(key, _shown(value), value == s.default, s.description))
    return out


def _documents_key(key: str) -> tuple[str, str | None]:
    """(setting, language) of a documents key as typed (``letterhead.hours.es_US``)."""
    if key in SETTINGS_BY_KEY and SETTINGS_BY_KEY[key].type != "localized":
        return key, None
    base, _, loc = key.rpartition(".")
    if base in SETTINGS_BY_KEY and SETTINGS_BY_KEY[base].type == "localized":
        if loc not in SUPPORTED_LOCALES:
            raise SettingInvalid(f"Setting {base} is given per language: name it "
                                 f"{base}.en_US or {base}.es_US.")
        return base, loc
    if key in SETTINGS_BY_KEY:
        raise SettingInvalid(f"Setting {key} is given per language: name it {key}.en_US or "
                             f"{key}.es_US.")
    known = ", ".join([*(s.key for s in DOCUMENT_SETTINGS), *FILE_KEYS])
    raise SettingInvalid(f"There is no setting {key!r}; the settings are: {known}.")


def change_setting(cf: CaseFile, key: str, value: str | Sequence[str] | None, *,
                   actor: str) -> None:
    """Set ``key`` to ``value`` (text as typed; the lines of an address as a list), or
    back to its default when ``value`` is None. Refused with a message naming the
    setting (``SettingInvalid``, ``InvalidSetting``), or by the store when ``actor`` is
    not an administrator; nothing is saved then."""
    if key in FILE_KEYS:
        _change_file_setting(cf, key, value, actor=actor)
    else:
        change_letter_settings(cf, {key: value}, actor=actor)


def change_letter_settings(cf: CaseFile, changes: dict[str, str | Sequence[str] | None], *,
                           actor: str) -> None:
    """Several letter settings changed as one action (the app's dialog saved): one
    transaction, one audit entry, all of it or -- a value refused, naming its
    setting -- none of it."""
    values = dict(cf.settings.get("documents"))
    for key, value in changes.items():
        values = _changed(values, key, value)
    document_settings(values)  # every value checked before anything is saved
    cf.settings.set("documents", values, actor=actor)


def _change_file_setting(cf: CaseFile, key: str, value, *, actor: str) -> None:
    setting = FILE_SETTINGS[key]
    if value is None:
        cf.settings.set(key, setting.default, actor=actor)
        return
    text = value if isinstance(value, str) else " ".join(value)
    try:
        parsed = setting.type(text.strip())
    except ValueError:
        raise InvalidSetting(f"{key} must be a whole number, not {text!r}") from None
    cf.settings.set(key, parsed, actor=actor)


def _changed(values: dict[str, Any], key: str, value) -> dict[str, Any]:
    """The letter settings ``values`` with ``key`` set to ``value`` (None: its default)."""
    base, loc = _documents_key(key)
    values = dict(values)
    setting = SETTINGS_BY_KEY[base]
    if value is None:
        if loc is None:
            values.pop(base, None)
        else:
            chosen = {**setting.default, **(values.get(base) or {}), loc: setting.default[loc]}
            if chosen == dict(setting.default):
                values.pop(base, None)
            else:
                values[base] = chosen
    elif loc is not None:
        chosen = dict(values.get(base) or setting.default)
        chosen[loc] = value if isinstance(value, str) else " ".join(value)
        values[base] = chosen
    elif setting.type == "lines":
        values[base] = value if isinstance(value, str) else "\n".join(value)
    else:
        values[base] = value if isinstance(value, str) else " ".join(value)
    return values


def office_settings_file_keys() -> tuple[str, ...]:
    """The keys of :func:`office_settings` that are the case file's, not the letters'."""
    return FILE_KEYS
