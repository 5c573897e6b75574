"""The Documents tab and menu in the main window: stored documents shown after issue, a
watermarked preview before it, Issue only for an approved case, print to a PDF file
through QPrinter (the second print a COPY), Save as PDF."""

from __future__ import annotations


import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from billing_desk.documents import extract_text
from billing_desk.store import open_case_file
from billing_desk.ui import printing
from billing_desk.ui.main_window import MainWindow
from billing_desk.ui.session import CaseSession
from tests.ui.helpers import finish


@pytest.fixture
def window(qtbot, tmp_path, documents_file):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(CaseSession("mailroom"), settings)
    qtbot.addWidget(w)
    w.open_path(documents_file)
    w.show()
    yield w
    w.session.close()


def ink(image: QImage) -> float:
    """Share of sampled pixels that are not near-white."""
    dark = total = 0
    for y in range(0, image.height(), 6):
        for x in range(0, image.width(), 6):
            total += 1
            dark += image.pixelColor(x, y).lightness() < 200
    return dark / max(total, 1)


def shown(window: MainWindow, qtbot) -> None:
    """Wait for QtPdf: the document loaded, and its first page painted in the view
    (QPdfView renders pages on a worker thread)."""
    view = window.documents.preview.view
    qtbot.waitUntil(lambda: window.documents.preview.pdf.status() == QPdfDocument.Status.Ready)
    qtbot.waitUntil(lambda: ink(view.viewport().grab().toImage()) > 0.01, timeout=10000)


def test_issue_is_enabled_only_for_an_approved_case_and_shows_the_stored_documents(window, qtbot):
    window.open_case(2)  # submitted
    assert not window.document_actions.issue_act.isEnabled()
    window.open_case(1)
    act = window.document_actions.issue_act
    assert act.isEnabled() and act.shortcut().toString() == "Ctrl+Shift+I"
    act.trigger()
    box = window.document_actions.confirm_box  # asked first: letters cannot be taken back
    assert box.isVisible() and window.record.status.value == "approved"
    box.confirm.click()
    task = window.document_actions.task  # rendered, read back and stored off the GUI thread
    assert task is not None
    finish(qtbot, task)
    assert window.tabs.currentWidget() is window.documents
    assert window.record.status.value == "issued" and not act.isEnabled()
    tab = window.documents
    assert [tab.preview.chooser.itemText(i) for i in range(tab.preview.chooser.count())] == [
        "Customer letter · issue 1", "Credit memo · issue 1", "Back-bill memo · issue 1"]
    assert tab.status.text().startswith("Issued ")
    shown(window, qtbot)
    with open_case_file(window.session.path) as cf:
        stored = cf.documents.pdf(cf.documents.list(1)[0].id)
    assert tab.current_pdf() == stored and "María Peña Núñez" in extract_text(stored)


def test_before_issue_a_watermarked_preview_of_the_case_is_shown(window, qtbot):
    window.open_case(2)
    window.document_actions.preview_act.trigger()
    tab = window.documents
    assert tab.status.text() == "Rendering the preview of BD-000002…"  # on a worker thread
    finish(qtbot, tab.task)
    assert tab.status.text().startswith("PREVIEW — not issued. The case is submitted")
    assert tab.preview.chooser.itemText(0) == "Customer letter · preview"
    shown(window, qtbot)
    assert "PREVIEW · NOT ISSUED" in extract_text(tab.current_pdf())
    with open_case_file(window.session.path) as cf:
        assert cf.documents.list(2) == []


def test_issuing_a_case_that_is_not_approved_shows_the_refusal(window, qtbot):
    window.open_case(2)
    finish(qtbot, window.document_actions.issue())  # as if the action were triggered anyway
    box = window.document_actions.last_error_box
    assert "BD-000002 is submitted, not approved" in box.text()
    box.close()


def test_print_to_a_pdf_file_then_again_as_a_copy_and_save(window, qtbot, tmp_path, monkeypatch):
    window.open_case(1)
    window.document_actions.issue_act.trigger()
    window.document_actions.confirm_box.confirm.click()  # asked first (confirm_step.py)
    finish(qtbot, window.document_actions.task)
    shown(window, qtbot)
    targets = iter([tmp_path / "first.pdf", tmp_path / "second.pdf"])

    def to_file(parent):  # the print dialog, answered "print to file"
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(next(targets)))
        return printer

    monkeypatch.setattr(printing, "choose_printer", to_file)
    window.document_actions.print_act.trigger()
    window.document_actions.print_act.trigger()
    first, second = (pdfium.PdfDocument(str(tmp_path / n)) for n in ("first.pdf", "second.pdf"))
    assert len(first) == len(second) == 1 and first[0].get_size() == (612.0, 792.0)
    assert window.documents.status.text().startswith("Printed a copy stamped COPY")
    window.documents.save_to("letter", tmp_path / "saved.pdf")
    with open_case_file(window.session.path) as cf:
        letter = cf.documents.list(1)[0]
        assert (tmp_path / "saved.pdf").read_bytes() == cf.documents.pdf(letter.id)
        uses = cf.documents.uses(letter.id)
        assert [(u.action, u.actor) for u in uses] == [
            ("print", "mailroom"), ("reprint", "mailroom"), ("save", "mailroom")]
        assert cf.verify().ok


