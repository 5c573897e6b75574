"""The printable case summary (issue 23): everything about one case on paper, for a
supervisor's review, an auditor's file or a colleague who takes the case over -- the
account, the customer and the addresses, the service, the dates and the evidence; the
billing periods as entered; the determination with its clauses, reasons, totals and the
three readings of 26-721(a)(2) (or, for a case not complete yet, what is missing); the
notes; and the case's history as sentences, with who and when.

It is an internal document, marked so at the head of the first page and in the footer
of every page: it is not issued, not read back, not stored in the case file, and is not
a letter. It is built as the memo is (ReportLab platypus, the same fonts, grids and
page furniture), in the office's language. Pure input (:class:`CaseSummaryInput`, built
from the case file by ``billing_desk.issuing.case_summary``); no Qt, no SQL.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, KeepTogether, PageTemplate

from ..domain.determination import Determination
from ..domain.draft import CaseDraft, PeriodDraft
from ..domain.history import HistoryHead
from ..domain.problems import Problem
from . import layout as L
from .flowables import Grid, GridStyle, TextBlock, TextStyle, TextWriter, fit_cell
from .fonts import BOLD, REGULAR
from .reportlab_setup import prepare_reportlab
# the memo's label/value rows, signed amounts, readings and flags
from .memo import _key_values, _signed, flags_section, readings_section
from .model import Signoff
from .render import _BodyFrame
from .wording import Wording, wording_for

#: where the flowed content starts on the first page (below the head and the title)
FIRST_TOP = L.MEMO_TITLE_BASELINE - 16

_PERIOD_COLUMNS = ("index", "start", "end", "bill_date", "billed", "correct", "difference",
                   "note")
_PERIOD_WIDTHS = (18, 60, 60, 60, 56, 56, 56, 102)
_PERIOD_ALIGNS = "LLLLRRRL"
_LINE_COLUMNS = ("index", "direction", "days", "included", "excluded", "clause", "reason")
_LINE_WIDTHS = (18, 70, 48, 58, 58, 62, 154)
_LINE_ALIGNS = "LLRRRLL"
_HISTORY_COLUMNS = ("entry", "when", "who", "what")
_HISTORY_WIDTHS = (34, 84, 96, 254)
_GRID = GridStyle(size=7.5, header_size=7, leading=9.0, pad=1.5, side_pad=2)
_FLAG = TextStyle(size=8, leading=10, space_after=1, indent=12)
_NOTE = TextStyle(size=7, leading=8.5, space_after=3, color=L.GREY)
#: the most lines a history cell shows (a row must fit on a page: a grid splits between
#: rows only); a longer entry ends with "..." -- the history view has it whole
_WHAT_LINES = 14


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One entry of the case's history, as a sentence: entry number, time, who."""

    entry: int
    at: datetime
    actor: str
    text: str


@dataclass(frozen=True)
class CaseSummaryInput:
    """Everything the summary shows, as plain values. ``draft`` is the case as stored
    (complete or not); ``determination`` its determination when it is complete and
    valid, else ``problems`` say what is missing."""

    case_number: str
    status: str  # a CaseStatus value
    draft: CaseDraft
    determination: Determination | None
    problems: tuple[Problem, ...]
    notes: str
    assignee: str | None
    prepared_by: str
    last_edited_by: str
    created_at: datetime
    updated_at: datetime
    revision: int
    submitted: Signoff | None
    approved: Signoff | None
    history: tuple[HistoryLine, ...]
    history_verified: bool
    history_problem: str | None
    printed_by: str
    printed_at: datetime
    history_head: HistoryHead | None
    letterhead: str
    locale: str = "en_US"
    #: the office's date format (documents.settings.DATE_FORMATS)
    date_format: str = "long"


