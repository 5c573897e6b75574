"""The determination panel: always visible beside the case, recomputed on every edit.

Shows the outcome, refund (credit) and back-bill totals, net, the per-period lines
(included, excluded, clause, reason), the three readings side by side when they differ,
the flags, and the validation problems — each problem clickable to jump to its field.
Text always says what colour also shows.

While the editor shows an entry it does not hold (a date or an amount refused, a date
still being typed), the figures are those of the case as last saved, not of the form:
the panel says so at the top ("Not current: fix …"), lists the entries first among the
problems, and shows its figures greyed and struck through (:meth:`set_refused`).
"""

from __future__ import annotations

from .qt import (
    QAbstractItemView, QFont, QFontMetrics, QFrame, QGridLayout, QGroupBox, QHeaderView,
    QLabel, QListWidget, QListWidgetItem, QRect, QSizePolicy, QTableView, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget, Qt, Signal,
)

from ..domain.case import Case
from ..domain.determination import Determination, Outcome
from ..domain.problems import Problem
from ..domain.rulepacks import get_rule_pack
from .a11y import identify, value_label
from .determination_lines_model import HEADERS, DeterminationLinesModel
from .formatting import date_text, money

OUTCOME_TEXT = {
    Outcome.CREDIT: "Credit to the customer",
    Outcome.BACK_BILL: "Back bill the customer",
    Outcome.CREDIT_AND_BACK_BILL: "Credit and back bill",
    Outcome.NO_ADJUSTMENT: "No adjustment",
}
OUTCOME_SHORT = {
    Outcome.CREDIT: "Credit", Outcome.BACK_BILL: "Back bill",
    Outcome.CREDIT_AND_BACK_BILL: "Both", Outcome.NO_ADJUSTMENT: "None",
}
READING_TITLES = {"ordinance": "Ordinance", "executive_summary": "Executive summary",
                  "staff_practice": "Staff practice"}


