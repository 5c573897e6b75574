"""Rule packs: one jurisdiction's billing-error rules each.

A pack states its clauses (id, title, plain-language text), which evidence feeds which
clause, the readings it computes, and ``determine(case) -> Determination``. Packs are
registered by name below; adding a jurisdiction means adding a module and one line in
``_PACKS`` — no change to another pack.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Mapping

from ..case import Case
from ..determination import Determination


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause of the code a pack implements: ``id`` as cited in determinations
    (``26-721(a)(1)``), a short ``title`` and the ``text`` in plain words."""

    id: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class ReadingInfo:
    """One reading of the rules a pack computes (e.g. the ordinance text vs staff
    practice), with where it comes from."""

    id: str
    title: str
    source: str


class RulePack(ABC):
    """The interface every jurisdiction's rules implement."""

    #: registry name, as in case@1 ``rule_pack``
    name: str
    #: bumped whenever a change could alter any determination (part of the fingerprint)
    version: str
    title: str
    jurisdiction: str

    @property
    @abstractmethod
    def clauses(self) -> Mapping[str, Clause]:
        """Every clause the pack cites, by id."""

    @property
    @abstractmethod
    def evidence_clauses(self) -> Mapping[str, tuple[str, ...]]:
        """For each evidence field of the case, the clause ids it answers (shown beside
        the evidence checkbox in the case editor)."""

    @property
    @abstractmethod
    def readings(self) -> Mapping[str, ReadingInfo]:
        """The readings this pack computes side by side."""

    @property
    @abstractmethod
    def flag_texts(self) -> Mapping[str, str]:
        """Every flag the pack can raise, with a sentence for the supervisor."""

    @property
    def reason_texts(self) -> Mapping[str, str]:
        """The English wording of each reason code, with ``{name}`` for each of the
        reason's ``args``: for a display that writes the amounts and dates its own way
        (the app's; documents have their own per locale). None by default: each
        ``Reason.text`` is then shown as the pack wrote it."""
        return {}

    @abstractmethod
    def determine(self, case: Case) -> Determination:
        """A pure function of the case: no clock, no locale, no I/O."""

    def clause(self, clause_id: str) -> Clause:
        return self.clauses[clause_id]


def _packs() -> dict[str, RulePack]:
    from .fort_collins_26_721 import FortCollins26721

    return {p.name: p for p in (FortCollins26721(),)}


_PACKS: dict[str, RulePack] | None = None


def _registry() -> dict[str, RulePack]:
    global _PACKS
    if _PACKS is None:
        _PACKS = _packs()
    return _PACKS


def available_rule_packs() -> tuple[str, ...]:
    return tuple(_registry())


def get_rule_pack(name: str) -> RulePack:
    try:
        return _registry()[name]
    except KeyError:
        raise KeyError(f"unknown rule pack {name!r}; known: {', '.join(_registry())}") from None


def determine(case: Case) -> Determination:
    """Apply the case's own rule pack."""
    return get_rule_pack(case.rule_pack).determine(case)
