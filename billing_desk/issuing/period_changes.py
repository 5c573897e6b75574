"""Which billing periods an audit entry changed, read from its before/after as the store
records them (billing_desk/store/audit.py): the whole lists, or -- an amount edited in a
long case -- a patch of the changed items with each side's length. The case summary's
history (issuing/history_text.py) and the app's history view (ui/history_text.py) say
the same changes in their own words from this one reading of them. The standard
library and the store's audit names only: the app's history view loads it without the
documents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ..store.audit import PATCH

_NO_PATCH = {"length": 0, "set": {}}


@dataclass(frozen=True, slots=True)
class PeriodChange:
    """The period at ``index`` (0-based) before and after the entry; ``before`` is None
    for a period added, ``after`` None for one removed (both None: a row cut off the end
    whose old value the entry did not keep)."""

    index: int
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


def period_changes(old: Any, new: Any) -> list[PeriodChange]:
    """Every period the entry changed, in order."""
    if isinstance(new, Mapping) and PATCH in new:
        was = old.get(PATCH, _NO_PATCH) if isinstance(old, Mapping) else _NO_PATCH
        now = new[PATCH]
        olds = {int(i): p for i, p in was["set"].items()}
        news = {int(i): p for i, p in now["set"].items()}
        cut = {i for i in range(now["length"], was["length"]) if i not in olds}
    else:
        olds, news, cut = dict(enumerate(old or [])), dict(enumerate(new or [])), set()
    return [PeriodChange(i, olds.get(i), news.get(i)) for i in sorted({*olds, *news, *cut})
            if i in cut or olds.get(i) != news.get(i)]
