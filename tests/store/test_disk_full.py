"""A full disk (simulated with PRAGMA max_page_count) refuses the change being made,
says so, and loses nothing saved before it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from billing_desk.store import DiskFull, open_case_file

from .conftest import shared_draft


@pytest.mark.parametrize("backend", ["file"])  # (a server's full disk: postgres/connection.py)
def test_disk_full_keeps_everything_saved_before(case_file):
    big = shared_draft("23-")
    saved = [case_file.cases.create(big, actor="alice") for _ in range(3)]
    pages = case_file.db.execute("PRAGMA page_count").fetchone()[0]
    case_file.db.execute(f"PRAGMA max_page_count = {pages + 20}")

    with pytest.raises(DiskFull) as full:
        for _ in range(100):
            saved.append(case_file.cases.create(big, actor="alice"))
    assert "disk" in str(full.value) and "full" in str(full.value)
    assert "Everything saved before it is intact" in str(full.value)
    count = case_file.listing.count()
    assert count == len(saved)

    # an edit of an existing case that does not fit is refused whole
    target = saved[0]
    longer = replace(big, why="x" * 200_000)
    with pytest.raises(DiskFull):
        case_file.cases.save(target.id, longer, expected_revision=1, actor="bob")
    assert case_file.cases.load(target.id) == target

    for record in saved:
        assert case_file.cases.load(record.id) == record
    assert case_file.verify().ok

    # space freed: the same connection saves again, and so does a fresh one
    case_file.db.execute("PRAGMA max_page_count = 1073741823")
    case_file.cases.save(target.id, replace(big, why="after the disk was freed"),
                         expected_revision=1, actor="bob")
    path = case_file.path
    case_file.close()
    with open_case_file(path) as again:
        assert again.listing.count() == count
        assert again.cases.load(target.id).draft.why == "after the disk was freed"
        assert again.verify().ok
