"""Nothing issues from a case, or with office settings, that disagree with the history
(issue 14, point 1), on a case file and on a server. The attacks are made from outside
the app: the store edited with sqlite3 or psycopg, the fingerprint recomputed with the
project's own code."""

from __future__ import annotations

import csv
import json

import pytest

from billing_desk.cli import main
from billing_desk.cli.signin import PASSWORD_ENV
from billing_desk.documents import extract_text
from billing_desk.domain.accounts import AccountRefused
from billing_desk.domain.fingerprint import case_fingerprint
from billing_desk.domain.rulepacks import get_rule_pack
from billing_desk.issuing import (change_letter_settings, change_setting, issue_documents,
                                  preview_documents)
from billing_desk.issuing.inputs import document_input
from billing_desk.issuing.service import issue_request
from billing_desk.issuing.signoffs import signoffs_for
from billing_desk.store import (CaseAltered, IssueRefused, SettingsAltered, create_store,
                                open_store)
from tests.backends import raw as raw_connection, tamper
from billing_desk.documents import document_settings, prepare_issue
from tests.staff import PASSWORD

from .cases import CLERK, ISSUE_DATE, MAIL_ROOM, approved_case, ensure_office

OURS = dict(number="300-4400-17", customer_name="María Peña Núñez",
            service_address="1200 S College Ave, Fort Collins, CO 80525",
            mailing_address="PO Box 2214, Fort Collins, CO 80522")
THEIRS = ("Jordan Blake", "1630 Pearl St, Boulder, CO 80302")  # another customer's


