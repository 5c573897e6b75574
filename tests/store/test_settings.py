"""Settings declared once, stored in the case file, changed with an audit entry."""

from __future__ import annotations

import pytest

from billing_desk.store import SETTINGS, InvalidSetting
from tests.backends import rows


def test_defaults_until_changed(case_file):
    assert case_file.settings.all() == {k: s.default for k, s in SETTINGS.items()}
    case_file.settings.set("attachment_max_bytes", 10_000_000, actor="admin")
    assert case_file.settings.get("attachment_max_bytes") == 10_000_000
    entry = case_file.audit_log()[-1]
    assert (entry.action, entry.actor, entry.before, entry.after) == (
        "set", "admin", {"attachment_max_bytes": 25_000_000}, {"attachment_max_bytes": 10_000_000})
    case_file.settings.set("attachment_max_bytes", 25_000_000, actor="admin")
    assert rows(case_file, "SELECT count(*) FROM settings") == [(0,)]
    assert case_file.verify().ok


@pytest.mark.parametrize("key,value,message", [
    ("attachment_max_bytes", "10", "must be a whole number"),
    ("attachment_max_bytes", True, "must be a whole number"),
    ("attachment_max_bytes", 0, "at least 1"),
    ("colour", "red", "no setting called"),
])
def test_bad_values_are_refused(case_file, key, value, message):
    with pytest.raises(InvalidSetting, match=message):
        case_file.settings.set(key, value, actor="admin")
    assert case_file.audit_log() == []


def test_every_setting_is_described():
    for s in SETTINGS.values():
        assert s.description and isinstance(s.default, s.type)


def test_document_settings_are_kept_as_named_values(case_file):
    assert case_file.settings.get("documents") == {}
    chosen = {"letterhead.name": "Loveland Water & Power", "backbill.installment_months": "6"}
    case_file.settings.set("documents", chosen, actor="admin")
    assert case_file.settings.get("documents") == chosen
    entry = case_file.audit_log()[-1]
    assert (entry.before, entry.after) == ({"documents": {}}, {"documents": chosen})
    with pytest.raises(InvalidSetting, match="must be a set of named values"):
        case_file.settings.set("documents", "Loveland", actor="admin")
    case_file.settings.get("documents")["letterhead.name"] = "changed in memory only"
    assert case_file.settings.get("documents") == chosen
    assert case_file.verify().ok


def test_only_an_administrator_changes_a_setting_of_a_file_with_users(staffed):
    from billing_desk.domain.accounts import AccountRefused

    with pytest.raises(AccountRefused, match="Only an administrator can change the office"):
        staffed.settings.set("documents", {"letterhead.phone": "555"}, actor="alice")
    staffed.settings.set("documents", {"letterhead.phone": "555"}, actor="root")
    assert staffed.settings.get("documents") == {"letterhead.phone": "555"}


def test_settings_written_behind_the_applications_back_break_verify(case_file):
    from billing_desk.store import SettingsAltered
    from tests.backends import raw

    case_file.settings.set("documents", {"letterhead.phone": "555"}, actor="admin")
    assert case_file.settings.history_problem() is None and case_file.verify().ok
    with raw(case_file) as r:
        r.execute("UPDATE settings SET value = ? WHERE key = 'documents'",
                  ('{"letterhead.phone": "(555) 010-9999"}',))
        r.execute("INSERT INTO settings (key, value) VALUES ('attachment_max_bytes', '10')")
    report = case_file.verify()
    assert not report.ok and "attachment_max_bytes differs from its history" in report.problem
    with pytest.raises(SettingsAltered, match="do not match their history"):
        case_file.settings.verified("documents")
    with raw(case_file) as r:
        r.execute("DELETE FROM settings WHERE key = 'attachment_max_bytes'")
    assert "documents (letterhead.phone) differs" in case_file.verify().problem
