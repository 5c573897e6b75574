"""What the incident windows ask of the case file, in one place: quick reads and the
one-case override through the open session's file, and every long step as a function
of ``(case file, progress, cancel)`` that a worker runs on its own connection
(ui/incident_worker.py). The work is the issuing service's and the store's; no SQL, no
rule here."""

from __future__ import annotations

import threading
from datetime import date
from functools import partial
from pathlib import Path
from typing import Callable

from .. import issuing
from ..domain.case import Evidence
from ..domain.incident import Incident
from ..domain.incident_csv import IncidentImport, parse_incident_csv
from ..store.incidents import IncidentCancelled
from ..store.timestamps import utc_now
from .session import CaseSession

Progress = Callable[[int, int], None]


class IncidentSession:
    def __init__(self, session: CaseSession) -> None:
        self.session = session

    @property
    def path(self) -> Path | None:
        return self.session.path

    @property
    def opener(self):
        """What opens the store again on a worker's thread (None: none is open)."""
        cf = self.session.file
        return None if cf is None else cf.reopen

    @property
    def actor(self) -> str:
        return self.session.actor

    @property
    def can_approve(self) -> bool:
        return self.session.can_approve

    def _cf(self):
        """The session's open file (the GUI thread's connection)."""
        if self.session.file is None:
            raise RuntimeError("no case file is open")
        return self.session.file

    def listing(self):
        return self._cf().incidents.list()

    def incident(self, incident_id: int):
        return self._cf().incidents.get(incident_id)

    def incident_of(self, case_id: int):
        return self._cf().incidents.incident_of(case_id)

    def evidence_of(self, case_id: int) -> Evidence:
        return self.session.load(case_id).draft.evidence

    def override(self, incident_id: int, case_id: int, evidence: Evidence, reason: str):
        """One case's evidence changed, with the reason (one transaction, audited)."""
        record = self._cf().incidents.override(incident_id, case_id, evidence, reason,
                                               actor=self.actor)
        self.session.caseSaved.emit(record)
        return record

    def count(self, incident_id: int, query) -> int:
        return self._cf().incidents.count(incident_id, query)

    def page(self, incident_id: int, query, offset: int, limit: int):
        return self._cf().incidents.page(incident_id, query, offset, limit)

    def cases_by_id(self, incident_id: int, case_ids):
        return self._cf().incidents.cases_by_id(incident_id, case_ids)

    def sample_size(self) -> int:
        return self._cf().settings.get("incident_sample_size")

    # -- long steps: each runs on a worker's connection ----------------------------------

    def check_file(self, data: bytes, incident: Incident):
        return partial(_check_file, data, incident)

    def load(self, incident_id: int):
        return partial(_load, incident_id)

    def create(self, incident: Incident, imported: IncidentImport, source_name: str, data: bytes):
        return partial(_create, incident, imported, source_name, data, self.actor)

    def submit(self, incident_id: int):
        return partial(_submit, incident_id, self.actor)

    def draw_sample(self, incident_id: int):
        return partial(_sample, incident_id, self.actor)

    def approve(self, incident_id: int, review_id: int, acknowledge_divergence: bool):
        return partial(_approve, incident_id, review_id, self.actor, acknowledge_divergence)

    def issue(self, incident_id: int, out: Path):
        return partial(_issue, incident_id, self.actor, out)

    def memo(self, incident_id: int, path: Path):
        return partial(_memo, incident_id, self.actor, path)


def _check_file(data: bytes, incident: Incident, _cf, progress: Progress,
                cancel: threading.Event):
    def report(done: int, total: int) -> None:
        if cancel.is_set():
            raise IncidentCancelled("Checking the file")
        progress(done, total)

    return parse_incident_csv(data, incident, progress=report)


def _load(incident_id: int, cf, progress: Progress, cancel: threading.Event):
    return issuing.incident_view(cf, incident_id)


def _create(incident, imported, source_name, data, actor, cf, progress, cancel):
    record = issuing.create_incident(cf, incident, imported, source_name=source_name,
                                     source=data, actor=actor, progress=progress, cancel=cancel)
    return record


def _submit(incident_id, actor, cf, progress, cancel):
    return cf.incidents.submit(incident_id, actor=actor, progress=progress, cancel=cancel)


def _sample(incident_id, actor, cf, progress, cancel):
    return cf.incidents.draw_sample(incident_id, actor=actor)


def _approve(incident_id, review_id, actor, acknowledge, cf, progress, cancel):
    return cf.incidents.approve(incident_id, review_id, actor=actor,
                                acknowledge_divergence=acknowledge, progress=progress,
                                cancel=cancel)


def _issue(incident_id, actor, out, cf, progress, cancel):
    number = cf.incidents.get(incident_id).incident_number
    manifest = issuing.Manifest(out, case_file=cf.where, actor=actor, issue_date=date.today(),
                                started=utc_now(), selection=f"incident {number}")
    try:
        report = issuing.issue_incident(cf, incident_id, actor=actor, issue_date=date.today(),
                                        cancel=cancel, progress=progress, manifest=manifest)
    except BaseException:
        manifest.discard()
        raise
    return report, manifest.close(report, utc_now())


def _memo(incident_id, actor, path, cf, progress, cancel):
    return issuing.save_incident_summary(cf, incident_id, path, printed_by=actor,
                                         progress=progress, cancel=cancel)
