"""Take the README's reports screenshot: the reports window on a demo case file whose
approved cases were issued (through the issuing service, over five years) and whose
bills issued were entered, showing the billing accuracy table and chart.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/reports_screenshot.py [OUT.png]
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from billing_desk.domain.bills_issued import BillsIssued  # noqa: E402
from billing_desk.domain.workflow import CaseStatus  # noqa: E402
from billing_desk.domain.mailing import earliest_issue_date  # noqa: E402
from billing_desk.issuing import issue_documents  # noqa: E402
from billing_desk.store import CaseQuery  # noqa: E402
from billing_desk.store.demo_file import create_demo_file  # noqa: E402


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("reports-window.png"))
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from billing_desk.ui.main_window import MainWindow
    from billing_desk.ui.session import CaseSession

    app = QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.bdesk"
        with create_demo_file(path, 900) as cf:
            approved = cf.listing.page(CaseQuery(statuses=frozenset({CaseStatus.APPROVED})), 0, 1000)
            for k, case in enumerate(approved):
                earliest = earliest_issue_date(cf.cases.load(case.id).draft.check().case)
                issue_documents(cf, case.id, actor="mwhitfield",
                                issue_date=max(earliest, date(2021 + k % 5, 1 + k * 7 % 12,
                                                                1 + k % 28)))
            cf.bills_issued.import_figures(
                [BillsIssued(year, "all", 310_000 + 4_000 * (year - 2021)) for year in range(2021, 2026)],
                actor="admin", source="finance.csv")
        window = MainWindow(CaseSession("mwhitfield"),
                            QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat))
        window.open_path(path)
        window.show()
        reports = window.open_reports()
        reports.resize(1100, 760)
        for _ in range(10):
            app.processEvents()
        reports.grab().save(str(out))
        reports.close()
        window.session.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
