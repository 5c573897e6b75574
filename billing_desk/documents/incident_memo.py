"""The incident summary memo for finance (issue 18 point 4): what went wrong, the
incident's totals -- credited, back-billed, kept back by the six-year limit and by each
failing condition of 26-721(a)(1), forgiven under each reading of 26-721(a)(2) -- the
review and approval by sample, the accounts where the readings diverge, the outliers,
and every account with its amounts.

Internal, like the case summary: marked so on every page, never sent to a customer,
not stored in the case file. It is read back before it is handed over (its own text
extracted with pdfium): every page must carry the incident's footer and "Page n of m",
and the totals must be printed as they were computed. The account list paginates by
whole pages (each page of it a grid with its header), so a 100,000-account incident
prints as cleanly as a 74-account one. Pure input (:class:`IncidentMemoInput`, built by
``billing_desk.issuing.incidents``); no Qt, no SQL.
"""

from __future__ import annotations

import io
import math
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache, partial
from typing import Callable

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, KeepTogether, PageBreak, PageTemplate

from ..domain.history import HistoryHead
from ..domain.incident import Incident, IncidentTotals
from ..resources import resource_path
from . import layout as L
from .errors import DocumentMismatch
from .flowables import Grid, GridStyle, TextBlock, TextStyle, TextWriter, fit_cell
from .fonts import BOLD, REGULAR
from .reportlab_setup import prepare_reportlab
from .memo import KeyValues, _key_values
from .readback import normalise, page_texts
from .render import _BodyFrame
from .wording import wording_for

FIRST_TOP = L.MEMO_TITLE_BASELINE - 16
_COLUMNS = ("case", "account", "customer", "status", "refund", "back_bill", "six_year", "marks")
_WIDTHS = (58.0, 70.0, 112.0, 52.0, 52.0, 52.0, 48.0, 24.0)
_ALIGNS = "LLLLRRRL"
_GRID = GridStyle(size=7.5, header_size=7, leading=9.0, pad=1.5, side_pad=2)
_READINGS_GRID = GridStyle(size=8, header_size=7.5, leading=9.5, pad=1.5, space_after=3)
_LIST = TextStyle(size=7.5, leading=9.5, space_after=1, indent=12)
_NOTE = TextStyle(size=7, leading=8.5, space_after=3, color=L.GREY)
#: the most divergent cases and outliers listed by name (the account list marks them all)
LISTED = 40


@dataclass(frozen=True, slots=True)
class MemoAccount:
    case_number: str
    account_number: str
    customer_name: str
    status: str
    refund: Decimal | None
    back_bill: Decimal | None
    six_year: Decimal | None
    divergent: bool = False
    outlier: bool = False
    sampled: bool = False
    dropped_out: bool = False

    @property
    def marks(self) -> str:
        return "".join(m for m, on in (("D", self.divergent), ("O", self.outlier),
                                       ("S", self.sampled), ("X", self.dropped_out)) if on)


@dataclass(frozen=True, slots=True)
class MemoApproval:
    approved_by: str
    approved_at: datetime
    cases: int
    refund: Decimal
    back_bill: Decimal
    review: int
    listed: int
    sampled: int
    sample_size: int
    seed: str
    drawn_by: str
    drawn_at: datetime


@dataclass(frozen=True)
class IncidentMemoInput:
    incident_number: str
    incident: Incident
    source_name: str
    source_rows: int
    source_sha256: str
    created_at: datetime
    created_by: str
    totals: IncidentTotals
    accounts: tuple[MemoAccount, ...]
    statuses: tuple[tuple[str, int], ...]
    approvals: tuple[MemoApproval, ...]
    outlier_rule: str
    overridden: int
    printed_by: str
    printed_at: datetime
    history_head: HistoryHead | None
    letterhead: str
    locale: str = "en_US"


@cache
def _texts(locale: str) -> dict[str, str]:
    with open(resource_path("locales", locale, "incident_memo.toml"), "rb") as f:
        return tomllib.load(f)


class _Words:
    """The memo's sentences (resources/locales/*/incident_memo.toml) and the documents'
    Babel formats of the same locale."""

    def __init__(self, locale: str) -> None:
        self.w = wording_for(locale)
        self.t = _texts(locale)

    def __call__(self, key: str, **values) -> str:
        return self.t[key].format(**values)

    def money(self, amount: Decimal | None) -> str:
        return "—" if amount is None else self.w.money(amount)

    def date(self, d: date) -> str:
        return self.w.date(d)

    def when(self, at: datetime) -> str:
        return self.w.timestamp(at)

    def number(self, n: int) -> str:
        return self.w.number(n)


