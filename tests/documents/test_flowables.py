"""The lean paragraph and table flowables split across pages without losing or
re-flowing text."""

from __future__ import annotations

from billing_desk.documents.flowables import Grid, GridStyle, TextBlock, TextStyle
from billing_desk.documents.reportlab_setup import prepare_reportlab

STYLE = TextStyle(size=10, leading=12, space_before=4, space_after=6)
WORDS = " ".join(f"word{i}" for i in range(120))


def test_a_split_paragraph_keeps_its_lines_and_fits_where_it_was_split():
    prepare_reportlab()
    block = TextBlock([(WORDS, False)], STYLE)
    _, height = block.wrap(200, 1000)
    first, rest = block.split(200, 40)
    assert first.wrap(200, 40)[1] <= 40  # three lines of 12 points
    assert first.wrap(200, 40)[1] + rest.wrap(200, 1000)[1] == height
    text = " ".join(seg for part in (first, rest) for line in part._lines for seg, _ in line)
    assert " ".join(text.split()) == WORDS


def test_a_paragraph_too_small_to_split_is_not_split():
    prepare_reportlab()
    assert TextBlock("one line", STYLE).split(200, 100) == []


def test_a_split_table_repeats_its_header_and_keeps_the_total_with_a_row():
    prepare_reportlab()
    style = GridStyle(leading=10, pad=1, total_row=True)
    rows = [[f"row {i}", "$1.00"] for i in range(10)] + [["Total", "$10.00"]]
    grid = Grid(["Period", "Amount"], rows, [100, 60], "LR", style)
    first, rest = grid.split(160, 12 * 11)  # header + 10 rows fit, the total does not
    assert first.header == rest.header == ["Period", "Amount"]
    assert first.rows[-1] == ["row 8", "$1.00"]
    assert rest.rows == [["row 9", "$1.00"], ["Total", "$10.00"]]
