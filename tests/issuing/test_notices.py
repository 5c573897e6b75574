"""The check before a message is handed to the mail server: a message built for one case
passes for that case and for no other -- its text, its addressee and its attached letter
all read back -- and a message changed after it was built (someone copied, another
letter attached, a link added) is blocked with every reason."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest

from billing_desk.issuing.notices import (NoticeBlocked, Sender, WIRE, build_message,
                                          check_message, expected_notice, notice_input,
                                          prepare_notice)
from billing_desk.issuing.outbox import queue_notices
from tests.issuing.cases import MAIL_ROOM
from tests.issuing.notice_cases import FROM, identities_in

WHEN = datetime(2026, 3, 4, 15, 0, tzinfo=timezone.utc)
SENDER = Sender(FROM, "help@utilities.example")


@pytest.fixture
def two(notices_file):
    """The messages of the first two notices, and what each must be."""
    queue_notices(notices_file, actor=MAIL_ROOM)
    out = []
    for notice in notices_file.outbox.list()[:2]:
        _record, inp, pdf = notice_input(notices_file, notice)
        expected = expected_notice(notice, inp, SENDER)
        raw = build_message(expected, pdf, WHEN).as_bytes(policy=WIRE)
        out.append((notice, inp, pdf, expected, raw))
    return out


def test_a_message_passes_for_its_own_case_and_no_other(two):
    (na, inp_a, _pdf_a, exp_a, raw_a), (nb, inp_b, _pdf_b, exp_b, raw_b) = two
    check_message(raw_a, [na.to_address], exp_a, inp_a)
    check_message(raw_b, [nb.to_address], exp_b, inp_b)
    with pytest.raises(NoticeBlocked) as crossed:
        check_message(raw_a, [nb.to_address], exp_b, inp_b)
    problems = " | ".join(crossed.value.problems)
    for what in ("To names", "the text is not the one made from this case",
                 "the attachment is not the letter as issued", "Message-ID"):
        assert what in problems
    # the letter of one case attached to the other's message is caught by its bytes and,
    # were they equal, by reading it back
    with pytest.raises(NoticeBlocked, match="envelope window"):
        check_message(raw_a, [na.to_address],
                      dataclasses.replace(exp_b, attachment_sha256=exp_a.attachment_sha256,
                                          to=na.to_address), inp_b)


def test_what_the_customer_reads_is_their_own_data_without_links(two):
    (na, _inp, _pdf, exp, _raw), _ = two
    me = identities_in(na.to_address.replace("customer", "Número "))
    assert identities_in(exp.body) == identities_in(exp.subject) == me
    assert "http" not in exp.body and "www." not in exp.body and "fcgov.com/" not in exp.body
    assert exp.identity.mailing_one_line in exp.body


@pytest.mark.parametrize("tamper,reason", [
    (lambda raw: raw.replace(b"\r\nTo: ", b"\r\nCc: eve@example.net\r\nTo: ", 1), "cc header"),
    (lambda raw: raw.replace(b"\r\nTo: ", b"\r\nBcc: eve@example.net\r\nTo: ", 1), "bcc header"),
    (lambda raw: raw.replace(b"Message-ID: <notice.", b"Message-ID: <other.", 1), "Message-ID"),
])
def test_a_message_changed_after_it_was_built_is_blocked(two, tamper, reason):
    (na, inp, _pdf, exp, raw), _ = two
    with pytest.raises(NoticeBlocked, match=reason):
        check_message(tamper(raw), [na.to_address], exp, inp)


def test_a_second_recipient_or_a_link_is_blocked(two):
    (na, inp, pdf, exp, raw), _ = two
    with pytest.raises(NoticeBlocked, match="not to .* alone"):
        check_message(raw, [na.to_address, "eve@example.net"], exp, inp)
    linked = dataclasses.replace(exp, body=exp.body + "See https://bills.example/acct\n")
    raw_linked = build_message(linked, pdf, WHEN).as_bytes(policy=WIRE)
    with pytest.raises(NoticeBlocked, match="link to a web page"):
        check_message(raw_linked, [na.to_address], linked, inp)


def test_a_notice_whose_case_or_letter_does_not_match_is_not_prepared(notices_file):
    queue_notices(notices_file, actor=MAIL_ROOM)
    notice = notices_file.outbox.list()[0]
    assert prepare_notice(notices_file, notice, SENDER, WHEN).to == notice.to_address
    other = notices_file.outbox.list()[1]
    wrong = dataclasses.replace(notice, document_id=other.document_id,
                                document_sha256=other.document_sha256)
    with pytest.raises(NoticeBlocked, match="not this case's issued letter"):
        prepare_notice(notices_file, wrong, SENDER, WHEN)
    with pytest.raises(NoticeBlocked, match="email address is"):
        prepare_notice(notices_file, dataclasses.replace(notice, to_address="eve@example.net"),
                       SENDER, WHEN)
