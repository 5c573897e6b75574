"""The history head on paper (issue 23): ``verify`` prints the audit chain's head, each
issued memo and each batch manifest carries the head at issue time, and a history
rewritten afterwards -- one entry changed and every hash after it recomputed with the
project's own code, so that ``verify`` alone finds nothing wrong -- no longer agrees
with what was printed."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from billing_desk.documents import DocumentMismatch, check_document, extract_text, prepare_document
from billing_desk.documents.model import DocumentKind as Kind
from billing_desk.documents.settings import document_settings
from billing_desk.domain.canonical import canonical_json
from billing_desk.domain.history import HistoryHead
from billing_desk.issuing import (Manifest, issue_batch, issue_documents, preview_documents,
                                  reprint_document)
from billing_desk.issuing.service import issue_request
from billing_desk.store import IssueRefused, create_case_file, open_case_file
from billing_desk.store.audit import AUDIT_COLUMNS, GENESIS, HASHED, entry_hash
from tests.cli.test_store_cli import run
from tests.documents.inputs import document_input

from .cases import ISSUE_DATE, MAIL_ROOM, SUPERVISOR, approved_case, approved_cases

#: "History head at issue: #7 deaa…" as pdfium reads it from the memo, in either of
#: its languages (nothing else on a memo is "#" and a number)
PRINTED = re.compile(r": #(\d+) ([0-9a-f]{64})")


def printed_head(pdf: bytes) -> HistoryHead:
    found = PRINTED.findall(extract_text(pdf))
    assert len(found) == 1, found
    return HistoryHead(int(found[0][0]), found[0][1])


def verify_out(capsys, path: Path, *expect: str) -> tuple[int, str]:
    args = ["verify", path] + [a for e in expect for a in ("--expect", e)]
    code, out, err = run(capsys, *args)
    assert err == ""
    return code, out


def printed_by_verify(out: str) -> HistoryHead:
    entry, hash_ = re.search(r"^History head: #(\d+) ([0-9a-f]{64})$", out, re.M).groups()
    return HistoryHead(int(entry), hash_)


def rewrite_history(path: Path, entry: int, *, unsigned: bool = False, **changes) -> None:
    """What someone with the file and this project's code can do: change entry
    ``entry`` and recompute its hash and every hash after it (the audit table's
    no-update trigger dropped for the purpose and put back). Without the signers'
    passwords the signatures no longer hold; ``unsigned``: every trace of signing taken
    out as well (the keys from the users and from their history), so that the file
    looks like one made before Billing Desk signed its history."""
    raw = sqlite3.connect(path, isolation_level=None)
    trigger = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_no_update'").fetchone()[0]
    raw.execute("DROP TRIGGER audit_no_update")
    start = 1 if unsigned else entry
    prev = raw.execute("SELECT hash FROM audit WHERE id = ?", (start - 1,)).fetchone()
    prev_hash = prev[0] if prev else GENESIS
    for row in raw.execute(f"SELECT {AUDIT_COLUMNS} FROM audit WHERE id >= ? ORDER BY id",
                           (start,)).fetchall():
        fields = dict(zip(HASHED + ("hash",), row))
        if fields["id"] == entry:
            fields.update(changes)
        if unsigned and fields["entity"] == "user" and fields["after"]:
            after = json.loads(fields["after"])
            after.pop("public_key", None)
            fields["after"] = canonical_json(after) if after else None
            if fields["before"]:
                before = json.loads(fields["before"])
                before.pop("public_key", None)
                fields["before"] = canonical_json(before) if before else None
        fields["prev_hash"] = prev_hash
        fields["hash"] = entry_hash(fields)
        raw.execute("UPDATE audit SET actor = ?, at = ?, before = ?, after = ?, prev_hash = ?, "
                    "hash = ? WHERE id = ?",
                    (fields["actor"], fields["at"], fields["before"], fields["after"],
                     fields["prev_hash"], fields["hash"], fields["id"]))
        prev_hash = fields["hash"]
    if unsigned:
        raw.execute("UPDATE audit SET signed_by = NULL, signature = NULL")
        raw.execute("UPDATE users SET public_key = NULL, sealed_key = NULL")
    raw.execute(trigger)
    raw.close()


def approval_entry(path: Path, case_id: int) -> int:
    raw = sqlite3.connect(path)
    entry = raw.execute("SELECT id FROM audit WHERE case_id = ? AND action = 'approve'",
                        (case_id,)).fetchone()[0]
    raw.close()
    return entry


@pytest.fixture
def office(tmp_path):
    path = tmp_path / "office.bdesk"
    create_case_file(path).close()
    return path


def test_verify_prints_the_head_and_each_memo_carries_the_head_before_its_issue(office, capsys):
    with open_case_file(office) as cf:
        record = approved_case(cf, "18")  # a credit and a back bill: two memos
        before = cf.history_head()
        issue = issue_documents(cf, record.id, actor=MAIL_ROOM, issue_date=ISSUE_DATE)
        memos = {d.kind.value: cf.documents.pdf(d.id) for d in issue.documents}
        letter = memos.pop("letter")
        head = cf.history_head()
    assert set(memos) == {"credit_memo", "back_bill_memo"}
    # the head the memos were made with: the newest entry before the issue's own entry
    assert {kind: printed_head(pdf) for kind, pdf in memos.items()} == {
        "credit_memo": before, "back_bill_memo": before}
    assert issue.entry == head and head.entry == before.entry + 1
    assert "History head" not in extract_text(letter)  # the customer's letter: no
    code, out = verify_out(capsys, office)
    assert code == 0 and "OK: the audit history of" in out
    assert printed_by_verify(out) == head
    # what was printed can be compared with the file at any time
    code, out = verify_out(capsys, office, f"{before.entry}:{before.hash[:16]}",
                           f"#{head.entry} {head.hash}")
    assert code == 0
    assert f"History entry #{before.entry} matches what was written down" in out
    # the issue's audit entry says what the memos print
    with open_case_file(office) as cf:
        entry = cf.audit_log(after=head.entry - 1)[0]
    assert entry.action == "issue" and entry.after["details"]["history_head"] == before.to_json()


def test_a_history_rewritten_after_the_issue_disagrees_with_the_memo(office, capsys):
    with open_case_file(office) as cf:
        record = approved_case(cf, "01")
        issue = issue_documents(cf, record.id, actor=MAIL_ROOM, issue_date=ISSUE_DATE)
        memo = next(cf.documents.pdf(d.id) for d in issue.documents if d.kind.value != "letter")
    on_paper = printed_head(memo)
    code, out = verify_out(capsys, office)
    head_before = printed_by_verify(out)

    # the approval rewritten to name another supervisor, every hash after it recomputed
    approved_at = approval_entry(office, record.id)
    assert approved_at <= on_paper.entry
    backup = office.read_bytes()
    rewrite_history(office, approved_at, actor="admin")
    code, out = verify_out(capsys, office)
    # the chain alone could not tell; the signatures do: sam signed it, not admin
    assert code == 14 and f"BROKEN: entry #{approved_at} (" in out
    assert "is in admin's name but signed by sam" in out or "signature" in out
    # with every trace of signing taken out too, the file looks like one made before
    # signing: only the head on the memo already sent can tell
    office.write_bytes(backup)
    rewrite_history(office, approved_at, unsigned=True, actor="admin")
    code, out = verify_out(capsys, office)
    assert code == 0 and "OK" in out and "Not signed" in out
    head_after = printed_by_verify(out)
    assert head_after.entry == head_before.entry and head_after.hash != head_before.hash
    with open_case_file(office) as cf:
        assert cf.history_entry(on_paper.entry).hash != on_paper.hash
    # the memo already sent says otherwise, and verify says so when told what it printed
    code, out = verify_out(capsys, office, f"{on_paper.entry}:{on_paper.hash}")
    assert code == 14
    assert (f"BROKEN: history entry #{on_paper.entry} was written down as {on_paper.text()}; "
            "the file now holds") in out
    assert "rewritten" in out
    code, out = verify_out(capsys, office, f"{head_before.entry}:{head_before.hash[:20]}")
    assert code == 14  # and so does a head written down from verify itself


def test_a_batch_manifest_carries_each_issue_entry_and_the_head_after_the_run(office, tmp_path, capsys):
    with open_case_file(office) as cf:
        approved_cases(cf, 4)
        manifest = Manifest(tmp_path, case_file=cf.path, actor=MAIL_ROOM, issue_date=ISSUE_DATE,
                            started=cf.cases.find("BD-000001").created_at)
        report = issue_batch(cf, actor=MAIL_ROOM, issue_date=ISSUE_DATE, manifest=manifest,
                             workers=1)
        csv_path, json_path = manifest.close(report, cf.cases.find("BD-000001").created_at)
        # the head after the run's last issue and the mail ledger's record of it; the
        # ledger's entry saying the run finished follows it (issue 14)
        head = cf.history_entry(cf.history_head().entry - 1)
        assert cf.audit_log(after=head.entry)[0].action == "mail_run_finish"
        memos = {r[0]: cf.documents.pdf(r[1]) for r in cf.db.execute(
            "SELECT c.case_number, d.id FROM documents d JOIN cases c ON c.id = d.case_id "
            "WHERE d.kind != 'letter'").fetchall()}
        issue_entries = dict(cf.db.execute(
            "SELECT id, hash FROM audit WHERE action = 'issue'").fetchall())
    assert report.issued_cases == 4 and report.history_head == head
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["history_head"] == head.to_json()
    assert {(d["history_entry"], d["history_hash"]) for d in data["documents"]} == set(
        issue_entries.items())
    import csv

    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    assert {(int(r["history_entry"]), r["history_hash"]) for r in rows} == set(issue_entries.items())
    # every memo printed a head that the file holds (the newest entry when it was made)
    for pdf in memos.values():
        printed = printed_head(pdf)
        assert issue_entries.get(printed.entry) in (None, printed.hash)
        assert verify_out(capsys, office, f"{printed.entry}:{printed.hash}")[0] == 0
    assert verify_out(capsys, office, f"{head.entry}:{head.hash}")[0] == 0

    rewrite_history(office, 3, unsigned=True, at="2020-01-01T00:00:00.000000Z")  # an early entry's time
    code, out = verify_out(capsys, office)
    assert code == 0
    assert printed_by_verify(out) != head
    code, out = verify_out(capsys, office, f"{head.entry}:{head.hash}",
                           f"{rows[0]['history_entry']}:{rows[0]['history_hash']}")
    assert code == 14 and out.count("BROKEN: history entry") == 2


def test_the_batch_prints_its_head_on_the_command_line(office, tmp_path, capsys, monkeypatch):
    from billing_desk.cli.signin import PASSWORD_ENV
    from tests.staff import PASSWORD

    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with open_case_file(office) as cf:
        approved_cases(cf, 2)
    code, out, _ = run(capsys, "issue-batch", office, "--out", tmp_path, "--workers", "1",
                       "--as", MAIL_ROOM)
    assert code == 0
    with open_case_file(office) as cf:  # (the mail ledger's "finished" entry follows it)
        head = cf.history_entry(cf.history_head().entry - 1)
    assert f"History head after the batch: {head.text()}" in out
    with open_case_file(office) as cf:
        approved_case(cf, "23")
    code, out, _ = run(capsys, "issue", office, "BD-000003", "--as", MAIL_ROOM)
    with open_case_file(office) as cf:
        head = cf.history_head()
    assert code == 0 and f"History entry of the issue: {head.text()}" in out


def test_an_issue_naming_a_head_the_file_does_not_have_is_refused(office):
    from billing_desk.documents import prepare_issue
    from billing_desk.issuing.inputs import document_input as case_input, settings_values
    from billing_desk.issuing.signoffs import signoffs_for
    from billing_desk.documents import document_settings

    with open_case_file(office) as cf:
        record = approved_case(cf, "01")
        real = cf.history_head()
        values = settings_values(cf)
        for wrong in (HistoryHead(real.entry, "0" * 64), HistoryHead(real.entry + 5, real.hash)):
            inp = case_input(record, signoffs_for(cf, record), issue_date=ISSUE_DATE,
                             settings=document_settings(values), history_head=wrong)
            request = issue_request(record, inp, prepare_issue(inp), inp.determination.to_json(),
                                    values)
            with pytest.raises(IssueRefused, match="not this case file's"):
                cf.issues.issue(request, actor=MAIL_ROOM)
        assert cf.db.execute("SELECT count(*) FROM documents").fetchone() == (0,)
        assert cf.history_head() == real
        assert cf.cases.load(record.id).status.value == "approved"


def test_a_reprint_prints_the_same_head_and_a_preview_says_it_comes_with_the_issue(office):
    with open_case_file(office) as cf:
        record = approved_case(cf, "18")
        shown = preview_documents(cf, cf.cases.load(record.id), issue_date=ISSUE_DATE)
        issue = issue_documents(cf, record.id, actor=MAIL_ROOM, issue_date=ISSUE_DATE)
        memo = next(d for d in issue.documents if d.kind.value != "letter")
        copy = reprint_document(cf, memo.id, actor=SUPERVISOR)
        original = cf.documents.pdf(memo.id)
    assert printed_head(copy.pdf) == printed_head(original)
    preview_memo = next(d for d in shown if d.kind.value != "letter")
    assert "History head at issue: Printed when the memo is issued" in extract_text(preview_memo.pdf)


def test_the_read_back_check_refuses_a_memo_with_another_head():
    head = HistoryHead(41, "ab" * 32)
    # (a Spanish-speaking office: the memo in the office's language)
    inp = replace(document_input("01", settings=document_settings({"office.locale": "es_US"})),
                  history_head=head)
    memo = prepare_document(inp, Kind.CREDIT_MEMO)
    assert f"Historial al emitir: {head.text()}" in extract_text(memo.pdf)
    other = replace(inp, history_head=HistoryHead(41, "cd" * 32))
    with pytest.raises(DocumentMismatch, match="history head 'Historial al emitir: #41 cdcd"):
        check_document(other, Kind.CREDIT_MEMO, memo.pdf)
