"""Incidents for the store, issuing, CLI and UI tests: the stormwater example created in
a case file with the test office (tests/staff.py), submitted and reviewed on request."""

from __future__ import annotations

from billing_desk.domain.incident_csv import parse_incident_csv
from billing_desk.store.casefile import CaseFile
from tests.incident_data import STORMWATER, stormwater_csv

#: who does what in the tests: alice creates and submits, boss (limit 100,000) approves
CLERK, APPROVER = "alice", "boss"


def stormwater_incident(cf: CaseFile, *, submit: bool = False, sample: bool = False,
                        approve: bool = False, seed: str = "test-seed"):
    data = stormwater_csv()
    imported = parse_incident_csv(data, STORMWATER)
    record = cf.incidents.create(STORMWATER, imported.accounts, source_name="stormwater.csv",
                                 source=data, rows=imported.rows, actor=CLERK)
    if submit or sample or approve:
        cf.incidents.submit(record.id, actor=CLERK)
    review = None
    if sample or approve:
        review = cf.incidents.draw_sample(record.id, actor=APPROVER, seed=seed)
    if approve:
        cf.incidents.approve(record.id, review.id, actor=APPROVER)
    return record, review


def case_ids(cf: CaseFile, incident_id: int) -> list[int]:
    return [c.case_id for c in cf.incidents.cases(incident_id)]
