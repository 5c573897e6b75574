"""Documents benchmark: one letter against a bare ReportLab letter, a batch of cases over
worker processes (render letter + memos, read back, check), memory, and the
wrong-recipient property over thousands of generated cases.

    .venv/bin/python bench/documents.py                     # 30,000-case batch, 10,000 property
    .venv/bin/python bench/documents.py --cases 3000 --property-cases 1000   # quicker

Targets (issue 6): one letter <= 2x the bare baseline; 30,000 cases (letter + memo each,
read back and checked) in < 3 minutes on 2 cores, storage included (storage is wired
with the case file; this measures everything before it); zero letters carrying another
case's account, name or address.

Figures from one full run on the 2-core development machine (which other sessions'
benchmarks shared part of the time; load average 0.7 at the start, 2.6 at the end):

    one letter: bare ReportLab 2.94 ms, Billing Desk 1.58 ms (0.54x); read-back 1.04 ms;
      credit memo 2.04 ms; letter 27.8 kB
    one process, 1,000 demo cases: 8.62 ms CPU a case (2.09 documents) -> 2.16 min on 2 cores
    batch 30,000 cases, 2 workers: 62,297 documents, 72,615 pages, 0 refused;
      163 s wall = 5.44 ms a case -> 2.72 min before storage (workers 10.07 ms CPU a case,
      parent 0.68 ms); 28.5 kB a document (1.7 GiB); peak RSS 88 MiB parent, 85 MiB worker
    wrong-recipient property, 10,000 cases: 0 letters with another case's account, name
      or address; 0 letters missing their own
"""

from __future__ import annotations

import argparse
import io
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from demo_cases import demo_cases  # noqa: E402

from billing_desk.documents.batch import Prepared, Refused, prepare_batch  # noqa: E402
from billing_desk.documents.model import DocumentInput, DocumentKind, Signoff  # noqa: E402
from billing_desk.documents.readback import check_document, extract_text  # noqa: E402
from billing_desk.documents.render import render_document  # noqa: E402
from billing_desk.domain.caseformat import loads_case  # noqa: E402
from billing_desk.resources import resource_path  # noqa: E402

PREPARED = Signoff("Alex Clerk", datetime(2026, 3, 2, 15, 4, tzinfo=timezone.utc))
APPROVED = Signoff("Sam Supervisor", datetime(2026, 3, 3, 9, 30, tzinfo=timezone.utc))
ISSUED_ON = date(2026, 3, 4)


