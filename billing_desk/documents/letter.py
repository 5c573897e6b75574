"""The customer letter: what the customer needs to act on it -- a subject that says
what the letter does (a credit, a refund, an amount to pay, no change); what went
wrong (the case's cause) and when the error was discovered or reported; the periods
affected and the amounts; the clause each rests on (26-721(a)(1) for a refund, (a)(2)
for a back-bill); how a credit reaches them; what they owe, by when and how to pay;
installments offered on the rise of their balance (never when it goes down); why any
part is excluded (in the customer's words, from the determination's reasons); how to
ask for a review, by when, and whether collection waits meanwhile; the offer of the
letter in the other language; whom to contact.

Headings are never left at the foot of a page without what they head, and the closing
is kept with the section before it, so no page holds only the closing."""

from __future__ import annotations

import os

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from ..domain.determination import Direction
from . import layout as L
from .flowables import Grid, GridStyle, Run, TextBlock, TextWriter, fit_cell
from .fonts import BOLD, REGULAR
from .identity import Identity
from .model import DocumentInput
from .settings import SUPPORTED_LOCALES, RefundMethod
from .summaries import (ExclusionGroup, LetterRow, affected, direction_amount,
                        exclusion_groups, installment_plan, letter_rows, pairs, span, total_row)
from .wording import Wording, wording_for

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
        if not part:
            continue
        if out:
            out.append((" ", False))
        out.extend(part)
    return out


def keep_heading(heading: TextBlock, following_height: float) -> list[Flowable]:
    """``heading``, moved to the next page unless the room left on this one holds it and
    ``following_height`` of what it heads (a heading is never the last line of a page)."""
    _, height = heading.wrap(L.BODY_WIDTH, L.PAGE_HEIGHT)
    room = heading.style.space_before + height + heading.style.space_after + following_height
    return [CondPageBreak(room), heading]


def grid_start_height(grid: Grid) -> float:
    """The least of a table that may start a page's part of it: its header and two rows
    (or all of it, when it cannot be split sooner)."""
    if len(grid.rows) <= 3:
        return grid.wrap(L.BODY_WIDTH, L.PAGE_HEIGHT)[1]
    return grid._header_h + sum(grid._heights[:2])


def subject_key(inp: DocumentInput, rows) -> str:
    """The subject that matches what the letter does."""
    det = inp.determination
    if not rows:
        return "letter.subject_no_error"
    if det.refund_total > 0 and det.back_bill_total > 0:
        return "letter.subject_mixed"
    if det.refund_total > 0:
        return ("letter.subject_credit_check"
                if inp.effective_refund_method is RefundMethod.REFUND_CHECK
                else "letter.subject_credit_bill")
    if det.back_bill_total > 0:
        return "letter.subject_back_bill"
    return "letter.subject_no_change"


def story(inp: DocumentInput, ident: Identity, w: Wording) -> list[Flowable]:
    st = L.styles()
    case, det = inp.case, inp.determination
    service = w.text(f"services.{case.service.value}")
    rows = affected(case, det)
    out: list[Flowable] = [TextBlock(w.text(subject_key(inp, rows), service=service),
                                     st.subject)]
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
        out.append(TextBlock(_cause_and_dates(inp, w), st.body))
        out += [TextBlock(p, st.body) for p in _outcome(inp, w, rows)]
        out += _table(w, rows)
        groups = exclusion_groups(rows)
        if groups:
            bullets = [TextBlock(_exclusion(w, det.rule_pack, g), st.bullet, bullet="•")
                       for g in groups]
            first = bullets[0].wrap(L.BODY_WIDTH, L.PAGE_HEIGHT)[1]
            out += keep_heading(TextBlock(w.text("letter.excluded_heading"), st.heading),
                                min(first, 2 * st.bullet.leading))
            out += bullets
    out.append(_closing(inp, ident, w))
    return out


def _closing(inp: DocumentInput, ident: Identity, w: Wording) -> Flowable:
    """How to ask for a review, the offer of the letter in the other language, whom to
    contact, and the signature: kept together, so the closing never stands alone on a
    page (the review section always comes with it)."""
    st = L.styles()
    lh = inp.settings.letterhead
    owed = inp.balance_change > 0
    dispute = w.runs("letter.dispute", deadline=w.date(inp.dispute_deadline),
                     case_number=ident.case_number)
    if owed:  # collection concerns only an amount the customer is asked to pay
        key = ("letter.dispute_collection_waits" if inp.settings.collection_waits
               else "letter.dispute_collection_continues")
        dispute = _join(dispute, w.runs(key, due=w.date(inp.due_date)))
    offers = [TextBlock(wording_for(other).text("letter.offer_language", phone=lh.phone),
                        st.small)
              for other in SUPPORTED_LOCALES if other != w.locale_name]
    contact = w.runs("letter.contact", phone=lh.phone, hours=lh.hours_in(w.locale_name),
                     address=", ".join((lh.name, *lh.address_lines)),
                     case_number=ident.case_number)
    if lh.email:
        contact = _join(contact, w.runs("letter.contact_email", email=lh.email))
    return KeepTogether([TextBlock(w.text("letter.dispute_heading"), st.heading),
                         TextBlock(dispute, st.body), *offers, Spacer(1, 4),
                         TextBlock(contact, st.body),
                         TextBlock(w.text("letter.closing"), st.body), Spacer(1, 10),
                         TextBlock(lh.department_in(w.locale_name), st.tight),
                         TextBlock(lh.name, st.tight)])


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


