"""Render the sample pages committed under docs/: a customer letter and a memo per
locale, from worked cases in ../shared/cases (with a cause, as a clerk types it), as
PNG at 80 dpi (pdftoppm), the first page of each.

    .venv/bin/python scripts/document_samples.py
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from billing_desk.documents.model import DocumentInput, DocumentKind, Signoff  # noqa: E402
from billing_desk.documents.render import render_document  # noqa: E402
from billing_desk.documents.settings import document_settings  # noqa: E402
from billing_desk.domain.caseformat import loads_case  # noqa: E402

CASES = ROOT.parent / "shared" / "cases"
SAMPLES = (  # (output name, worked case, locale, document, office language)
    ("letter-en_US", "13-undercharge-staff-practice-concealed", "en_US", DocumentKind.LETTER,
     "en_US"),
    ("letter-es_US", "18-mixed-over-and-under", "es_US", DocumentKind.LETTER, "en_US"),
    ("memo-en_US", "18-mixed-over-and-under", "en_US", DocumentKind.CREDIT_MEMO, "en_US"),
    # (memos are in the office's language: a Spanish-speaking office's)
    ("memo-es_US", "13-undercharge-staff-practice-concealed", "es_US",
     DocumentKind.BACK_BILL_MEMO, "es_US"),
)
#: what went wrong, as the clerk would type it for the customer (case@1 "cause")
CAUSES = {
    ("13-undercharge-staff-practice-concealed", "en_US"):
        "A second electric meter at your property, on the shop building, was never billed.",
    ("13-undercharge-staff-practice-concealed", "es_US"):
        "Un segundo medidor eléctrico de su propiedad, el del taller, nunca se facturó.",
    ("18-mixed-over-and-under", "en_US"):
        "Your meter readings were entered in the wrong billing months.",
    ("18-mixed-over-and-under", "es_US"):
        "Las lecturas de su medidor se registraron en meses de facturación equivocados.",
}


def main() -> int:
    out_dir = ROOT / "docs"
    out_dir.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, case_name, locale, kind, office in SAMPLES:
            case = loads_case((CASES / f"{case_name}.json").read_bytes())
            case = dataclasses.replace(case, account=dataclasses.replace(case.account,
                                                                         locale=locale),
                                       cause=CAUSES[(case_name, locale)])
            inp = DocumentInput.for_case(
                "BD-2026-000123", case,
                prepared=Signoff("Alex Clerk", datetime(2026, 3, 2, 15, 4, tzinfo=timezone.utc)),
                approved=Signoff("Sam Supervisor",
                                 datetime(2026, 3, 3, 9, 30, tzinfo=timezone.utc)),
                issue_date=date(2026, 3, 4),
                settings=document_settings({"office.locale": office}))
            pdf = Path(tmp) / f"{name}.pdf"
            pdf.write_bytes(render_document(inp, kind).pdf)
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1",
                            "-singlefile", str(pdf), str(out_dir / name)], check=True)
            print(out_dir / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
