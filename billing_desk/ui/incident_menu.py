"""The main window's Incidents menu: New incident from CSV, Open incident, and the
incident of the case that is open. Built with the case workspace; the incident windows,
their models and QtCharts load only when one of these is chosen (tests/ui/test_startup.py
checks that none of them is loaded to show the window)."""

from __future__ import annotations

from .qt import QAction, QMainWindow, QObject

from .session import CaseSession


class IncidentActions(QObject):
    def __init__(self, window: QMainWindow, session: CaseSession) -> None:
        super().__init__(window)
        self.window, self.session = window, session
        self.windows: dict[int, QMainWindow] = {}  # incident id -> its open window
        self.dialog = None
        self.last_error_box = None
        self.record = None

        def action(text: str, slot, name: str, tip: str) -> QAction:
            act = QAction(text, window)
            act.setObjectName(name)
            act.setStatusTip(tip)
            act.setToolTip(tip)
            act.triggered.connect(slot)
            return act

        self.new_act = action("&New incident from CSV…", self.new_incident, "new_incident",
                              "One error, many accounts: a case per account from a CSV")
        self.open_act = action("&Open incident…", self.choose_incident, "open_incident",
                               "Open an incident's window: its cases, totals, review and issue")
        self.case_act = action("Incident of this &case", self.incident_of_case, "case_incident",
                               "Open the incident the open case belongs to")
        bar = window.menuBar()
        help_menu = next((a for a in bar.actions() if a.text() == "&Help"), None)
        self.menu = bar.addMenu("Incidents") if help_menu is None else None
        if self.menu is None:
            from .qt import QMenu

            self.menu = QMenu("Incidents", window)
            bar.insertMenu(help_menu, self.menu)
        self.menu.setObjectName("incidents_menu")
        for act in (self.new_act, self.open_act, self.case_act):
            self.menu.addAction(act)
        self.case_opened(None)

    def case_opened(self, record) -> None:
        self.record = record
        self.case_act.setEnabled(record is not None)

    def _incidents(self):
        from .incident_session import IncidentSession

        return IncidentSession(self.session)

    def new_incident(self) -> None:
        if self.session.file is None:
            return
        from .incident_import_dialog import IncidentImportDialog

        self.dialog = IncidentImportDialog(self._incidents(), self.window)
        self.dialog.created.connect(lambda record: self.open_incident(record.id))
        self.dialog.open()

    def choose_incident(self) -> None:
        if self.session.file is None:
            return
        from .incident_list_dialog import IncidentListDialog

        self.dialog = IncidentListDialog(self._incidents(), self.window)
        self.dialog.chosen.connect(self.open_incident)
        self.dialog.open()

    def incident_of_case(self) -> None:
        if self.record is None or self.session.file is None:
            return
        incident = self._incidents().incident_of(self.record.id)
        if incident is None:
            self.window.statusBar().showMessage(
                f"{self.record.case_number} belongs to no incident.", 6000)
            return
        self.open_incident(incident.id)

    def open_incident(self, incident_id: int):
        """The incident's window (one per incident), shown and raised."""
        from .incident_window import IncidentWindow

        window = self.windows.get(incident_id)
        if window is None:
            window = IncidentWindow(self._incidents(), incident_id)
            from .qt import Qt

            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.caseActivated.connect(self._open_case)
            self.windows[incident_id] = window
            window.destroyed.connect(lambda *_: self.windows.pop(incident_id, None))
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _open_case(self, case_id: int) -> None:
        self.window.open_case(case_id)
        self.window.raise_()
        self.window.activateWindow()
