"""The incident window (issue 18 point 2): every case of one incident with its figures,
the totals, the accounts where the readings diverge, the histogram of the amounts, the
outliers flagged for a look (the rule is shown), and the incident's workflow: submit,
override one account's evidence, draw the review sample, approve by sample, issue the
approved cases' letters and memos, save the summary memo for finance.

Everything shown comes from one ``issuing.IncidentView``, loaded on a worker thread
(100,000 cases open in well under a second: bench/incidents.py); every long step runs
there too, with a progress bar and Cancel. The window holds no SQL and no rule: refusals
come from the store with their reasons and are shown in the one error dialog.
"""

from __future__ import annotations

from pathlib import Path

from .qt import (
    QAction, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QKeySequence, QLabel, QMainWindow,
    QMessageBox, QProgressBar, QPushButton, QSplitter, QTableView, QToolBar, QVBoxLayout,
    QWidget, Qt, Signal,
)

from ..domain.incident import OUTLIER_RULE
from ..domain.workflow import EDITABLE, CaseStatus
from ..issuing.incidents import IncidentView
from ..store.incidents import IncidentCancelled
from .a11y import identify, value_label
from .errors import show_error
from ..store.incidents import CaseFilter
from .incident_cases_model import IncidentCasesModel
from .incident_histogram import IncidentHistogram
from .incident_session import IncidentSession
from .incident_worker import StepRunner
from .periods_model import format_amount

#: the totals shown, (identifier, caption, text of the view)
TOTALS = (
    ("incident_total_cases", "Accounts (cases)", lambda v: f"{v.totals.cases:,}"),
    ("incident_total_refund", "Credited / refunded", lambda v: format_amount(v.totals.refund)),
    ("incident_total_back_bill", "Back-billed", lambda v: format_amount(v.totals.back_bill)),
    ("incident_total_six_year", "Kept back by the six-year limit",
     lambda v: f"{format_amount(v.totals.six_year)} ({_accounts(v.totals.six_year_cases)})"),
    ("incident_total_a1_i", "Kept back: (a)(1)(i) could have discovered",
     lambda v: format_amount(v.totals.a1_i)),
    ("incident_total_a1_ii", "Kept back: (a)(1)(ii) no documentation",
     lambda v: format_amount(v.totals.a1_ii)),
    ("incident_total_a1_iii", "Kept back: (a)(1)(iii) not confirmed",
     lambda v: format_amount(v.totals.a1_iii)),
    ("incident_forgiven_ordinance", "Forgiven: ordinance reading",
     lambda v: format_amount(v.totals.forgiven[0])),
    ("incident_forgiven_executive_summary", "Forgiven: executive summary reading",
     lambda v: format_amount(v.totals.forgiven[1])),
    ("incident_forgiven_staff_practice", "Forgiven: staff memo reading",
     lambda v: format_amount(v.totals.forgiven[2])),
    ("incident_divergent", "Readings diverge", lambda v: _accounts(v.divergent)),
    ("incident_outliers", "Outliers", lambda v: _accounts(v.outliers)),
    ("incident_statuses", "Cases by status",
     lambda v: ", ".join(f"{s} {n:,}" for s, n in v.statuses)),
    ("incident_approval", "Approval", lambda v: _approval_text(v)),
)


def _accounts(n: int) -> str:
    return f"{n:,} account{'' if n == 1 else 's'}"


def _approval_text(v: IncidentView) -> str:
    if not v.approvals:
        if v.review is not None:
            return (f"review #{v.review.id} drawn by {v.review.drawn_by} "
                    f"({len(v.review.sample):,} in the sample); not approved yet")
        return "not approved"
    a = v.approvals[-1]
    dropped = v.dropped_out
    text = f"approved by {a.approved_by}, {a.cases:,} cases"
    if dropped:
        text += f"; {dropped:,} dropped out (edited afterwards)"
    return text


