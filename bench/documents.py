"""Documents benchmark: one letter against a bare ReportLab letter; the issue's batch --
30,000 approved cases in a case file issued through ``issue_batch`` (inputs built from
the file, letter + memos rendered and read back on worker processes, every issue stored
in the case file, manifest written), with its memory; and the wrong-recipient property
over thousands of generated cases.

    .venv/bin/python bench/documents.py                     # 30,000-case batch, 10,000 property
    .venv/bin/python bench/documents.py --cases 3000 --property-cases 1000   # quicker
    .venv/bin/python bench/documents.py --skip-letter --property-cases 0     # the batch only

Targets (issue 6): one letter <= 2x the bare baseline; 30,000 cases (letter + memo each,
read back, checked and stored) in < 3 minutes on 2 cores; zero letters carrying another
case's account, name or address. The batch runs in a child process of its own (its peak
memory is the batch's), on a case file built beforehand (not timed).

Figures of the full run with storage (Dec 1, `.venv/bin/python bench/documents.py`), on
the 2-core machine shared with other sessions' test suites and benchmarks the whole time
(1-minute load average 5.7 when the bench started, 4.9 when the batch started, 4.1 when
it ended, 1.1 when the bench finished; the batch got about a third of the two cores):

    one letter: bare ReportLab 19.97 ms, Billing Desk 11.26 ms (0.56x); read-back 8.39 ms;
      credit memo 18.35 ms; letter 27.8 kB
    one process, 1,000 demo cases: 30.91 ms CPU a case (2.09 documents)
    batch 30,000 approved cases, 2 workers, with storage: 30,000 selected = issued 30,000
      (62,297 documents: 30,000 letters, 16,864 credit memos, 15,433 back-bill memos;
      72,615 pages) + refused 0 + not attempted 0: adds up; 1540 s wall = 51.3 ms a case
      (25.7 min); CPU a case: workers 33.01 ms, batch process 3.85 ms (inputs from the
      file, storing, manifest); 28.5 kB a document, case file 2,041 MiB; peak RSS batch
      process 96 MiB, largest worker 86 MiB
    wrong-recipient property, 10,000 cases: 0 letters with another case's account, name
      or address; 0 letters missing their own

Again after the users/approval branch was merged (approved cases now made by the real
workflow: submitted by a clerk, approved by a supervisor), on an idle machine (1-minute
load average 1.0 when the batch started, 2.4 when it ended; `.venv/bin/python
bench/documents.py --keep /tmp/docbench`):

    one letter: bare ReportLab 8.26 ms, Billing Desk 3.98 ms (0.48x); read-back 2.46 ms;
      credit memo 8.82 ms; letter 27.8 kB
    one process, 1,000 demo cases: 26.91 ms CPU a case (2.09 documents)
    batch 30,000 approved cases (file built in 162 s beforehand), 2 workers, with
      storage: 30,000 selected = issued 30,000 (62,297 documents) + refused 0 + not
      attempted 0: adds up; 498.7 s wall = 16.62 ms a case (8.31 min); CPU a case:
      workers 29.27 ms, batch process 3.33 ms; case file 2,067 MiB; peak RSS batch
      process 96 MiB, largest worker 94 MiB
    wrong-recipient property, 10,000 cases: 0 wrong, 0 missing their own (160.8 s)

What these say about the target. The 3 minutes are NOT met on this machine as it is
now: 8.31 minutes. The machine is slower per CPU second than when the documents work
measured 8.62 ms CPU a case: the bare ReportLab letter, the same code in every run,
took 2.94 ms then and 8.26 ms now (2.8x). Scaled by that baseline, 8.31 minutes is
about 3.0 minutes on the earlier machine -- at the target, not under it. Where the CPU
goes (cProfile of 270 cases in one process): ReportLab's platypus layout and PDF
serialisation about three quarters, pdfium's page and text extraction of the read-back
a sixth, our flowables the rest; the memo (a table of every period, often two pages)
costs twice the letter. Going clearly under would mean drawing the memo's period table
without platypus frames, or reading back only the identity regions of each page.

Dec 2, after the body frame's shallow copy (same bytes), idle VM (`.venv/bin/python
bench/documents.py --keep /tmp/docbench2`; load 1.3 -> 2.4 during the batch):

    one letter: bare ReportLab 7.68 ms, Billing Desk 6.30 ms (0.82x); read-back 3.19 ms;
      credit memo 5.12 ms -- each timed at a different moment of a VM whose speed swings
      2x: interleaved, the letter took 3.8-5.6 ms against a bare letter of 6.0-7.7 ms
    one process, 1,000 demo cases: 22.08 ms CPU a case
    batch 30,000 approved cases (file built in 151 s beforehand), 2 workers, with
      storage: 62,297 documents, 72,615 pages, refused 0, adds up; 478.7 s wall = 15.96 ms
      a case (7.98 min); CPU a case: workers 28.02 ms, batch process 3.28 ms; peak RSS
      batch process 102 MiB, largest worker 98 MiB
    wrong-recipient property, 10,000 cases: 0 wrong, 0 missing their own (183.4 s)

Dec 2 (second session), after the cheaper PDF object writing (billing_desk/documents/
pdfwriting.py, same bytes), no unused Helvetica and paragraphs wrapped once
(`.venv/bin/python bench/documents.py --keep /tmp/docbench2`; idle VM, load 0.7 at the
start; the test suite ran beside the batch for about four of its minutes):

    one letter: bare ReportLab 8.17 ms, Billing Desk 3.24 ms (0.40x); read-back 1.80 ms;
      credit memo 4.25 ms; letter 27.6 kB
    one process, 1,000 demo cases: 21.90 ms CPU a case
    batch 30,000 approved cases (file built in 149 s beforehand), 2 workers, with
      storage: 62,297 documents, 72,615 pages, refused 0, adds up; 454.7 s wall = 15.16 ms
      a case (7.58 min); CPU a case: workers 25.46 ms, batch process 3.09 ms; peak RSS
      batch process 117 MiB, largest worker 123 MiB
    wrong-recipient property, 10,000 cases: 0 wrong, 0 missing their own (158.4 s)

  and with nothing beside it, 3,000 cases (`--cases 3000 --property-cases 1000`): 14.55
  ms a case (7.28 min for 30,000); CPU a case: workers 25.55 ms, batch process 3.01 ms;
  then with each fixed place read back in one pdfium call instead of two: 14.30 ms a case
  (7.15 min), workers 24.92 ms, batch process 3.09 ms (at the session's start: 16.19 ms,
  workers 28.00 ms); then with the fixed places written through TextWriter, on a VM
  slower at that moment (the bare letter 11.15 ms, against 8.17-9.12 ms in the runs
  above): 14.38 ms a case (7.19 min), workers 25.09 ms, batch process 3.12 ms; one
  letter 4.43 ms (0.40x the bare letter); 1,000-case property 0 wrong.
  Where one case's CPU goes now, in one process over 300 demo cases: rendering the
  letter 5.8 ms and its memo 4.0 ms, reading back the letter 3.6 ms and the memo 2.5 ms
  (pdfium's page and text loading about 2 ms a page), the rest under 1 ms.

Dec 2 (issue 14: each case checked against its history before rendering and again in
the issue's transaction, manifest rows synced per case, the mail ledger), on the VM
shared with other sessions' test suites (1-minute load average 5 to 13):

    history check per case, 1,000 approved cases (`--history-cases 1000`, load 4.9):
      before rendering (verify_case) median 0.21 ms, in the issue's transaction (case and
      settings) median 0.19 ms -- together about 0.4 ms, against about 23 ms of worker
      CPU a case (under 2 %); the 95th percentiles (4-6 ms) are the loaded VM's
      scheduling, not the check (the same case checked again takes the median)
    batch of 300 cases, 2 workers, old code and this code run back to back (load ~9):
      batch process CPU a case 2.13 and 1.73 ms before, 2.93 and 2.83 ms now (the two
      checks, a manifest fsync a case and a ledger commit a group); workers 24.2 / 19.0
      ms before, 23.1 / 22.6 ms now (the letters say more: 883 pages against 750); wall
      time swung 48-74 ms a case between runs of the same code on this VM: the batch
      process is not the bottleneck (the workers are), so issuing is not slower by
      anything this VM can measure

Why 3 minutes is out of reach in this design: per case the workers render 2.44 pages and
read each back, and the CPU is spread thin (cProfile, 300 cases, by where the time is
spent): pdfium's page and text load about a fifth (about 2.2 ms a page on this VM, 1.9
ms even for the bare letter), ReportLab's PDF object writing about a sixth, our text
layout and drawing about a quarter, ReportLab's canvas and text objects and platypus's
frame loop under a tenth each. The target needs about 12 ms a case on the reference
machine, some 40% under a naive letter plus memo per page: no single part is that big,
so it would take another PDF writer than ReportLab's, or fewer pages a case.

Earlier, under load (the run above): in CPU the whole batch (workers + batch process)
cost 36.86 ms a case against 30.91 ms for rendering and checking alone in the same
run: inputs from the case file, transfer, storage and manifest add 19 % (3.85 ms of it
in the batch process: one parse of each case, one determination, the sign-offs, the
store's part -- the revision checked, no second parse -- and commits of up to 16 cases
together, one disk sync each, each case its own savepoint and audit entry).
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

from billing_desk.documents.batch import Prepared, prepare_batch  # noqa: E402
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


def case_file_of_approved(path: Path, count: int) -> float:
    """A case file holding ``count`` demo cases, each submitted by a clerk and approved
    by a supervisor through the workflow (as an office leaves them), and the mail-room
    user who issues them; returns the seconds taken."""
    from decimal import Decimal
    from itertools import islice

    from argon2 import PasswordHasher

    from billing_desk.domain.draft import CaseDraft
    from billing_desk.domain.workflow import Role
    from billing_desk.store import NewCase, create_case_file
    from billing_desk.store.passwords import Passwords

    # cheap hashes: these users sign in nowhere, the batch only needs them to exist
    cheap = Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))

    def fill(cf) -> None:
        users = cf.users.using(passwords=cheap)
        users.create_first_administrator("admin", "Ada Admin", "bench password")
        for login, name, role, limit in (("alex", "Alex Clerk", Role.CLERK, None),
                                         ("sam", "Sam Supervisor", Role.SUPERVISOR,
                                          Decimal("1000000.00")),
                                         ("bench", "Mail Room", Role.CLERK, None)):
            users.add(login, name, role, "bench password", actor="admin", approval_limit=limit)
        cases = demo_cases(count)
        while chunk := list(islice(cases, 500)):
            numbers = cf.cases.create_many([NewCase(CaseDraft.from_case(c), prepared_by="alex")
                                            for _, c in chunk], actor="alex")
            for number in numbers:
                case_id = cf.cases.find(number).id
                cf.workflow.submit(case_id, actor="alex")
                cf.workflow.approve(case_id, actor="sam", acknowledge_divergence=True)

    t = time.perf_counter()
    create_case_file(path, fill=fill).close()
    return time.perf_counter() - t


def stored_batch_child(path: str, workers: int, out: str) -> None:
    """The measured run, in a process of its own (so its peak memory is the batch's):
    ``issue_batch`` over the case file -- inputs built from the file, letter + memos
    rendered and read back on the workers, each case's issue stored -- and the manifest.
    Prints its figures as JSON."""
    import json

    from billing_desk.issuing import Manifest, issue_batch
    from billing_desk.store import open_case_file
    from billing_desk.store.timestamps import utc_now

    with open_case_file(path) as cf:
        manifest = Manifest(Path(out), case_file=cf.path, actor="bench", issue_date=ISSUED_ON,
                            started=utc_now())
        t0, cpu0 = time.perf_counter(), os.times()
        report = issue_batch(cf, actor="bench", issue_date=ISSUED_ON, workers=workers,
                             manifest=manifest)
        wall, cpu1 = time.perf_counter() - t0, os.times()
        manifest.close(report, utc_now())
        pages, size = cf.db.execute("SELECT sum(page_count), sum(length(pdf)) "
                                    "FROM documents").fetchone()
        kinds = dict(cf.db.execute("SELECT kind, count(*) FROM documents GROUP BY 1").fetchall())
        ok = cf.verify().ok if report.selected <= 5000 else None  # verify reads every byte
    print(json.dumps({
        "wall": wall, "selected": report.selected, "issued": report.issued_cases,
        "refused": len(report.refused), "documents": report.documents, "pages": pages,
        "bytes": size, "kinds": kinds, "adds_up": report.adds_up,
        "reconciliation": report.reconciliation(), "verify": ok,
        "reasons": sorted({r.reason.split(":")[0][:60] for r in report.refused}),
        "parent_cpu": (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system),
        "workers_cpu": (cpu1.children_user - cpu0.children_user)
                       + (cpu1.children_system - cpu0.children_system),
        "rss_parent": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }))


def batch(count: int, workers: int, keep: str | None) -> None:
    """The issue's batch: ``count`` approved cases in a case file, every document
    rendered, read back, checked and stored through ``issue_batch`` on ``workers``
    processes, in one measured run."""
    import json
    import shutil
    import tempfile

    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="bench-documents-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "batch.bdesk"
    path.unlink(missing_ok=True)
    try:
        setup = case_file_of_approved(path, count)
        load0 = os.getloadavg()
        out = subprocess.run([sys.executable, __file__, "--stored-batch-child", str(path),
                              "--workers", str(workers), "--out", str(folder)],
                             check=True, capture_output=True, text=True).stdout
        load1 = os.getloadavg()
        r = json.loads(out.strip().splitlines()[-1])
        file_size = path.stat().st_size
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    per_case = r["wall"] / count
    print(f"batch of {count:,} approved cases in a case file on {workers} worker processes "
          f"(built in {setup:.0f} s beforehand; render + read back + check + store)")
    print(f"  {r['reconciliation']}")
    print(f"  documents {r['documents']:,} ({', '.join(f'{k} {v:,}' for k, v in sorted(r['kinds'].items()))}); "
          f"pages {r['pages']:,}; refused {r['refused']:,}")
    for reason in r["reasons"]:
        print(f"    refused: {reason}")
    print(f"  wall {r['wall']:6.1f} s = {per_case * 1000:5.2f} ms a case; 30,000 cases -> "
          f"{per_case * 30000 / 60:4.2f} min (target < 3 min, storage included)")
    print(f"  CPU a case: workers {r['workers_cpu'] / count * 1000:5.2f} ms, batch process "
          f"(inputs from the file, storing) {r['parent_cpu'] / count * 1000:5.2f} ms")
    print(f"  PDF bytes a document {r['bytes'] / max(r['documents'], 1) / 1024:5.1f} kB; case "
          f"file {file_size / 2**20:,.0f} MiB")
    print(f"  peak RSS: batch process {r['rss_parent']:5.0f} MiB, largest worker "
          f"{r['rss_worker']:5.0f} MiB")
    print(f"  load average (1 min) {load0[0]:.1f} at the start, {load1[0]:.1f} at the end"
          + ("" if r["verify"] is None else f"; verify {'OK' if r['verify'] else 'BROKEN'}"))


def history_check(count: int) -> None:
    """What the check of each case against its history costs (issue 14): the issuing
    service's check before rendering (``verify_case``: the case's entries rehashed, their
    links to the entries beside them, the case replayed and compared) and the store's
    check inside the issue's transaction (the same, and the settings replayed from their
    history), per case, on a file of ``count`` approved demo cases."""
    import statistics
    import tempfile

    from billing_desk.store import open_case_file
    from billing_desk.store.verify import case_report, settings_problem

    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        path = Path(tmp) / "history.bdesk"
        case_file_of_approved(path, count)
        with open_case_file(path) as cf:
            cf.settings.set("documents", {"letterhead.phone": "(970) 221-6700"}, actor="admin")
            ids = [i for (i,) in cf.db.execute("SELECT id FROM cases ORDER BY id")]
            entries = cf.db.execute("SELECT count(*) FROM audit").fetchone()[0]
            for case_id in ids[:50]:
                cf.verify_case(case_id)
            samples, loads = [], []
            for case_id in ids:  # as the issue does it: the case loaded, then checked
                t = time.perf_counter()
                cf.cases.load(case_id)
                loads.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                assert cf.verify_case(case_id).ok
                samples.append((time.perf_counter() - t) * 1000)
            inside = []
            with cf._c.write("bench") as tx:  # (changes nothing: rolled back)
                for case_id in ids:
                    t = time.perf_counter()
                    assert case_report(tx.conn, case_id).ok and settings_problem(tx.conn) is None
                    inside.append((time.perf_counter() - t) * 1000)
                tx.unchanged()
    print(f"history check per case ({count:,} approved cases, {entries:,} history entries; "
          f"load average {os.getloadavg()[0]:.1f})")
    print(f"  (loading the case, for comparison)         median {statistics.median(loads):5.3f} ms")
    print(f"  before rendering (verify_case)            median {statistics.median(samples):5.3f} ms,"
          f" 95th percentile {sorted(samples)[int(len(samples) * 0.95)]:5.3f} ms")
    print(f"  in the issue's transaction (case + settings) median "
          f"{statistics.median(inside):5.3f} ms, 95th percentile "
          f"{sorted(inside)[int(len(inside) * 0.95)]:5.3f} ms")


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
    parser.add_argument("--keep", metavar="DIR",
                        help="build the batch's case file and manifest here and keep them")
    parser.add_argument("--skip-letter", action="store_true",
                        help="skip the one-letter and CPU-a-case figures")
    parser.add_argument("--history-cases", type=int, default=1000,
                        help="cases of the file the history check is timed on (0: skip)")
    parser.add_argument("--baseline-only", type=int, metavar="REPEAT", help=argparse.SUPPRESS)
    parser.add_argument("--stored-batch-child", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_only:
        print(timed(bare_reportlab_letter(), args.baseline_only))
        return 0
    if args.stored_batch_child:
        stored_batch_child(args.stored_batch_child, args.workers, args.out)
        return 0
    if not args.skip_letter:
        one_letter(args.repeat)
        cpu_per_case(1000)
    if args.history_cases:
        history_check(args.history_cases)
    if args.cases:
        batch(args.cases, args.workers, args.keep)
    if args.property_cases:
        wrong_recipient_property(args.property_cases, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
