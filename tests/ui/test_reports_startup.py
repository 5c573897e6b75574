"""The reports are not part of the app's start: QtCharts, ReportLab and the report
modules load when the reports window is first opened, never for the first frame nor
with the case workspace (tests/ui/test_startup.py runs the window in a fresh
interpreter; this checks the modules of issue 19 the same way)."""

from __future__ import annotations

from billing_desk.store.demo_file import create_demo_file
from tests.ui.test_startup import _loaded, _show_window

REPORTS = ("PySide6.QtCharts", "reportlab", "billing_desk.ui.reports_window",
           "billing_desk.ui.reports_service", "billing_desk.ui.accuracy_chart",
           "billing_desk.ui.report_table_model", "billing_desk.ui.bills_issued_dialog",
           "billing_desk.ui.bills_issued_model", "billing_desk.domain.reports",
           "billing_desk.domain.bills_issued", "billing_desk.store.reports",
           "billing_desk.store.bills_issued", "billing_desk.documents.reports",
           "billing_desk.documents.report_format", "billing_desk.documents.report_csv")


def test_the_reports_load_only_when_opened(tmp_path):
    path = tmp_path / "office.bdesk"
    create_demo_file(path, 20).close()
    seen = _show_window(path, tmp_path / "s.ini")
    assert _loaded(seen["first frame"]["modules"], REPORTS) == []
    assert _loaded(seen["after"]["modules"], REPORTS) == []
