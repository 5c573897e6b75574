"""Attachments: stored once per content, limited in size, never lost from history."""

from __future__ import annotations

import hashlib

import pytest

from billing_desk.store import AttachmentTooLarge, RecordNotFound
from tests.backends import rows

from .conftest import shared_draft


@pytest.fixture
def case_id(case_file):
    return case_file.cases.create(shared_draft("01-"), actor="alice").id


def test_attachment_keeps_name_type_size_and_bytes(case_file, case_id):
    data = b"%PDF-1.4 scanned bill of June 2009"
    a = case_file.attachments.add(case_id, "Bill June 2009 (Peña).pdf", data, actor="alice")
    assert (a.original_name, a.media_type, a.size) == ("Bill June 2009 (Peña).pdf",
                                                       "application/pdf", len(data))
    assert a.sha256 == hashlib.sha256(data).hexdigest()
    assert case_file.attachments.list(case_id) == [a]
    assert case_file.attachments.data(a.id) == data
    assert case_file.cases.history(case_id)[-1].after == {
        "original_name": a.original_name, "media_type": "application/pdf",
        "size": len(data), "sha256": a.sha256}


def test_same_content_is_stored_once(case_file, case_id):
    other = case_file.cases.create(shared_draft("02-"), actor="bob").id
    data = b"\x89PNG meter photo" * 1000
    a = case_file.attachments.add(case_id, "meter.png", data, actor="alice")
    b = case_file.attachments.add(other, "photo-copy.png", data, actor="bob")
    assert a.sha256 == b.sha256 and a.id != b.id
    assert rows(case_file, "SELECT count(*) FROM blobs") == [(1,)]
    assert case_file.attachments.data(b.id) == data


def test_attachment_over_the_limit_is_refused_before_reading(case_file, case_id, tmp_path):
    assert case_file.attachments.max_bytes == 25_000_000
    huge = tmp_path / "scan.tiff"
    with huge.open("wb") as f:  # sparse: 25 MB + 1 byte without writing them
        f.truncate(25_000_001)
    with pytest.raises(AttachmentTooLarge) as refused:
        case_file.attachments.add_file(case_id, huge, actor="alice")
    assert str(refused.value) == ("scan.tiff is 25.0 MB; the largest attachment this case file "
                                  "accepts is 25.0 MB. It was not attached.")
    assert case_file.attachments.list(case_id) == []
    assert len(case_file.cases.history(case_id)) == 1


def test_limit_is_a_setting_of_the_case_file(case_file, case_id, tmp_path):
    case_file.settings.set("attachment_max_bytes", 1000, actor="admin")
    with pytest.raises(AttachmentTooLarge, match="0.0 MB"):
        case_file.attachments.add(case_id, "big.bin", b"x" * 1001, actor="alice")
    exact = case_file.attachments.add(case_id, "ok.bin", b"x" * 1000, actor="alice")
    assert exact.size == 1000
    small = tmp_path / "note.txt"
    small.write_text("call back Monday")
    assert case_file.attachments.add_file(case_id, small, actor="alice").media_type == "text/plain"


def test_removed_attachment_stays_retrievable_from_history(case_file, case_id):
    a = case_file.attachments.add(case_id, "wrong.pdf", b"%PDF wrong account", actor="alice")
    case_file.attachments.remove(a.id, actor="alice")
    assert case_file.attachments.list(case_id) == []
    entry = case_file.cases.history(case_id)[-1]
    assert (entry.action, entry.after) == ("detach", None)
    assert case_file.attachments.blob(entry.before["sha256"]) == b"%PDF wrong account"
    with pytest.raises(RecordNotFound):
        case_file.attachments.get(a.id)
    assert case_file.verify().ok


def test_attachment_to_unknown_case(case_file):
    with pytest.raises(RecordNotFound):
        case_file.attachments.add(99, "x.pdf", b"x", actor="alice")
