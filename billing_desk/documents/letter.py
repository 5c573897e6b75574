"""The customer letter: what happened, the periods affected, the amount credited or
back-billed and how, why any part is excluded (in the customer's words, from the
determination's reasons), installments for a larger back-bill, whom to contact."""

from __future__ import annotations

import os

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ..domain.determination import Direction
from . import layout as L
from .flowables import Grid, GridStyle, Run, TextBlock, TextWriter, fit_cell
from .fonts import BOLD, REGULAR
from .identity import Identity
from .model import DocumentInput
from .settings import RefundMethod
from .summaries import (ExclusionGroup, LetterRow, affected, direction_amount,
                        exclusion_groups, letter_rows, pairs, span, total_row)
from .wording import Wording

_AMOUNT_COL = 80.0
_TABLE = GridStyle(size=8.5, header_size=8.0, leading=10.0, total_row=True)


def first_page(inp: DocumentInput, ident: Identity, w: Wording):
    """Draws the letterhead, the recipient block (envelope window) and the reference
    block (date, account, case) at their fixed places on page 1."""
    lh = inp.settings.letterhead
    name_size, window_lines = L.fit_lines(
        [ident.customer_name, *ident.mailing_lines], REGULAR, L.WINDOW_SIZES,
        L.WINDOW_X1 - L.WINDOW_X0, L.WINDOW_LINES_MAX, "customer name and mailing address")
    ref_w = L.REF_X1 - L.REF_X0
    acct_size, acct = L.fit_lines([ident.account_number], BOLD, L.REF_VALUE_SIZES, ref_w, 1,
                                  "account number")
    case_size, case = L.fit_lines([ident.case_number], BOLD, L.REF_VALUE_SIZES, ref_w, 1,
                                  "case number")
    contact_line = " · ".join(x for x in (lh.phone, lh.website, lh.email) if x)
    references = ((L.REF_DATE, w.text("letter.label_date"), REGULAR, L.REF_VALUE_SIZE,
                   w.date(inp.issue_date)),
                  (L.REF_ACCOUNT, w.text("letter.label_account"), BOLD, acct_size, acct[0]),
                  (L.REF_CASE, w.text("letter.label_case"), BOLD, case_size, case[0]))

    def draw(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        text_x = L.MARGIN
        if lh.logo and os.path.isfile(lh.logo):
            canvas.drawImage(lh.logo, L.MARGIN, L.LETTERHEAD_RULE_Y + 6, width=48, height=48,
                             preserveAspectRatio=True, mask="auto")
            text_x = L.MARGIN + 58
        canvas.setStrokeColor(L.RULE_GREY)
        canvas.setLineWidth(0.6)
        canvas.line(L.MARGIN, L.LETTERHEAD_RULE_Y, L.PAGE_WIDTH - L.MARGIN, L.LETTERHEAD_RULE_Y)
        text = TextWriter(canvas)
        text.fill(colors.black)
        text.font(BOLD, 14)
        text.line(text_x, L.LETTERHEAD_NAME_BASELINE, lh.name)
        text.fill(L.GREY)
        text.font(REGULAR, 8)
        text.line(text_x, L.LETTERHEAD_LINE_BASELINES[0], " · ".join(lh.address_lines))
        text.line(text_x, L.LETTERHEAD_LINE_BASELINES[1], contact_line)
        text.fill(colors.black)
        L.draw_lines(text, L.WINDOW_X0, L.WINDOW_TOP_BASELINE, L.WINDOW_LEADING, REGULAR,
                     name_size, window_lines)
        for (label_y, value_y), label, font, size, value in references:
            text.fill(L.GREY)
            text.font(REGULAR, L.REF_LABEL_SIZE)
            text.line(L.REF_X0, label_y, label)
            text.fill(colors.black)
            text.font(font, size)
            text.line(L.REF_X0, value_y, value)
        text.close()
        canvas.restoreState()

    return draw


def _join(*parts: list[Run]) -> list[Run]:
    out: list[Run] = []
    for part in parts:
        if out:
            out.append((" ", False))
        out.extend(part)
    return out


def story(inp: DocumentInput, ident: Identity, w: Wording) -> list[Flowable]:
    st = L.styles()
    case, det = inp.case, inp.determination
    service = w.text(f"services.{case.service.value}")
    rows = affected(case, det)
    out: list[Flowable] = [TextBlock(w.text("letter.subject", service=service), st.subject)]
    if ident.service_address:
        out.append(TextBlock(w.text("letter.service_address", address=ident.service_address),
                             st.small))
    out += [Spacer(1, 10), TextBlock(w.text("letter.salutation", name=ident.customer_name),
                                     st.body)]

    if not rows:  # every period was billed correctly
        whole = span(pairs(case, det))
        assert whole is not None  # a valid case has at least one period
        out.append(TextBlock(w.runs("letter.no_error", service=service,
                                    first=w.date(whole.first), last=w.date(whole.last)),
                             st.body))
    else:
        out.append(TextBlock(_what_happened(w, det, rows, service), st.body))
        out += [TextBlock(p, st.body) for p in _outcome(inp, w, rows)]
        out += _table(w, rows)
        groups = exclusion_groups(rows)
        if groups:
            out.append(TextBlock(w.text("letter.excluded_heading"), st.heading))
            out += [TextBlock(_exclusion(w, det.rule_pack, g), st.bullet, bullet="•")
                    for g in groups]

    lh = inp.settings.letterhead
    contact = w.runs("letter.contact", phone=lh.phone, hours=lh.hours_in(w.locale_name),
                     address=", ".join((lh.name, *lh.address_lines)),
                     case_number=ident.case_number)
    if lh.email:
        contact = _join(contact, w.runs("letter.contact_email", email=lh.email))
    # contact and signature stay together: a page holding only "Sincerely" reads as lost
    out.append(KeepTogether([Spacer(1, 4), TextBlock(contact, st.body),
                             TextBlock(w.text("letter.closing"), st.body), Spacer(1, 10),
                             TextBlock(lh.department_in(w.locale_name), st.tight),
                             TextBlock(lh.name, st.tight)]))
    return out


def _what_happened(w: Wording, det, rows, service: str) -> list[Run]:
    s = span(rows)
    assert s is not None
    over = direction_amount(det, Direction.OVERCHARGE)
    under = direction_amount(det, Direction.UNDERCHARGE)
    found = w.runs("letter.found", service=service,
                   periods=w.plural("counts.billing_periods", s.count),
                   first=w.date(s.first), last=w.date(s.last))
    if over and under:
        return _join(found, w.runs("letter.mixed", over=w.money(over), under=w.money(under)))
    if over:
        return _join(found, w.runs("letter.overcharged", amount=w.money(over)))
    return _join(found, w.runs("letter.undercharged", amount=w.money(under)))


def _outcome(inp: DocumentInput, w: Wording, rows) -> list[list[Run]]:
    """How the result reaches the customer: credit (bill credit or check, no interest,
    26-721(a)(1)), back-bill (with installments above the threshold), the net effect of
    a mixed case, or why nothing changes."""
    det = inp.determination
    code = w.text(f"packs.{det.rule_pack}.code")
    refund, back = det.refund_total, det.back_bill_total
    paras: list[list[Run]] = []
    method = inp.effective_refund_method
    if refund > 0:
        key = "letter.credit_bill" if method is RefundMethod.BILL_CREDIT else "letter.credit_check"
        paras.append(_join(w.runs(key, amount=w.money(refund)),
                           w.runs("letter.no_interest", code=code)))
    if back > 0:
        text = w.runs("letter.back_bill", amount=w.money(back))
        threshold = inp.settings.installment_threshold
        if back > threshold:
            text = _join(text, w.runs("letter.installments", threshold=w.money(threshold),
                                      months=w.number(inp.settings.installment_months)))
        paras.append(text)
    if refund > 0 and back > 0 and method is RefundMethod.BILL_CREDIT:
        if det.net < 0:
            paras.append(w.runs("letter.net_credit", amount=w.money(-det.net)))
        elif det.net > 0:
            paras.append(w.runs("letter.net_charge", amount=w.money(det.net)))
        else:
            paras.append(w.runs("letter.net_zero"))
    if refund == 0 and back == 0:
        paras.append(w.runs("letter.no_change", code=code))
    elif any(ln.excluded_amount > 0 for _, ln in rows):
        paras.append(w.runs("letter.partly"))
    return paras


def _table(w: Wording, rows) -> list[Flowable]:
    st = L.styles()
    table_rows, by_year = letter_rows(rows)
    has_credit = any(ln.direction is Direction.OVERCHARGE for _, ln in rows)
    has_charge = any(ln.direction is Direction.UNDERCHARGE for _, ln in rows)
    keys = ["letter.col_year" if by_year else "letter.col_period", "letter.col_billed",
            "letter.col_correct"]
    if has_credit:
        keys.append("letter.col_credit")
    if has_charge:
        keys.append("letter.col_charge")
    n_amounts = len(keys) - 1
    widths = [L.BODY_WIDTH - n_amounts * _AMOUNT_COL] + [_AMOUNT_COL] * n_amounts
    header = [fit_cell(w.text(k), width - 2 * _TABLE.side_pad, BOLD, _TABLE.header_size)
              for k, width in zip(keys, widths)]

    def cells(r: LetterRow, label: str) -> list[str]:
        c = [label, w.money(r.billed), w.money(r.correct)]
        if has_credit:
            c.append(w.money(r.credit))
        if has_charge:
            c.append(w.money(r.charge))
        return c

    body = [cells(r, w.text("letter.year_row", year=r.year,
                            periods=w.plural("counts.billing_periods", r.count))
                  if by_year else w.period(r.start, r.end))
            for r in table_rows]
    body.append(cells(total_row(rows), w.text("letter.total")))
    out: list[Flowable] = [TextBlock(w.text("letter.table_heading"), st.heading)]
    if by_year:
        out.append(TextBlock(w.text("letter.table_by_year",
                                    periods=w.plural("counts.billing_periods", len(rows))),
                             st.small))
    out.append(Grid(header, body, widths, "L" + "R" * n_amounts, _TABLE))
    return out


def _exclusion(w: Wording, pack: str, g: ExclusionGroup) -> list[Run]:
    key = "letter.excluded_over" if g.direction is Direction.OVERCHARGE else "letter.excluded_under"
    return w.runs(key, amount=w.money(g.amount),
                  periods=w.plural("counts.billing_periods", g.count),
                  range=w.period(g.first, g.last), reason=w.reason(pack, g.reason, "letter"))
