"""What each speed trick of the code base saves, measured by undoing it (docs/performance.md).

Every trick is measured A/B in one run: A as shipped, B with the trick undone (a
variant of the start-up script, or the trick switched off in-process), in interleaved
rounds -- A, B, B, A, ... -- so that the machine's swings (2x on the shared 2-core VM)
hit both alike; what is reported is the median of A, the median of B and the median of
the per-round ratio B/A (how many times slower without the trick).

1. start-up (each start a new process, as bench/app.py starts the app, on its 10,000-case
   file): to the first painted frame, wall and CPU time, as shipped against each trick
   undone: the collector not paused, the workspace built before the first frame, Qt's
   enum namespace created first, PySide's source scan left on, QtPdf/print/charts/SVG
   imported at once, the lazy packages (documents, issuing, store) loaded whole, and --
   on a first run -- the window's layout made through ``Qt`` instead of FIRST_RUN_STATE;
   the bare QMainWindow of bench/app.py is run in the same rounds as the baseline of
   the ratios bench/app.py reports;
2. in-process, CPU time: the documents (a letter rendered: ReportLab's serialisation
   patch, the font subset caches, the one-translate string encoding, the text-width
   cache, ASCII85 off), the engine (72 periods: the enum members as module constants, the
   cached six-year cutoff, the cached reasons), the case file (a 72-period case loaded
   and saved: the period row and JSON caches), the panel (the reasons' wording cache)
   and the models (``data()`` with integer roles against Qt's enum members).

Run:  .venv/bin/python bench/tricks.py [--keep DIR] [--rounds N] [--only startup|inprocess]
(DIR: bench/app.py's directory, whose 10k.bdesk is reused; else it is generated.)
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import app as app_bench  # noqa: E402  (bench/app.py: its scripts and its runner)

APP = app_bench.APP
_PAUSE = "from billing_desk._startup import pause_collector\npause_collector()\n"
_SHOW = "w.show()\n"
assert APP.count(_PAUSE) == 1 and APP.count(_SHOW) == 1


def _after_pause(code: str) -> str:
    return APP.replace(_PAUSE, _PAUSE + code, 1)


#: (what is undone, the start-up script with it undone)
STARTUP_VARIANTS: tuple[tuple[str, str], ...] = (
    ("GC not paused during start-up (_startup.py)", APP.replace(_PAUSE, "", 1)),
    ("workspace built before the first frame (ui/workspace.py)",
     APP.replace(_SHOW, "w.build_workspace()\n" + _SHOW, 1)),
    ("Qt's enum namespace created first (ui/qt.py, ui/roles.py)",
     _after_pause("from PySide6.QtCore import Qt as _Qt\n_Qt.AlignmentFlag.AlignLeft\n")),
    ("PySide's source scan left on (ui/qt.py _skip_source_scan)",
     _after_pause("import PySide6.QtCore\nfrom shibokensupport import feature as _f\n"
                  "_orig = _f._mod_uses_pyside\nimport billing_desk.ui.qt\n"
                  "_f._mod_uses_pyside = _orig\n")),
    ("QtPdf, QtPdfWidgets, QtPrintSupport, QtSvg, QtCharts imported at once (ui/qt.py)",
     _after_pause("import PySide6.QtPdf, PySide6.QtPdfWidgets, PySide6.QtPrintSupport, "
                  "PySide6.QtSvg, PySide6.QtCharts\n")),
    ("Babel and its en_US data loaded (ui/formatting.py writes the symbols out)",
     _after_pause("from babel import Locale\nfrom babel.numbers import format_currency\n"
                  "from babel.dates import format_date\nLocale.parse('en_US').currency_symbols\n")),
    ("argon2 and sqlite-utils loaded (until a sign-in, a new or migrated file)",
     _after_pause("import argon2, sqlite_utils\n")),
    ("documents, issuing and store loaded whole (_lazy.py)",
     _after_pause("import billing_desk.documents as _d, billing_desk.issuing as _i, "
                  "billing_desk.store as _s\n"
                  "for _p in (_d, _i, _s):\n    [getattr(_p, _n) for _n in _p._WHERE]\n")),
)
#: a first run (no settings yet) with the dock placed through ``Qt``
NO_FIRST_RUN_STATE = _after_pause(
    "import billing_desk.ui.main_window as _mw\n_mw.FIRST_RUN_STATE = b''\n")


def startup(path: Path, tmp: Path, rounds: int) -> None:
    settings = tmp / "tricks-settings.ini"
    settings.unlink(missing_ok=True)
    run = app_bench.run_script
    run(APP, str(path), str(settings))  # a first run: saves the layout the others restore
    for _, code in STARTUP_VARIANTS:
        run(code, str(path), str(settings))  # (bytecode written, files cached)
    run(app_bench.BARE)
    names = ["bare QMainWindow", "as shipped"] + [n for n, _ in STARTUP_VARIANTS] + [
        "a first run, as shipped (FIRST_RUN_STATE)", "a first run, dock placed through Qt"]
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}

    def fresh() -> str:
        first = tmp / "tricks-first-run.ini"
        first.unlink(missing_ok=True)
        return str(first)

    jobs: list[tuple[str, Callable[[], tuple[float, float, int]]]] = [
        ("bare QMainWindow", lambda: run(app_bench.BARE)[0]),
        ("as shipped", lambda: run(APP, str(path), str(settings))[0]),
        *((n, lambda c=c: run(c, str(path), str(settings))[0]) for n, c in STARTUP_VARIANTS),
        ("a first run, as shipped (FIRST_RUN_STATE)", lambda: run(APP, str(path), fresh())[0]),
        ("a first run, dock placed through Qt",
         lambda: run(NO_FIRST_RUN_STATE, str(path), fresh())[0]),
    ]
    for r in range(rounds):  # interleaved, the order reversed every other round
        for name, job in (jobs if r % 2 == 0 else jobs[::-1]):
            w, c, _ = job()
            wall[name].append(w)
            cpu[name].append(c)

    def ratio(xs: list[float], ys: list[float]) -> float:
        return statistics.median(x / y for x, y in zip(xs, ys))

    print(f"start-up to the first painted frame, 10,000-case file, {rounds} interleaved rounds "
          "(median; ratio = median of the per-round ratios):")
    base = "as shipped"
    for name in names:
        against = ("a first run, as shipped (FIRST_RUN_STATE)" if name.startswith("a first run")
                   else base)
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        line = f"  {name}: wall {w * 1e3:.0f} ms, CPU {c * 1e3:.0f} ms"
        if name not in ("bare QMainWindow", against):
            line += (f"; {ratio(wall[name], wall[against]):.2f}x wall, "
                     f"{ratio(cpu[name], cpu[against]):.2f}x CPU of {against!r} "
                     f"(undone: {(w - statistics.median(wall[against])) * 1e3:+.0f} ms wall)")
        elif name == base:
            line += (f"; {ratio(wall[name], wall['bare QMainWindow']):.2f}x wall, "
                     f"{ratio(cpu[name], cpu['bare QMainWindow']):.2f}x CPU of the bare window")
        print(line, flush=True)


# --- in-process A/B ------------------------------------------------------------------------

def ab(name: str, work: Callable[[], object], off: Callable[[], None], on: Callable[[], None],
       rounds: int, unit: str = "ms", scale: float = 1e3, min_time: float = 0.12) -> None:
    """``work`` timed (CPU) with the trick on and off, interleaved; each sample repeats
    ``work`` for about ``min_time``."""
    on()
    work()
    n, t0 = 1, time.process_time()
    while True:
        t0 = time.process_time()
        for _ in range(n):
            work()
        if time.process_time() - t0 > min_time:
            break
        n *= 2
    a: list[float] = []
    b: list[float] = []
    for r in range(rounds):
        for trick_on in ((True, False) if r % 2 == 0 else (False, True)):
            (on if trick_on else off)()
            work()  # (warm, as in use: the second keystroke, the next document)
            gc.collect()
            t0 = time.process_time()
            for _ in range(n):
                work()
            (a if trick_on else b).append((time.process_time() - t0) / n)
    on()
    ratio = statistics.median(y / x for x, y in zip(a, b))
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"  {name}: {mb * scale:.3f} {unit} without it, {ma * scale:.3f} {unit} with it "
          f"= {ratio:.2f}x (saves {(mb - ma) * scale:.3f} {unit}, {1 - 1 / ratio:.0%})",
          flush=True)


def patched(module: types.ModuleType, name: str, value: object):
    """(off, on): set ``module.name`` to ``value``, or back to what it is now."""
    original = getattr(module, name)
    return (lambda: setattr(module, name, value)), (lambda: setattr(module, name, original))


def uncached(cached) -> tuple[Callable[[], None], Callable[[], None]]:
    """(off, on) for an ``lru_cache``d function: every module global that holds it is
    given the plain function, or the cached one back."""
    holders = [(m, k) for m in list(sys.modules.values()) if m is not None
               for k, v in list(getattr(m, "__dict__", {}).items()) if v is cached]
    assert holders, cached

    def off() -> None:
        for m, k in holders:
            setattr(m, k, cached.__wrapped__)

    def on() -> None:
        for m, k in holders:
            setattr(m, k, cached)

    return off, on


def documents(rounds: int) -> None:
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from billing_desk.documents import flowables, fonts, pdfwriting
    from billing_desk.documents.glyphs import BOLD, REGULAR
    from billing_desk.documents.model import DocumentKind
    from billing_desk.documents.render import render_document
    from tests.documents.inputs import document_input

    # letters of different cases, one after the other (as a batch renders them): six
    # worked cases, each for another customer and case number, in English and Spanish
    inputs = [document_input(n, case_number=f"BD-2026-{k:06d}", customer_name=name,
                             locale=locale)
              for k, (n, name, locale) in enumerate((
                  ("01", "Pat Example", "en_US"), ("03", "Peña Müller", "es_US"),
                  ("07", "Dana Whitaker", "en_US"), ("11", "Bảo Nguyễn", "en_US"),
                  ("18", "María Peña Núñez", "es_US"), ("23", "Ramón Sandoval", "en_US")))]

    def letter():
        for inp in inputs:
            out = render_document(inp, DocumentKind.LETTER)
        return out

    letter()
    print("documents, six customer letters of six worked cases rendered, CPU for the six:")
    ab("ReportLab's PDF object writing patched (documents/pdfwriting.py)", letter,
       pdfwriting.uninstall, pdfwriting.install, rounds)
    faces = [pdfmetrics.getFont(f) for f in (REGULAR, BOLD)]

    originals = [(f, f._subset_objects, f.face._deflated_subset) for f in faces]

    def subsets_off() -> None:
        for font, _, _ in originals:
            font._subset_objects = font._format_subset
            font.face._deflated_subset = font.face._deflate_subset

    def subsets_on() -> None:
        for font, objects, deflated in originals:
            font._subset_objects = objects
            font.face._deflated_subset = deflated

    ab("font subsets built, formatted and deflated once per distinct subset (documents/fonts.py)",
       letter, subsets_off, subsets_on, rounds)
    ab("text encoded by one str.translate (fonts.py _CachedSubsetFont.splitString)", letter,
       *patched(fonts._CachedSubsetFont, "splitString", TTFont.splitString), rounds)
    ab("text widths cached (documents/flowables.py stringWidth)", letter,
       *uncached(flowables.stringWidth), rounds)
    ab("paragraphs wrapped once (flowables.py _lines_of)", letter,
       *uncached(flowables._lines_of), rounds)
    ab("line-start operators formatted once (flowables.py _text_matrix)", letter,
       *uncached(flowables._text_matrix), rounds)
    ab("grid cells fitted once (flowables.py fit_cell)", letter,
       *uncached(flowables.fit_cell), rounds)
    ab("page streams not ASCII85-encoded (reportlab_setup.py useA85 = 0)", letter,
       lambda: setattr(rl_config, "useA85", 1), lambda: setattr(rl_config, "useA85", 0), rounds)
    rl_config.useA85 = 1
    size85 = len(letter().pdf)
    rl_config.useA85 = 0
    print(f"    (the letter's PDF: {len(letter().pdf):,} bytes, {size85:,} with ASCII85)")


def engine(rounds: int) -> None:
    from billing_desk.domain import dates
    from billing_desk.domain.caseformat import parse_case
    from billing_desk.domain.rulepacks import fort_collins_26_721 as fc
    from engine import make_case_json

    case = parse_case(__import__("json").loads(make_case_json(72)))
    pack = fc.FortCollins26721()
    print("engine, the determination of a 72-period case, CPU per determination:")
    ab("six-year cutoffs cached (domain/dates.py years_before)", lambda: pack.determine(case),
       *uncached(dates.years_before), rounds, unit="µs", scale=1e6)
    ab("reasons built once (fort_collins_26_721.py _reason)", lambda: pack.determine(case),
       *uncached(fc._reason), rounds, unit="µs", scale=1e6)
    plain = _engine_without_constants(fc)
    plain_pack = plain.FortCollins26721()
    current = {"pack": pack}
    ab("enum members read from module constants (fort_collins_26_721.py)",
       lambda: current["pack"].determine(case),
       lambda: current.update(pack=plain_pack), lambda: current.update(pack=pack), rounds,
       unit="µs", scale=1e6)
    assert plain_pack.determine(case) == pack.determine(case)


def _engine_without_constants(fc: types.ModuleType) -> types.ModuleType:
    """The rule pack's module as it would be without its enum constants: each use reads
    the member off its class."""
    import inspect

    source = inspect.getsource(fc)
    marker = "BY_BILL_DATE = OccurredBasis.BILL_DATE\n"
    head, _, tail = source.partition(marker)
    assert tail
    for constant, member in (("OVERCHARGE", "Direction.OVERCHARGE"),
                             ("UNDERCHARGE", "Direction.UNDERCHARGE"), ("NONE", "Direction.NONE"),
                             ("ORDINANCE", "Reading.ORDINANCE"),
                             ("EXECUTIVE_SUMMARY", "Reading.EXECUTIVE_SUMMARY"),
                             ("BY_BILL_DATE", "OccurredBasis.BILL_DATE")):
        tail = re.sub(rf"(?<![.\w]){constant}(?!\w)", member, tail)
    module = types.ModuleType(fc.__name__ + "_without_constants")
    module.__package__ = fc.__package__
    sys.modules[module.__name__] = module  # (its dataclasses look their module up)
    exec(compile(head + marker + tail, "<fort_collins_26_721 without constants>", "exec"),
         module.__dict__)
    return module


def incident_csv(rounds: int) -> None:
    from billing_desk.domain import incident_csv as ic
    from tests.incident_data import STORMWATER, synthetic_csv

    data = synthetic_csv(2_000)
    parse = lambda: ic.parse_incident_csv(data, STORMWATER)  # noqa: E731
    print("an incident's CSV, 2,000 accounts x 4 periods checked, CPU per file:")

    def off() -> None:
        ic._date, ic._amount = ic.parse_date_entry, ic.parse_amount_entry

    def on() -> None:
        ic._date, ic._amount = cached

    cached = (ic._date, ic._amount)
    ab("each distinct date and amount text read once (domain/incident_csv.py)", parse, off, on,
       rounds)


def store(rounds: int) -> None:
    from dataclasses import replace
    from datetime import date
    from decimal import Decimal

    from dateutil.relativedelta import relativedelta

    from billing_desk.domain import draft as draft_module
    from billing_desk.domain.draft import AccountDraft, CaseDraft, PeriodDraft
    from billing_desk.store import casecodec, create_case_file

    first = date(2004, 8, 1)
    periods = tuple(PeriodDraft(first + relativedelta(months=k),
                                first + relativedelta(months=k + 1) - relativedelta(days=1), None,
                                Decimal("31.46"), Decimal("19.65")) for k in range(72))
    d = replace(CaseDraft(), account=AccountDraft("300-4400-17", "Peña Müller"),
                discovered_on=date(2010, 7, 16), periods=periods)
    tmp = Path(tempfile.mkdtemp(prefix="bench-tricks-"))
    cf = create_case_file(tmp / "t.bdesk")
    record = cf.cases.create(d, actor="bench")
    state = {"record": record, "k": 0}

    def save() -> None:
        k = state["k"] = state["k"] + 1
        r = state["record"]
        edited = list(r.draft.periods)
        edited[k % 72] = replace(edited[k % 72], correct=Decimal(f"{19 + k % 7}.{10 + k % 80:02d}"))
        state["record"] = cf.cases.save(r.id, replace(r.draft, periods=tuple(edited)),
                                        expected_revision=r.revision, actor="bench")

    print("case file, a 72-period case, CPU per operation (one transaction, synced):")
    ab("period rows read once per distinct row (store/casecodec.py period_from_row)",
       lambda: cf.cases.load(record.id), *uncached(casecodec.period_from_row), rounds)
    ab("a period's JSON formatted once (domain/draft.py _period_json), one amount edited and saved",
       save, *uncached(draft_module._period_json), rounds)
    cf.close()


def ui(rounds: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from billing_desk.domain.caseformat import parse_case
    from billing_desk.domain.rulepacks import determine
    from billing_desk.ui import formatting, roles
    from billing_desk.ui.determination_lines_model import DeterminationLinesModel
    from billing_desk.ui.periods_model import PeriodsModel
    from billing_desk.domain.draft import CaseDraft
    from engine import make_case_json

    QApplication.instance() or QApplication([])
    case = parse_case(__import__("json").loads(make_case_json(72)))
    d = determine(case)
    lines = DeterminationLinesModel()
    print("the window's models, CPU:")
    ab("the reasons' wording cached (ui/formatting.py _reason_text), the panel's lines "
       "refilled for a keystroke", lambda: lines.show(case, d),
       *uncached(formatting._reason_text), rounds)
    periods = PeriodsModel()
    periods.set_periods(CaseDraft.from_case(case).periods)
    indexes = [periods.index(r, c) for r in range(40) for c in range(7)]
    asked = [0, 1, 6, 7, 8, 9, 10, 3]  # what a QTableView asks of a cell when painting it
    names = {"DISPLAY": "DisplayRole", "DECORATION": "DecorationRole", "EDIT": "EditRole",
             "TOOLTIP": "ToolTipRole", "FONT": "FontRole", "ALIGNMENT": "TextAlignmentRole",
             "BACKGROUND": "BackgroundRole",
             "ACCESSIBLE_DESCRIPTION": "AccessibleDescriptionRole", "USER": "UserRole"}
    ints = {k: getattr(roles, k) for k in names}
    members = {k: getattr(Qt.ItemDataRole, v) for k, v in names.items()}

    def paint() -> None:
        data = periods.data
        for index in indexes:
            for role in asked:
                data(index, role)

    ab("integer roles (ui/roles.py): data() for 40 rows x 7 columns x the 8 roles a paint asks",
       paint, lambda: [setattr(roles, k, v) for k, v in members.items()],
       lambda: [setattr(roles, k, v) for k, v in ints.items()], rounds)


def loaded_once() -> None:
    """What each use of a thing built or read once per process would cost again (the
    plain function timed alone: its saving is this, on every use after the first)."""
    from billing_desk.documents import glyphs, incident_memo, layout
    from billing_desk.documents.glyphs import REGULAR
    from billing_desk.documents.wording import wording_for
    from billing_desk.resources import resources_dir

    print("built or read once per process (functools.cache), what a use would cost again, CPU:")
    for name, fn in (("text styles (documents/layout.py styles)", layout.styles.__wrapped__),
                     ("a font's metrics read from its file (documents/glyphs.py _loaded)",
                      lambda: glyphs._loaded.__wrapped__(REGULAR)),
                     ("the incident memo's texts (documents/incident_memo.py _texts)",
                      lambda: incident_memo._texts.__wrapped__("en_US")),
                     ("a language's wording of the documents (documents/wording.py wording_for)",
                      lambda: wording_for.__wrapped__("es_US")),
                     ("where resources/ is (resources.py resources_dir)",
                      resources_dir.__wrapped__)):
        samples = []
        for _ in range(7):
            t0 = time.process_time()
            fn()
            samples.append(time.process_time() - t0)
        print(f"  {name}: {statistics.median(samples) * 1e3:.3f} ms", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", type=Path, help="bench/app.py's directory (its 10k.bdesk reused)")
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--only", choices=("startup", "inprocess"))
    args = ap.parse_args()
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.only != "inprocess":
        tmp = args.keep or Path(tempfile.mkdtemp(prefix="bench-tricks-"))
        tmp.mkdir(parents=True, exist_ok=True)
        startup(app_bench.make_file(tmp / "10k.bdesk", 10_000), tmp, args.rounds)
    if args.only != "startup":
        for part in (documents, engine, incident_csv, store, ui):
            part(max(7, args.rounds))
        loaded_once()
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
