"""The speed tricks that no other test would miss if they were undone (docs/performance.md
lists every trick, what it saves and the test that guards it): each test here fails
when its trick is taken out -- a cache no longer hit the second time the same work is
done, the engine reading its enum members off their classes again, the page streams
ASCII85-encoded again, the text encoded character by character again. What each one
saves is measured by bench/tricks.py, not here (timings are no test on a shared
machine)."""

from __future__ import annotations

import ast
import inspect
import json
from dataclasses import replace
from decimal import Decimal

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from billing_desk.documents import flowables
from billing_desk.documents.glyphs import BOLD, REGULAR
from billing_desk.documents.model import DocumentKind
from billing_desk.documents.render import render_document
from billing_desk.domain import dates, draft, incident_csv
from billing_desk.domain.caseformat import parse_case
from billing_desk.domain.rulepacks import determine
from billing_desk.domain.rulepacks import fort_collins_26_721 as pack
from billing_desk.store import casecodec, create_case_file
from tests.documents.inputs import document_input
from tests.incident_data import STORMWATER, stormwater_csv


def _hits(*cached) -> list[int]:
    return [f.cache_info().hits for f in cached]


def _case(periods: int = 72):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from engine import make_case_json  # (bench/engine.py's 72-period case)

    return parse_case(json.loads(make_case_json(periods)))


# -- the engine ------------------------------------------------------------------------------


def test_a_second_determination_of_a_case_reuses_its_cutoffs_and_reasons():
    case = _case()
    first = determine(case)
    before = _hits(dates.years_before, pack._reason)
    again = determine(case)  # the next keystroke, nothing changed
    after = _hits(dates.years_before, pack._reason)
    assert again == first
    assert after[0] >= before[0] + 2  # both cutoffs from the cache
    assert after[1] >= before[1] + len(case.periods)  # every period's reason too


def test_the_engine_reads_its_enum_members_from_module_constants():
    # reading ``Direction.OVERCHARGE`` off its class on every test of a period costs as
    # much as the period's arithmetic: the steps use the module's constants
    members = {("Direction", "OVERCHARGE"), ("Direction", "UNDERCHARGE"), ("Direction", "NONE"),
               ("Reading", "ORDINANCE"), ("Reading", "EXECUTIVE_SUMMARY"),
               ("OccurredBasis", "BILL_DATE")}
    tree = ast.parse(inspect.getsource(pack))
    read_in_functions = sorted(
        f"{fn.name}: {node.value.id}.{node.attr}"
        for fn in ast.walk(tree) if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
        for node in ast.walk(fn)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
        and (node.value.id, node.attr) in members)
    assert read_in_functions == []
    assert pack.OVERCHARGE is pack.Direction.OVERCHARGE


# -- the case file ---------------------------------------------------------------------------


def test_loading_and_saving_a_case_again_reuses_its_unchanged_periods(tmp_path):
    case_draft = draft.CaseDraft.from_case(_case())
    with create_case_file(tmp_path / "c.bdesk") as cf:
        record = cf.cases.create(case_draft, actor="clerk")
        cf.cases.load(record.id)
        loads = _hits(casecodec.period_from_row)[0]
        loaded = cf.cases.load(record.id)
        assert _hits(casecodec.period_from_row)[0] >= loads + 72  # every row from the cache
        saves = _hits(draft._period_json)[0]
        periods = list(loaded.draft.periods)
        periods[5] = replace(periods[5], correct=Decimal("1.23"))
        saved = cf.cases.save(record.id, replace(loaded.draft, periods=tuple(periods)),
                              expected_revision=loaded.revision, actor="clerk")
        assert _hits(draft._period_json)[0] >= saves + 71  # all but the edited period
        assert cf.cases.load(record.id).draft.periods[5].correct == Decimal("1.23")
        assert saved.revision == loaded.revision + 1


# -- an incident's CSV -----------------------------------------------------------------------


def test_an_incidents_csv_reads_each_distinct_date_and_amount_once():
    data = stormwater_csv()
    incident_csv.parse_incident_csv(data, STORMWATER)
    before = _hits(incident_csv._date, incident_csv._amount)
    again = incident_csv.parse_incident_csv(data, STORMWATER)
    after = _hits(incident_csv._date, incident_csv._amount)
    assert len(again.accounts) == 74
    assert after[0] > before[0] + 74 and after[1] > before[1] + 74


# -- the documents ---------------------------------------------------------------------------


def _letter() -> bytes:
    inp = document_input("18")
    return render_document(inp, DocumentKind.LETTER).pdf


def test_a_second_letter_reuses_the_fonts_subsets_and_the_measured_text():
    _letter()
    fonts = [pdfmetrics.getFont(name) for name in (REGULAR, BOLD)]
    cached = [f._subset_objects for f in fonts] + [f.face._deflated_subset for f in fonts]
    text = [flowables.stringWidth, flowables._lines_of, flowables._text_matrix]
    before = _hits(*cached, *text)
    assert _letter() == _letter()
    after = _hits(*cached, *text)
    # the same subsets (one per font) formatted and deflated once, the text measured,
    # wrapped and placed from the caches
    assert all(a > b for a, b in zip(after, before)), (before, after)


def test_a_letters_text_is_encoded_without_reportlabs_character_loop(monkeypatch):
    from billing_desk.documents import fonts

    _letter()
    calls = {"loop": 0, "all": 0}
    loop = TTFont.splitString

    def in_the_loop(self, text, doc, encoding="utf-8"):
        calls["loop"] += 1
        return loop(self, text, doc, encoding)

    monkeypatch.setattr(TTFont, "splitString", in_the_loop)
    encode = fonts._CachedSubsetFont.splitString  # (ReportLab's, were the trick undone)

    def any_string(self, text, doc, encoding="utf-8"):
        calls["all"] += 1
        return encode(self, text, doc, encoding)

    monkeypatch.setattr(fonts._CachedSubsetFont, "splitString", any_string)
    _letter()
    # the document's characters are assigned codes up front (fonts.py), so nearly every
    # string is one str.translate; ReportLab's per-character loop runs for a handful
    assert calls["all"] > 50 and calls["loop"] * 10 < calls["all"], calls


def test_the_page_streams_are_deflated_only_not_ascii85_encoded():
    pdf = _letter()
    assert b"/FlateDecode" in pdf
    assert b"ASCII85Decode" not in pdf


def test_the_panels_reasons_are_worded_once():
    from billing_desk.ui import formatting

    case = _case(12)
    d = determine(case)
    templates = pack.FortCollins26721().reason_texts
    first = [formatting.reason_text(line.reason, templates) for line in d.periods]
    before = _hits(formatting._reason_text)[0]
    assert [formatting.reason_text(line.reason, templates) for line in d.periods] == first
    assert _hits(formatting._reason_text)[0] >= before + len(d.periods)
