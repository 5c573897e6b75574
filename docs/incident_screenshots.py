"""Take the screenshots of docs/incidents.md: the incident window on the stormwater
example (submitted, the sample drawn), and the New incident preview of a CSV with a bad
date on line 57 and a duplicate account.

Run under a real X server (not offscreen), e.g.:
    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/incident_screenshots.py [FOLDER]
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from billing_desk.store import create_case_file  # noqa: E402
from billing_desk.ui.incident_import_dialog import IncidentImportDialog  # noqa: E402
from billing_desk.ui.incident_session import IncidentSession  # noqa: E402
from billing_desk.ui.incident_window import IncidentWindow  # noqa: E402
from billing_desk.ui.session import CaseSession  # noqa: E402
from tests.incident_data import stormwater_rows, to_csv  # noqa: E402
from tests.staff import add_staff  # noqa: E402
from tests.store.incident_helpers import stormwater_incident  # noqa: E402


def main(out: Path) -> None:
    app = QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp())
    path = folder / "office.bdesk"
    with add_staff(create_case_file(path)) as cf:
        record, _ = stormwater_incident(cf, sample=True, seed="docs")
    rows = stormwater_rows()
    rows[55][5] = "2005-02-30"
    rows[200][0] = rows[0][0]
    (folder / "rows.csv").write_bytes(to_csv(rows))

    session = CaseSession("boss")
    session.open(path)
    window = IncidentWindow(IncidentSession(session), record.id)
    dialog = IncidentImportDialog(IncidentSession(session))

    def shoot_window(_view) -> None:
        QTimer.singleShot(400, lambda: (window.grab().save(str(out / "incident-window.png")),
                                        start_dialog()))

    def start_dialog() -> None:
        window.close()
        dialog.description.setText("Incorrect stormwater run-off factor")
        dialog.cause.setText("Run-off coefficient table entered wrong in 2000")
        dialog.service.setCurrentIndex(dialog.service.findText("stormwater"))
        dialog.discovered.set_value(date(2009, 7, 1))
        dialog.csv_path.setText(str(folder / "rows.csv"))
        dialog.show()
        dialog.runner.finished.connect(lambda *_: QTimer.singleShot(
            400, lambda: (dialog.grab().save(str(out / "incident-import.png")), app.quit())))
        dialog.check_file()

    window.loaded.connect(shoot_window)
    window.show()
    QTimer.singleShot(180_000, app.quit)
    app.exec()
    dialog.close()
    session.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