class DeterminationPanel(QWidget):
    problemActivated = Signal(str)  # field path, e.g. "periods[2].end"

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        identify(self, "determination_panel", "Determination")
        self.setMinimumWidth(380)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)

        title = QLabel("<b>Determination</b> — Sec. 26-721")
        lay.addWidget(title)

        self.not_current = QLabel()
        identify(self.not_current, "determination_not_current",
                 description="Why the determination is not that of the case as shown")
        self.not_current.setWordWrap(True)
        self.not_current.setStyleSheet("QLabel { background: #fff1c2; border: 2px solid #a05a00; "
                                       "padding: 4px; color: #4a2a00; font-weight: bold; }")
        self.not_current.hide()
        lay.addWidget(self.not_current)
        self._refused: tuple[Problem, ...] = ()
        self._undetermined: int | None = None  # the problems shown in place of amounts

        self.status = value_label("determination_status", "Determination status")
        self.status.setWordWrap(True)
        f = QFont(self.status.font())
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.status.setFont(f)
        lay.addWidget(self.status)

        totals = QGroupBox("Totals")
        identify(totals, "totals_group", "Totals")
        grid = QGridLayout(totals)
        self.refund = value_label("refund_total", "Refund (credit) total")
        self.back_bill = value_label("back_bill_total", "Back-bill total")
        self.net = value_label("net_total", "Net (back bill minus refund)")
        self.interest = value_label("interest_total", "Interest")
        for row, (caption, label) in enumerate((("Refund (credit):", self.refund),
                                                ("Back bill:", self.back_bill),
                                                ("Net:", self.net),
                                                ("Interest:", self.interest))):
            cap = QLabel(caption)
            cap.setBuddy(label)
            grid.addWidget(cap, row, 0)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(label, row, 1)
        self.basis = value_label("determination_basis", "Reading, threshold and cutoffs")
        self.basis.setWordWrap(True)
        grid.addWidget(self.basis, 4, 0, 1, 2)
        lay.addWidget(totals)

        self.readings_box = QGroupBox("Readings of 26-721(a)(2) differ")
        identify(self.readings_box, "readings_group", "Readings of 26-721(a)(2)")
        rb = QVBoxLayout(self.readings_box)
        self.readings = QTableWidget(3, 4)
        identify(self.readings, "readings_table", "Readings side by side")
        self.readings.setHorizontalHeaderLabels(["Reading", "Refund", "Back bill", "Outcome"])
        self.readings.verticalHeader().hide()
        self.readings.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.readings.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.readings.horizontalHeader().setStretchLastSection(True)
        self.readings.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.readings.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.readings.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.readings.setFixedHeight(self.readings.horizontalHeader().sizeHint().height()
                                     + 3 * self.readings.verticalHeader().defaultSectionSize()
                                     + 2 * self.readings.frameWidth())
        rb.addWidget(self.readings)
        lay.addWidget(self.readings_box)

        # a label, not a list: every flag is read in full, however narrow the panel
        self.flags = value_label("flags_list", "Flags for the supervisor")
        self.flags.setWordWrap(True)
        self.flags_box = QGroupBox("Flags")
        fb = QVBoxLayout(self.flags_box)
        fb.addWidget(self.flags)
        lay.addWidget(self.flags_box)

        self.problems = QListWidget()
        identify(self.problems, "problems_list", "Validation problems")
        self.problems.setWordWrap(True)
        self.problems.itemActivated.connect(self._activate)
        self.problems.itemClicked.connect(self._activate)
        self.problems_box = QGroupBox("Problems to fix")
        pb = QVBoxLayout(self.problems_box)
        pb.addWidget(self.problems)
        lay.addWidget(self.problems_box)

        self.problems_box.setTitle("Problems to fix (F8)")
        lines_box = QGroupBox("Per period")
        lb = QVBoxLayout(lines_box)
        self.lines_model = DeterminationLinesModel(self)
        self.lines = QTableView()
        self.lines.setModel(self.lines_model)
        identify(self.lines, "determination_lines", "Determination per period")
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines.setWordWrap(True)
        header = self.lines.horizontalHeader()
        # widths from the font, not from the contents: measuring 144 rows on every
        # keystroke costs more than the determination itself
        fm = self.lines.fontMetrics()
        for col, sample in ((1, "$00,000.00"), (2, "$00,000.00"), (3, "26-721(a)(1)")):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, fm.horizontalAdvance(sample) + 14)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.lines.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.lines.verticalHeader().setDefaultSectionSize(fm.height() + 6)
        self.lines.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # the reason rows span the table: their height follows its width (Qt sizes a row
        # by its first cell only), recomputed whenever the stretching column changes
        header.sectionResized.connect(lambda section, _old, _new: section == 0 and self._fit_reasons())
        lb.addWidget(self.lines)
        lay.addWidget(lines_box, 1)

        sep = QFrame()
        sep.setFrameShape(QFrame.Shape.NoFrame)
        lay.addWidget(sep)
        self.show_nothing()

    # -- updates -------------------------------------------------------------------------

    def show_nothing(self) -> None:
        self._mark_stale(False)
        self._undetermined = None
        self.status.setText("No case open")
        self.status.setStyleSheet("")
        for label in (self.refund, self.back_bill, self.net, self.interest):
            label.setText("—")
        self.basis.setText("")
        self.readings_box.hide()
        self.flags_box.hide()
        self.problems_box.hide()
        self.lines_model.show(None, None)

    def show_problems(self, problems: tuple[Problem, ...]) -> None:
        """The case is not yet valid: say so, list what to fix; no amounts are shown."""
        self._mark_stale(False)
        self._undetermined = len(problems)
        self._say_not_determined(len(problems))
        self.status.setStyleSheet("color: #8a4b00;")
        for label in (self.refund, self.back_bill, self.net, self.interest):
            label.setText("—")
        self.basis.setText("")
        self.readings_box.hide()
        self.flags_box.hide()
        self._fill_problems(problems)
        self.lines_model.show(None, None)

    def show_determination(self, case: Case, d: Determination) -> None:
        self._mark_stale(False)
        self._undetermined = None
        pack = get_rule_pack(d.rule_pack)
        self.status.setText(f"Outcome: {OUTCOME_TEXT[d.outcome]}")
        self.status.setStyleSheet("")
        self.refund.setText(money(d.refund_total))
        self.back_bill.setText(money(d.back_bill_total))
        net_word = "owed to the customer" if d.net < 0 else "owed by the customer" if d.net > 0 else "even"
        self.net.setText(f"{money(d.net)} ({net_word})")
        self.interest.setText(money(d.interest))
        reading = pack.readings[d.reading].title
        self.basis.setText(
            f"Reading: {reading}. Minimal threshold {money(d.minimal_threshold)} "
            f"(administrative setting). Six-year cutoffs: overcharges "
            f"{date_text(d.cutoffs['overcharge'])}, undercharges {date_text(d.cutoffs['undercharge'])}.")

        self.readings_box.setVisible(d.readings_differ)
        if d.readings_differ:
            for row, (name, r) in enumerate(d.readings.items()):
                used = " (used)" if name == d.reading else ""
                cells = [READING_TITLES.get(name, name) + used, money(r.refund_total),
                         money(r.back_bill_total), OUTCOME_SHORT[r.outcome]]
                for col, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    if col in (1, 2):
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    if used:
                        font = item.font()
                        font.setBold(True)
                        item.setFont(font)
                    self.readings.setItem(row, col, item)

        self.flags.setText("\n".join(f"⚑ {pack.flag_texts.get(flag, flag)}" for flag in d.flags))
        self.flags_box.setVisible(bool(d.flags))
        self.problems_box.hide()
        self.problems.clear()

        self.lines.clearSpans()
        self.lines_model.show(case, d)
        for row in self.lines_model.reason_rows():
            self.lines.setSpan(row, 0, 1, len(HEADERS))
        self._fit_reasons()

    def _fit_reasons(self) -> None:
        """Give each spanning reason row the height its wrapped text needs."""
        # (the header spans the viewport; asking for the viewport itself costs ~20 ms the
        # first time, while PySide works out the type of the widget Qt made for it)
        width = self.lines.horizontalHeader().width() - 8
        if width <= 0:
            return
        metrics = QFontMetrics(self.lines_model.data(self.lines_model.index(1, 0), Qt.ItemDataRole.FontRole)
                               or self.lines.font())
        heights: dict[str, int] = {}  # the same reason says the same on many periods
        for row in self.lines_model.reason_rows():
            text = self.lines_model.reason(row)
            if text not in heights:
                heights[text] = metrics.boundingRect(QRect(0, 0, width, 100_000),
                                                     int(Qt.TextFlag.TextWordWrap), text).height() + 6
            self.lines.setRowHeight(row, heights[text])

    def _say_not_determined(self, n: int) -> None:
        self.status.setText(f"⚠ Not determined: {n} problem{'s' if n != 1 else ''} to fix")

    def _fill_problems(self, problems: tuple[Problem, ...]) -> None:
        self.problems.clear()
        for p in problems:
            self.problems.addItem(_problem_item("⚠", p))
        self.problems_box.setVisible(bool(problems))

    # -- not current -----------------------------------------------------------------------

    @property
    def current(self) -> bool:
        """The figures shown are those of the case as the editor shows it."""
        return not self._refused

    def set_refused(self, refused: tuple[Problem, ...]) -> None:
        """The entries the editor shows but the case does not hold (after ``show_*``):
        none, and the panel is current; else it says it is not, lists them first among
        the problems, and greys and strikes through the figures of the case as saved."""
        self._refused = tuple(refused)
        for k, p in enumerate(self._refused):
            self.problems.insertItem(k, _problem_item("✖", p))
        if self._refused and self._undetermined is not None:
            self._say_not_determined(self._undetermined + len(self._refused))
        if self._refused:
            self.problems_box.show()
            names = list(dict.fromkeys(describe_field(p.field) for p in self._refused))
            self.not_current.setText(
                f"⚠ Not current: fix {', '.join(names)}. What is typed there is not a valid "
                "entry and is not saved; the figures below are those of the case as last "
                "saved, without it.")
        self._mark_stale(bool(self._refused))

    def _mark_stale(self, stale: bool) -> None:
        if not stale:
            self._refused = ()
        self.not_current.setVisible(stale)
        grey = "color: #8a8a8a;" if stale else ""
        for label in (self.refund, self.back_bill, self.net, self.interest, self.status):
            font = label.font()
            if font.strikeOut() != stale:
                font.setStrikeOut(stale)
                label.setFont(font)
        # (only when it changes: the panel is refilled on every keystroke)
        for widget, sheet in ((self.refund, grey), (self.back_bill, grey), (self.net, grey),
                              (self.interest, grey), (self.basis, grey), (self.flags, grey),
                              (self.lines, f"QTableView {{ {grey} }}" if stale else ""),
                              (self.readings, f"QTableView {{ {grey} }}" if stale else "")):
            if widget.styleSheet() != sheet:
                widget.setStyleSheet(sheet)
        if stale:  # (``show_*`` colour the status themselves)
            self.status.setStyleSheet(grey)

    def _activate(self, item: QListWidgetItem) -> None:
        self.problemActivated.emit(item.data(Qt.ItemDataRole.UserRole))


