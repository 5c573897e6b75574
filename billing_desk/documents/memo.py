"""The internal memo: the instruction to finance to post a credit or a back-bill, with
everything a supervisor or auditor needs to see that it follows the determination —
every period with its included and excluded amount, clause and reason, the totals, the
reading used and how the readings compare, who prepared and approved it and when, and
the determination fingerprint the approval is bound to."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether

from ..domain.determination import Determination, Direction
from ..domain.money import ZERO
from . import layout as L
from .flowables import Grid, GridStyle, TextBlock, TextStyle, TextWriter, fit_cell
from .fonts import BOLD, REGULAR
from .identity import Identity
from .letter import grid_start_height, keep_heading
from .model import DocumentInput, DocumentKind, Signoff
from .summaries import memo_rows
from .wording import Wording

_PERIOD_COLUMNS = ("index", "period", "billed", "correct", "difference", "days", "included",
                   "excluded", "clause", "reason")
_PERIOD_WIDTHS = (16, 86, 50, 50, 48, 38, 50, 50, 48, 32)
_PERIOD_ALIGNS = "LLRRRRRRLL"
_PERIODS = GridStyle(size=7, header_size=6.5, leading=8.0, pad=1.5, side_pad=2)
_READING_COLUMNS = ("reading", "refund", "back_bill", "net", "outcome", "used")
_READING_WIDTHS = (120, 66, 70, 66, 96, 50)
_READINGS = GridStyle(size=8, header_size=7.5, leading=9.5, pad=1.5, space_after=3)
_KV_WIDTHS = (124.0, 110.0, 124.0, 110.0)
_KV = TextStyle(size=8, leading=9.6)
_FLAG = TextStyle(size=8, leading=10, space_after=1, indent=12)
_NOTE = TextStyle(size=7, leading=8.5, space_after=3, color=L.GREY)


class KeyValues(Flowable):
    """Rows of label/value cells (labels grey): the memo's facts and totals."""

    def __init__(self, rows: list[list[str]], widths: list[float], bold_first: bool) -> None:
        super().__init__()
        self.rows = rows
        self.widths = widths
        self.bold_first = bold_first
        self._heights = [max(c.count("\n") + 1 for c in r) * _KV.leading + 2 for r in rows]

    def wrap(self, availWidth, availHeight):  # noqa: N803 - platypus API
        self.width, self.height = sum(self.widths), sum(self._heights)
        return self.width, self.height

    def draw(self) -> None:
        text = TextWriter(self.canv)
        y = self.height
        for i, (row, h) in enumerate(zip(self.rows, self._heights)):
            x = 0.0
            for j, (cell, width) in enumerate(zip(row, self.widths)):
                text.fill(L.GREY if j % 2 == 0 else colors.black)  # labels grey
                text.font(BOLD if (self.bold_first and i == 0 and j == 1) else REGULAR,
                          _KV.size)
                for k, line in enumerate(cell.split("\n")):
                    text.at(x, y - _KV.size - k * _KV.leading)
                    text.show(line)
                x += width
            y -= h
        text.close()


def memo_direction(kind: DocumentKind) -> Direction:
    return Direction.OVERCHARGE if kind is DocumentKind.CREDIT_MEMO else Direction.UNDERCHARGE