def _cause_and_dates(inp: DocumentInput, w: Wording) -> list[Run]:
    """What went wrong (the case's cause, as the clerk wrote it for the customer) and
    when the error was discovered and, if on another day, reported."""
    case = inp.case
    cause = " ".join((case.cause or "").split())
    cause_runs = w.runs("letter.cause", cause=cause) if cause else []
    if case.made_known != case.discovered_on:
        when = w.runs("letter.discovered_reported", discovered=w.date(case.discovered_on),
                      made_known=w.date(case.made_known))
    else:
        when = w.runs("letter.discovered", discovered=w.date(case.discovered_on))
    return _join(cause_runs, when)


def _outcome(inp: DocumentInput, w: Wording, rows) -> list[list[Run]]:
    """How the result reaches the customer: credit (bill credit or check, no interest,
    26-721(a)(1)), back-bill (26-721(a)(2)), the net effect of a mixed case, what is to
    be paid by when and how, installments on the rise of the balance, or why nothing
    changes."""
    det = inp.determination
    pack = det.rule_pack
    code = w.text(f"packs.{pack}.code")
    refund, back = det.refund_total, det.back_bill_total
    paras: list[list[Run]] = []
    method = inp.effective_refund_method
    if refund > 0:
        key = "letter.credit_bill" if method is RefundMethod.BILL_CREDIT else "letter.credit_check"
        paras.append(_join(w.runs(key, amount=w.money(refund)),
                           w.runs("letter.no_interest",
                                  clause=w.text(f"packs.{pack}.refund_clause"))))
    if back > 0:
        paras.append(_join(w.runs("letter.back_bill", amount=w.money(back)),
                           w.runs("letter.back_bill_clause",
                                  clause=w.text(f"packs.{pack}.back_bill_clause"))))
    if refund > 0 and back > 0 and method is RefundMethod.BILL_CREDIT:
        if det.net < 0:
            paras.append(w.runs("letter.net_credit", amount=w.money(-det.net)))
        elif det.net > 0:
            paras.append(w.runs("letter.net_charge", amount=w.money(det.net)))
        else:
            paras.append(w.runs("letter.net_zero"))
    owed = inp.balance_change
    if owed > 0:  # the balance goes up: what to pay, by when, how
        lh = inp.settings.letterhead
        due = w.date(inp.due_date)
        values = dict(amount=w.money(owed), due=due, phone=lh.phone,
                      address=", ".join((lh.name, *lh.address_lines)))
        paras.append(w.runs("letter.pay", website=lh.website, **values) if lh.website
                     else w.runs("letter.pay_no_web", **values))
        plan = installment_plan(owed, inp.settings.installment_months)
        if owed > inp.settings.installment_threshold and plan is not None:
            count, each, last = plan
            terms = (w.text("letter.installment_terms_equal", count=w.number(count + 1),
                            each=w.money(each)) if each == last
                     else w.text("letter.installment_terms", count=w.number(count),
                                 each=w.money(each), last=w.money(last)))
            paras.append(w.runs("letter.installments",
                                threshold=w.money(inp.settings.installment_threshold),
                                months=w.number(inp.settings.installment_months),
                                terms=terms, due=due))
    if refund == 0 and back == 0:
        paras.append(w.runs("letter.no_change", code=code))
    elif any(ln.excluded_amount > 0 for _, ln in rows):
        paras.append(w.runs("letter.partly"))
    return paras


def table_cells(w: Wording, rows) -> tuple[list[str], list[list[str]], list[float], bool]:
    """The letter's table of the periods affected: header cells, body rows (each period,
    or each calendar year, and the total), column widths, and whether it is by year.
    The read-back check expects exactly these rows."""
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
    return header, body, widths, by_year


def _table(w: Wording, rows) -> list[Flowable]:
    st = L.styles()
    header, body, widths, by_year = table_cells(w, rows)
    grid = Grid(header, body, widths, "L" + "R" * (len(widths) - 1), _TABLE)
    note = []
    if by_year:
        note = [TextBlock(w.text("letter.table_by_year",
                                 periods=w.plural("counts.billing_periods", len(rows))),
                          st.small)]
    following = sum(n.wrap(L.BODY_WIDTH, L.PAGE_HEIGHT)[1] + n.style.space_after for n in note)
    return [*keep_heading(TextBlock(w.text("letter.table_heading"), st.heading),
                          following + grid_start_height(grid)), *note, grid]


def _exclusion(w: Wording, pack: str, g: ExclusionGroup) -> list[Run]:
    key = "letter.excluded_over" if g.direction is Direction.OVERCHARGE else "letter.excluded_under"
    return w.runs(key, amount=w.money(g.amount),
                  periods=w.plural("counts.billing_periods", g.count),
                  range=w.period(g.first, g.last), reason=w.reason(pack, g.reason, "letter"))
