"""The outbox in the store, on both backends: one row per (case, determination, document,
channel), moves the domain allows and no other -- refused by the case file or the
database itself, whoever writes to it -- each change audited; the schema migration from
every earlier version; the mail settings saved all together or not at all."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from billing_desk.domain.delivery import Delivery
from billing_desk.domain.outbox import MOVES, Move, MoveRefused, NoticeState, Outcome
from billing_desk.store import InvalidSetting, create_case_file, open_case_file
from billing_desk.store.outbox import NoticeRequest, SendResult, WantedNotice
from billing_desk.store.sqlite.schema import LATEST_VERSION, V7_NOTICE_MOVES
from tests.backends import raw
from tests.issuing.notice_cases import add_issued_cases

from .conftest import shared_draft
from .test_migrations import file_at_version


@pytest.fixture
def issued(case_file):
    add_issued_cases(case_file, 2, workers=1)
    return case_file


def _requests(cf):
    return [NoticeRequest(w, f"<n{w.case_id}@example.org>") for w in cf.outbox.wanted()]


def test_a_notice_is_queued_once_per_key(issued):
    first = issued.outbox.queue(_requests(issued), actor="mailroom")
    assert [n.state for n in first] == [NoticeState.QUEUED] * 2
    assert issued.outbox.wanted() == []
    # the same key again, even with another Message-ID: nothing added, nothing audited
    entries = len(issued.audit_log(limit=10_000))
    w = first[0]
    same = WantedNotice(w.case_id, w.case_number, w.fingerprint, w.document_id,
                        w.document_sha256, w.to_address)
    assert issued.outbox.queue([NoticeRequest(same, "<other@example.org>")], actor="mailroom") == []
    assert issued.outbox.count() == 2 and len(issued.audit_log(limit=10_000)) == entries
    # and from outside the app the store refuses it too
    r = raw(issued)
    with pytest.raises(r.refused, match="(?i)unique"):
        r.execute("INSERT INTO outbox (case_id, fingerprint, document, channel, document_id, "
                    "document_sha256, message_id, to_address, state, queued_at, queued_by, "
                    "updated_at) SELECT case_id, fingerprint, document, channel, document_id, "
                    "document_sha256, '<x@y>', to_address, 'queued', queued_at, queued_by, "
                    "updated_at FROM outbox WHERE id = 1")
    r.close()


def test_the_store_refuses_a_memo_or_another_cases_letter(issued):
    r = raw(issued)
    memo = r.execute("SELECT id, case_id, fingerprint, sha256 FROM documents WHERE kind <> "
                       "'letter' LIMIT 1").fetchone()
    letters = r.execute("SELECT id, case_id, fingerprint, sha256 FROM documents WHERE "
                          "kind = 'letter' ORDER BY id").fetchall()
    insert = ("INSERT INTO outbox (case_id, fingerprint, document, channel, document_id, "
              "document_sha256, message_id, to_address, state, queued_at, queued_by, updated_at) "
              "VALUES (?, ?, ?, 'email', ?, ?, ?, 'a@example.com', 'queued', "
              "'2026-01-02T03:04:05.000000Z', 'x', '2026-01-02T03:04:05.000000Z')")
    if memo is not None:
        with pytest.raises(r.refused, match="(?i)check"):
            r.execute(insert, (memo[1], memo[2], "credit_memo", memo[0], memo[3], "<m@x>"))
    (a_id, a_case, a_fp, a_sha), (b_id, *_rest) = letters
    with pytest.raises(r.refused, match="its own case's issued document"):
        r.execute(insert, (a_case, a_fp, "letter", b_id, a_sha, "<b@x>"))
    r.close()


def test_moves_are_the_domains_and_the_store_refuses_any_other(issued):
    assert {f"{s.value}>{t.value}" for (s, _m), t in MOVES.items()} == set(V7_NOTICE_MOVES)
    [notice, _] = issued.outbox.queue(_requests(issued), actor="mailroom")
    r = raw(issued)
    for bad in ("sent", "uncertain", "failed_permanent"):
        with pytest.raises(r.refused, match="not allowed"):
            r.execute("UPDATE outbox SET state = ? WHERE id = ?", (bad, notice.id))
    claimed = issued.outbox.claim(notice.id, "host:1:1:ab", actor="mailroom")
    assert claimed.state is NoticeState.SENDING and claimed.attempts == 1
    # a second claim of the same row (another sender) gets nothing
    assert issued.outbox.claim(notice.id, "host:2:2:cd", actor="mailroom") is None
    [uncertain] = issued.outbox.abandon([(notice.id, "host:1:1:ab")], "stopped", actor="mailroom")
    assert uncertain.state is NoticeState.UNCERTAIN
    with pytest.raises(r.refused, match="not allowed"):
        r.execute("UPDATE outbox SET state = 'sending', claim_token = 'x' WHERE id = ?",
                  (notice.id,))
    with pytest.raises(r.refused, match="only as a copy"):
        r.execute("UPDATE outbox SET state = 'queued' WHERE id = ?", (notice.id,))
    with pytest.raises(r.refused, match="keeps its key"):
        r.execute("UPDATE outbox SET to_address = 'someone@else.example' WHERE id = ?",
                  (notice.id,))
    with pytest.raises(r.refused, match="cannot be deleted"):
        r.execute("DELETE FROM outbox")
    if r.is_server:
        with pytest.raises(r.refused, match="cannot be truncated"):
            r.execute("TRUNCATE outbox")
    r.close()
    with pytest.raises(MoveRefused):
        issued.outbox.decide(notice.id, Move.RETRY, actor="mailroom")
    marked = issued.outbox.decide(notice.id, Move.MARK_SENT, actor="mailroom", note="phoned")
    assert marked.state is NoticeState.SENT and marked.sent_at is not None
    with pytest.raises(MoveRefused, match="never sent again"):
        issued.outbox.decide(notice.id, Move.RESEND_COPY, actor="mailroom")
    actions = [e.action for e in issued.cases.history(notice.case_id) if e.entity == "notice"]
    assert actions == ["queue", "sending", "uncertain", "marked as sent"]
    assert issued.verify().ok


def test_a_late_answer_of_a_sender_counts_and_a_stale_one_is_only_recorded(issued):
    notice = issued.outbox.queue(_requests(issued), actor="mailroom")[0]
    issued.outbox.claim(notice.id, "h:1:1:a", actor="mailroom")
    issued.outbox.abandon([(notice.id, "h:1:1:a")], "stopped", actor="mailroom")
    # the first sender was alive after all, and its message was accepted
    done = issued.outbox.finish(SendResult(notice.id, "h:1:1:a", Outcome.ACCEPTED, "250 ok"),
                                actor="mailroom")
    assert done.state is NoticeState.SENT
    # an answer from a claim that is not the row's changes nothing but is kept
    issued.outbox.finish(SendResult(notice.id, "h:9:9:z", Outcome.PERMANENT, "550 no"),
                         actor="mailroom")
    assert issued.outbox.get(notice.id).state is NoticeState.SENT
    assert [e.action for e in issued.cases.history(notice.case_id)][-1] == "late answer"


@pytest.mark.parametrize("version", range(LATEST_VERSION))
def test_every_earlier_version_gains_the_outbox_and_keeps_its_cases(tmp_path, version):
    path = file_at_version(tmp_path / "old.bdesk", version)
    with open_case_file(path) as cf:
        record = cf.cases.create(shared_draft("18-"), actor="alice")
        assert record.draft.account.email is None and cf.outbox.count() == 0
        assert cf.cases.load(record.id) == record
        assert cf.verify().ok


def test_a_version_3_file_with_cases_migrates_and_its_cases_take_an_email(tmp_path):
    path = file_at_version(tmp_path / "office.bdesk", 3)
    conn = sqlite3.connect(path, isolation_level=None)
    assert "email" not in [c[1] for c in conn.execute("PRAGMA table_info(cases)")]
    conn.close()
    with open_case_file(path) as cf:
        record = cf.cases.create(shared_draft("01-"), actor="alice")
        account = replace(record.draft.account, email="pat@example.com", delivery=Delivery.BOTH)
        cf.cases.save(record.id, replace(record.draft, account=account), expected_revision=1,
                      actor="alice")
        loaded = cf.cases.load(record.id).draft.account
        assert (loaded.email, loaded.delivery) == ("pat@example.com", Delivery.BOTH)
        assert cf.verify().ok
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE cases SET delivery = 'fax'")
    conn.close()


def test_mail_settings_are_saved_together_or_not_at_all(case_file):
    with case_file as cf:
        good = {"mail.smtp_host": "mail.example.org", "mail.smtp_port": 465,
                "mail.security": "tls", "mail.from_address": "billing@example.org"}
        entries = len(cf.audit_log())
        cf.settings.set_many(good, actor="admin")
        assert [cf.settings.get(k) for k in good] == list(good.values())
        assert len(cf.audit_log()) == entries + 1  # one change, one entry
        for key, bad, why in (("mail.smtp_port", 70000, "at most 65535"),
                              ("mail.security", "ssl", "one of: starttls, tls, none"),
                              ("mail.from_address", "billing.example.org", "exactly one @"),
                              ("mail.smtp_host", "mail example", "no spaces"),
                              ("mail.rate_per_minute", -1, "at least 0")):
            with pytest.raises(InvalidSetting, match=f"{key}.*{why}"):
                cf.settings.set_many({"mail.smtp_host": "other.example.org", key: bad},
                                     actor="admin")
            assert cf.settings.get("mail.smtp_host") == "mail.example.org"  # nothing half-saved
        assert len(cf.audit_log()) == entries + 1
