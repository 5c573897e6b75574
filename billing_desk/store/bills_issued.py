"""Bills issued per year and service, kept in the case file for the billing accuracy
report (``cf.bills_issued``).

Saving the table of the app and importing a CSV are each one user action: one
transaction and one audit entry (entity ``bills_issued``) recording exactly the
figures that changed, before and after. An import adds or replaces figures and never
removes one; a save makes the table what the clerk left it, and is refused
(:class:`BillsIssuedChanged`) if someone changed the figures since the table was read,
so nobody's figures are overwritten unseen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..domain.bills_issued import SERVICES, BillsIssued
from .connection import Connection, Transaction
from .errors import StoreError


class BillsIssuedChanged(StoreError):
    def __init__(self) -> None:
        super().__init__("Someone changed the bills-issued figures after you opened them; "
                         "nothing was saved. Close the table, open it again and re-enter "
                         "your change.")


@dataclass(frozen=True, slots=True)
class BillsChange:
    """What a save or an import did (figures added, changed, removed, left as they were)."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self) -> str:
        parts = [f"{n} {what}" for n, what in ((self.added, "added"), (self.changed, "changed"),
                                               (self.removed, "removed"),
                                               (self.unchanged, "unchanged")) if n]
        return ", ".join(parts) or "nothing to change"


def _key_text(year: int, service: str) -> str:
    return f"{year} {service}"


def _sorted(figures: Iterable[BillsIssued]) -> list[BillsIssued]:
    return sorted(figures, key=lambda f: (f.year, SERVICES.index(f.service)))


def _rows(tx: Transaction) -> dict[tuple[int, str], int]:
    return {(y, s): n for y, s, n in tx.execute("SELECT year, service, bills FROM bills_issued")}


class BillsIssuedRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def list(self) -> list[BillsIssued]:
        """Every figure, by year and then service (all services last)."""
        return _sorted(BillsIssued(y, s, n) for y, s, n in
                       self._c.rows("SELECT year, service, bills FROM bills_issued"))

    def save(self, figures: Iterable[BillsIssued], *, actor: str,
             expected: Iterable[BillsIssued] | None = None) -> BillsChange:
        """Make the stored figures exactly ``figures`` (one per year and service). With
        ``expected`` (the figures the clerk started from), refused if they are no longer
        what the file holds."""
        wanted = _unique(figures)
        with self._c.write(actor) as tx:
            current = _rows(tx)
            if expected is not None and {f.key: f.bills for f in expected} != current:
                raise BillsIssuedChanged()
            return self._apply(tx, current, wanted, remove=True, action="edit", details=None)

    def import_figures(self, figures: Iterable[BillsIssued], *, actor: str, source: str,
                       refused_rows: int = 0) -> BillsChange:
        """Add the figures of an imported file, replacing those of the same year and
        service; figures the file does not name stay. ``source`` (the file's name) and
        ``refused_rows`` (rows the clerk chose to leave out) go into the history."""
        wanted = _unique(figures)
        with self._c.write(actor) as tx:
            details = {"file": source, "rows": len(wanted), "refused_rows": refused_rows}
            return self._apply(tx, _rows(tx), wanted, remove=False, action="import",
                               details=details)

    @staticmethod
    def _apply(tx: Transaction, current: dict[tuple[int, str], int],
               wanted: dict[tuple[int, str], int], *, remove: bool, action: str,
               details: dict | None) -> BillsChange:
        before: dict[str, int | None] = {}
        after: dict[str, int | None] = {}
        added = changed = unchanged = 0
        for key, bills in sorted(wanted.items()):
            old = current.get(key)
            if old == bills:
                unchanged += 1
                continue
            if old is None:
                added += 1
                tx.execute("INSERT INTO bills_issued (year, service, bills) VALUES (?, ?, ?)",
                           (*key, bills))
            else:
                changed += 1
                tx.execute("UPDATE bills_issued SET bills = ? WHERE year = ? AND service = ?",
                           (bills, *key))
            before[_key_text(*key)], after[_key_text(*key)] = old, bills
        removed = 0
        if remove:
            for key in sorted(current.keys() - wanted.keys()):
                removed += 1
                tx.execute("DELETE FROM bills_issued WHERE year = ? AND service = ?", key)
                before[_key_text(*key)], after[_key_text(*key)] = current[key], None
        change = BillsChange(added, changed, removed, unchanged)
        if not change.any:
            tx.unchanged()
            return change
        years = sorted({int(k.split()[0]) for k in after})
        entity_id = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
        if details is not None:
            after = {**after, "details": details}
        tx.audit(action, "bills_issued", entity_id, None, before, after)
        return change


def _unique(figures: Iterable[BillsIssued]) -> dict[tuple[int, str], int]:
    out: dict[tuple[int, str], int] = {}
    for f in figures:
        if f.key in out and out[f.key] != f.bills:
            raise ValueError(f"two figures for {f.year} {f.service}")
        out[f.key] = f.bills
    return out
