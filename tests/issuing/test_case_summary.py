"""The printable case summary (issue 23): the case, its periods, the determination and
the history on paper, read back here with pypdfium2 as a reader would see it; an
internal document, never stored; and from the command line, ``export --pdf``."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from billing_desk.cli import main
from billing_desk.domain.draft import AccountDraft, CaseDraft, PeriodDraft
from billing_desk.issuing import case_summary_pdf, issue_documents
from billing_desk.store import create_case_file, open_case_file

from .cases import CLERK, ISSUE_DATE, MAIL_ROOM, SUPERVISOR, approve, draft_of, ensure_office


def pages_of(pdf: bytes) -> list[str]:
    """Each page's text as pdfium reads it, whitespace runs made one space."""
    doc = pdfium.PdfDocument(pdf)
    try:
        texts = []
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            texts.append(" ".join(tp.get_text_range().split()))
            tp.close()
            page.close()
        return texts
    finally:
        doc.close()


def counts(cf) -> tuple[int, int]:
    return (cf.db.execute("SELECT count(*) FROM audit").fetchone()[0],
            cf.db.execute("SELECT count(*) FROM documents").fetchone()[0])


@pytest.fixture
def office(tmp_path):
    path = tmp_path / "office.bdesk"
    with create_case_file(path) as cf:
        ensure_office(cf)
    return path


def a_worked_case(cf):
    """Worked case 18 (a credit and a back bill) as an office handles it: created,
    an amount corrected, a note, an assignment, submitted, approved and issued."""
    record = cf.cases.create(draft_of("18"), actor=CLERK)
    first = record.draft.periods[0]
    edited = record.draft.with_period(0, dataclasses.replace(first, billed=Decimal("213.40")))
    record = cf.cases.save(record.id, edited, expected_revision=record.revision, actor=CLERK)
    record = cf.cases.save(record.id, record.draft, expected_revision=record.revision,
                           actor=CLERK, notes="Customer called on 3/2; meter re-read.")
    record = cf.cases.assign(record.id, CLERK, expected_revision=record.revision, actor=CLERK)
    approve(cf, record.id)
    issue_documents(cf, record.id, actor=MAIL_ROOM, issue_date=ISSUE_DATE)
    return cf.cases.load(record.id)


def test_the_summary_carries_the_case_its_periods_the_determination_and_the_history(office):
    with open_case_file(office) as cf:
        record = a_worked_case(cf)
        before = counts(cf)
        summary = case_summary_pdf(cf, record.id, printed_by=SUPERVISOR)
        assert counts(cf) == before  # not stored, not recorded: nothing in the file changed
        head = cf.history_head()
    pages = pages_of(summary.pdf)
    text = " ".join(pages)
    assert summary.pages == len(pages) >= 1 and summary.case_number == record.case_number
    # marked internal on the first page and on every page's footer
    assert "Internal document: not issued, not for the customer" in pages[0]
    assert all(f"Case summary (internal) · Account 100-2000-01 · Case {record.case_number}" in p
               and f"of {len(pages)}" in p for p in pages)
    # the case
    for expected in ("Account number 100-2000-01", "Customer Pat Example",
                     "Mailing address 215 N Mason St, Fort Collins, CO 80524",
                     "Service address 215 N Mason St, Fort Collins, CO 80524",
                     "Status Issued", "Service Electric", "Error discovered",
                     "Assigned to Alex Clerk (alex)", "Approved Sam Supervisor (sam)",
                     "Customer called on 3/2; meter re-read."):
        assert expected in text, expected
    assert "No — The customer could have discovered the error" in text
    # the periods as entered, and what the determination makes of each
    assert "1 Jun 1, 2010 Jun 30, 2010 — $213.40 $187.15 $26.25" in text
    assert "2 Jul 1, 2010 Jul 31, 2010 — $190.00 $204.35 −$14.35" in text
    assert "3 Aug 1, 2010 Aug 31, 2010 — $230.10 $201.00 $29.10" in text
    assert "1 Overcharge 30/30 $26.25 $0.00 26-721(a)(1)" in text
    assert "2 Undercharge 31/31 $14.35 $0.00 26-721(a)(2)" in text
    assert "(a)(1): refunded without interest" in text
    # the totals and the three readings
    assert "Refund (credit) $55.35" in text and "Back bill $14.35" in text
    assert "Net (back bill minus refund) −$41.00" in text
    assert "ordinance text $55.35 $14.35 −$41.00 Credit and back bill ✓" in text
    assert "staff practice $55.35 $0.00 −$55.35 Credit" in text
    # the history as sentences, with who and when
    assert ("Alex Clerk (alex) Created the case for account 100-2000-01, Pat Example, with "
            "3 billing periods") in text
    assert "Alex Clerk (alex) Edited: period 1: billed $212.40 → $213.40" in text
    assert 'Changed the notes to "Customer called on 3/2; meter re-read."' in text
    assert "Assigned the case to Alex Clerk (alex)" in text
    assert "Alex Clerk (alex) Submitted for approval (determination fingerprint" in text
    assert "Sam Supervisor (sam) Approved, acknowledging that the readings of 26-721(a)(2) differ" in text
    assert ("Morgan Mailroom (mailroom) Issued the letter no. 1, credit memo no. 1, and "
            "back-bill memo no. 1") in text
    assert "The case's history verifies (7 entries): intact" in text
    assert "Printed by Sam Supervisor (sam) on" in text
    assert f"History head when printed: {head.text()}." in text


