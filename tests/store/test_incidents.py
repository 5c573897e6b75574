"""Incidents in the case file (issue 18): created whole or not at all, overridden per
account with a reason, submitted, reviewed by a seeded sample and approved exactly as
listed; every control enforced in the store's transaction, whoever calls; verify checks
the incidents' history too."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from decimal import Decimal

import pytest

from billing_desk.domain.case import Evidence
from billing_desk.domain.draft import PeriodDraft
from billing_desk.domain.incident_csv import parse_incident_csv
from billing_desk.domain.workflow import CaseStatus, Role, WorkflowRefused
from billing_desk.store import IncidentCancelled
from billing_desk.store.incidents import (
    ApprovalState, CaseFilter, CaseSort, IncidentCaseQuery, listing_digest,
)
from tests.incident_data import SYNTHETIC, STORMWATER, stormwater_csv, synthetic_csv
from tests.backends import raw, rows, tamper
from tests.staff import PASSWORD, sign_in_all

from .incident_helpers import APPROVER, CLERK, case_ids, stormwater_incident

D = Decimal


def entries(cf) -> int:
    return rows(cf, "SELECT count(*) FROM audit")[0][0]


def counts(cf) -> tuple[int, int, int]:
    one = lambda sql: rows(cf, sql)[0][0]  # noqa: E731
    return (one("SELECT count(*) FROM incidents"), one("SELECT count(*) FROM cases"),
            one("SELECT count(*) FROM incident_cases"))


def test_the_stormwater_incident_is_one_case_per_account_in_one_transaction(staffed):
    cf = staffed
    before = entries(cf)
    record, _ = stormwater_incident(cf)
    assert record.incident_number == "IN-000001"
    assert counts(cf) == (1, 74, 74)
    # one entry per case and one for the incident, all in the one commit
    assert entries(cf) == before + 75
    summary = cf.incidents.summary(record.id)
    t = summary.totals
    assert (t.cases, t.refund, t.six_year, t.six_year_cases) == (74, D("43041.00"),
                                                                 D("26085.00"), 55)
    assert (t.smallest, t.largest) == (D("42.00"), D("850.00"))
    assert summary.statuses == (("draft", 74),)
    cases = list(cf.incidents.cases(record.id))
    assert [c.line for c in cases] == sorted(c.line for c in cases) and cases[0].line == 2
    first = cf.cases.load(cases[0].case_id)
    assert first.status is CaseStatus.DRAFT and first.prepared_by == CLERK
    assert first.draft.why.startswith("Incident IN-000001: Incorrect stormwater run-off factor")
    created = cf.cases.history(first.id)[0]
    assert created.after["details"] == {"incident": "IN-000001", "line": 2}
    incident_entry = cf.incidents.history(record.id)[0]
    assert incident_entry.action == "create" and incident_entry.after["details"]["cases"] == 74
    assert incident_entry.after["details"]["refund_total"] == "43041.00"
    assert incident_entry.after["source"]["rows"] == sum(len(cf.cases.load(c.case_id).draft.periods)
                                                          for c in cases)
    assert cf.verify().ok


def test_a_cancelled_or_failed_creation_leaves_no_incident_and_no_case(staffed):
    cf = staffed
    data = stormwater_csv()
    imported = parse_incident_csv(data, STORMWATER)
    before = (counts(cf), entries(cf))
    cancel = threading.Event()
    cancel.set()  # seen at the last case, just before the commit
    with pytest.raises(IncidentCancelled):
        cf.incidents.create(STORMWATER, imported.accounts, source_name="s.csv", source=data,
                            rows=imported.rows, actor=CLERK, cancel=cancel)
    assert (counts(cf), entries(cf)) == before

    def failing(cases):  # the engine fails on the 40th case (a defect, a worker killed)
        from billing_desk.domain.incident import fingerprint_and_figures

        for k, case in enumerate(cases):
            if k == 39:
                raise RuntimeError("worker died")
            yield fingerprint_and_figures(case)

    with pytest.raises(RuntimeError):
        cf.incidents.create(STORMWATER, imported.accounts, source_name="s.csv", source=data,
                            rows=imported.rows, actor=CLERK, figures_of=failing)
    assert (counts(cf), entries(cf)) == before
    assert cf.verify().ok


def test_an_override_changes_one_account_with_its_reason_and_the_totals_follow(staffed):
    cf = staffed
    record, _ = stormwater_incident(cf)
    first = cf.cases.load(case_ids(cf, record.id)[0])
    refund = cf.incidents.page(record.id, limit=1)[0].figures.refund
    assert refund == D("850.00")
    with pytest.raises(WorkflowRefused) as e:
        cf.incidents.override(record.id, first.id, replace(first.draft.evidence,
                              customer_could_have_discovered=True), "  ", actor=CLERK)
    assert e.value.code == "reason_required"
    could = replace(first.draft.evidence, customer_could_have_discovered=True)
    new = cf.incidents.override(record.id, first.id, could, "Told of the factor in 2004",
                                actor="bob")
    assert new.draft.evidence == could and new.last_edited_by == "bob"
    t = cf.incidents.totals(record.id)
    assert t.refund == D("43041.00") - refund and t.a1_i == refund
    edit = cf.cases.history(first.id)[-1]
    assert edit.action == "edit" and edit.after["details"]["override"] == "Told of the factor in 2004"
    entry = cf.incidents.history(record.id)[-1]
    assert entry.action == "override" and entry.actor == "bob"
    assert entry.after["details"]["evidence_after"] == {"customer_could_have_discovered": True}
    assert cf.verify().ok
    # the other 73 accounts kept the incident's evidence
    others = [cf.cases.load(i).draft.evidence for i in case_ids(cf, record.id)[1:]]
    assert set(others) == {STORMWATER.evidence}


def test_the_approval_covers_exactly_the_listed_fingerprints(staffed):
    cf = staffed
    record, review = stormwater_incident(cf, sample=True)
    assert review.listed == 74 and len(review.sample) == 30
    listing = cf.incidents.review_listing(review.id)
    submitted = {i: cf.cases.load(i).submitted.fingerprint for i in case_ids(cf, record.id)}
    assert listing == submitted
    approval = cf.incidents.approve(record.id, review.id, actor=APPROVER)
    assert (approval.cases, approval.refund_total, approval.back_bill_total) == (
        74, D("43041.00"), D("0.00"))
    for case_id, fingerprint in listing.items():
        case = cf.cases.load(case_id)
        assert case.status is CaseStatus.APPROVED and case.approved.fingerprint == fingerprint
        assert case.approved.login == APPROVER
    assert {c.approval for c in cf.incidents.cases(record.id)} == {ApprovalState.COVERED}
    entry = cf.incidents.history(record.id)[-1]
    assert entry.action == "approve"
    assert entry.after["details"]["listing_sha256"] == listing_digest(listing.items())
    assert cf.verify().ok
    with pytest.raises(WorkflowRefused) as e:
        cf.incidents.approve(record.id, review.id, actor=APPROVER)
    assert e.value.code == "approved_already"


def test_the_sample_is_seeded_recorded_and_holds_the_outlier(staffed):
    cf = staffed
    record, review = stormwater_incident(cf, sample=True, seed="abc")
    entry = cf.incidents.history(record.id)[-1]
    assert entry.action == "sample" and entry.after["details"]["seed"] == "abc"
    numbers = {c.case_id: c.case_number for c in cf.incidents.cases(record.id)}
    assert entry.after["details"]["sample"] == [[numbers[k], v.value]
                                                for k, v in review.sample.items()]
    smallest = next(c for c in cf.incidents.cases(record.id) if c.figures.refund == D("42.00"))
    assert review.sample[smallest.case_id].value == "outlier"
    # the same seed over the same cases draws the same sample (anyone can check it)
    again = cf.incidents.draw_sample(record.id, actor=APPROVER, seed="abc")
    assert again.sample == review.sample and again.id == review.id + 1
    with pytest.raises(WorkflowRefused) as e:
        cf.incidents.draw_sample(record.id, actor=CLERK)
    assert e.value.code == "not_an_approver"


def test_a_case_edited_after_the_approval_drops_out_and_shows_so(staffed):
    cf = staffed
    record, _ = stormwater_incident(cf, approve=True)
    target = cf.cases.load(case_ids(cf, record.id)[3])
    periods = list(target.draft.periods)
    periods[-1] = replace(periods[-1], billed=periods[-1].billed + D("1.00"))
    cf.cases.save(target.id, replace(target.draft, periods=tuple(periods)),
                  expected_revision=target.revision, actor="bob")
    edited = cf.cases.load(target.id)
    assert edited.status is CaseStatus.DRAFT and edited.approved is None
    dropped = list(cf.incidents.cases(record.id, IncidentCaseQuery(filter=CaseFilter.DROPPED_OUT)))
    assert [c.case_id for c in dropped] == [target.id]
    assert dropped[0].figures.refund == cf.incidents.page(record.id)[3].figures.refund
    summary = cf.incidents.summary(record.id)
    assert summary.dropped_out == 1 and summary.changed == 1
    assert summary.totals.refund == D("43042.00")  # the edit shows in the totals at once
    assert len(cf.incidents.approved_cases(record.id)) == 73
    # its own approval, as any case's: submitted again, approved by a supervisor
    cf.workflow.submit(target.id, actor="bob")
    cf.workflow.approve(target.id, actor=APPROVER)
    assert cf.incidents.page(record.id)[3].approval is ApprovalState.OWN
    assert len(cf.incidents.approved_cases(record.id)) == 74
    assert cf.verify().ok


def _office(cf, *limits):
    for login, limit in limits:
        cf.users.add(login, login.title(), Role.SUPERVISOR, PASSWORD, actor="root",
                     approval_limit=D(limit))
    sign_in_all(cf, [login for login, _ in limits])


def test_limits_apply_to_the_incident_total_and_to_each_case(staffed):
    cf = staffed
    _office(cf, ("thousand", "1000.00"), ("eighthundred", "800.00"))
    record, _ = stormwater_incident(cf, submit=True)
    for login, code in (("thousand", "incident_over_limit"), ("eighthundred", "over_limit")):
        review = cf.incidents.draw_sample(record.id, actor=login, seed="s")
        with pytest.raises(WorkflowRefused) as e:
            cf.incidents.approve(record.id, review.id, actor=login)
        assert e.value.code == code, login
        # refused as a whole: no case of it was approved
        assert {c.status for c in cf.incidents.cases(record.id)} == {CaseStatus.SUBMITTED}
    assert cf.incidents.approvals(record.id) == []


def test_nobody_approves_an_incident_they_took_part_in(staffed):
    cf = staffed
    _office(cf, ("other", "100000.00"))
    record, _ = stormwater_incident(cf)
    # the approver overrode one account's evidence: a participant
    first = cf.cases.load(case_ids(cf, record.id)[0])
    cf.incidents.override(record.id, first.id, replace(first.draft.evidence,
                          documentation_confirmed=False), "records lost", actor=APPROVER)
    cf.incidents.submit(record.id, actor=CLERK)
    review = cf.incidents.draw_sample(record.id, actor=APPROVER, seed="s")
    with pytest.raises(WorkflowRefused) as e:
        cf.incidents.approve(record.id, review.id, actor=APPROVER)
    assert e.value.code == "own_incident"
    # nor someone else's review: each approver draws and reviews their own sample
    with pytest.raises(WorkflowRefused) as e:
        cf.incidents.approve(record.id, review.id, actor="other")
    assert e.value.code == "not_your_review"
    mine = cf.incidents.draw_sample(record.id, actor="other", seed="t")
    cf.incidents.approve(record.id, mine.id, actor="other")
    # an incident created by a supervisor is not theirs to approve either
    data = stormwater_csv()
    imported = parse_incident_csv(data, STORMWATER)
    second = cf.incidents.create(STORMWATER, imported.accounts, source_name="s.csv",
                                 source=data, rows=imported.rows, actor="other")
    cf.incidents.submit(second.id, actor=CLERK)
    review = cf.incidents.draw_sample(second.id, actor="other", seed="u")
    with pytest.raises(WorkflowRefused) as e:
        cf.incidents.approve(second.id, review.id, actor="other")
    assert e.value.code == "own_incident"


def test_a_case_changed_after_the_sample_was_drawn_refuses_the_approval(staffed):
    cf = staffed
    record, review = stormwater_incident(cf, sample=True)
    target = cf.cases.load(case_ids(cf, record.id)[10])
    periods = list(target.draft.periods)
    periods[0] = replace(periods[0], note="checked")
    cf.cases.save(target.id, replace(target.draft, periods=tuple(periods)),
                  expected_revision=target.revision, actor="bob")
    cf.workflow.submit(target.id, actor="bob")  # submitted again, as changed
    with pytest.raises(WorkflowRefused) as e:
        cf.incidents.approve(record.id, review.id, actor=APPROVER)
    assert e.value.code == "changed_since_review" and target.case_number in str(e.value)
    assert {c.status for c in cf.incidents.cases(record.id)} == {CaseStatus.SUBMITTED}
    # a new review lists the case as it is now, and approves
    fresh = cf.incidents.draw_sample(record.id, actor=APPROVER)
    assert cf.incidents.approve(record.id, fresh.id, actor=APPROVER).cases == 74


def test_divergent_cases_need_the_acknowledgement_of_each_case_rule(staffed):
    cf = staffed
    data = synthetic_csv(80)
    imported = parse_incident_csv(data, SYNTHETIC)
    record = cf.incidents.create(SYNTHETIC, imported.accounts, source_name="s.csv", source=data,
                                 rows=imported.rows, actor=CLERK)
    cf.incidents.submit(record.id, actor=CLERK)
    review = cf.incidents.draw_sample(record.id, actor=APPROVER, seed="d")
    divergent = list(cf.incidents.cases(record.id, IncidentCaseQuery(filter=CaseFilter.DIVERGENT)))
    assert len(divergent) == 2  # the undercharged accounts: the staff memo forgives them
    assert {c.case_id for c in divergent} <= set(review.sample)
    with pytest.raises(WorkflowRefused) as e:
        cf.incidents.approve(record.id, review.id, actor=APPROVER)
    assert e.value.code == "divergence_not_acknowledged"  # workflow.check_approve's rule
    approval = cf.incidents.approve(record.id, review.id, actor=APPROVER,
                                    acknowledge_divergence=True)
    assert approval.back_bill_total > 0


def test_lists_filter_and_sort_in_whole_cents(staffed):
    cf = staffed
    record, review = stormwater_incident(cf, sample=True)
    from billing_desk.issuing.incidents import incident_view

    view = incident_view(cf, record.id)
    assert cf.incidents.count(record.id, view.query()) == 74
    assert cf.incidents.count(record.id, view.query(CaseFilter.SAMPLE)) == 30
    outliers = list(cf.incidents.cases(record.id, view.query(CaseFilter.OUTLIERS)))
    assert [c.figures.refund for c in outliers] == [D("42.00")] and view.outliers == 1
    by_refund = cf.incidents.page(record.id, view.query(sort=CaseSort.REFUND, descending=True))
    refunds = [c.figures.refund for c in by_refund]
    assert refunds == sorted(refunds, reverse=True) and refunds[0] == D("850.00")
    assert cf.incidents.count(record.id, view.query(CaseFilter.NOT_APPROVED)) == 74


def test_what_the_app_cannot_change_raw_sql_cannot_either(staffed):
    cf = staffed
    record, review = stormwater_incident(cf, sample=True)
    with raw(cf) as r:  # (a plain sqlite3 or psycopg connection)
        for sql in ("UPDATE incident_review_cases SET fingerprint = ? WHERE review_id = 1",
                    "DELETE FROM incident_review_cases", "UPDATE incident_reviews SET seed = ?",
                    "UPDATE incidents SET description = ?", "DELETE FROM incident_cases"):
            with pytest.raises(r.refused):
                r.execute(sql, ("x" * 64,) if "?" in sql else ())
    assert cf.verify().ok


@pytest.mark.parametrize("change,finds", [
    ("UPDATE incident_cases SET refund = '0.00' WHERE case_id = 1", "figures kept"),
    ("UPDATE incidents SET cause = 'nobody'", "does not match its history"),
    ("UPDATE incident_review_cases SET sampled = NULL WHERE sampled IS NOT NULL",
     "does not match the sample"),
])
def test_verify_finds_incidents_changed_behind_the_apps_back(staffed, change, finds):
    cf = staffed
    stormwater_incident(cf, sample=True)
    assert cf.verify().ok
    tamper(cf, change)  # (its guards dropped first)
    report = cf.verify()
    assert not report.ok and finds in report.problem


def test_a_case_moved_into_an_incident_behind_the_apps_back_is_found(staffed):
    cf = staffed
    record, _ = stormwater_incident(cf)
    from .conftest import shared_draft

    outsider = cf.cases.create(shared_draft("01-"), actor=CLERK)
    with raw(cf) as r:
        r.execute("INSERT INTO incident_cases (incident_id, case_id, line, case_revision) "
                  "VALUES (?, ?, 9999, 1)", (record.id, outsider.id))
    report = cf.verify()
    assert not report.ok and "are not the ones it was created with" in report.problem


def test_an_approval_written_behind_the_apps_back_is_found(staffed):
    cf = staffed
    record, review = stormwater_incident(cf, sample=True)
    with raw(cf) as r:
        r.execute("INSERT INTO incident_approvals (incident_id, review_id, approved_at, "
                  "approved_by, cases, refund_total, back_bill_total) VALUES "
                  "(?, ?, '2024-01-01T00:00:00Z', 'boss', 74, '43041.00', '0.00')",
                  (record.id, review.id))
    report = cf.verify()
    assert not report.ok and "no matching entry" in report.problem


def test_incident_entries_are_part_of_the_one_hash_chain(staffed):
    cf = staffed
    record, _ = stormwater_incident(cf, approve=True)
    entry = cf.incidents.history(record.id)[-1]
    after = dict(entry.after)
    after["details"] = {**after["details"], "refund_total": "1.00"}
    tamper(cf, "UPDATE audit SET after = ? WHERE id = ?",
           params=(json.dumps(after, sort_keys=True, separators=(",", ":")), entry.id))
    report = cf.verify()
    assert not report.ok and report.broken_entry == entry.id


def test_an_issued_or_void_case_cannot_be_overridden(staffed):
    cf = staffed
    record, _ = stormwater_incident(cf)
    target = cf.cases.load(case_ids(cf, record.id)[0])
    cf.workflow.void(target.id, "duplicate account", actor="root")
    from billing_desk.domain.workflow import TransitionRefused

    with pytest.raises(TransitionRefused):
        cf.incidents.override(record.id, target.id, Evidence(True, True, True, False),
                              "late news", actor=CLERK)
    assert cf.verify().ok


def test_periods_round_trip_through_the_incident_cases(staffed):
    cf = staffed
    record, _ = stormwater_incident(cf)
    case = cf.cases.load(case_ids(cf, record.id)[-1])
    assert all(isinstance(p, PeriodDraft) and p.billed > p.correct for p in case.draft.periods)
    assert case.draft.check().case is not None
