"""The review sample of an incident: what a supervisor looks at before approving every
case of it at once (issue 18 point 3).

The sample always holds every outlier and every case whose readings of 26-721(a)(2)
diverge; cases drawn at random from the others fill it up to the sample size (a
setting of the case file), or to all the cases when there are fewer. The draw is a pure
function of the candidates and a seed: the store records the seed in the audit history,
so anyone can draw the same sample again from the same cases and check it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum
from typing import Iterable, Mapping


class SampledBecause(StrEnum):
    OUTLIER = "outlier"
    DIVERGENT = "divergent"
    RANDOM = "random"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A case that may be sampled: its key (the case id) and why it must be."""

    key: int
    outlier: bool = False
    divergent: bool = False


SAMPLE_RULE = (
    "The sample holds every outlier and every case whose readings of 26-721(a)(2) "
    "diverge, and cases drawn at random (from the seed recorded in the history) until it "
    "holds at least the sample size, or every case.")


def draw_sample(candidates: Iterable[Candidate], size: int, seed: str
                ) -> Mapping[int, SampledBecause]:
    """The sampled keys, each with why it is in the sample (an outlier that also
    diverges counts as an outlier). Deterministic: the same candidates (in any order),
    size and seed give the same sample."""
    if size < 0:
        raise ValueError("a sample size is not negative")
    ordered = sorted(candidates, key=lambda c: c.key)
    chosen: dict[int, SampledBecause] = {}
    for c in ordered:
        if c.outlier:
            chosen[c.key] = SampledBecause.OUTLIER
        elif c.divergent:
            chosen[c.key] = SampledBecause.DIVERGENT
    pool = [c.key for c in ordered if c.key not in chosen]
    wanted = min(max(0, size - len(chosen)), len(pool))
    # random.Random seeded with a str is the same on every platform and Python version
    # (version 2 seeding hashes the text with SHA-512)
    for key in random.Random(seed).sample(pool, wanted):
        chosen[key] = SampledBecause.RANDOM
    return chosen
