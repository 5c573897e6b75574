"""New incident from a CSV (issue 18 point 1): what went wrong (description, service,
cause, dates, the evidence for every account, the rule options) and the file of
affected accounts and periods.

"Check file" reads and checks every row on a worker thread and shows the good and the
bad: the accounts that will become cases, and each bad row with its line, column and
why (its account is left out whole). Nothing is created until the clerk accepts the
good rows; then the incident and its cases are created in one transaction on the
worker (progress, Cancel keeps nothing) and ``created`` gives the new incident.
"""

from __future__ import annotations

from pathlib import Path

from .qt import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QProgressBar, QPushButton, QSplitter, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget, Qt, Signal,
)

from ..domain.case import Evidence, OccurredBasis, Options, Reading, Service
from ..domain.caseformat import EVIDENCE_KEYS
from ..domain.incident import Incident, incident_problems
from ..domain.incident_csv import IncidentFileRefused, IncidentImport
from ..store.incidents import IncidentCancelled
from .a11y import identify, value_label
from .date_field import DateField
from .errors import show_error
from .incident_override_dialog import _TEXT as EVIDENCE_TEXT
from .incident_session import IncidentSession
from .incident_worker import StepRunner

#: the most bad rows and good accounts the preview lists (all are counted)
PREVIEW_ROWS = 2000


