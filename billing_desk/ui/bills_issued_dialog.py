"""Reports > Bills issued…: the bills issued per year and service, as a table a clerk
types into (checked as typed, see :mod:`.bills_issued_model`) or fills from a CSV file.

Save writes the table as it is (one transaction, one audit entry) and is possible only
when every row is good. Import reads a CSV of year, service, bills issued: if every row
is good it is imported at once (one transaction, one audit entry); if some are not, the
refused rows are listed with their row and field and nothing is imported unless the
clerk chooses to import the good ones. An import waits until the table's own edits are
saved or undone, so neither overwrites the other."""

from __future__ import annotations

from pathlib import Path

from .qt import (
    QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton,
    QTableView, QVBoxLayout, QWidget, Qt, Signal,
)

from ..domain.bills_issued import ParsedFile, parse_csv
from .a11y import identify
from .bills_issued_model import BillsIssuedModel
from .errors import expected_errors, show_error
from .reports_service import ReportsService

#: the most refused rows listed in the import's question (the rest are counted)
LISTED = 12


class BillsIssuedDialog(QDialog):
    saved = Signal()  # the figures in the file changed (saved or imported)

    def __init__(self, service: ReportsService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        identify(self, "bills_issued_dialog", "Bills issued")
        self.setWindowTitle("Bills issued per year and service")
        self.service = service
        self.last_error_box = None
        self.question: QMessageBox | None = None
        self.model = BillsIssuedModel(self)
        self.view = QTableView()
        identify(self.view, "bills_table", "Bills issued per year and service")
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        intro = QLabel("The bills the billing system issued each year, per service or for all "
                       "services together (service “all”). The billing accuracy report "
                       "divides the bills adjusted by these.")
        intro.setWordWrap(True)
        identify(intro, "bills_intro", description="What the figures are for")
        self.problems = QLabel()
        identify(self.problems, "bills_problems", description="What is wrong in the table")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        self.status = QLabel()
        identify(self.status, "bills_status", description="What was saved or imported")
        self.add_button = QPushButton("&Add row")
        identify(self.add_button, "bills_add_row", "Add a row")
        self.remove_button = QPushButton("&Remove row")
        identify(self.remove_button, "bills_remove_row", "Remove the selected rows")
        self.import_button = QPushButton("&Import CSV…")
        identify(self.import_button, "bills_import", "Import figures from a CSV file",
                 "A CSV of year, service, bills issued")
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        identify(self.save_button, "bills_save", "Save the table")
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        identify(self.close_button, "bills_close", "Close")
        row = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.import_button):
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        layout.addWidget(self.problems)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button.clicked.connect(self.import_dialog)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.model.edited.connect(self._update)
        self.resize(560, 520)
        self.reload()

    # -- the table -----------------------------------------------------------------------

    def reload(self) -> None:
        try:
            self.model.load(self.service.bills_issued())
        except expected_errors() as e:
            self.last_error_box = show_error(self, "The figures could not be read", e)
        self._update()

    def add_row(self) -> None:
        row = self.model.add_row()
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def remove_selected(self) -> None:
        rows = {i.row() for i in self.view.selectionModel().selectedIndexes()}
        if not rows and self.view.currentIndex().isValid():
            rows = {self.view.currentIndex().row()}
        self.model.remove_rows(sorted(rows))

    def _update(self) -> None:
        problems = self.model.problems()
        shown = "\n".join(f"Row {p.row}, {p.field}: {p.message}" for p in problems[:LISTED])
        if len(problems) > LISTED:
            shown += f"\n… and {len(problems) - LISTED} more"
        self.problems.setText(shown)
        changed = self.model.is_changed()
        self.save_button.setEnabled(not problems and changed)
        self.import_button.setEnabled(not changed)
        self.import_button.setToolTip("Save or undo your changes to the table first"
                                      if changed else "Import figures from a CSV file")

    def save(self) -> bool:
        figures = self.model.figures()
        if figures is None:
            return False
        try:
            change = self.service.save_bills_issued(figures, self.model.original)
        except expected_errors() as e:
            self.last_error_box = show_error(self, "The figures were not saved", e)
            return False
        self.reload()
        self.status.setText(f"Saved: {change.summary()}.")
        if change.any:
            self.saved.emit()
        return True

    # -- import --------------------------------------------------------------------------

    def import_dialog(self) -> None:
        from .file_dialogs import open_file

        folder = self.service.path.parent if self.service.path else Path.home()
        path = open_file(self, "Import bills issued", folder, "CSV files (*.csv *.txt);;All files (*)")
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> ParsedFile | None:
        """Read ``path`` and import it, or -- if some rows are refused -- ask whether to
        import the good ones (``self.question``). Returns what was read."""
        from ..domain.limits import BILLS_CSV_BYTES
        from ..store.sqlite.openfiles import read_outside_file

        if self.model.is_changed():
            return None
        try:
            text = read_outside_file(Path(path), BILLS_CSV_BYTES).decode("utf-8-sig")
        except UnicodeDecodeError:
            self.last_error_box = show_error(self, "Nothing was imported",
                                             OSError(f"{path} is not UTF-8 text; save it as "
                                                     "CSV UTF-8 and import it again."))
            return None
        except expected_errors() as e:
            self.last_error_box = show_error(self, "Nothing was imported", e)
            return None
        parsed = parse_csv(text)
        if not parsed.problems:
            self._import(parsed, Path(path))
            return parsed
        refused = parsed.refused_rows
        lines = [str(p) for p in parsed.problems[:LISTED]]
        if len(parsed.problems) > LISTED:
            lines.append(f"… and {len(parsed.problems) - LISTED} more")
        box = QMessageBox(QMessageBox.Icon.Warning, "Some rows are refused",
                          f"{len(refused)} row(s) of {Path(path).name} are refused:\n\n"
                          + "\n".join(lines)
                          + ("\n\nNothing has been imported." if parsed.rows else
                             "\n\nNo row is good: nothing was imported."),
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("bills_import_question")
        box.setAccessibleIdentifier("bills_import_question")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if parsed.rows:
            accept = box.addButton(f"Import the {len(parsed.rows)} good row(s)",
                                   QMessageBox.ButtonRole.AcceptRole)
            accept.setObjectName("bills_import_good")
            accept.setAccessibleIdentifier("bills_import_good")
            box.buttonClicked.connect(
                lambda button: self._import(parsed, Path(path)) if button is accept else None)
        self.question = box
        box.open()
        return parsed

    def _import(self, parsed: ParsedFile, path: Path) -> None:
        try:
            change = self.service.import_bills_issued(list(parsed.figures), path.name,
                                                      len(parsed.refused_rows))
        except expected_errors() as e:
            self.last_error_box = show_error(self, "Nothing was imported", e)
            return
        self.reload()
        left_out = len(parsed.refused_rows)
        self.status.setText(f"Imported {len(parsed.rows)} row(s) from {path.name}: "
                            f"{change.summary()}"
                            + (f"; {left_out} refused row(s) left out." if left_out else "."))
        if change.any:
            self.saved.emit()

    # -- closing -------------------------------------------------------------------------

    def reject(self) -> None:
        if not self.model.is_changed():
            super().reject()
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Changes not saved",
                          "Your changes to the bills issued are not saved. Close and lose them?",
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                          self)
        box.setObjectName("bills_discard_question")
        box.setAccessibleIdentifier("bills_discard_question")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Discard:
                self.model.load(self.model.original)
                QDialog.reject(self)

        box.buttonClicked.connect(answered)
        self.question = box
        box.open()
