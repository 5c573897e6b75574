"""Previews: the documents of a case before it is issued, watermarked on every page so
a printout cannot pass for a notice, checked like an issue, and never issuable."""

from __future__ import annotations

import dataclasses

import pytest

from billing_desk.documents.errors import DocumentMismatch, MissingSignoff
from billing_desk.documents.issue import prepare_issue
from billing_desk.documents.readback import check_document, extract_text
from billing_desk.documents.settings import document_settings
from tests.documents.inputs import document_input


@pytest.mark.parametrize(("locale", "stamp"), [("en_US", "PREVIEW · NOT ISSUED"),
                                               ("es_US", "VISTA PREVIA · SIN EMITIR")])
def test_every_page_of_a_preview_carries_the_watermark(locale, stamp):
    # the memo in the language of the office, as the letter (office.locale)
    docs = prepare_issue(document_input("23", locale=locale, settings=document_settings(
        {"office.locale": locale})).as_preview())
    memo = docs[1]
    assert memo.pages == 3 and all(d.preview for d in docs)
    text = extract_text(memo.pdf)
    assert text.count(stamp) == 3
    assert stamp not in extract_text(prepare_issue(document_input("23", locale=locale))[1].pdf)
    assert text.count(stamp) == memo.pages and extract_text(docs[0].pdf).count(stamp) == docs[0].pages


def test_a_preview_does_not_pass_the_check_of_an_issue_nor_the_reverse():
    inp = document_input("18")
    issued = prepare_issue(inp)[0]
    preview = prepare_issue(inp.as_preview())[0]
    with pytest.raises(DocumentMismatch, match="page 1 carries the preview watermark"):
        check_document(inp, issued.kind, preview.pdf)
    with pytest.raises(DocumentMismatch, match="page 1 lacks the preview watermark"):
        check_document(inp.as_preview(), issued.kind, issued.pdf)


def test_a_case_not_yet_approved_previews_and_says_so_in_the_memo():
    inp = dataclasses.replace(document_input("18"), prepared=None, approved=None)
    memo = prepare_issue(inp.as_preview())[1]
    text = extract_text(memo.pdf)
    assert "Not yet submitted for approval" in text and "Not yet approved" in text


def test_without_sign_offs_nothing_can_be_issued():
    inp = dataclasses.replace(document_input("18"), approved=None)
    with pytest.raises(MissingSignoff, match="no record of who approved it"):
        prepare_issue(inp)
