"""How a case's notice goes out, for the Documents tab: the customer's choice (paper,
email or both) and the state of each email notice. Reads the case file only; loads
neither the mail nor the PDF modules (the tab shows it as soon as a case opens)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from ..domain.delivery import Delivery, by_email, effective_delivery
from ..store import CaseFile, NoticeRecord


@dataclass(frozen=True, slots=True)
class CaseDelivery:
    delivery: Delivery
    email: str | None
    notices: tuple[NoticeRecord, ...]
    #: the customer wants email and the letter is issued, but no notice is queued yet
    #: (the next "send" queues it)
    to_queue: bool

    def lines(self, time_text: Callable[[datetime], str] | None = None) -> list[str]:
        """What the clerk reads, one line a channel (times through ``time_text``; by
        default in UTC, as the case file keeps them)."""
        time_text = time_text or (lambda at: f"{at:%Y-%m-%d %H:%M} UTC")
        out = []
        if self.delivery in (Delivery.PAPER, Delivery.BOTH):
            out.append("Paper: the letter is printed and mailed (Print document).")
        if by_email(self.delivery):
            if not self.notices:
                out.append(f"Email to {self.email}: "
                           + ("waiting to be queued by the next send." if self.to_queue
                              else "sent once the documents are issued."))
            for n in self.notices:
                when = n.sent_at or n.updated_at
                copy = " (resent as a copy)" if n.copy else ""
                reply = f" — {n.server_reply}" if n.server_reply else ""
                out.append(f"Email to {n.to_address}: {n.state.label}{copy}, "
                           f"{time_text(when)}, {n.attempts} attempt(s){reply}")
        return out


def case_delivery(cf: CaseFile, case_id: int) -> CaseDelivery:
    account = cf.cases.load(case_id).draft.account
    notices = tuple(cf.outbox.list(case_id=case_id))
    delivery = effective_delivery(account.delivery)
    to_queue = by_email(delivery) and not notices and bool(cf.outbox.wanted(case_id=case_id))
    return CaseDelivery(delivery, account.email, notices, to_queue)
