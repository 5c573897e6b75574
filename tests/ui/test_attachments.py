"""Attachments in the window: add (sha256 shown), open (the very bytes), remove — each
recorded in the case history."""

from __future__ import annotations

import hashlib
from pathlib import Path

from billing_desk.store.sqlite.files import open_case_file
from billing_desk.ui import attachments_view


class FakeDesktop:
    opened: list[Path] = []

    @classmethod
    def openUrl(cls, url) -> bool:  # noqa: N802 (Qt name)
        cls.opened.append(Path(url.toLocalFile()))
        return True


def test_add_open_and_remove_an_attachment(make_window, case_file, tmp_path, monkeypatch):
    monkeypatch.setattr(attachments_view, "QDesktopServices", FakeDesktop)
    FakeDesktop.opened = []
    scan = tmp_path / "Bill März 2010.pdf"
    scan.write_bytes(b"%PDF-1.4 the bill as scanned\n" * 40)
    digest = hashlib.sha256(scan.read_bytes()).hexdigest()

    w = make_window(case_file)
    w.new_case()
    view = w.attachments
    w.tabs.setCurrentWidget(view)
    assert view.add_path(scan)
    table = view.table
    assert table.rowCount() == 1
    assert [table.item(0, c).text() for c in (0, 1, 4)] == ["Bill März 2010.pdf", "application/pdf", digest]
    assert "by clerk1" in table.item(0, 3).text()

    table.selectRow(0)
    view.open_selected()
    assert FakeDesktop.opened[0].name == "Bill März 2010.pdf"
    assert FakeDesktop.opened[0].read_bytes() == scan.read_bytes()

    view.remove_selected(confirm=False)
    assert table.rowCount() == 0
    history = w.session.history(w.record.id)
    assert [(h.action, h.actor) for h in history] == [("create", "clerk1"), ("attach", "clerk1"),
                                                       ("detach", "clerk1")]
    w.tabs.setCurrentWidget(w.history)
    shown = w.history.table
    assert shown.rowCount() == 3 and shown.item(2, 2).text() == "Attachment Bill März 2010.pdf removed by clerk1"
    assert digest in shown.item(2, 3).text()  # the history says which file went
    with open_case_file(case_file) as cf:
        assert cf.verify().ok


def test_an_attachment_too_large_is_refused_with_a_message(make_window, case_file, tmp_path):
    w = make_window(case_file)
    w.session.file.settings.set("attachment_max_bytes", 1_000_000, actor="clerk1")
    w.new_case()
    big = tmp_path / "meter photo.jpg"
    big.write_bytes(b"\xff" * 1_500_000)
    assert not w.attachments.add_path(big)
    assert w.attachments.table.rowCount() == 0
    assert w.last_error_box.text() == ("meter photo.jpg is 1.5 MB; the largest attachment this case "
                                       "file accepts is 1.0 MB. It was not attached.")
    assert [h.action for h in w.session.history(w.record.id)] == ["create"]