def render_case_summary(inp: CaseSummaryInput) -> tuple[bytes, int]:
    """The summary as PDF bytes, and its page count."""
    w = wording_for(inp.locale, inp.date_format)
    prepare_reportlab()
    account = inp.draft.account
    decor = L.PageDecor(
        footer=w.text("summary.footer", account=account.number or "—",
                      case_number=inp.case_number),
        page_of=w.raw("page.page_of"), copy_stamp=None, characters=w.glyph_seed)
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=(L.PAGE_WIDTH, L.PAGE_HEIGHT), leftMargin=L.MARGIN,
        rightMargin=L.MARGIN, topMargin=L.PAGE_HEIGHT - L.LATER_PAGE_TOP,
        bottomMargin=L.BODY_BOTTOM, invariant=1, title=w.text("summary.title"),
        author=inp.letterhead, subject=f"{inp.case_number} case summary",
        creator="Billing Desk", lang=w.locale_name.replace("_", "-"),
        initialFontName=REGULAR)
    first = PageTemplate(
        id="first", autoNextPageTemplate="later", onPage=_first_page(inp, w),
        frames=[_BodyFrame(L.MARGIN, L.BODY_BOTTOM, L.BODY_WIDTH, FIRST_TOP - L.BODY_BOTTOM,
                           leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                           id="first-body")])
    later = PageTemplate(
        id="later",
        frames=[_BodyFrame(L.MARGIN, L.BODY_BOTTOM, L.BODY_WIDTH,
                           L.LATER_PAGE_TOP - L.BODY_BOTTOM, leftPadding=0, rightPadding=0,
                           topPadding=0, bottomPadding=0, id="body")])
    doc.addPageTemplates([first, later])
    doc.build(story(inp, w), canvasmaker=partial(L.DecoratedCanvas, decor=decor))
    return buf.getvalue(), decor.pages


