"""The cheaper PDF serialisation (billing_desk/documents/pdfwriting.py) writes exactly
the bytes ReportLab's own writes: every document of every worked case that has
documents (letters and memos, in both languages), rendered both ways."""

from __future__ import annotations

from billing_desk.documents import pdfwriting
from billing_desk.documents.render import render_document
from billing_desk.domain.caseformat import loads_case
from billing_desk.domain.problems import CaseInvalid
from tests.documents.inputs import document_input
from tests.shared_cases import worked_cases


def _all_documents() -> list[tuple[str, bytes]]:
    out = []
    for path in worked_cases():
        try:
            case = loads_case(path.read_bytes())
        except CaseInvalid:  # (the cases of refused input have no documents)
            continue
        for locale in ("en_US", "es_US"):
            inp = document_input(case, locale=locale)
            for kind in inp.kinds:
                out.append((f"{path.stem} {locale} {kind.value}", render_document(inp, kind).pdf))
    return out


def test_the_documents_are_byte_for_byte_those_reportlab_writes():
    render_document(document_input("18"), document_input("18").kinds[0])
    assert pdfwriting._installed  # by the first document of the process
    fast = _all_documents()
    pdfwriting.uninstall()
    try:
        plain = _all_documents()
    finally:
        pdfwriting.install()
    assert len(fast) == len(plain) > 40
    assert [name for (name, a), (_, b) in zip(fast, plain) if a != b] == []