class IncidentWindow(QMainWindow):
    caseActivated = Signal(int)  # a case to open in the main window
    loaded = Signal(object)  # the IncidentView shown

    def __init__(self, incidents: IncidentSession, incident_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.incidents = incidents
        self.incident_id = incident_id
        self.view: IncidentView | None = None
        self.last_error_box = None
        record = incidents.incident(incident_id)
        identify(self, "incident_window", f"Incident {record.incident_number}")
        self.setWindowTitle(f"Incident {record.incident_number} — Billing Desk")
        self.runner = StepRunner(self)
        self.runner.progress.connect(self._progress)
        self.runner.finished.connect(self._step_finished)
        self.runner.failed.connect(self._step_failed)

        self.header = QLabel()
        identify(self.header, "incident_header", description="What went wrong")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)

        totals_box = QGroupBox("Totals")
        form = QFormLayout(totals_box)
        self.totals: dict[str, QLabel] = {}
        for ident, caption, _ in TOTALS:
            value = value_label(ident, caption)
            caption_label = QLabel(caption + ":")
            identify(caption_label, ident + "_caption")
            caption_label.setBuddy(value)
            form.addRow(caption_label, value)
            self.totals[ident] = value

        self.histogram = IncidentHistogram()
        self.rule = QLabel(OUTLIER_RULE)
        identify(self.rule, "incident_outlier_rule", description="How outliers are flagged")
        self.rule.setWordWrap(True)
        self.rule.setStyleSheet("color: #444;")
        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        rlay.addWidget(self.histogram, 1)
        rlay.addWidget(self.rule)

        top = QWidget()
        tlay = QHBoxLayout(top)
        tlay.setContentsMargins(0, 0, 0, 0)
        left = QWidget()
        llay = QVBoxLayout(left)
        llay.setContentsMargins(0, 0, 0, 0)
        llay.addWidget(self.header)
        llay.addWidget(totals_box)
        llay.addStretch(1)
        tlay.addWidget(left, 2)
        tlay.addWidget(right, 3)

        self.filter = QComboBox()
        identify(self.filter, "incident_filter", "Show which cases")
        for f in CaseFilter:
            self.filter.addItem(f.value, f)
        filter_label = QLabel("&Show:")
        identify(filter_label, "incident_filter_label")
        filter_label.setBuddy(self.filter)
        self.shown = value_label("incident_shown", "Cases shown")
        filters = QHBoxLayout()
        filters.addWidget(filter_label)
        filters.addWidget(self.filter)
        filters.addWidget(self.shown, 1)
        self.model = IncidentCasesModel(
            lambda query: incidents.count(incident_id, query),
            lambda query, offset, limit: incidents.page(incident_id, query, offset, limit))
        self.table = QTableView()
        identify(self.table, "incident_cases", "The incident's cases")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # the CSV's order
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        # columns sized to the rows of the first page only (not a thousand rows read)
        self.table.horizontalHeader().setResizeContentsPrecision(50)
        self.table.activated.connect(lambda index: self.open_case())  # Enter, double-click
        bottom = QWidget()
        blay = QVBoxLayout(bottom)
        blay.setContentsMargins(0, 0, 0, 0)
        blay.addLayout(filters)
        blay.addWidget(self.table, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        identify(splitter, "incident_splitter", "Incident areas")
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

        self.bar = QProgressBar()
        identify(self.bar, "incident_progress", "Progress of the step")
        self.bar.setVisible(False)
        self.step_label = value_label("incident_step", "The step under way")
        self.cancel_button = QPushButton("Cance&l step")
        identify(self.cancel_button, "incident_cancel", "Cancel the step under way",
                 "A cancelled step keeps nothing")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_step)
        steps = QHBoxLayout()
        steps.addWidget(self.step_label, 1)
        steps.addWidget(self.bar, 1)
        steps.addWidget(self.cancel_button)

        central = QWidget()
        clay = QVBoxLayout(central)
        clay.addWidget(splitter, 1)
        clay.addLayout(steps)
        self.setCentralWidget(central)
        self._build_actions()
        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self.resize(1400, 900)
        self._enable()
        self.refresh()

    # -- actions ---------------------------------------------------------------------------

    def _action(self, text: str, slot, ident: str, tip: str, shortcut=None) -> QAction:
        act = QAction(text, self)
        act.setObjectName(ident)
        act.setStatusTip(tip)
        act.setToolTip(tip)
        if shortcut is not None:
            act.setShortcuts([QKeySequence(shortcut)])
        act.triggered.connect(slot)
        return act

    def _build_actions(self) -> None:
        self.refresh_act = self._action("&Refresh", self.refresh, "incident_refresh",
                                        "Read the incident again (F5)",
                                        QKeySequence.StandardKey.Refresh)
        self.open_act = self._action("&Open case", self.open_case, "incident_open_case",
                                     "Open the selected case in the main window (Enter)")
        self.override_act = self._action("O&verride evidence…", self.override,
                                         "incident_override",
                                         "Change the selected account's evidence, with a reason")
        self.submit_act = self._action("S&ubmit incident", self.submit, "incident_submit",
                                       "Submit every draft case of the incident for approval")
        self.sample_act = self._action("&Draw sample", self.draw_sample, "incident_sample",
                                       "Draw the review sample (supervisors)")
        self.approve_act = self._action("&Approve incident…", self.approve, "incident_approve",
                                        "Approve exactly the cases of your review")
        self.issue_act = self._action("&Issue incident", self.issue, "incident_issue",
                                      "Issue the letters and memos of the approved cases")
        self.memo_act = self._action("Save summary &memo…", self.save_memo, "incident_memo",
                                     "Save the incident summary memo for finance as PDF")
        self.acts = (self.refresh_act, self.open_act, self.override_act, self.submit_act,
                     self.sample_act, self.approve_act, self.issue_act, self.memo_act)
        tools = QToolBar("Incident")
        tools.setObjectName("incident_toolbar")
        menu = self.menuBar().addMenu("&Incident")
        menu.setObjectName("incident_menu")
        for act in self.acts:
            tools.addAction(act)
            menu.addAction(act)
            identify(tools.widgetForAction(act), f"toolbar_{act.objectName()}",
                     act.text().replace("&", "").rstrip("…"))
        self.addToolBar(tools)

    def _selected(self):
        index = self.table.currentIndex()
        return self.model.case_at(index.row()) if index.isValid() else None

    def _enable(self) -> None:
        busy, v = self.runner.busy, self.view
        selected = self._selected()
        statuses = dict(v.statuses) if v else {}
        review = v.review if v else None
        me = self.incidents.actor.casefold()
        self.refresh_act.setEnabled(not busy)
        self.open_act.setEnabled(selected is not None)
        self.override_act.setEnabled(not busy and selected is not None
                                     and selected.status in EDITABLE)
        self.submit_act.setEnabled(not busy and bool(statuses.get("draft") or statuses.get("returned")))
        self.sample_act.setEnabled(not busy and self.incidents.can_approve
                                   and bool(statuses.get("submitted")))
        self.approve_act.setEnabled(not busy and review is not None and not review.approved
                                    and review.drawn_by.casefold() == me)
        self.issue_act.setEnabled(not busy and bool(statuses.get("approved")))
        self.memo_act.setEnabled(not busy and v is not None)

    # -- showing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self._run("Loading the incident", self.incidents.load(self.incident_id))

    def show_view(self, view: IncidentView) -> None:
        self.view = view
        r, i = view.record, view.record.incident
        ev = i.evidence
        evidence = "; ".join(text for text, on in (
            ("customer could have discovered", ev.customer_could_have_discovered),
            ("documentation available", ev.documentation_available),
            ("documentation confirmed", ev.documentation_confirmed),
            ("customer concealed", ev.customer_concealed_error)) if on) or "none"
        overridden = f" · {len(view.overridden):,} overridden" if view.overridden else ""
        self.header.setText(
            f"<b>{r.incident_number}</b> · {i.service.value} · {_escape(i.description)}<br>"
            f"Cause: {_escape(i.cause)}<br>Discovered {i.discovered_on:%m/%d/%Y}, made known "
            f"{i.made_known:%m/%d/%Y} · evidence for every account: {evidence}{overridden}<br>"
            f"From {_escape(r.source_name)} ({r.source_rows:,} rows), created "
            f"{r.created_at:%Y-%m-%d %H:%M} UTC by {_escape(r.created_by)}")
        for ident, _, text in TOTALS:
            self.totals[ident].setText(text(view))
        self.histogram.show_bins(view.bins, view.fences)
        current = self._selected()
        first = self.model.view is None
        self.model.set_view(view)
        if first:
            self.table.resizeColumnsToContents()
        self._show_count()
        if current is not None:
            self._select(current.case_id)
        self._enable()
        self.loaded.emit(view)

    def _select(self, case_id: int) -> None:
        row = self.model.row_of(case_id)
        if row is not None:
            self.table.selectRow(row)

    def _show_count(self) -> None:
        total = self.view.totals.cases if self.view else 0
        self.shown.setText(f"{self.model.rowCount():,} of {total:,} cases")

    def _filter_changed(self) -> None:
        self.model.set_filter(CaseFilter(self.filter.currentData()))
        self._show_count()
        self._enable()

    # -- steps -----------------------------------------------------------------------------

    def _run(self, name: str, step) -> None:
        if not self.runner.start(name, self.incidents.opener, step):
            return
        self.step_label.setText(f"{name}…")
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)
        self.cancel_button.setEnabled(True)
        self._enable()

    def cancel_step(self) -> None:
        self.runner.cancel()
        self.cancel_button.setEnabled(False)
        self.step_label.setText(f"Cancelling: {self.runner.name}…")

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)
        self.bar.setFormat(f"%v of %m ({self.runner.name.lower()})")

    def _end_step(self, text: str) -> None:
        self.bar.setVisible(False)
        self.cancel_button.setEnabled(False)
        self.step_label.setText(text)
        self._enable()

    def _step_finished(self, name: str, result) -> None:
        if name == "Loading the incident":
            self._end_step("")
            self.show_view(result)
            return
        messages = {
            "Submitting the incident": lambda n: f"{n:,} case(s) submitted for approval.",
            "Drawing the sample": lambda rv: (f"Review #{rv.id}: {len(rv.sample):,} cases in the "
                                              f"sample from seed {rv.seed}; review them, then "
                                              "approve."),
            "Approving the incident": lambda a: (f"Approved: {a.cases:,} cases, refunds "
                                                 f"{format_amount(a.refund_total)}, back bills "
                                                 f"{format_amount(a.back_bill_total)}."),
            "Issuing the incident": lambda r: (f"{r[0].reconciliation()}. Manifest: {r[1][0]}"),
            "Saving the summary memo": lambda s: f"Summary memo saved ({s.pages} pages).",
        }
        self._end_step(messages.get(name, lambda _: "")(result))
        if name == "Drawing the sample":
            self.filter.setCurrentIndex(list(CaseFilter).index(CaseFilter.SAMPLE))
        if name != "Saving the summary memo":
            self.refresh()

    def _step_failed(self, name: str, error: BaseException) -> None:
        if isinstance(error, IncidentCancelled):
            self._end_step(str(error))
        else:
            self._end_step(f"{name}: not done.")
            self.last_error_box = show_error(self, f"{name}: not done", error)
        if name != "Loading the incident":
            self.refresh()

    # -- the workflow ----------------------------------------------------------------------

    def open_case(self) -> None:
        c = self._selected()
        if c is not None:
            self.caseActivated.emit(c.case_id)

    def override(self) -> None:
        c = self._selected()
        if c is None or self.view is None:
            return
        from .incident_override_dialog import IncidentOverrideDialog

        dialog = IncidentOverrideDialog(c.case_number, c.customer_name,
                                        self.incidents.evidence_of(c.case_id),
                                        self.view.record.incident.rule_pack, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self._override(c.case_id, dialog))
        self.override_dialog = dialog
        dialog.open()

    def _override(self, case_id: int, dialog) -> None:
        try:
            record = self.incidents.override(self.incident_id, case_id, dialog.evidence(),
                                             dialog.reason_text())
        except Exception as e:  # noqa: BLE001 - the one error dialog says why
            self.last_error_box = show_error(self, "Evidence not overridden", e)
            return
        self.step_label.setText(f"{record.case_number}: evidence overridden; it is "
                                f"{record.status.value} now.")
        self.refresh()

    def submit(self) -> None:
        self._run("Submitting the incident", self.incidents.submit(self.incident_id))

    def draw_sample(self) -> None:
        self._run("Drawing the sample", self.incidents.draw_sample(self.incident_id))

    def approve(self) -> None:
        if self.view is None or self.view.review is None:
            return
        from .incident_approve_dialog import IncidentApproveDialog

        review = self.view.review
        dialog = IncidentApproveDialog(
            self.view, self.incidents.cases_by_id(self.incident_id, review.sample), self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        review_id = self.view.review.id
        dialog.accepted.connect(lambda: self._run(
            "Approving the incident", self.incidents.approve(self.incident_id, review_id,
                                                             dialog.acknowledge_divergence)))
        self.approve_dialog = dialog
        dialog.open()

    def issue(self) -> None:
        folder = self.incidents.path.parent if self.incidents.path else Path.cwd()
        approved = dict(self.view.statuses).get(CaseStatus.APPROVED.value, 0) if self.view else 0
        box = QMessageBox(QMessageBox.Icon.Question, "Issue the incident",
                          f"Issue the letters and memos of the {approved:,} approved cases? Each "
                          "is rendered, read back against its case and stored; the manifest is "
                          f"written to {folder}.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("incident_issue_confirm")
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.accepted.connect(lambda: self._run("Issuing the incident",
                                               self.incidents.issue(self.incident_id, folder)))
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(box.accept)
        self.issue_box = box
        box.open()

    def save_memo(self, path: Path | None = None) -> None:
        if path is None:
            from .file_dialogs import save_file

            folder = self.incidents.path.parent if self.incidents.path else Path.home()
            number = self.view.record.incident_number if self.view else "incident"
            path = save_file(self, "Save the incident summary memo",
                             folder / f"{number}-summary.pdf", "PDF files (*.pdf)")
            if path is None:
                return
        self._run("Saving the summary memo", self.incidents.memo(self.incident_id, Path(path)))

    def closeEvent(self, event) -> None:  # noqa: N802
        self.runner.wait()  # a step under way is cancelled (it keeps nothing) and waited for
        super().closeEvent(event)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
