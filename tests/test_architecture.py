"""Layer contracts (import-linter): the domain stays pure, layers point inward."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    exe = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(exe), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "broken" not in proc.stdout.lower().replace("0 broken", "")


def test_one_document_kind_serves_the_documents_the_store_and_the_windows(tmp_path):
    # a document rendered is stored, listed and labelled by the same enum: a kind the
    # documents produce is a kind the case file accepts and a window can name
    from billing_desk.documents import DocumentKind as Rendered
    from billing_desk.domain.kinds import DocumentKind
    from billing_desk.store import DocumentKind as Stored
    from billing_desk.ui.formatting import KIND_LABELS

    assert Rendered is Stored is DocumentKind
    assert set(KIND_LABELS) == set(DocumentKind)
    assert [k.value for k in DocumentKind] == ["letter", "credit_memo", "back_bill_memo"]