@pytest.fixture(autouse=True)
def passwords(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


def office(target):
    """The approved case in a new store (a case file, or a database on the server)."""
    path = target
    with create_store(path) as cf:
        record = approved_case(cf, "18", **OURS)
    return path, record


def redirect_letter(path, case_id: int) -> None:
    """The attack: another customer's name and address written into an approved case
    from outside the app, its fingerprint recomputed with the project's code so the approval
    seems to bind to it."""
    tamper(path, "UPDATE cases SET customer_name = ?, mailing_address = ? WHERE id = ?",
           params=(*THEIRS, case_id), restore=True)
    with open_store(path) as cf:  # (only read: to recompute with Billing Desk's code)
        case = cf.cases.load(case_id).draft.check().case
    pack = get_rule_pack(case.rule_pack)
    fingerprint = case_fingerprint(case, pack.name, pack.version)
    tamper(path, "UPDATE cases SET approved_fingerprint = ?, submitted_fingerprint = ? "
           "WHERE id = ?", params=(fingerprint, fingerprint, case_id), restore=True)


def documents_in(path) -> int:
    with raw_connection(path) as r:
        return r.value("SELECT count(*) FROM documents")


def test_a_case_redirected_in_the_file_is_refused_by_issue_and_verify(store_target, tmp_path, capsys):
    path, record = office(store_target)
    redirect_letter(path, record.id)
    code = main(["issue", str(path), record.case_number, "--as", MAIL_ROOM])
    err = capsys.readouterr().err
    assert code == 18
    assert f"Case {record.case_number} is not printed or issued: its stored data does not " \
           "match its history" in err
    assert "customer_name" in err and "mailing_address" in err
    assert documents_in(path) == 0
    assert main(["verify", str(path)]) == 14
    assert "BROKEN" in capsys.readouterr().out


def test_a_redirected_case_is_refused_by_the_batch_with_its_reason(store_target, tmp_path, capsys):
    path, record = office(store_target)
    with open_store(path) as cf:
        other = approved_case(cf, "13")
    redirect_letter(path, record.id)
    code = main(["issue-batch", str(path), "--out", str(tmp_path), "--workers", "1",
                 "--as", MAIL_ROOM])
    out = capsys.readouterr().out
    assert code == 18 and "+ refused 1 +" in out and "adds up" in out
    assert f"refused {record.case_number}" in out and "does not match its history" in out
    rows = list(csv.DictReader(next(tmp_path.glob("issue-batch-*.csv")).open(encoding="utf-8")))
    refused = [r for r in rows if r["status"] == "refused"]
    assert [r["case"] for r in refused] == [record.case_number]
    assert "does not match its history" in refused[0]["reason"]
    assert {r["case"] for r in rows if r["status"] == "issued"} == {other.case_number}
    with open_store(path) as cf:
        assert cf.cases.load(record.id).status.value == "approved"


def test_the_app_refuses_to_issue_or_preview_a_redirected_case(store_target, tmp_path):
    path, record = office(store_target)
    redirect_letter(path, record.id)
    with open_store(path) as cf:
        with pytest.raises(CaseAltered, match="does not match its history"):
            issue_documents(cf, record.id, actor=MAIL_ROOM, issue_date=ISSUE_DATE)
        with pytest.raises(CaseAltered):
            preview_documents(cf, cf.cases.load(record.id), issue_date=ISSUE_DATE)
    assert documents_in(path) == 0


def test_the_store_refuses_an_issue_whose_case_was_altered_after_it_was_rendered(store_target, tmp_path):
    """Where the data lives: rendered from the case as it was, stored after someone
    edited the file -- the issue's transaction checks the history itself."""
    path, record = office(store_target)
    with open_store(path) as cf:
        values = cf.settings.get("documents")
        inp = document_input(record, signoffs_for(cf, record), issue_date=ISSUE_DATE,
                             settings=document_settings(values), history_head=cf.history_head())
        request = issue_request(record, inp, prepare_issue(inp), inp.determination.to_json(),
                                values)
        tamper(path, "UPDATE cases SET mailing_address = ? WHERE id = ?",
               params=(THEIRS[1], record.id), restore=True)
        with pytest.raises(CaseAltered):
            cf.issues.issue(request, actor=MAIL_ROOM)
        # and documents rendered with other settings than the file's history records
        tamper(path, "UPDATE cases SET mailing_address = ? WHERE id = ?",
               params=(OURS["mailing_address"], record.id), restore=True)
        other = issue_request(record, inp, prepare_issue(inp), inp.determination.to_json(),
                              {"letterhead.phone": "(555) 010-9999"})
        with pytest.raises(IssueRefused, match="rendered with other office settings"):
            cf.issues.issue(other, actor=MAIL_ROOM)
        assert cf.issues.issue(request, actor=MAIL_ROOM).created
    assert documents_in(path) == 3


def test_a_phone_number_written_into_the_settings_is_refused_and_verify_says_so(store_target, tmp_path, capsys):
    path, record = office(store_target)
    with raw_connection(path) as r:
        r.execute("INSERT INTO settings (key, value) VALUES ('documents', ?)",
                  (json.dumps({"letterhead.phone": "(555) 010-9999"}),))
    assert main(["issue", str(path), record.case_number, "--as", MAIL_ROOM]) == 18
    err = capsys.readouterr().err
    assert "office settings in the case file do not match their history" in err
    assert "documents (letterhead.phone)" in err
    assert documents_in(path) == 0
    assert main(["verify", str(path)]) == 14
    assert "letterhead.phone" in capsys.readouterr().out
    assert main(["settings", "list", str(path)]) == 0
    assert "BROKEN: the setting documents (letterhead.phone)" in capsys.readouterr().out
    with open_store(path) as cf:
        with pytest.raises(SettingsAltered):
            preview_documents(cf, record, issue_date=ISSUE_DATE)
    # an administrator sets the telephone: recorded, the history agrees, letters print it
    assert main(["settings", "set", str(path), "letterhead.phone", "(970) 221-6700",
                 "--as", "admin"]) == 0
    assert main(["verify", str(path)]) == 0
    capsys.readouterr()
    assert main(["issue", str(path), record.case_number, "--as", MAIL_ROOM]) == 0
    with open_store(path) as cf:
        letter = next(d for d in cf.documents.list(record.id) if d.kind.value == "letter")
        assert "(970) 221-6700" in extract_text(cf.documents.pdf(letter.id))


def test_only_an_administrator_changes_the_letter_settings(store_target, tmp_path, capsys):
    path, _ = office(store_target)
    with open_store(path) as cf:
        with pytest.raises(AccountRefused, match="Only an administrator can change the office"):
            change_setting(cf, "letterhead.phone", "(555) 010-9999", actor=CLERK)
        before = cf.history_head().entry
        change_letter_settings(cf, {"letterhead.phone": "(970) 221-6700",
                                    "letterhead.hours.es_US": "de lunes a jueves, de 7 a 6",
                                    "letterhead.address": ["300 LaPorte Ave",
                                                           "Fort Collins, CO 80521"]},
                               actor="admin")
        entries = cf.audit_log(after=before)
        assert [(e.action, e.entity, e.entity_id, e.actor) for e in entries] == [
            ("set", "setting", "documents", "admin")]  # one action, one entry
        assert entries[0].after["documents"]["letterhead.phone"] == "(970) 221-6700"
        assert cf.verify().ok
    assert main(["settings", "set", str(path), "letterhead.phone", "555", "--as", CLERK]) == 15
    assert "Only an administrator" in capsys.readouterr().err
    assert main(["settings", "set", str(path), "letterhead.email", "a\x07b", "--as", "admin"]) == 2
    assert "letterhead.email contains a control character" in capsys.readouterr().err
    assert main(["settings", "list", str(path)]) == 0
    out = capsys.readouterr().out
    assert "letterhead.phone" in out and "(970) 221-6700" in out
    assert "300 LaPorte Ave / Fort Collins, CO 80521" in out
    assert "The settings match their history." in out
    assert main(["settings", "reset", str(path), "letterhead.hours.es_US", "--as", "admin"]) == 0
    with open_store(path) as cf:
        assert "letterhead.hours" not in cf.settings.get("documents")
        assert cf.verify().ok


def test_the_attack_printed_the_other_customer_before(store_target, tmp_path):
    """What the check stops (issue 14): without the history check this case would be
    rendered for Jordan Blake under our account number -- the documents alone cannot
    tell, since the case and its fingerprint agree with each other."""
    path, record = office(store_target)
    redirect_letter(path, record.id)
    with open_store(path) as cf:
        tampered = cf.cases.load(record.id)
        ensure_office(cf)
        inp = document_input(tampered, signoffs_for(cf, tampered), issue_date=ISSUE_DATE,
                             settings=document_settings({}))
        letter = prepare_issue(inp)[0]  # the documents layer has nothing to object to
        assert "Jordan Blake" in extract_text(letter.pdf) and "300-4400-17" in extract_text(letter.pdf)
        assert not cf.verify_case(record.id).ok  # the history does