class _Progress(Flowable):
    """Takes no room; calls ``report(done, total)`` when laid out (after each page of the
    account list): how far the memo is, and the caller's chance to stop it (it may raise)."""

    def __init__(self, report: Callable[[int, int], None], done: int, total: int) -> None:
        super().__init__()
        self.report, self.done, self.total = report, done, total

    def wrap(self, availWidth, availHeight):  # noqa: N803 - platypus API
        self.report(self.done, self.total)
        return 0, 0

    def draw(self) -> None:
        pass


def render_incident_memo(inp: IncidentMemoInput,
                         progress: Callable[[int, int], None] | None = None) -> tuple[bytes, int]:
    """The memo as PDF bytes and its page count, read back (:func:`check_incident_memo`).
    ``progress(pages, pages in all)`` as the account list is laid out; it may raise to
    stop (nothing is returned then)."""
    words = _Words(inp.locale)
    prepare_reportlab()
    decor = L.PageDecor(footer=words("footer", number=inp.incident_number),
                        page_of=words.t["page_of"], copy_stamp=None,
                        characters=words.w.glyph_seed + "…—·")
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=(L.PAGE_WIDTH, L.PAGE_HEIGHT), leftMargin=L.MARGIN, rightMargin=L.MARGIN,
        topMargin=L.PAGE_HEIGHT - L.LATER_PAGE_TOP, bottomMargin=L.BODY_BOTTOM, invariant=1,
        title=f"{words('title')} {inp.incident_number}", author=inp.letterhead,
        subject=f"{inp.incident_number} incident summary", creator="Billing Desk",
        lang=inp.locale.replace("_", "-"), initialFontName=REGULAR)
    frame = dict(leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    first = PageTemplate(id="first", autoNextPageTemplate="later", onPage=_first_page(inp, words),
                         frames=[_BodyFrame(L.MARGIN, L.BODY_BOTTOM, L.BODY_WIDTH,
                                            FIRST_TOP - L.BODY_BOTTOM, id="first-body", **frame)])
    later = PageTemplate(id="later", frames=[_BodyFrame(
        L.MARGIN, L.BODY_BOTTOM, L.BODY_WIDTH, L.LATER_PAGE_TOP - L.BODY_BOTTOM, id="body",
        **frame)])
    doc.addPageTemplates([first, later])
    doc.build(story(inp, words, progress), canvasmaker=partial(L.DecoratedCanvas, decor=decor))
    pdf = buf.getvalue()
    check_incident_memo(inp, pdf, decor.pages)
    return pdf, decor.pages


def _first_page(inp: IncidentMemoInput, words: _Words):
    def draw(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        text = TextWriter(canvas)
        L.draw_internal_head(text, inp.letterhead, words("internal"),
                             f"{words('title')} · {inp.incident_number}", stamped=True)
        text.close()
        canvas.restoreState()
    return draw


def totals_lines(inp: IncidentMemoInput, words: _Words) -> list[tuple[str, str]]:
    """The totals as the memo prints them (label, value): what the read-back finds."""
    t = inp.totals
    rows = [(words("total_accounts"), words.number(t.cases)),
            (words("total_credited"), words.money(t.refund)),
            (words("total_back_billed"), words.money(t.back_bill)),
            (words("total_six_year"), words.money(t.six_year)),
            (words("total_six_year_cases"), words.number(t.six_year_cases)),
            (words("total_a1_i"), words.money(t.a1_i)),
            (words("total_a1_ii"), words.money(t.a1_ii)),
            (words("total_a1_iii"), words.money(t.a1_iii))]
    if t.smallest is not None and t.largest is not None:
        rows.append((words("total_range"), words("total_range_value",
                                                 smallest=words.money(t.smallest),
                                                 largest=words.money(t.largest))))
    if t.undetermined:
        rows.append((words("total_undetermined"), words.number(t.undetermined)))
    return rows


def story(inp: IncidentMemoInput, words: _Words,
          progress: Callable[[int, int], None] | None = None) -> list[Flowable]:
    st = L.styles()
    i, t = inp.incident, inp.totals
    options = i.options
    reading = (options.undercharge_reading.value if options.undercharge_reading else "ordinance")
    ev = i.evidence
    yes_no = {True: words("yes"), False: words("no")}
    out: list[Flowable] = [
        TextBlock(words("section_incident"), st.memo_heading),
        _key_values([(words("label_description"), i.description),
                     (words("label_cause"), i.cause)], full_width=True),
        _key_values([
            (words("label_service"), words.w.text(f"services.{i.service.value}").capitalize()),
            (words("label_reading"), words(f"reading_{reading}")),
            (words("label_discovered"), words.date(i.discovered_on)),
            (words("label_made_known"), words.date(i.made_known)),
            (words("label_threshold"), words.money(options.threshold)),
            (words("label_basis"), options.basis.value.replace("_", " ")),
        ]),
        _key_values([
            (words("label_source"), words("source", name=inp.source_name,
                                         rows=words.number(inp.source_rows),
                                         sha=inp.source_sha256[:16] + "…")),
            (words("label_created"), words("created", when=words.when(inp.created_at),
                                           who=inp.created_by)),
            (words("label_evidence"), "; ".join(
                f"{words(k)}: {yes_no[v]}" for k, v in (
                    ("evidence_could", ev.customer_could_have_discovered),
                    ("evidence_available", ev.documentation_available),
                    ("evidence_confirmed", ev.documentation_confirmed),
                    ("evidence_concealed", ev.customer_concealed_error)))),
        ], full_width=True),
    ]
    if inp.overridden:
        out.append(TextBlock(words("overridden", count=words.number(inp.overridden)), st.small))

    out += [TextBlock(words("section_totals"), st.memo_heading),
            _pairs(totals_lines(inp, words)),
            TextBlock(words("totals_note"), _NOTE)]

    readings = [[words(f"reading_{name}"), words.money(amount),
                 words("used") if name == reading else ""]
                for name, amount in zip(("ordinance", "executive_summary", "staff_practice"),
                                        t.forgiven)]
    out.append(KeepTogether([
        TextBlock(words("section_readings"), st.memo_heading),
        Grid([words("col_reading"), words("col_forgiven"), ""], readings,
             [220.0, 90.0, 60.0], "LRL", _READINGS_GRID)]))

    out.append(TextBlock(words("section_approval"), st.memo_heading))
    if inp.statuses:
        out.append(TextBlock(words("statuses", statuses=", ".join(
            f"{status} {words.number(n)}" for status, n in inp.statuses)), st.small))
    if not inp.approvals:
        out.append(TextBlock(words("no_approval"), st.small))
    for a in inp.approvals:
        out.append(TextBlock(words("approved_by", who=a.approved_by, when=words.when(a.approved_at),
                                   cases=words.number(a.cases), refund=words.money(a.refund),
                                   back=words.money(a.back_bill)), st.small))
        out.append(TextBlock(words("review", review=a.review, listed=words.number(a.listed),
                                   sampled=words.number(a.sampled), size=a.sample_size,
                                   seed=a.seed, who=a.drawn_by, when=words.when(a.drawn_at)),
                             _NOTE))
    dropped = sum(a.dropped_out for a in inp.accounts)
    if dropped:
        out.append(TextBlock(words("dropped_out", count=words.number(dropped)), st.small))

    for heading, flag, mark in (("section_divergent", "divergent", "D"),
                                ("section_outliers", "outlier", "O")):
        chosen = [a for a in inp.accounts if getattr(a, flag)]
        out.append(TextBlock(words(heading), st.memo_heading))
        if flag == "outlier":
            out.append(TextBlock(inp.outlier_rule, _NOTE))
        if not chosen:
            out.append(TextBlock(words("none"), st.small))
        for a in chosen[:LISTED]:
            out.append(TextBlock(f"{a.case_number} · {a.account_number} · {a.customer_name} · "
                                 f"{words.money(max(a.refund or 0, a.back_bill or 0))}", _LIST,
                                 bullet="•"))
        if len(chosen) > LISTED:
            out.append(TextBlock(words("more", count=words.number(len(chosen) - LISTED),
                                       mark=mark), _NOTE))

    closing = [TextBlock(words("printed", when=words.when(inp.printed_at), who=inp.printed_by,
                               head=inp.history_head.text() if inp.history_head else "—"),
                         st.small),
               TextBlock(words("not_stored"), _NOTE)]
    out.append(KeepTogether(closing))
    out += _account_pages(inp, words, progress)
    return out


def _pairs(pairs: list[tuple[str, str]], label_width: float = 250.0) -> Flowable:
    """Label/value rows with a label column wide enough for the totals' labels."""
    widths = [label_width, L.BODY_WIDTH - label_width]
    rows = [[fit_cell(label, widths[0] - 4, REGULAR, 8), fit_cell(value, widths[1] - 4, BOLD, 8)]
            for label, value in pairs]
    return KeyValues(rows, widths, False)


def _row_height(style: GridStyle) -> float:
    return style.leading + 2 * style.pad


def _account_pages(inp: IncidentMemoInput, words: _Words,
                   progress: Callable[[int, int], None] | None = None) -> list[Flowable]:
    """The account list from a new page on, one grid per page (each with its header),
    every row one line: a page of the list holds the same number of accounts."""
    st = L.styles()
    header = [fit_cell(words(f"col_{c}"), w - 2 * _GRID.side_pad, BOLD, _GRID.header_size)
              for c, w in zip(_COLUMNS, _WIDTHS)]
    rows = [_account_row(a, words) for a in inp.accounts]
    row_h = _row_height(_GRID)
    header_h = max(h.count("\n") + 1 for h in header) * _GRID.leading + 2 * _GRID.pad
    page_h = L.LATER_PAGE_TOP - L.BODY_BOTTOM - 2
    per_page = int((page_h - header_h) // row_h)
    lead = [TextBlock(words("section_accounts"), st.memo_heading),
            TextBlock(words("marks_legend"), _NOTE)]
    lead_h = 2 * 14 + 12
    first = max(1, per_page - math.ceil(lead_h / row_h))
    out: list[Flowable] = [PageBreak(), *lead]
    pages = 1 + max(0, math.ceil((len(rows) - first) / per_page))
    start, size, page = 0, first, 0
    while start < len(rows):
        if start:
            out.append(PageBreak())
        out.append(Grid(header, rows[start:start + size], list(_WIDTHS), _ALIGNS, _GRID))
        page += 1
        if progress is not None:
            out.append(_Progress(progress, page, pages))
        start += size
        size = per_page
    t = inp.totals
    out.append(TextBlock(
        f"{words('accounts_total', count=words.number(t.cases))}: {words('col_refund')} "
        f"{words.money(t.refund)} · {words('col_back_bill')} {words.money(t.back_bill)} · "
        f"{words('col_six_year')} {words.money(t.six_year)}", st.small))
    return out


def _one_line(text: str, width: float) -> str:
    """``text`` on one line of its column, shortened with "…" when it is too long."""
    limit = width - 2 * _GRID.side_pad
    if "\n" not in (fitted := fit_cell(text, limit, REGULAR, _GRID.size)):
        return fitted
    while text and "\n" in fit_cell(text + "…", limit, REGULAR, _GRID.size):
        text = text[:-1]
    return text.rstrip() + "…"


def _account_row(a: MemoAccount, words: _Words) -> list[str]:
    return [a.case_number, _one_line(a.account_number, _WIDTHS[1]),
            _one_line(a.customer_name, _WIDTHS[2]), _one_line(a.status, _WIDTHS[3]),
            words.money(a.refund), words.money(a.back_bill), words.money(a.six_year), a.marks]


def check_incident_memo(inp: IncidentMemoInput, pdf: bytes, pages: int) -> None:
    """The read-back: every page carries the incident's footer and its own page number
    of ``pages``, and the totals are printed as computed. Raises DocumentMismatch."""
    words = _Words(inp.locale)
    texts = page_texts(pdf)
    problems = []
    if len(texts) != pages:
        problems.append(f"the PDF has {len(texts)} pages, {pages} were made")
    footer = normalise(words("footer", number=inp.incident_number))
    for n, text in enumerate(texts, start=1):
        if footer not in text:
            problems.append(f"page {n} does not carry the incident's footer")
        if normalise(words.t["page_of"].format(page=n, pages=len(texts))) not in text:
            problems.append(f"page {n} is not numbered {n} of {len(texts)}")
    whole = " ".join(texts)
    for label, value in totals_lines(inp, words):
        if normalise(f"{label} {value}") not in whole:
            problems.append(f"{label}: {value} is not printed")
    if problems:
        raise DocumentMismatch(inp.incident_number, "incident summary", problems)