def timed(fn, repeat: int) -> float:
    """Median milliseconds of ``fn()`` over ``repeat`` runs in batches of 10."""
    fn()
    samples = []
    for _ in range(max(1, repeat // 10)):
        t = time.perf_counter()
        for _ in range(10):
            fn()
        samples.append((time.perf_counter() - t) / 10 * 1000)
    return statistics.median(samples)


def bare_reportlab_letter():
    """The baseline: a one-page platypus letter, embedded TTF, paragraphs and a 12-row
    table, in ReportLab's plain way (Paragraph, Table)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(TTFont("Bare", str(resource_path("fonts", "DejaVuSans.ttf"))))
    style = ParagraphStyle("bare", fontName="Bare", fontSize=9.5, leading=13)
    rows = [["Billing period", "Billed", "Should have been", "Credit"]] + [
        [f"2010-{m:02d}-01 to 2010-{m:02d}-28", "$212.40", "$187.15", "$25.25"]
        for m in range(1, 12)]
    table_style = TableStyle([("FONT", (0, 0), (-1, -1), "Bare", 8.5),
                              ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                              ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.grey)])

    def build() -> bytes:
        buf = io.BytesIO()
        doc = SimpleDocTemplate(buf, pagesize=LETTER)
        story = [Paragraph("City of Fort Collins Utilities", style),
                 Paragraph("Pat Example<br/>215 N Mason St<br/>Fort Collins, CO 80524", style),
                 Spacer(1, 12), Paragraph("Dear Pat Example:", style)]
        story += [Paragraph("We reviewed the electric bills for your account and found a "
                            "billing error affecting the periods below. " * 2, style)
                  for _ in range(3)]
        table = Table(rows)
        table.setStyle(table_style)
        story += [table, Paragraph("Sincerely, Utility Billing Adjustments", style)]
        doc.build(story)
        return buf.getvalue()

    return build


def document_input(serial: int, case) -> DocumentInput:
    return DocumentInput.for_case(f"BD-2026-{serial:06d}", case, prepared=PREPARED,
                                  approved=APPROVED, issue_date=ISSUED_ON)


def baseline_in_subprocess(repeat: int) -> float:
    """The bare letter's median time, measured in a child process: ReportLab keys
    TrueType fonts by face name, so registering DejaVu a second time in this process
    would hand the baseline Billing Desk's font object (and disturb its caches)."""
    out = subprocess.run([sys.executable, __file__, "--baseline-only", str(repeat)],
                         check=True, capture_output=True, text=True).stdout
    return float(out.strip())


def one_letter(repeat: int) -> None:
    case = loads_case((ROOT.parent / "shared" / "cases" / "18-mixed-over-and-under.json")
                      .read_bytes())
    inp = document_input(1, case)
    baseline = baseline_in_subprocess(repeat)
    letter = timed(lambda: render_document(inp, DocumentKind.LETTER), repeat)
    pdf = render_document(inp, DocumentKind.LETTER).pdf
    check = timed(lambda: check_document(inp, DocumentKind.LETTER, pdf), repeat)
    memo = timed(lambda: render_document(inp, DocumentKind.CREDIT_MEMO), repeat)
    print("one letter (worked case 18, 1 page)")
    print(f"  bare ReportLab letter (TTF, 12-row table)  {baseline:6.2f} ms")
    print(f"  Billing Desk letter                        {letter:6.2f} ms   "
          f"ratio {letter / baseline:.2f}x (target <= 2x)")
    print(f"  read-back check of the letter              {check:6.2f} ms")
    print(f"  Billing Desk credit memo                   {memo:6.2f} ms")
    print(f"  letter PDF size                            {len(pdf) / 1024:6.1f} kB")


def cpu_per_case(count: int) -> float:
    """CPU milliseconds to prepare one demo case (render every document, read back,
    check) in this process: the cost a worker pays per case, free of pool start-up and
    of other processes competing for the cores."""
    from billing_desk.documents.batch import prepare_one

    inputs = [document_input(serial, case) for serial, case in demo_cases(count, seed=7)]
    for inp in inputs[:20]:
        prepare_one(inp)
    t = time.process_time()
    docs = sum(len(r.documents) for r in map(prepare_one, inputs) if isinstance(r, Prepared))
    ms = (time.process_time() - t) / count * 1000
    print(f"one process, {count:,} demo cases: {ms:5.2f} ms CPU a case ({docs / count:.2f} "
          f"documents a case); on 2 cores 30,000 cases -> {ms * 30000 / 2 / 60000:4.2f} min")
    return ms


def batch(count: int, workers: int) -> None:
    inputs = (document_input(serial, case) for serial, case in demo_cases(count))
    docs = pages = size = refused = 0
    kinds: dict[str, int] = {}
    reasons: dict[str, int] = {}
    t0 = time.perf_counter()
    cpu0 = os.times()
    for result in prepare_batch(inputs, workers=workers, total=count):
        if isinstance(result, Refused):
            refused += 1
            key = result.reason.split(":")[0][:60]
            reasons[key] = reasons.get(key, 0) + 1
            continue
        for d in result.documents:
            docs += 1
            pages += d.pages
            size += len(d.pdf)
            kinds[d.kind.value] = kinds.get(d.kind.value, 0) + 1
    wall = time.perf_counter() - t0
    cpu1 = os.times()
    parent_cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    child_cpu = (cpu1.children_user - cpu0.children_user) + (cpu1.children_system
                                                            - cpu0.children_system)
    prepared = count - refused
    per_case = wall / count
    print(f"batch of {count:,} demo cases on {workers} worker processes "
          f"(render + read back + check every document)")
    print(f"  cases prepared {prepared:,}, refused {refused:,}; documents {docs:,} "
          f"({', '.join(f'{k} {v:,}' for k, v in sorted(kinds.items()))}); pages {pages:,}")
    for reason, n in sorted(reasons.items()):
        print(f"    refused {n:,}: {reason}")
    print(f"  wall {wall:6.1f} s = {per_case * 1000:5.2f} ms a case; "
          f"30,000 cases -> {per_case * 30000 / 60:4.2f} min (target < 3 min with storage)")
    print(f"  CPU a case: workers {child_cpu / count * 1000:5.2f} ms, parent "
          f"{parent_cpu / count * 1000:5.2f} ms")
    print(f"  PDF bytes a document {size / max(docs, 1) / 1024:5.1f} kB "
          f"({size / 2**20:,.0f} MiB in all)")
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  peak RSS: batch process {self_rss:5.0f} MiB, largest worker {child_rss:5.0f} MiB")


_ACCOUNT = re.compile(r"\b\d{3}-\d{4}-\d{2}\b")
_PUNCT = ",.:;()"


def wrong_recipient_property(count: int, workers: int) -> None:
    """Render and check the letters of ``count`` generated cases, then read every letter
    back and look for any other case's account number, customer name or street address
    (names and streets are unique per case)."""
    cases = {serial: case for serial, case in demo_cases(count, seed=2016)}
    names = {" ".join(c.account.customer_name.split()): s for s, c in cases.items()}
    streets = {c.account.mailing_address.split(",")[0]: s for s, c in cases.items()}
    accounts = {c.account.number: s for s, c in cases.items()}
    inputs = (document_input(serial, case) for serial, case in cases.items())
    t0 = time.perf_counter()
    letters = violations = checked = 0
    missing = 0
    for result in prepare_batch(inputs, workers=workers, total=count):
        if not isinstance(result, Prepared):
            continue
        serial = int(result.case_number.rsplit("-", 1)[1])
        text = extract_text(result.documents[0].pdf)
        letters += 1
        words = [w.strip(_PUNCT) for w in text.split()]
        seen = {accounts[a] for a in _ACCOUNT.findall(text) if a in accounts}
        for n in (4, 5, 6):  # names: first, initial, last (1-2 words), serial
            for i in range(len(words) - n + 1):
                hit = names.get(" ".join(words[i:i + n]))
                if hit is not None:
                    seen.add(hit)
        for n in (4, 5, 6):  # streets: house, direction, street name (1-2 words), kind
            for i in range(len(words) - n + 1):
                hit = streets.get(" ".join(words[i:i + n]))
                if hit is not None:
                    seen.add(hit)
        if serial not in seen:
            missing += 1
        violations += len(seen - {serial})
        checked += 1
    wall = time.perf_counter() - t0
    print(f"wrong-recipient property over {count:,} generated cases ({wall:.1f} s)")
    print(f"  letters read back {letters:,}; letters carrying another case's account, name "
          f"or address: {violations} (target 0); letters missing their own: {missing}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=30000)
    parser.add_argument("--property-cases", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--baseline-only", type=int, metavar="REPEAT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_only:
        print(timed(bare_reportlab_letter(), args.baseline_only))
        return 0
    one_letter(args.repeat)
    cpu_per_case(1000)
    if args.cases:
        batch(args.cases, args.workers)
    if args.property_cases:
        wrong_recipient_property(args.property_cases, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