def test_the_documents_menu_saves_the_case_summary_as_pdf(window, qtbot, tmp_path, monkeypatch):
    actions = window.document_actions
    assert not actions.summary_act.isEnabled()  # no case open yet
    assert actions.summary_act in window.documents_menu.actions()
    window.open_case(1)
    assert actions.summary_act.isEnabled()
    asked = []
    target = tmp_path / "out" / "BD-000001-summary.pdf"
    target.parent.mkdir()

    def answer(name):  # the file dialog, answered with a file name
        asked.append(name)
        return target

    monkeypatch.setattr(actions, "_summary_path", answer)
    with open_case_file(window.session.path) as cf:
        entries = cf.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    actions.summary_act.trigger()
    assert asked == ["BD-000001-summary.pdf"]
    text = extract_text(target.read_bytes())
    assert "Case summary · BD-000001" in text and "Customer María Peña Núñez" in text
    assert "Refund (credit) $54.35" in text and "Back bill $14.35" in text
    assert "Printed by Morgan Mailroom (mailroom)" in text
    assert window.statusBar().currentMessage().startswith(
        "Saved the case summary of BD-000001 (")
    with open_case_file(window.session.path) as cf:  # nothing recorded, nothing stored
        assert cf.db.execute("SELECT count(*) FROM audit").fetchone()[0] == entries
    # a folder that cannot be written: the clerk is told, nothing is left behind
    actions.save_summary_to(tmp_path / "gone" / "x.pdf")
    assert actions.last_error_box is not None
    assert actions.last_error_box.windowTitle() == "Case summary not saved"
    actions.last_error_box.close()
    assert not (tmp_path / "gone").exists()


def test_issuing_runs_off_the_gui_thread_with_progress_and_the_window_stays_live(window, qtbot, monkeypatch):
    """The rendering and read-back of an issue take a while: they run on a worker thread
    of their own, the window keeps answering, and a progress dialog says what is done."""
    import threading
    import time

    from billing_desk import issuing

    real = issuing.issue_documents
    ran_on = []

    def slow_issue(cf, case_id, **kw):
        ran_on.append(threading.current_thread() is threading.main_thread())
        time.sleep(0.8)  # longer than the moment before the progress dialog shows
        return real(cf, case_id, **kw)

    monkeypatch.setattr(issuing, "issue_documents", slow_issue)
    window.open_case(1)
    ticks = []
    from PySide6.QtCore import QTimer

    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(50)
    task = window.document_actions.issue()
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=5000)
    assert "Issuing the documents of BD-000001" in task.dialog.labelText()
    finish(qtbot, task)
    timer.stop()
    assert ran_on == [False]  # on the worker's thread
    assert len(ticks) >= 5  # the GUI thread went on handling events meanwhile
    assert task.dialog is None and window.record.status.value == "issued"


def test_a_case_changed_in_the_file_behind_the_apps_back_is_not_issued(window, qtbot):
    """Issue 14 point 1: the app checks the case against its history before rendering."""
    import sqlite3

    raw = sqlite3.connect(window.session.path)
    raw.execute("UPDATE cases SET mailing_address = '1630 Pearl St, Boulder, CO 80302' "
                "WHERE id = 1")
    raw.commit()
    raw.close()
    window.open_case(1)
    finish(qtbot, window.document_actions.issue())
    box = window.document_actions.last_error_box
    assert "does not match its history" in box.text() and "account.mailing_address" in box.text()
    box.close()
    window.document_actions.show_tab()
    finish(qtbot, window.documents.task)  # (the preview renders on a worker thread)
    assert "No preview" in window.documents.status.text()
    with open_case_file(window.session.path) as cf:
        assert cf.documents.list(1) == []


def test_an_administrator_changes_the_letter_settings_in_one_audited_action(qtbot, tmp_path,
                                                                          documents_file):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(CaseSession("admin"), settings)
    qtbot.addWidget(w)
    w.open_path(documents_file)
    dialog = w.document_actions.open_settings()
    phone = dialog.fields["letterhead.phone"]
    assert not phone.isReadOnly() and dialog.save_button.isEnabled()
    phone.setText("(970) 221-6700")
    dialog.fields["letterhead.hours.es_US"].setText("de lunes a jueves, de 7 a. m. a 6 p. m.")
    with open_case_file(documents_file) as cf:
        before = cf.history_head().entry
    assert dialog.save()
    with open_case_file(documents_file) as cf:
        entries = cf.audit_log(after=before)
        assert [(e.action, e.entity_id, e.actor) for e in entries] == [("set", "documents", "admin")]
        chosen = cf.settings.get("documents")
        assert chosen["letterhead.phone"] == "(970) 221-6700"
        assert chosen["letterhead.hours"]["es_US"] == "de lunes a jueves, de 7 a. m. a 6 p. m."
    # a value the letters could not print: refused, naming it, and nothing saved
    dialog = w.document_actions.open_settings()
    dialog.fields["letterhead.email"].setText("utilities\u202e@fcgov.com")
    assert not dialog.save()
    assert "letterhead.email" in dialog.last_error_box.text()
    dialog.last_error_box.close()
    dialog.close()
    w.session.close()


def test_anyone_else_reads_the_letter_settings_only(window):
    dialog = window.document_actions.open_settings()
    assert dialog.fields["letterhead.phone"].isReadOnly() and not dialog.save_button.isEnabled()
    assert "Only an administrator" in dialog.note.text()
    dialog.close()


def test_documents_stored_after_their_file_was_closed_are_kept_and_nothing_breaks(window, qtbot):
    """The file closed (or the window) while the documents were being stored on the worker:
    they are in the file, and the window says so instead of showing a file no longer open."""
    path = window.session.path
    window.open_case(1)
    task = window.document_actions.issue()
    assert task.wait()  # stored; its result not yet handed to the window
    window.session.close()
    finish(qtbot, task)
    assert task.error is None
    assert window.statusBar().currentMessage() == (
        "Issued: BD-000001, 3 document(s), in cases.bdesk (closed since)")
    with open_case_file(path) as cf:
        assert cf.cases.load(1).status.value == "issued"
        assert len(cf.documents.list(1)) == 3