def first_page(inp: DocumentInput, ident: Identity, w: Wording, kind: DocumentKind):
    """Draws the memo head and the identity block (account, customer, addresses, case,
    issue date) at their fixed places on page 1."""
    values = {
        "account": [ident.account_number], "customer": [ident.customer_name],
        "mailing": [ident.mailing_one_line], "service": [ident.service_address or "—"],
        "case": [ident.case_number], "issued": [w.date(inp.issue_date)],
    }
    labels = {"account": "memo.label_account", "customer": "memo.label_customer",
              "mailing": "memo.label_mailing", "service": "memo.label_service_address",
              "case": "memo.label_case", "issued": "memo.label_issued"}
    width = L.PAGE_WIDTH - L.MARGIN - L.MEMO_VALUE_X
    fitted = {name: L.fit_lines(values[name], BOLD if name in ("account", "case") else REGULAR,
                                L.MEMO_SIZES, width, lines, w.text(labels[name]).lower())
              for name, _, lines in L.MEMO_FIELDS}
    title = w.text("memo.credit_title" if kind is DocumentKind.CREDIT_MEMO
                   else "memo.back_bill_title")
    head = inp.settings.letterhead.name
    internal = w.text("memo.internal")

    def draw(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        text = TextWriter(canvas)
        L.draw_internal_head(text, head, internal, title, stamped=False)
        for name, top, _ in L.MEMO_FIELDS:
            text.fill(L.GREY)
            text.font(REGULAR, 8)
            text.line(L.MEMO_LABEL_X, top, w.text(labels[name]))
            text.fill(colors.black)
            size, lines = fitted[name]
            font = BOLD if name in ("account", "case") else REGULAR
            L.draw_lines(text, L.MEMO_VALUE_X, top, L.MEMO_LEADING, font, size, lines)
        text.close()
        canvas.setStrokeColor(L.RULE_GREY)
        canvas.setLineWidth(0.6)
        y = L.MEMO_FIRST_TOP + 6
        canvas.line(L.MARGIN, y, L.PAGE_WIDTH - L.MARGIN, y)
        canvas.restoreState()

    return draw


def story(inp: DocumentInput, ident: Identity, w: Wording, kind: DocumentKind) -> list[Flowable]:
    st = L.styles()
    case, det = inp.case, inp.determination
    pack = det.rule_pack
    direction = memo_direction(kind)
    memos = [k for k in inp.kinds if k is not DocumentKind.LETTER]
    rows = memo_rows(case, det, direction, only_memo=len(memos) == 1)
    none = w.text("memo.none_value")

    def d(value) -> str:
        return w.date(value) if value is not None else none

    facts = [
        ("memo.service", w.text(f"services.{case.service.value}").capitalize()),
        ("memo.customer_status", w.text("memo.current_customer"
                                        if case.account.is_current_customer
                                        else "memo.former_customer")),
        ("memo.discovered", d(case.discovered_on)),
        ("memo.made_known", d(case.made_known)),
        ("memo.cutoff_over", d(det.cutoffs.get("overcharge"))),
        ("memo.cutoff_under", d(det.cutoffs.get("undercharge"))),
        ("memo.reading", w.text(f"memo.readings.{det.reading}")),
        ("memo.threshold", w.money(det.minimal_threshold)),
        ("memo.basis", w.text(f"memo.bases.{det.occurred_basis}")),
        ("memo.outcome", w.text(f"memo.outcomes.{det.outcome.value}")),
    ]
    if kind is DocumentKind.CREDIT_MEMO:
        facts.append(("memo.refund_method",
                      w.text(f"memo.refund_methods.{inp.effective_refund_method.value}")))
    rule_pack = (w.text("memo.rule_pack"),
                 f"{w.text(f'packs.{pack}.title')} · v{det.rule_pack_version}")
    out: list[Flowable] = [
        TextBlock(w.text("memo.section_determination"), st.memo_heading),
        _key_values([rule_pack], full_width=True),
        _key_values([(w.text(k), v) for k, v in facts]),
    ]

    # Every listed period with its amounts, clause and a reason key; the legend follows.
    body, reasons, excluded = period_cells(w, rows)
    header = [fit_cell(w.text(f"memo.col_{c}"), width - 2 * _PERIODS.side_pad, BOLD,
                       _PERIODS.header_size)
              for c, width in zip(_PERIOD_COLUMNS, _PERIOD_WIDTHS)]
    grid = Grid(header, body, list(_PERIOD_WIDTHS), _PERIOD_ALIGNS, _PERIODS)
    # (the heading moves to the next page unless the table's start fits under it)
    out += keep_heading(TextBlock(w.text("memo.section_periods"), st.memo_heading),
                        grid_start_height(grid))
    out.append(grid)
    out += [TextBlock([(key, True), ("\u00a0\u00a0" + w.reason(pack, reason, "memo"), False)],
                      st.small) for key, reason in reasons.items()]

    # Totals of this memo, then of the case.
    if direction is Direction.OVERCHARGE:
        posted = (w.text("memo.credited_total"), w.money(det.refund_total))
    else:
        posted = (w.text("memo.back_billed_total"), w.money(det.back_bill_total))
    totals = [posted,
              (w.text("memo.excluded_total"), w.money(excluded)),
              (w.text("memo.interest"), w.money(det.interest)),
              (w.text("memo.case_refund_total"), w.money(det.refund_total)),
              (w.text("memo.case_back_bill_total"), w.money(det.back_bill_total)),
              (w.text("memo.case_net"), _signed(w, det.net))]
    out.append(KeepTogether([TextBlock(w.text("memo.section_totals"), st.memo_heading),
                             _key_values(totals, bold_first=True)]))

    out.append(KeepTogether(readings_section(det, w)))
    # the flags and the sign-off together: the sign-off never stands alone on a page
    out.append(KeepTogether([
        *flags_section(det, pack, w),
        TextBlock(w.text("memo.section_signoff"), st.memo_heading),
        TextBlock(_signoff(w, "memo.prepared", "memo.not_submitted", inp.prepared), st.small),
        TextBlock(_signoff(w, "memo.approved", "memo.not_approved", inp.approved), st.small),
        TextBlock([(w.text("memo.fingerprint") + ": ", False), (inp.fingerprint, False)],
                  st.small),
        *_history_head(inp, w, st),
    ]))
    return out


def period_cells(w: Wording, rows) -> tuple[list[list[str]], dict, Decimal]:
    """The memo's table of periods: a row of cells per period (number, period, billed,
    correct, difference, days in window, included, excluded, clause, reason key), the
    reasons by key (R1, R2... in order of first use) and the amount excluded. The
    read-back check expects exactly these rows."""
    none = w.text("memo.none_value")
    keys: dict[tuple, str] = {}
    reasons: dict = {}
    body: list[list[str]] = []
    excluded = ZERO
    for period, line in rows:
        reason_id = (line.reason.code, line.reason.args)
        key = keys.setdefault(reason_id, f"R{len(keys) + 1}")
        reasons.setdefault(key, line.reason)
        excluded += line.excluded_amount
        days = (none if line.days_in_window is None
                else f"{w.number(line.days_in_window)}/{w.number(line.days)}")
        body.append([str(line.index + 1), w.period_short(period.start, period.end),
                     w.money(period.billed), w.money(period.correct),
                     _signed(w, line.difference), days, w.money(line.included_amount),
                     w.money(line.excluded_amount), line.clause or none, key])
    return body, reasons, excluded


def readings_section(det: Determination, w: Wording) -> list[Flowable]:
    """The three readings of 26-721(a)(2) side by side, the one used marked, and whether
    they diverge: a heading, the grid and the verdict (the memos and the case summary)."""
    st = L.styles()

    def in_column(text: str, column: int) -> str:  # (a long outcome wraps in its cell)
        return fit_cell(text, _READING_WIDTHS[column] - 2 * _READINGS.side_pad, REGULAR,
                        _READINGS.size)

    readings = [[in_column(w.text(f"memo.readings.{name}"), 0), w.money(r.refund_total),
                 w.money(r.back_bill_total), _signed(w, r.net),
                 in_column(w.text(f"memo.outcomes.{r.outcome.value}"), 4),
                 w.text("memo.used_mark") if name == det.reading else ""]
                for name, r in det.readings.items()]
    header = [fit_cell(w.text(f"memo.col_{c}"), width - 2 * _READINGS.side_pad, BOLD,
                       _READINGS.header_size)
              for c, width in zip(_READING_COLUMNS, _READING_WIDTHS)]
    verdict = (w.text("memo.readings_differ", reading=w.text(f"memo.readings.{det.reading}"))
               if det.readings_differ else w.text("memo.readings_agree"))
    return [TextBlock(w.text("memo.section_readings"), st.memo_heading),
            Grid(header, readings, list(_READING_WIDTHS), "LRRRLL", _READINGS),
            TextBlock(verdict, st.small)]


def flags_section(det: Determination, pack: str, w: Wording) -> list[Flowable]:
    """The flags raised for the supervisor under their heading ("none" when none is)."""
    st = L.styles()
    flags = [TextBlock(w.text(f"packs.{pack}.flags.{f}"), _FLAG, bullet="•")
             for f in det.flags] or [TextBlock(w.text("memo.no_flags"), st.small)]
    return [TextBlock(w.text("memo.section_flags"), st.memo_heading), *flags]


def _history_head(inp: DocumentInput, w: Wording, st) -> list[Flowable]:
    """The case file's history head when the memo was issued (issue 23): a history
    rewritten afterwards no longer has this hash at this entry. A preview says it comes
    with the issue; the reprint of an issue that recorded none leaves it out."""
    label = w.text("memo.history_head") + ": "
    if inp.preview:
        return [TextBlock([(label, False), (w.text("memo.history_head_preview"), False)], st.small)]
    if inp.history_head is None:
        return []
    return [TextBlock([(label, False), (inp.history_head.text(), False)], st.small),
            TextBlock(w.text("memo.history_head_note"), _NOTE)]


def _signoff(w: Wording, key: str, missing: str, signoff: Signoff | None) -> str:
    """"Approved by Sam Supervisor on ..." -- or, on a preview of a case not yet that
    far, that it is not (an issued memo always has both: see issue.prepare_issue)."""
    if signoff is None:
        return w.text(missing)
    return w.text(key, name=signoff.name, when=w.timestamp(signoff.at))


def _signed(w: Wording, amount: Decimal) -> str:
    """A signed amount (difference, net): the minus sign ahead of the locale's format."""
    return "−" + w.money(-amount) if amount < 0 else w.money(amount)


def _key_values(pairs: list[tuple[str, str]], bold_first: bool = False,
                full_width: bool = False) -> Flowable:
    """Label/value pairs, two pairs a row (or one pair a row across the page), labels
    grey, values wrapped to their column."""
    widths = ((_KV_WIDTHS[0], L.BODY_WIDTH - _KV_WIDTHS[0]) if full_width else _KV_WIDTHS)
    per_row = len(widths) // 2
    rows = []
    for i in range(0, len(pairs), per_row):
        cells = [text for pair in pairs[i:i + per_row] for text in pair]
        cells += [""] * (len(widths) - len(cells))
        rows.append([fit_cell(text, width - 4, BOLD if (bold_first and i == 0 and j == 1)
                              else REGULAR, _KV.size)
                     for j, (text, width) in enumerate(zip(cells, widths))])
    return KeyValues(rows, list(widths), bold_first)