class IncidentImportDialog(QDialog):
    created = Signal(object)  # IncidentRecord

    def __init__(self, incidents: IncidentSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        identify(self, "incident_import_dialog", "New incident from a CSV")
        self.setWindowTitle("New incident from a CSV — Billing Desk")
        self.incidents = incidents
        self.imported: IncidentImport | None = None
        self.data: bytes | None = None
        self.incident: Incident | None = None
        self.last_error_box = None
        self.runner = StepRunner(self)
        self.runner.progress.connect(self._progress)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)

        form = QFormLayout()
        self.description = self._line("incident_description", "Description")
        self.cause = self._line("incident_cause", "Cause")
        self.service = QComboBox()
        identify(self.service, "incident_service", "Service")
        for s in Service:
            self.service.addItem(s.value, s)
        self.discovered = DateField("incident_discovered_on", "Discovered on")
        self.made_known = DateField("incident_made_known_on", "Made known on")
        self.reading = QComboBox()
        identify(self.reading, "incident_reading", "Reading of 26-721(a)(2)")
        for r in Reading:
            self.reading.addItem(r.value.replace("_", " "), r)
        self.basis = QComboBox()
        identify(self.basis, "incident_basis", "Occurred basis")
        for b in OccurredBasis:
            self.basis.addItem(b.value.replace("_", " "), b)
        self.csv_path = self._line("incident_csv_path", "CSV file")
        self.browse = QPushButton("&Browse…")
        identify(self.browse, "incident_csv_browse", "Choose the CSV file")
        self.browse.clicked.connect(self.choose_file)
        path_row = QHBoxLayout()
        path_row.addWidget(self.csv_path, 1)
        path_row.addWidget(self.browse)
        for caption, widget in (("&Description:", self.description), ("Ca&use:", self.cause),
                                ("Ser&vice:", self.service), ("Discovered &on:", self.discovered),
                                ("Made &known on:", self.made_known),
                                ("&Reading:", self.reading), ("Occurred basi&s:", self.basis)):
            label = QLabel(caption)
            label.setBuddy(widget)
            identify(label, f"{widget.objectName() or 'incident_field'}_label")
            form.addRow(label, widget)
        path_label = QLabel("CSV &file:")
        path_label.setBuddy(self.csv_path)
        identify(path_label, "incident_csv_path_label")
        form.addRow(path_label, path_row)
        self.evidence: dict[str, QCheckBox] = {}
        evidence_box = QWidget()
        elay = QVBoxLayout(evidence_box)
        elay.setContentsMargins(0, 0, 0, 0)
        for key in EVIDENCE_KEYS:
            box = QCheckBox(EVIDENCE_TEXT[key])
            identify(box, f"incident_{key}")
            box.setChecked(key in ("documentation_available", "documentation_confirmed"))
            self.evidence[key] = box
            elay.addWidget(box)
        evidence_label = QLabel("Evidence for every account:")
        identify(evidence_label, "incident_evidence_label")
        form.addRow(evidence_label, evidence_box)

        self.check_button = QPushButton("C&heck file")
        identify(self.check_button, "incident_check", "Check every row of the file")
        self.check_button.clicked.connect(self.check_file)
        self.summary = value_label("incident_preview_summary", "What the file gives")
        self.summary.setWordWrap(True)
        self.good = QTableWidget(0, 5)
        identify(self.good, "incident_good_accounts", "Accounts that become cases")
        self.good.setHorizontalHeaderLabels(["Account", "Customer", "Periods", "Lines",
                                             "Mailing address"])
        self.bad = QTableWidget(0, 3)
        identify(self.bad, "incident_bad_rows", "Bad rows, left out with their accounts")
        self.bad.setHorizontalHeaderLabels(["Line", "Column", "Problem"])
        self.bad.horizontalHeader().setStretchLastSection(True)
        good_box, bad_box = QWidget(), QWidget()
        for box, caption, table in ((good_box, "Good accounts (become cases):", self.good),
                                    (bad_box, "Bad rows (left out, with their accounts):",
                                     self.bad)):
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            label = QLabel(caption)
            identify(label, f"{table.objectName()}_label")
            label.setBuddy(table)
            lay.addWidget(label)
            lay.addWidget(table)
        tables = QSplitter(Qt.Orientation.Horizontal)
        identify(tables, "incident_preview_splitter", "Good and bad rows")
        tables.addWidget(good_box)
        tables.addWidget(bad_box)

        self.bar = QProgressBar()
        identify(self.bar, "incident_import_progress", "Progress")
        self.bar.setVisible(False)
        self.create_button = QPushButton("Create &incident")
        identify(self.create_button, "incident_create", "Create the incident from the good rows")
        self.create_button.setEnabled(False)
        self.create_button.clicked.connect(self.create)
        self.cancel_step_button = QPushButton("Cance&l step")
        identify(self.cancel_step_button, "incident_import_cancel_step", "Cancel the step",
                 "Nothing is created")
        self.cancel_step_button.setEnabled(False)
        self.cancel_step_button.clicked.connect(self.runner.cancel)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        identify(self.close_button, "incident_import_close", "Close")
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_step_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.summary)
        lay.addWidget(tables, 1)
        lay.addWidget(self.bar)
        lay.addWidget(buttons)
        self.resize(1100, 820)

    def _line(self, ident: str, name: str) -> QLineEdit:
        edit = QLineEdit()
        identify(edit, ident, name)
        return edit

    # -- the incident ----------------------------------------------------------------------

    def incident_from_form(self) -> Incident | None:
        """The incident as the form says it, or None after showing what is missing."""
        discovered = self.discovered.value()
        if discovered is None:
            self.summary.setText("Say when the error was discovered (Discovered on).")
            return None
        incident = Incident(
            # (Qt hands the enums back as their text values)
            description=self.description.text(), service=Service(self.service.currentData()),
            cause=self.cause.text(), discovered_on=discovered,
            made_known_on=self.made_known.value(),
            evidence=Evidence(*(self.evidence[k].isChecked() for k in EVIDENCE_KEYS)),
            options=Options(Reading(self.reading.currentData()), None,
                            OccurredBasis(self.basis.currentData())))
        problems = incident_problems(incident)
        if problems:
            self.summary.setText("The incident is not complete: "
                                 + "; ".join(f"{p.field}: {p.message}" for p in problems))
            return None
        return incident

    def choose_file(self) -> None:
        from .file_dialogs import open_file

        folder = self.incidents.path.parent if self.incidents.path else Path.home()
        path = open_file(self, "The incident's accounts (CSV)", folder,
                         "CSV files (*.csv *.txt);;All files (*)")
        if path:
            self.csv_path.setText(str(path))

    def check_file(self, path: Path | None = None) -> None:
        from ..domain.limits import INCIDENT_CSV_BYTES
        from ..store.sqlite.openfiles import read_outside_file

        incident = self.incident_from_form()
        if incident is None:
            return
        target = Path(path or self.csv_path.text().strip())
        try:
            data = read_outside_file(target, INCIDENT_CSV_BYTES)
        except OSError as e:
            self.summary.setText(f"Cannot read {target}: {e.strerror or e}")
            return
        self.incident, self.data, self.imported = incident, data, None
        self.source_name = target.name
        self.create_button.setEnabled(False)
        self._start("Checking the file", self.incidents.check_file(data, incident))

    def create(self) -> None:
        if self.imported is None or not self.imported.accounts or self.incident is None:
            return
        self._start("Creating the incident",
                    self.incidents.create(self.incident, self.imported, self.source_name,
                                          self.data))

    # -- steps -----------------------------------------------------------------------------

    def _start(self, name: str, step) -> None:
        if not self.runner.start(name, self.incidents.opener, step):
            return
        self.summary.setText(f"{name}…")
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)
        self.cancel_step_button.setEnabled(True)
        for w in (self.check_button, self.create_button, self.close_button):
            w.setEnabled(False)

    def _done(self) -> None:
        self.bar.setVisible(False)
        self.cancel_step_button.setEnabled(False)
        self.check_button.setEnabled(True)
        self.close_button.setEnabled(True)
        self.create_button.setEnabled(self.imported is not None and bool(self.imported.accounts))

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)
        self.bar.setFormat("%v of %m accounts")

    def _finished(self, name: str, result) -> None:
        if name == "Checking the file":
            self.show_import(result)
            self._done()
            return
        self._done()
        self.summary.setText(f"Created incident {result.incident_number}.")
        self.created.emit(result)
        self.accept()

    def _failed(self, name: str, error: BaseException) -> None:
        self._done()
        if isinstance(error, IncidentFileRefused):
            self.imported = None
            self.create_button.setEnabled(False)
            self.summary.setText(f"{self.source_name} is refused; nothing can be created from it.")
            self._fill_bad([(p.line, p.field, p.message) for p in error.problems])
            self.good.setRowCount(0)
            return
        if isinstance(error, IncidentCancelled):
            self.summary.setText(str(error))
            return
        self.summary.setText(f"{name}: not done.")
        self.last_error_box = show_error(self, f"{name}: not done", error)

    # -- the preview -----------------------------------------------------------------------

    def show_import(self, imported: IncidentImport) -> None:
        self.imported = imported
        left_out = len(imported.rejected) + (1 if imported.orphan_lines else 0)
        text = (f"{imported.rows:,} rows read: {imported.good_rows:,} good rows make "
                f"{len(imported.accounts):,} account(s), each a case once you create the "
                f"incident.")
        if imported.problems:
            text += (f" {len(imported.problems):,} problem(s) in {imported.bad_rows:,} row(s): "
                     f"{left_out:,} account(s) are left out (listed right, with line and "
                     "column). Fix the file and check it again, or create the incident from "
                     "the good rows only.")
            self.create_button.setText("Accept the good rows, create &incident")
        else:
            self.create_button.setText("Create &incident")
        self.summary.setText(text)
        self.good.setRowCount(min(len(imported.accounts), PREVIEW_ROWS))
        for row, a in enumerate(imported.accounts[:PREVIEW_ROWS]):
            acct = a.case.account
            lines = (f"{a.lines[0]}" if len(a.lines) == 1 else f"{a.lines[0]}–{a.lines[-1]}"
                     if list(a.lines) == list(range(a.lines[0], a.lines[-1] + 1))
                     else ", ".join(map(str, a.lines[:6])) + (" …" if len(a.lines) > 6 else ""))
            for col, value in enumerate((a.number, acct.customer_name, str(len(a.case.periods)),
                                         lines, (acct.mailing_address or "").replace("\n", ", "))):
                self.good.setItem(row, col, QTableWidgetItem(value))
        self.good.resizeColumnsToContents()
        self._fill_bad([(p.line, p.field, p.message) for p in imported.problems])

    def _fill_bad(self, rows: list[tuple[int, str, str]]) -> None:
        self.bad.setRowCount(min(len(rows), PREVIEW_ROWS))
        for row, (line, field, message) in enumerate(rows[:PREVIEW_ROWS]):
            for col, value in enumerate((str(line), field, message)):
                self.bad.setItem(row, col, QTableWidgetItem(value))
        self.bad.resizeColumnToContents(0)
        self.bad.resizeColumnToContents(1)

    def reject(self) -> None:
        if self.runner.busy:  # never leave a step running behind a closed dialog
            self.runner.cancel()
            return
        super().reject()
