"""The history in sentences, for every action the store records: produced through the
store itself, each entry reads as what happened and who did it, then what changed --
never JSON. The actions are found in the store's source, so a new one without its
sentence fails here."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from billing_desk import issuing
from billing_desk.domain.bills_issued import ALL_SERVICES, BillsIssued
from billing_desk.domain.delivery import Delivery
from billing_desk.domain.draft import CaseDraft
from billing_desk.domain.outbox import Move, Outcome
from billing_desk.store.outbox import SendResult
from billing_desk.domain.workflow import Action, Role
from billing_desk.store.cases import VOIDED_BY_EDIT
from billing_desk.store.sqlite.files import create_case_file, open_case_file
from billing_desk.store.errors import SignInRefused
from billing_desk.ui.history_text import describe_entry
from tests.domain.builders import make_case
from tests.staff import PASSWORD, add_staff
from tests.store.incident_helpers import APPROVER, CLERK, case_ids, stormwater_incident

ROOT = Path(__file__).resolve().parents[2]


def every_action(path: Path):
    cf = create_case_file(path); add_staff(cf)
    draft = CaseDraft.from_case(make_case())
    r = cf.cases.create(CaseDraft(), actor="alice")
    r = cf.cases.save(r.id, draft, expected_revision=r.revision, actor="alice")
    ps = list(draft.periods); ps[0] = replace(ps[0], billed=Decimal("131.00"))
    r = cf.cases.save(r.id, replace(draft, periods=tuple(ps), account=replace(draft.account, customer_name="New Name")), expected_revision=r.revision, actor="alice")
    r = cf.cases.save(r.id, r.draft, notes="Called the customer", expected_revision=r.revision, actor="alice")
    r = cf.cases.assign(r.id, "bob", expected_revision=r.revision, actor="alice")
    r = cf.workflow.submit(r.id, actor="alice")
    r = cf.cases.save(r.id, replace(r.draft, made_known_on=date(2010, 6, 1)), expected_revision=r.revision, actor="alice")
    r = cf.workflow.submit(r.id, actor="alice")
    r = cf.workflow.return_case(r.id, "Attach the bills", actor="sup")
    r = cf.workflow.reopen(r.id, actor="alice")
    r = cf.workflow.submit(r.id, actor="alice")
    r = cf.workflow.approve(r.id, actor="boss")
    r = cf.cases.save(r.id, replace(r.draft, periods=r.draft.periods + (replace(ps[0], start=date(2010,2,1), end=date(2010,2,28)),),
                                    account=replace(r.draft.account, email="pat@example.org", delivery=Delivery.EMAIL)),
                      expected_revision=r.revision, actor="alice")
    r = cf.workflow.submit(r.id, actor="alice")
    r = cf.workflow.approve(r.id, actor="boss")
    a = cf.attachments.add(r.id, "bill.pdf", b"%PDF-1.4 x", actor="alice")
    cf.attachments.remove(a.id, actor="alice")
    cf.determinations.record(r.id, actor="alice")
    iss = issuing.issue_documents(cf, r.id, actor="boss", issue_date=date(2025, 1, 2))
    doc = iss.documents[0]
    issuing.print_document(cf, doc.id, "alice", lambda b: 1)
    issuing.print_document(cf, doc.id, "alice", lambda b: 1)
    issuing.save_document(cf, doc.id, path.parent / "letter.pdf", "alice", lambda b, p: p.write_bytes(b))
    # its email notice: queued, claimed by a sender that stopped, resent as a copy, sent
    notice = issuing.queue_notices(cf, actor="alice")[0]
    cf.outbox.claim(notice.id, "sender-1", actor="alice")
    cf.outbox.abandon([(notice.id, "sender-1")], "The sender stopped", actor="alice")
    cf.outbox.decide(notice.id, Move.RESEND_COPY, actor="alice", note="Customer has none")
    cf.outbox.claim(notice.id, "sender-2", actor="alice")
    cf.outbox.finish(SendResult(notice.id, "sender-1", Outcome.ACCEPTED, "250 late"), actor="alice")
    cf.outbox.finish(SendResult(notice.id, "sender-2", Outcome.ACCEPTED, "250 OK queued"),
                     actor="alice")
    cf.workflow.close(r.id, actor="boss")
    v = cf.cases.create(CaseDraft(), actor="alice")
    cf.workflow.void(v.id, "Opened twice", actor="alice")
    cf.users.add("carl", "Carl Cole", Role.CLERK, PASSWORD, actor="root")
    cf.users.set_role("carl", Role.SUPERVISOR, actor="root")
    cf.users.set_limit("carl", Decimal("250.00"), actor="root")
    cf.users.disable("carl", actor="root")
    cf.users.enable("carl", actor="root")
    cf.users.set_password("carl", "a new long password", actor="root")
    try: cf.users.authenticate("carl", "wrong")
    except SignInRefused: pass
    cf.users.authenticate("carl", "a new long password")
    cf.settings.set("attachment_max_bytes", 1_000_000, actor="root")
    fresh = cf.cases.create(draft, actor="alice")  # a determination recorded on its own
    cf.determinations.record(fresh.id, actor="alice")
    incident, _ = stormwater_incident(cf)
    first = cf.cases.load(case_ids(cf, incident.id)[0])
    cf.incidents.override(incident.id, first.id, replace(
        first.draft.evidence, customer_could_have_discovered=True), "Told in 2004", actor=CLERK)
    cf.incidents.submit(incident.id, actor=CLERK)
    review = cf.incidents.draw_sample(incident.id, actor=APPROVER, seed="history")
    cf.incidents.approve(incident.id, review.id, actor=APPROVER)
    cf.bills_issued.import_figures([BillsIssued(2010, ALL_SERVICES, 1_020_894)], actor="alice",
                                   source="finance.csv", refused_rows=1)
    cf.bills_issued.save([BillsIssued(2010, ALL_SERVICES, 1_020_900)], actor="alice")
    return cf


def actions_the_store_writes() -> set[str]:
    """Every audit action named in the store's and the issuing service's source."""
    found: set[str] = set()
    for path in [*(ROOT / "billing_desk" / "store").glob("*.py"), ROOT / "billing_desk" / "issuing" / "service.py"]:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'\.audit\(\s*"([a-z_]+)"', text))
        found |= set(re.findall(r'(?:record_use|add_copy)\([^,]+,\s*"([a-z_]+)"', text))
    found |= {action for action, _ in VOIDED_BY_EDIT.values()}
    found |= {a.value for a in Action if a is not Action.EDIT} | {"edit"}  # the workflow's steps
    return found


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    from tests.before_signing import as_before_signing
    from tests.staff import FAST, PASSWORD

    folder = tmp_path_factory.mktemp("history")
    cf = every_action(folder / "every.bdesk")
    entries = cf.audit_log()
    cf.close()
    # a file made before signing: its users get their keys when they next sign in
    with create_case_file(folder / "old.bdesk") as old:
        add_staff(old)
    as_before_signing(folder / "old.bdesk")
    with open_case_file(folder / "old.bdesk") as old:
        old.users.using(passwords=FAST).authenticate("alice", PASSWORD)
        entries += [e for e in old.audit_log() if e.action == "enrol_key"]
    return [(e, describe_entry(e.action, e.entity, e.actor, e.before, e.after, e.entity_id))
            for e in entries]


def test_every_action_the_store_writes_is_said_in_sentences(history):
    produced = {e.action for e, _ in history}
    assert actions_the_store_writes() <= produced, "an action of the store is not exercised here"
    for e, line in history:
        generic = f"{e.action.replace('_', ' ').capitalize()} by {e.actor}"
        assert line.what and line.what != generic, f"{e.entity}/{e.action} has no sentence"
        for text in (line.what, *line.changes):
            assert not re.search(r'[{}\[\]"]|\$patch|null|\d{4}-\d\d-\d\dT', text), (e.action, text)


def sentences(history, action: str, n: int = 0) -> list[str]:
    lines = [line for e, line in history if e.action == action]
    return [lines[n].what, *lines[n].changes]


def test_the_sentences_a_clerk_and_an_auditor_read(history):
    assert sentences(history, "create")[0] == "Case BD-000001 created by alice"
    assert "Period 1 added: 01/01/2010–01/31/2010, billed $50.00, correct $40.00" in sentences(history, "edit")
    assert "Discovered on: (none) → 06/15/2010" in sentences(history, "edit")
    assert "Ticked: Documentation of the overcharge is available" in sentences(history, "edit")
    assert sentences(history, "edit", 1)[1:] == ["Customer name: Pat Example → New Name",
                                                  "Period 1: billed $50.00 → $131.00"]
    assert sentences(history, "notes") == ["Notes changed by alice", "Notes now: “Called the customer”"]
    assert sentences(history, "assign") == ["Assigned to bob by alice"]
    assert re.fullmatch(r"Submitted for approval by alice \(fingerprint [0-9a-f]{8}…\)",
                        sentences(history, "submit")[0])
    assert re.fullmatch(r"Approved by boss \(fingerprint [0-9a-f]{8}…\)", sentences(history, "approve")[0])
    assert sentences(history, "return") == ["Returned to the clerk by sup: “Attach the bills”"]
    withdrawn = sentences(history, "edit, submission withdrawn")
    assert withdrawn[0].startswith("Edited by alice; submission withdrawn")
    assert "Made known on: (none) → 06/01/2010" in withdrawn
    voided = sentences(history, "edit, approval voided")
    assert "Period 2 added: 02/01/2010–02/28/2010, billed $131.00, correct $40.00" in voided
    assert any(s.startswith("The approval by boss of ") for s in voided)
    issued = sentences(history, "issue")
    assert issued[0] == ("Documents issued by boss: Customer letter (issue 1, 1 page), Credit memo "
                         "(issue 1, 1 page)")
    assert "Dated 01/02/2025" in issued and "Credit to the customer: refund $182.00, back bill $0.00" in issued
    assert sentences(history, "reprint")[0] == ("Customer letter (issue 1) printed again by alice, as a "
                                                "copy stamped COPY")
    assert sentences(history, "save") == ["Customer letter (issue 1) saved as a PDF file by alice: letter.pdf"]
    assert sentences(history, "void") == ["Voided by alice: “Opened twice”"]
    assert sentences(history, "attach")[0] == "Attached bill.pdf by alice"
    assert sentences(history, "set_limit") == ["User carl given another approval limit by root",
                                               "Approval limit: (none) → $250.00"]
    assert sentences(history, "sign_in_failed") == ["A sign-in as carl failed (1 in a row)"]
    assert sentences(history, "determine")[1] == "Credit to the customer: refund $10.00, back bill $0.00"


def test_an_action_not_known_is_still_shown_by_name_with_its_changes():
    line = describe_entry("archive", "case", "root", {"status": "closed"}, {"status": "archived"})
    assert line.what == "Archive by root" and line.changes == ("Status: closed → archived",)
