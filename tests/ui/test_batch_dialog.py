"""The batch dialog, on a case file and on a server: the batch runs on a worker thread
with its own connection, the progress bar reaches the end and the reconciliation is
shown; Cancel stops it cleanly with the rest still approved."""

from __future__ import annotations

import pytest

from billing_desk.store import create_store, open_store
from tests.backends import rows
from billing_desk.ui.batch_dialog import BatchIssueDialog
from billing_desk.ui.session import CaseSession
from tests.issuing.cases import approved_cases


@pytest.fixture
def session(store_target):
    def make(cases: int) -> CaseSession:
        with create_store(store_target) as cf:
            approved_cases(cf, cases)
        s = CaseSession("mailroom")
        s.open(store_target)
        opened.append(s)
        return s

    opened: list[CaseSession] = []
    yield make
    for s in opened:
        s.close()


def test_the_progress_bar_reaches_the_end_and_the_batch_reconciles(qtbot, session, tmp_path):
    s = session(6)
    dialog = BatchIssueDialog(s, workers=1, chunk_size=2, out=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.summary.text().startswith("6 approved cases waiting")
    values = []
    dialog.bar.valueChanged.connect(values.append)
    with qtbot.waitSignal(dialog.batchFinished, timeout=60000) as done:
        dialog.start_button.click()
        assert not dialog.close_button.isEnabled() and dialog.cancel_button.isEnabled()
    report = done.args[0]
    assert report.adds_up and report.issued_cases == 6
    assert dialog.bar.value() == dialog.bar.maximum() == 6 and values == sorted(values)
    assert dialog.result.toPlainText().startswith(
        "Reconciliation: 6 cases selected = documents issued for 6 cases")
    assert dialog.close_button.isEnabled() and not dialog.running
    assert len(list(tmp_path.glob("issue-batch-*.csv"))) == 1
    with open_store(s.target) as cf:
        assert rows(cf, "SELECT count(*) FROM cases WHERE status = 'issued'") == [(6,)]
        # the head once the run's issues are stored and recorded in the mail ledger;
        # the ledger's entry saying the run finished follows it
        head = cf.history_entry(cf.history_head().entry - 1)
        assert cf.audit_log(after=head.entry)[0].action == "mail_run_finish"
    assert f"History head after the batch: {head.text()}" in dialog.result.toPlainText()


def test_cancel_stops_the_batch_and_leaves_the_rest_approved(qtbot, session, tmp_path):
    s = session(40)
    dialog = BatchIssueDialog(s, workers=1, chunk_size=1, out=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.batchFinished, timeout=60000) as done:
        dialog.start_button.click()
        qtbot.waitUntil(lambda: dialog.bar.value() >= 1, timeout=30000)
        dialog.cancel_button.click()
    report = done.args[0]
    assert report.adds_up and report.stopped == "The batch was cancelled."
    assert 1 <= report.issued_cases < 40 and len(report.not_attempted) == 40 - report.issued_cases
    assert "still approved; run the batch again" in dialog.result.toPlainText()
    with open_store(s.target) as cf:
        counts = dict(rows(cf, "SELECT status, count(*) FROM cases GROUP BY 1"))
    assert counts == {"issued": report.issued_cases, "approved": 40 - report.issued_cases}
