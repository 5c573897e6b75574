"""Open an incident: the case file's incidents, newest first, with their cases counted
by status; Enter or Open opens the one chosen in its window."""

from __future__ import annotations

from .qt import (
    QDialog, QDialogButtonBox, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
    Signal,
)

from .a11y import identify
from .incident_session import IncidentSession


class IncidentListDialog(QDialog):
    chosen = Signal(int)  # incident id

    def __init__(self, incidents: IncidentSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        identify(self, "incident_list_dialog", "Open an incident")
        self.setWindowTitle("Open an incident — Billing Desk")
        self.listing = incidents.listing()
        lay = QVBoxLayout(self)
        label = QLabel("&Incidents of this case file:" if self.listing
                       else "This case file has no incidents yet (Incidents > New incident from CSV).")
        identify(label, "incident_list_label")
        self.table = QTableWidget(len(self.listing), 5)
        identify(self.table, "incident_list", "Incidents")
        label.setBuddy(self.table)
        self.table.setHorizontalHeaderLabels(["Incident", "Service", "Cases", "Statuses",
                                              "Description"])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, x in enumerate(self.listing):
            for col, text in enumerate((x.record.incident_number, x.record.incident.service.value,
                                        f"{x.cases:,}",
                                        ", ".join(f"{s} {n:,}" for s, n in sorted(x.statuses.items())),
                                        x.record.incident.description)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        if self.listing:
            self.table.selectRow(0)
        lay.addWidget(label)
        lay.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.open_button = buttons.button(QDialogButtonBox.StandardButton.Open)
        identify(self.open_button, "incident_list_open", "Open the incident")
        self.open_button.setEnabled(bool(self.listing))
        identify(buttons.button(QDialogButtonBox.StandardButton.Cancel), "incident_list_cancel",
                 "Cancel")
        buttons.accepted.connect(self._open)
        buttons.rejected.connect(self.reject)
        self.table.doubleClicked.connect(lambda _i: self._open())
        lay.addWidget(buttons)
        self.resize(820, 420)

    def _open(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.listing):
            self.chosen.emit(self.listing[row].record.id)
            self.accept()
