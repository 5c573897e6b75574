"""The case editor and the live determination panel, driven through the real widgets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter

from billing_desk.domain.caseformat import loads_case
from billing_desk.domain.draft import CaseDraft
from billing_desk.domain.rulepacks import determine
from billing_desk.ui.case_editor import CaseEditor
from billing_desk.ui.determination_panel import DeterminationPanel
from billing_desk.ui.live_determination import LiveDetermination
from tests.shared_cases import worked_cases
from tests.ui.typing import press, type_text


ui_fixture_keepalive: list = []


@pytest.fixture
def ui(qtbot):
    editor, panel = CaseEditor(), DeterminationPanel()
    live = LiveDetermination(editor, panel)
    box = QSplitter()
    box.addWidget(editor)
    box.addWidget(panel)
    qtbot.addWidget(box)
    box.resize(1400, 900)
    box.show()
    edits: list[tuple[CaseDraft, str]] = []
    editor.draftEdited.connect(lambda d, what: edits.append((d, what)))
    editor.load(CaseDraft(), header="new case")
    live.recompute(CaseDraft())
    ui_fixture_keepalive.append(box)
    yield editor, panel, live, edits
    ui_fixture_keepalive.remove(box)


def commit(widget):
    press(widget, Qt.Key.Key_Tab)


def test_typing_a_case_into_the_widgets(ui, qtbot):
    editor, panel, live, edits = ui
    editor.number.setFocus()
    type_text(editor.number, "300-4400-17")
    commit(editor.number)
    editor.customer_name.setFocus()
    type_text(editor.customer_name, "Peña Müller")
    commit(editor.customer_name)
    editor.service.setCurrentIndex(editor.service.findData("water"))
    editor.service.activated.emit(editor.service.currentIndex())
    editor.discovered_on.edit.setFocus()
    type_text(editor.discovered_on.edit, "6/15/2010")
    commit(editor.discovered_on.edit)
    editor.evidence["documentation_available"].click()
    editor.evidence["documentation_confirmed"].click()

    view = editor.periods_view
    editor.add_row_button.click()
    for col, text in enumerate(["1/1/2010", "1/31/2010", "", "84.20", "$71.45"]):
        if not text:
            continue
        view.setCurrentIndex(editor.periods_model.index(0, col))
        view.edit(view.currentIndex())
        type_text(view.focusWidget(), text)
        press(view.focusWidget(), Qt.Key.Key_Return)

    draft = editor.draft()
    assert draft.account.customer_name == "Peña Müller"
    assert draft.account.number == "300-4400-17"
    assert draft.discovered_on == date(2010, 6, 15)
    assert draft.periods[0].billed == Decimal("84.20") and draft.periods[0].correct == Decimal("71.45")
    check = draft.check()
    assert check.problems == ()
    case = check.case
    # the panel shows exactly the engine's figures for the same case
    d = determine(case)
    assert d.refund_total == Decimal("12.75")
    assert panel.refund.text() == "$12.75"
    assert panel.back_bill.text() == "$0.00"
    assert "Credit" in panel.status.text()
    assert edits[-1][1] == "Edit correct of period 1"


def test_bad_date_is_marked_and_not_saved(ui):
    editor, panel, live, edits = ui
    editor.discovered_on.edit.setFocus()
    type_text(editor.discovered_on.edit, "2/30/2010")
    commit(editor.discovered_on.edit)
    assert editor.draft().discovered_on is None
    assert edits == []
    label = editor._problem_labels["discovered_on"]
    assert label.isVisible() and "not a real calendar date" in label.text()
    assert "Not saved" in editor.discovered_on.edit.toolTip()


def test_bad_amount_cell_is_marked_keeps_old_value_and_nothing_else_is_lost(ui):
    editor, panel, live, edits = ui
    editor.add_row_button.click()
    model = editor.periods_model
    model.setData(model.index(0, 3), "50.00")
    model.setData(model.index(0, 3), "1.005")
    assert editor.draft().periods[0].billed == Decimal("50.00")
    assert model.data(model.index(0, 3)) == "1.005"
    assert "decimal places" in model.data(model.index(0, 3), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, 3), Qt.ItemDataRole.DecorationRole) is not None


def test_paste_of_spreadsheet_rows(ui):
    editor, panel, live, edits = ui
    editor.load(CaseDraft.from_case(loads_case(next(
        p for p in worked_cases() if p.name.startswith("01-")).read_bytes())))
    view = editor.periods_view
    view.setCurrentIndex(editor.periods_model.index(3, 0))
    view.paste_text("4/1/2009\t4/30/2009\t\t$84.20\t71.45\n5/1/2009\t5/31/2009\t\t84.20\tabc\n")
    periods = editor.draft().periods
    assert len(periods) == 5
    assert periods[3].start == date(2009, 4, 1) and periods[3].billed == Decimal("84.20")
    assert periods[4].correct is None  # refused cell not saved...
    assert editor.periods_model.data(editor.periods_model.index(4, 4)) == "abc"  # ...but shown
    assert edits[-1][1] == "Paste 2 period rows"
    # the incomplete row is a validation problem, pointed at in the panel
    assert panel.problems_box.isVisible()
    assert any("Period 5 correct" in panel.problems.item(i).text() for i in range(panel.problems.count()))


def test_clicking_a_problem_moves_focus_to_its_field(ui, qtbot):
    editor, panel, live, edits = ui
    assert panel.problems.count() > 0
    item = next(panel.problems.item(i) for i in range(panel.problems.count())
                if panel.problems.item(i).data(Qt.ItemDataRole.UserRole) == "account.customer_name")
    panel.problems.itemClicked.emit(item)
    qtbot.waitUntil(lambda: editor.customer_name.hasFocus() or editor.focusWidget() is editor.customer_name)


@pytest.mark.parametrize("path", [p for p in worked_cases() if not p.name.startswith("bad-")][:6],
                         ids=lambda p: p.stem)
def test_panel_totals_equal_the_engine(ui, path):
    editor, panel, live, edits = ui
    case = loads_case(path.read_bytes())
    draft = CaseDraft.from_case(case)
    editor.load(draft)
    live.recompute(draft)
    d = determine(case)
    assert panel.refund.text() == f"${d.refund_total:,.2f}"
    assert panel.back_bill.text() == f"${d.back_bill_total:,.2f}"
    assert panel.readings_box.isVisibleTo(panel) == d.readings_differ


def test_every_control_has_an_accessible_identifier(ui):
    editor, panel, live, edits = ui
    from PySide6.QtWidgets import (
        QAbstractButton, QAbstractItemView, QComboBox, QHeaderView, QLineEdit, QPlainTextEdit,
    )
    for kind in (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QAbstractItemView):
        for w in editor.findChildren(kind) + panel.findChildren(kind):
            # parts of a composite control (a table's headers, corner button) are not controls
            if isinstance(w.parent(), QAbstractItemView) or isinstance(w, QHeaderView):
                continue
            if not w.isVisibleTo(editor.window()) or w.objectName().startswith("qt_"):
                continue
            assert w.accessibleIdentifier(), f"{type(w).__name__} {w.objectName()!r} {getattr(w, 'text', lambda: '')()!r}"


def test_evidence_boxes_carry_the_rule_packs_clause_text_and_the_threshold_is_a_setting(ui):
    from billing_desk.domain.rulepacks import get_rule_pack

    editor, panel, live, edits = ui
    pack = get_rule_pack("fort-collins-26-721")
    for key, check in editor.evidence.items():
        clause = editor.findChild(type(editor.header), f"clause_{key}")
        for cid in pack.evidence_clauses[key]:
            assert f"{cid}: {pack.clause(cid).text}" in clause.text()
            assert pack.clause(cid).text in check.accessibleDescription()
    assert editor.threshold.text() == "$25.00 (administrative setting, Sec. 26-720)"
    assert not editor.threshold.accessibleName()  # a value label: its text is what is read


def test_per_period_lines_show_included_excluded_clause_and_reason(ui, qtmodeltester):
    editor, panel, live, edits = ui
    path = next(p for p in worked_cases() if p.name.startswith("03-"))  # straddles the cutoff
    case = loads_case(path.read_bytes())
    draft = CaseDraft.from_case(case)
    editor.load(draft)
    live.recompute(draft)
    d = determine(case)
    model = panel.lines_model
    qtmodeltester.check(model)
    assert model.rowCount() == 2 * len(d.periods)
    for k, line in enumerate(d.periods):
        cells = [model.data(model.index(2 * k, c)) for c in range(4)]
        assert cells[1:] == [f"${line.included_amount:,.2f}", f"${line.excluded_amount:,.2f}", line.clause]
        reason = model.data(model.index(2 * k + 1, 0))
        assert reason.startswith(line.direction.value.capitalize())
        assert panel.lines.columnSpan(2 * k + 1, 0) == 4  # the reason reads across the panel
    excluded = [line for line in d.periods if line.excluded_amount]
    assert excluded and "older than six years" in model.data(model.index(3, 0))
    # the reasons' dates and amounts as the app writes them, not the engine's ISO and 0.00
    assert model.data(model.index(1, 0)) == ("Overcharge — Not refunded: occurred more than "
                                             "six years before the error was made known "
                                             "(before 06/15/2003).")
    assert "on or after 06/15/2003; $14.00 is older than six years." in model.data(model.index(3, 0))


def test_a_name_the_letter_cannot_print_is_shown_at_its_field_as_it_is_typed(ui, qtbot):
    """Issue 14 point 5: refused where it is typed, not after approval."""
    editor, panel, live, edits = ui
    label = editor._problem_labels["account.customer_name"]
    editor.customer_name.setFocus()
    type_text(editor.customer_name, "Pat Example")
    assert not label.isVisible()
    type_text(editor.customer_name, "\u202e")  # a right-to-left override, pasted in
    assert label.isVisible() and "direction mark or override" in label.text()
    commit(editor.customer_name)
    assert "direction mark or override" in label.text()
    editor.customer_name.setFocus()
    editor.customer_name.selectAll()
    type_text(editor.customer_name, "דוד כהן")
    assert "right-to-left script (Hebrew)" in label.text()
    editor.customer_name.selectAll()
    type_text(editor.customer_name, "王小明")
    assert "letter font cannot print: '王' (U+738B)" in label.text()
    editor.customer_name.selectAll()
    type_text(editor.customer_name, "María Peña Núñez")
    assert not label.isVisible()


def test_the_cause_is_typed_for_the_letter_and_a_former_customer_needs_an_address(ui, qtbot):
    editor, panel, live, edits = ui
    editor.cause.setFocus()
    type_text(editor.cause, "Your meter was read wrong.")
    commit(editor.cause)
    assert edits[-1][0].cause == "Your meter was read wrong."
    assert edits[-1][1] == "Edit what went wrong"
    editor.current_customer.click()  # no longer a customer: the service address is not theirs
    label = editor._problem_labels["account.mailing_address"]
    assert label.isVisible() and "forwarding address" in label.text()


def test_a_paste_of_more_rows_than_a_case_takes_is_refused_whole_and_said(ui):
    from billing_desk.domain.limits import PERIODS

    editor, panel, live, edits = ui
    editor.load(CaseDraft.from_case(loads_case(next(
        p for p in worked_cases() if p.name.startswith("01-")).read_bytes())))
    before = editor.draft().periods
    said: list[str] = []
    view = editor.periods_view
    view.pasteReport.connect(said.append)
    view.setCurrentIndex(editor.periods_model.index(0, 0))
    view.paste_text("4/1/2009\t4/30/2009\t\t84.20\t71.45\n" * (PERIODS + 1))
    assert said == [f"Not pasted: {PERIODS + 1:,} rows: a case has at most {PERIODS:,} periods; "
                    "nothing was pasted or imported"]
    assert editor.draft().periods == before
