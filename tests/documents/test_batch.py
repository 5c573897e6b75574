"""Batch preparation over worker processes: one result per case, refusals with their
reason, progress, cancellation."""

from __future__ import annotations

import threading

import pytest

from billing_desk.documents.batch import Prepared, Refused, prepare_batch
from billing_desk.documents.readback import extract_text
from tests.documents.inputs import document_input

CASES = ["01", "13", "18", "04", "23", "07"]


def inputs(n: int):
    out = [document_input(CASES[i % len(CASES)], case_number=f"BD-B-{i:04d}") for i in range(n)]
    # one case that cannot be mailed: refused, with its reason, and the batch goes on
    out[3] = document_input("18", case_number="BD-B-0003", mailing_address="", service_address="")
    return out


@pytest.mark.parametrize("workers", [1, 2])
def test_every_case_is_prepared_or_refused_and_the_batch_reconciles(workers):
    batch = inputs(14)
    seen = []
    results = list(prepare_batch(batch, workers=workers, chunk_size=3,
                                 progress=lambda done, total: seen.append((done, total))))
    prepared = [r for r in results if isinstance(r, Prepared)]
    refused = [r for r in results if isinstance(r, Refused)]
    assert len(prepared) + len(refused) == len(batch)
    assert sorted(r.case_number for r in results) == sorted(i.case_number for i in batch)
    assert [(r.case_number, r.account_number, r.customer_name) for r in refused] == [
        ("BD-B-0003", "100-2000-01", "Pat Example")]
    assert "no mailing address and no service address" in refused[0].reason
    by_number = {i.case_number: i for i in batch}
    for result in prepared:
        inp = by_number[result.case_number]
        assert result.account_number == inp.case.account.number
        assert result.customer_name == inp.case.account.customer_name
        assert tuple(d.kind for d in result.documents) == inp.kinds
        letter = extract_text(result.documents[0].pdf)
        assert inp.case.account.number in letter and result.case_number in letter
    assert seen[-1] == (14, 14)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_cancel_stops_handing_out_work():
    cancel = threading.Event()
    batch = inputs(40)

    def progress(done, total):
        if done >= 4:
            cancel.set()

    results = list(prepare_batch(batch, workers=2, chunk_size=2, progress=progress,
                                 cancel=cancel))
    assert 4 <= len(results) < len(batch)
    assert len({r.case_number for r in results}) == len(results)


def test_inputs_can_stream_from_a_generator():
    results = list(prepare_batch((document_input("01", case_number=f"G-{i}") for i in range(5)),
                                 workers=1))
    assert sorted(r.case_number for r in results) == [f"G-{i}" for i in range(5)]
