"""A report as CSV, for a spreadsheet: plain values, no formatting.

One section per table, after an empty line: a line with the table's title (and one
with its note, if it has one), a line with its column titles, its rows. The first section is the report itself (its title and the
dates it covers). Counts are whole numbers, money has two decimals (``1234.56``, ``-``
for a negative), rates their rounded decimals (``0.36``, ``36.5``), dates
``YYYY-MM-DD``; an empty cell is "no figure".
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from ..domain.money import money_text
from ..domain.reports import Kind, Report


def csv_value(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if kind is Kind.DATE:
        assert isinstance(value, date)
        return value.isoformat()
    if kind is Kind.MONEY:
        return money_text(value)
    if kind is Kind.SIGNED_RATE and isinstance(value, Decimal) and value > 0:
        return f"+{value:f}"
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def report_csv(report: Report) -> bytes:
    """The report's tables as UTF-8 CSV (see the module docstring)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([report.title, report.period.label()])
    for note in report.notes:
        writer.writerow([note])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([table.title])
        if table.note:
            writer.writerow([table.note])
        writer.writerow([c.title for c in table.columns])
        for row in table.rows:
            writer.writerow([csv_value(v, c.kind) for v, c in zip(row, table.columns)])
    return out.getvalue().encode("utf-8")