def test_a_case_not_complete_yet_says_what_is_missing(office):
    with open_case_file(office) as cf:
        draft = CaseDraft(account=AccountDraft("620-33-13", "Zoë Dvořák"),
                          periods=(PeriodDraft(billed=Decimal("84.20")),))
        record = cf.cases.create(draft, actor=CLERK)
        text = " ".join(pages_of(case_summary_pdf(cf, record.id, printed_by=CLERK).pdf))
    assert "Account number 620-33-13" in text and "Customer Zoë Dvořák" in text
    assert "No determination yet: the case is not complete or not valid." in text
    assert "discovered_on: required field is missing" in text
    assert "periods[0].start: required field is missing" in text
    assert "1 — — — $84.20 — —" in text
    assert "Status Draft" in text


def test_a_long_history_and_many_periods_flow_over_pages(office):
    with open_case_file(office) as cf:
        draft = draft_of("23")  # 72 monthly periods
        record = cf.cases.create(draft, actor=CLERK)
        for k in range(0, 72, 3):  # 24 corrections, one entry each
            period = record.draft.periods[k]
            record = cf.cases.save(record.id, record.draft.with_period(
                k, dataclasses.replace(period, correct=period.correct + Decimal("1.00"))),
                expected_revision=record.revision, actor=CLERK)
        summary = case_summary_pdf(cf, record.id, printed_by=CLERK)
    pages = pages_of(summary.pdf)
    assert len(pages) >= 4
    text = " ".join(pages)
    assert text.count("Edited: period ") == 24 and "Edited: period 70: correct" in text
    # the grids' headings come again on each page they continue on
    assert sum("# Start End Bill date Billed Correct Difference Note" in p for p in pages) >= 2


def test_export_pdf_from_the_command_line(office, tmp_path, capsys):
    with open_case_file(office) as cf:
        record = a_worked_case(cf)
    out = tmp_path / "summary.pdf"
    assert main(["export", str(office), record.case_number, "--pdf", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"Wrote the case summary of {record.case_number} (")
    text = " ".join(pages_of(out.read_bytes()))
    assert "Account number 100-2000-01" in text and "Back bill $14.35" in text
    assert "(command line) on" in text
    # the case@1 export is as it was
    assert main(["export", str(office), record.case_number]) == 0
    assert '"number": "100-2000-01"' in capsys.readouterr().out


def test_export_pdf_of_a_case_that_does_not_exist_is_not_found(office, tmp_path, capsys):
    out = tmp_path / "nothing.pdf"
    assert main(["export", str(office), "BD-000404", "--pdf", str(out)]) == 3
    assert "BD-000404 is not in this case file" in capsys.readouterr().err
    assert not out.exists()


def test_export_pdf_to_a_folder_that_does_not_exist_writes_nothing(office, tmp_path, capsys):
    with open_case_file(office) as cf:
        record = cf.cases.create(draft_of("01"), actor=CLERK)
    out = tmp_path / "missing" / "summary.pdf"
    assert main(["export", str(office), record.case_number, "--pdf", str(out)]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert not out.parent.exists()
    assert list(Path(tmp_path).glob("**/*.pdf")) == []