def _first_page(inp: CaseSummaryInput, w: Wording):
    """The head of page 1: the office, the internal marking, the title."""
    head, internal, title = inp.letterhead, w.text("summary.internal"), w.text("summary.title")

    def draw(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        text = TextWriter(canvas)
        L.draw_internal_head(text, head, internal, f"{title} · {inp.case_number}", stamped=True)
        text.close()
        canvas.restoreState()

    return draw


def story(inp: CaseSummaryInput, w: Wording) -> list[Flowable]:
    st = L.styles()
    none = w.text("memo.none_value")
    draft, account = inp.draft, inp.draft.account
    det = inp.determination

    def d(value: date | None) -> str:
        return w.date(value) if value is not None else none

    def signed(signoff: Signoff | None) -> str:
        return none if signoff is None else w.text("summary.signed", name=signoff.name,
                                                   when=w.timestamp(signoff.at))

    options = draft.options
    reading = options.undercharge_reading.value if options.undercharge_reading else "ordinance"
    basis = options.occurred_basis.value if options.occurred_basis else "service_days"
    threshold = (options.minimal_threshold if options.minimal_threshold is not None
                 else det.minimal_threshold if det is not None else None)
    current = account.current_customer is not False
    language = account.locale or "en_US"
    identity = [
        (w.text("memo.label_account"), account.number or none),
        (w.text("memo.label_customer"), account.customer_name or none),
        (w.text("memo.label_mailing"), (account.mailing_address or none).replace("\n", ", ")),
        (w.text("memo.label_service_address"), account.service_address or none),
    ]
    facts = [
        (w.text("summary.label_status"), w.text(f"summary.statuses.{inp.status}")),
        (w.text("memo.service"), w.text(f"services.{draft.service.value}").capitalize()
         if draft.service is not None else none),
        (w.text("memo.customer_status"), w.text("memo.current_customer" if current
                                                else "memo.former_customer")),
        (w.text("summary.label_language"),
         w.text(f"summary.languages.{language}") if w.has(f"summary.languages.{language}")
         else language),
        (w.text("memo.discovered"), d(draft.discovered_on)),
        (w.text("memo.made_known"), d(draft.made_known_on or draft.discovered_on)),
        (w.text("memo.reading"), w.text(f"memo.readings.{reading}")),
        (w.text("memo.basis"), w.text(f"memo.bases.{basis}")),
        (w.text("memo.threshold"), w.money(threshold) if threshold is not None else none),
        (w.text("summary.label_prepared"), inp.prepared_by),
        (w.text("summary.label_edited"), inp.last_edited_by),
        (w.text("summary.label_assignee"), inp.assignee or none),
        (w.text("summary.label_revision"), w.number(inp.revision)),
        (w.text("summary.label_created"), w.timestamp(inp.created_at)),
        (w.text("summary.label_updated"), w.timestamp(inp.updated_at)),
        (w.text("summary.label_submitted"), signed(inp.submitted)),
        (w.text("summary.label_approved"), signed(inp.approved)),
    ]
    title = f"packs.{draft.rule_pack}.title"
    rule_pack = (w.text("memo.rule_pack"), w.text(title) if w.has(title) else draft.rule_pack)
    out: list[Flowable] = [
        _key_values(identity, full_width=True),
        TextBlock(w.text("summary.section_case"), st.memo_heading),
        _key_values([rule_pack], full_width=True),
        _key_values(facts),
    ]
    if draft.why:
        out.append(_key_values([(w.text("summary.label_why"), draft.why)], full_width=True))

    ev = draft.evidence
    out.append(TextBlock(w.text("summary.section_evidence"), st.memo_heading))
    out += [TextBlock([(w.text("summary.yes" if getattr(ev, key) else "summary.no") + " ", True),
                       ("— " + w.text(f"summary.evidence.{key}"), False)], _FLAG, bullet="•")
            for key in ("customer_could_have_discovered", "documentation_available",
                        "documentation_confirmed", "customer_concealed_error")]

    out.append(TextBlock(w.text("memo.section_periods"), st.memo_heading))
    out.append(_periods_grid(draft.periods, w, none))

    out.append(TextBlock(w.text("memo.section_determination"), st.memo_heading))
    if det is None:
        out.append(TextBlock(w.text("summary.not_determined"), st.small))
        if inp.problems:
            out.append(TextBlock(w.text("summary.problems_heading"), st.small))
            out += [TextBlock(w.text("summary.problem", field=p.field, message=p.message),
                              _FLAG, bullet="•") for p in inp.problems]
    else:
        out += _determination(det, w, none)

    out.append(TextBlock(w.text("summary.section_notes"), st.memo_heading))
    out += [TextBlock(line or " ", st.small) for line in inp.notes.splitlines()] or [
        TextBlock(w.text("summary.no_notes"), st.small)]

    out.append(TextBlock(w.text("summary.section_history"), st.memo_heading))
    verdict = (w.text("summary.history_verified",
                      entries=w.plural("counts.history_entries", len(inp.history)))
               if inp.history_verified
               else w.text("summary.history_broken", problem=inp.history_problem or ""))
    out.append(TextBlock(verdict, st.small))
    if inp.history:
        out.append(_history_grid(inp.history, w))
    else:
        out.append(TextBlock(w.text("summary.no_history"), st.small))

    closing = [TextBlock(w.text("summary.printed", name=inp.printed_by,
                                when=w.timestamp(inp.printed_at)), st.small)]
    if inp.history_head is not None:
        closing.append(TextBlock(w.text("summary.printed_head", head=inp.history_head.text()),
                                 st.small))
    closing.append(TextBlock(w.text("summary.not_stored"), _NOTE))
    out.append(KeepTogether(closing))
    return out


def _header(columns: tuple[str, ...], widths: tuple[float, ...], w: Wording, style: GridStyle,
            prefix: dict[str, str]) -> list[str]:
    return [fit_cell(w.text(f"{prefix.get(c, 'memo')}.col_{c}"), width - 2 * style.side_pad,
                     BOLD, style.header_size) for c, width in zip(columns, widths)]


def _cell(text: str, width: float, lines: int | None = None) -> str:
    """``text`` wrapped to its column (at most ``lines`` lines, the last ending "...")."""
    wrapped = fit_cell(text, width - 2 * _GRID.side_pad, REGULAR, _GRID.size).split("\n")
    if lines is not None and len(wrapped) > lines:
        wrapped = wrapped[:lines - 1] + [wrapped[lines - 1].rstrip() + " ..."]
    return "\n".join(wrapped)


def _periods_grid(periods: tuple[PeriodDraft, ...], w: Wording, none: str) -> Flowable:
    """The periods as entered (a draft's may still lack a date or an amount)."""
    def dt(value: date | None) -> str:
        return w.short_date(value) if value is not None else none

    def m(value: Decimal | None) -> str:
        return w.money(value) if value is not None else none

    rows = []
    for i, p in enumerate(periods):
        diff = p.difference
        rows.append([str(i + 1), dt(p.start), dt(p.end), dt(p.bill_date), m(p.billed),
                     m(p.correct), _signed(w, diff) if diff is not None else none,
                     _cell(p.note or "", _PERIOD_WIDTHS[-1], 6)])
    header = _header(_PERIOD_COLUMNS, _PERIOD_WIDTHS, w, _GRID,
                     {"start": "summary", "end": "summary", "bill_date": "summary",
                      "note": "summary"})
    return Grid(header, rows or [[none] + [""] * (len(_PERIOD_COLUMNS) - 1)],
                list(_PERIOD_WIDTHS), _PERIOD_ALIGNS, _GRID)


def _determination(det: Determination, w: Wording, none: str) -> list[Flowable]:
    st = L.styles()
    pack = det.rule_pack
    facts = [
        (w.text("memo.outcome"), w.text(f"memo.outcomes.{det.outcome.value}")),
        (w.text("memo.reading"), w.text(f"memo.readings.{det.reading}")),
        (w.text("memo.cutoff_over"), w.date(det.cutoffs["overcharge"])),
        (w.text("memo.cutoff_under"), w.date(det.cutoffs["undercharge"])),
    ]
    version = (w.text("memo.rule_pack"),
               f"{w.text(f'packs.{pack}.title')} · v{det.rule_pack_version}")
    out: list[Flowable] = [_key_values([version], full_width=True), _key_values(facts)]

    rows = []
    for line in det.periods:
        days = (none if line.days_in_window is None
                else f"{w.number(line.days_in_window)}/{w.number(line.days)}")
        direction = w.text(f"memo.directions.{line.direction.value}")
        rows.append([str(line.index + 1), _cell(direction, _LINE_WIDTHS[1]), days,
                     w.money(line.included_amount), w.money(line.excluded_amount),
                     line.clause or none,
                     _cell(w.reason(pack, line.reason, "memo"), _LINE_WIDTHS[-1], 8)])
    header = _header(_LINE_COLUMNS, _LINE_WIDTHS, w, _GRID, {"direction": "summary"})
    out += [TextBlock(w.text("summary.section_by_period"), st.memo_heading),
            Grid(header, rows, list(_LINE_WIDTHS), _LINE_ALIGNS, _GRID)]

    totals = [(w.text("summary.refund_total"), w.money(det.refund_total)),
              (w.text("summary.back_bill_total"), w.money(det.back_bill_total)),
              (w.text("summary.net"), _signed(w, det.net)),
              (w.text("memo.interest"), w.money(det.interest))]
    out += [TextBlock(w.text("memo.section_totals"), st.memo_heading), _key_values(totals)]

    out.append(KeepTogether(readings_section(det, w)))
    out.append(KeepTogether(flags_section(det, pack, w)))
    return out


def _history_grid(history: tuple[HistoryLine, ...], w: Wording) -> Flowable:
    rows = [[f"#{h.entry}", _cell(w.timestamp(h.at).removesuffix(" UTC"), _HISTORY_WIDTHS[1]),
             _cell(h.actor, _HISTORY_WIDTHS[2]), _cell(h.text, _HISTORY_WIDTHS[3], _WHAT_LINES)]
            for h in history]
    header = _header(_HISTORY_COLUMNS, _HISTORY_WIDTHS, w, _GRID,
                     {c: "summary" for c in _HISTORY_COLUMNS})
    return Grid(header, rows, list(_HISTORY_WIDTHS), "LLLL", _GRID)
