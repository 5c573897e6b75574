"""The reports window (Reports > Reports…, Ctrl+Shift+R): Billing accuracy (table and
chart, against the benchmark), Adjustments and Workload, for the dates chosen, each
exported as CSV or PDF. Opened from the main window and loaded only then, with
QtCharts and ReportLab (the app's start needs neither).

A report is read when its tab is first shown and again on Show (F5); the figures are
the store's and the domain's (:mod:`billing_desk.domain.reports`); this window only
shows them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .qt import (
    QHBoxLayout, QHeaderView, QKeySequence, QLabel, QLineEdit, QPushButton, QShortcut,
    QSplitter, QTabWidget, QTableView, QVBoxLayout, QWidget, Qt, Signal,
)

from ..documents.report_format import benchmark_text
from ..domain.reports import AccuracyReport, DateRange, Report
from .a11y import identify
from .accuracy_chart import AccuracyChart
from .background import run_in_background
from .date_field import DateField
from .errors import expected_errors, show_error
from .report_table_model import ReportTableModel
from .reports_service import ReportsService
from .session import CaseSession

KINDS = (("accuracy", "Billing &accuracy"), ("adjustments", "A&djustments"),
         ("workload", "&Workload"))
TABLE_TITLES = {
    "by_month": "By month", "by_year": "By year", "kept_back": "Kept back",
    "readings_differ_by_year": "Readings differ", "readings_differ": "Where they differ most",
    "open_by_status": "Open cases",
    "oldest_open": "Oldest open", "time_to_issue": "Time to issue",
}


def _table_view(identifier: str, name: str, model: ReportTableModel) -> QTableView:
    view = QTableView()
    identify(view, identifier, name)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class ReportPage(QWidget):
    """One report: its notes and its tables (several in tabs of their own)."""

    def __init__(self, kind: str, parent=None) -> None:
        super().__init__(parent)
        self.kind = kind
        identify(self, f"report_page_{kind}", f"{kind.capitalize()} report")
        self.report: Report | None = None
        self.notes = QLabel()
        identify(self.notes, f"{kind}_notes", description="How the report counts")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.models: dict[str, ReportTableModel] = {}
        self.views: dict[str, QTableView] = {}
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.notes)

    def add_tables(self, keys: tuple[str, ...]) -> QWidget:
        """The views of the tables ``keys``: one view, or tabs of them."""
        for key in keys:
            self.models[key] = ReportTableModel(self)
            self.views[key] = _table_view(f"report_table_{key}", TABLE_TITLES.get(key, key),
                                          self.models[key])
        if len(keys) == 1:
            return self.views[keys[0]]
        tabs = QTabWidget()
        identify(tabs, f"{self.kind}_tables", f"{self.kind.capitalize()} tables")
        for key in keys:
            tabs.addTab(self.views[key], TABLE_TITLES[key])
        return tabs

    def show_report(self, report: Report) -> None:
        self.report = report
        self.notes.setText("\n".join(report.notes))
        for table in report.tables:
            model = self.models.get(table.key)
            if model is not None:
                model.set_table(table)
                self.views[table.key].resizeColumnsToContents()


class ReportsWindow(QWidget):
    benchmarkChanged = Signal(object)  # Decimal

    def __init__(self, session: CaseSession, parent=None, *, today: date | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        identify(self, "reports_window", "Reports")
        self.service = ReportsService(session)
        self.today = today or date.today()
        self.last_error_box = None
        self.bills_dialog = None
        self.task = None  # the report being read, on its thread
        self._tasks: list = []  # every reading not yet ended (asked again meanwhile)
        self._reading = 0  # which reading is the one to show
        self.setWindowTitle(f"Reports — {session.path.name if session.path else 'no file'}")

        self.start = DateField("report_from", "From (issue date)")
        self.end = DateField("report_to", "To (issue date)")
        self.show_button = QPushButton("&Show")
        identify(self.show_button, "report_show", "Show the report for these dates (F5)")
        self.csv_button = QPushButton("Export &CSV…")
        identify(self.csv_button, "report_export_csv", "Export the report shown as CSV")
        self.pdf_button = QPushButton("Export &PDF…")
        identify(self.pdf_button, "report_export_pdf", "Export the report shown as PDF")
        self.bills_button = QPushButton("&Bills issued…")
        identify(self.bills_button, "report_bills_issued",
                 "Enter or import the bills issued per year and service")
        self.message = QLabel()
        identify(self.message, "report_message", description="What went wrong")
        self.message.setWordWrap(True)
        from_label, to_label = QLabel("&From"), QLabel("&To")
        from_label.setBuddy(self.start.edit)
        to_label.setBuddy(self.end.edit)
        bar = QHBoxLayout()
        for w in (from_label, self.start, to_label, self.end, self.show_button):
            if isinstance(w, QLabel):
                w.setMinimumWidth(w.sizeHint().width() + 4)
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.bills_button, self.csv_button, self.pdf_button):
            bar.addWidget(w)

        self.tabs = QTabWidget()
        identify(self.tabs, "report_tabs", "Reports")
        self.pages: dict[str, ReportPage] = {}
        for kind, title in KINDS:
            self.pages[kind] = ReportPage(kind)
            self.tabs.addTab(self.pages[kind], title)

        accuracy = self.pages["accuracy"]
        self.chart = AccuracyChart()
        self.benchmark = QLineEdit()
        identify(self.benchmark, "accuracy_benchmark",
                 "Benchmark, adjusted bills per 10,000 bills issued")
        self.benchmark.setMaximumWidth(90)
        self.benchmark_button = QPushButton("S&et benchmark")
        identify(self.benchmark_button, "accuracy_benchmark_set", "Set the benchmark")
        bench_label = QLabel("Benc&hmark, adjusted bills per 10,000:")
        bench_label.setBuddy(self.benchmark)
        if not self.service.may_change_settings():  # the office's settings: administrators'
            self.benchmark.setReadOnly(True)
            self.benchmark_button.setEnabled(False)
            self.benchmark_button.setToolTip("Only an administrator sets the benchmark")
        bench = QHBoxLayout()
        for w in (bench_label, self.benchmark, self.benchmark_button):
            bench.addWidget(w)
        bench.addStretch(1)
        accuracy.layout_.addLayout(bench)
        split = QSplitter(Qt.Orientation.Vertical)
        identify(split, "accuracy_split", "Chart and table")
        split.addWidget(self.chart)
        split.addWidget(accuracy.add_tables(("accuracy",)))
        split.setSizes([300, 300])
        accuracy.layout_.addWidget(split, 1)
        self.pages["adjustments"].layout_.addWidget(self.pages["adjustments"].add_tables(
            ("by_month", "by_year", "kept_back", "readings_differ_by_year", "readings_differ")), 1)
        self.pages["workload"].layout_.addWidget(self.pages["workload"].add_tables(
            ("open_by_status", "oldest_open", "time_to_issue")), 1)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.show_button.clicked.connect(self.refresh)
        self.start.dateCommitted.connect(lambda _d: self.refresh())
        self.end.dateCommitted.connect(lambda _d: self.refresh())
        self.tabs.currentChanged.connect(lambda _i: self._show_current())
        self.csv_button.clicked.connect(lambda: self.export_dialog("csv"))
        self.pdf_button.clicked.connect(lambda: self.export_dialog("pdf"))
        self.bills_button.clicked.connect(self.open_bills_issued)
        self.benchmark.returnPressed.connect(self.apply_benchmark)
        self.benchmark_button.clicked.connect(self.apply_benchmark)
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.activated.connect(self.refresh)
        self.resize(1100, 760)
        self._load_benchmark()
        self.refresh()

    # -- the reports ---------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return KINDS[self.tabs.currentIndex()][0]

    @property
    def report(self) -> Report | None:
        return self.pages[self.kind].report

    def period(self) -> DateRange | None:
        """The dates chosen, or None (and the reason shown) if they are not usable."""
        for field in (self.start, self.end):
            if field.error():
                self.message.setText(f"{field.edit.accessibleName()}: {field.error()}")
                return None
        try:
            return DateRange(self.start.value(), self.end.value())
        except ValueError as e:
            self.message.setText(f"Not shown: {e}.")
            return None

    def refresh(self) -> None:
        """Read the reports again for the dates chosen (the tab shown now, the others
        when they are shown)."""
        for page in self.pages.values():
            page.report = None
        self._show_current()

    def _show_current(self) -> None:
        """Show the current tab's report, read for the dates chosen on a worker thread
        (a report over a large file takes a moment: the window stays live meanwhile).
        A reading started for other dates or another tab is not shown when it ends."""
        page = self.pages[self.kind]
        if page.report is not None:
            return
        period = self.period()
        if period is None:
            return
        self.message.setText("")
        self._reading += 1
        reading, kind, today = self._reading, self.kind, self.today

        def shown(report: Report) -> None:
            if reading != self._reading:  # asked again meanwhile: that reading shows
                return
            page.show_report(report)
            if isinstance(report, AccuracyReport):
                self.chart.show_report(report)

        def failed(error: BaseException) -> None:
            self.last_error_box = show_error(self, "The report could not be read", error)

        self.task = run_in_background(
            self, "Reports", lambda _progress: self.service.read_report(kind, period, today),
            shown, text=f"Reading the {kind} report…", failed=failed)
        self._tasks = [t for t in self._tasks if not t.ended] + [self.task]

    def closeEvent(self, event) -> None:  # noqa: N802
        self._reading += 1  # what is being read now is not shown
        for task in self._tasks:  # (their threads end before the window)
            if task.running:
                task.wait()
        super().closeEvent(event)

    @property
    def reading(self) -> bool:
        """A report is being read (tests wait for it)."""
        return self.task is not None and not self.task.ended

    # -- the benchmark -------------------------------------------------------------------

    def _load_benchmark(self) -> None:
        try:
            self.benchmark.setText(benchmark_text(self.service.benchmark()))
        except expected_errors() as e:
            self.last_error_box = show_error(self, "The benchmark could not be read", e)

    def apply_benchmark(self) -> None:
        from ..store.settings import InvalidSetting

        try:
            value = self.service.set_benchmark(self.benchmark.text())
        except InvalidSetting as e:
            self.message.setText(f"Benchmark not set: {str(e).split(': ', 1)[-1]}")
            return
        except expected_errors() as e:
            self.last_error_box = show_error(self, "Benchmark not set", e)
            return
        self.benchmark.setText(benchmark_text(value))
        self.message.setText("")
        self.benchmarkChanged.emit(value)
        self.pages["accuracy"].report = None
        self._show_current()

    # -- exports -------------------------------------------------------------------------

    def export_data(self, fmt: str) -> bytes:
        report = self.report
        if report is None:
            raise RuntimeError("no report is shown")
        if fmt == "csv":
            from ..documents.report_csv import report_csv

            return report_csv(report)
        from ..documents.reports import render_report  # (ReportLab: when first exported)

        return render_report(report, generated=self.today).pdf

    def export_to(self, path: Path, fmt: str) -> bool:
        """Write the report shown as ``fmt`` (csv or pdf) to ``path``; False (and the
        reason shown) if it could not be."""
        from ..documents.exports import write_export
        from ..store.errors import IsTheCaseFile
        from ..store.openfiles import refuse_case_file_parts

        try:
            refuse_case_file_parts(Path(path))
            write_export(self.export_data(fmt), path)
        except IsTheCaseFile:
            self.message.setText(f"{path} is the case file; a report is never written over "
                                 "it. Choose another name.")
            return False
        except expected_errors() as e:
            self.last_error_box = show_error(self, "The report was not exported", e)
            return False
        self.message.setText(f"Exported to {path}")
        return True

    def export_dialog(self, fmt: str) -> None:
        if self.report is None:
            return
        from .file_dialogs import save_file

        folder = self.service.path.parent if self.service.path else Path.home()
        suggested = folder / f"{self.kind}-{self.today.isoformat()}.{fmt}"
        path = save_file(self, f"Export {self.report.title} as {fmt.upper()}", suggested,
                         "CSV files (*.csv)" if fmt == "csv" else "PDF files (*.pdf)")
        if path is not None:
            if path.suffix.lower() != f".{fmt}":
                path = path.with_name(path.name + f".{fmt}")
            self.export_to(path, fmt)

    # -- bills issued --------------------------------------------------------------------

    def open_bills_issued(self):
        from .bills_issued_dialog import BillsIssuedDialog

        self.bills_dialog = BillsIssuedDialog(self.service, self)
        self.bills_dialog.saved.connect(lambda: self.refresh())
        self.bills_dialog.open()
        return self.bills_dialog