_FIELD_NAMES = {
    "account.number": "Account number", "account.customer_name": "Customer name",
    "account.service_address": "Service address", "account.mailing_address": "Mailing address",
    "account.locale": "Language", "account.current_customer": "Current customer",
    "service": "Service", "discovered_on": "Discovered on", "made_known_on": "Made known on",
    "periods": "Billing periods", "options.minimal_threshold": "Minimal threshold",
    "options.undercharge_reading": "Reading", "options.occurred_basis": "Occurred basis",
    "evidence.customer_could_have_discovered": "Evidence: could have discovered",
    "evidence.documentation_available": "Evidence: documentation available",
    "evidence.documentation_confirmed": "Evidence: documentation confirmed",
    "evidence.customer_concealed_error": "Evidence: concealed the error",
}
_PERIOD_FIELDS = {"start": "start", "end": "end", "bill_date": "bill date", "billed": "billed",
                  "correct": "correct", "note": "note"}


def _problem_item(mark: str, p: Problem) -> QListWidgetItem:
    item = QListWidgetItem(f"{mark} {describe_field(p.field)}: {p.message}")
    item.setData(Qt.ItemDataRole.UserRole, p.field)
    item.setToolTip(f"{p.field} — click, or press Enter, to go to the field")
    return item


def describe_field(path: str) -> str:
    """``periods[2].end`` -> ``Period 3 end``: field paths in a clerk's words."""
    if path.startswith("periods[") and "]" in path:
        idx = int(path[len("periods["):path.index("]")])
        rest = path[path.index("]") + 2:] if "]." in path else ""
        return f"Period {idx + 1} {_PERIOD_FIELDS.get(rest, rest)}".strip()
    return _FIELD_NAMES.get(path, path)
