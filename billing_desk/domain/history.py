"""The head of a case file's audit history, as it is written down and compared.

Each entry's hash covers the entry and the hash before it, so the hash of entry ``#n``
stands for the whole history up to it: a history rewritten below ``#n`` -- an entry
changed and every hash after it recomputed, so that ``billing-desk verify`` alone finds
nothing wrong -- gives entry ``#n`` another hash. A head printed on paper that has left
the office (an issued memo, a batch manifest) therefore disagrees with the file once the
history it covers has been rewritten (``billing-desk verify FILE --expect n:HASH``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from ..errors import BillingDeskError

#: how a head is written down: ``#1234 3f9a…`` (the hash whole, or at least 16 of its
#: first hex digits), ``1234:3f9a…`` on a command line
_WRITTEN = re.compile(r"#?([0-9]+)[ :=]([0-9a-fA-F]{16,64})")
#: the fewest hex digits of a hash that may be compared (64 bits)
MIN_HEX = 16


class HeadSyntax(BillingDeskError, ValueError):
    """A written-down head that cannot be read; the message says how to write one."""


@dataclass(frozen=True, slots=True)
class HistoryHead:
    """Entry number ``entry`` of the history, whose hash is ``hash`` (64 hex digits)."""

    entry: int
    hash: str

    def __post_init__(self) -> None:
        if self.entry < 1 or not re.fullmatch(r"[0-9a-f]{64}", self.hash):
            raise ValueError(f"not a history head: #{self.entry} {self.hash!r}")

    def text(self) -> str:
        """``#1234 3f9a…`` with the whole hash: how the app, the CLI and the memo show it."""
        return f"#{self.entry} {self.hash}"

    def to_json(self) -> dict[str, Any]:
        return {"entry": self.entry, "hash": self.hash}

    @classmethod
    def from_json(cls, value: Mapping[str, Any] | None) -> "HistoryHead | None":
        return None if value is None else cls(int(value["entry"]), str(value["hash"]))


@dataclass(frozen=True, slots=True)
class WrittenHead:
    """A head as somebody wrote it down: an entry number and the hash or its beginning."""

    entry: int
    hash_prefix: str

    @classmethod
    def parse(cls, text: str) -> "WrittenHead":
        m = _WRITTEN.fullmatch(text.strip().replace("…", ""))
        if m is None:
            raise HeadSyntax(f"{text!r} is not a history head: write the entry number and at "
                             f"least {MIN_HEX} hex digits of its hash, e.g. 1234:3f9a1b2c4d5e6f70")
        return cls(int(m[1]), m[2].lower())

    def matches(self, head: HistoryHead) -> bool:
        return head.entry == self.entry and head.hash.startswith(self.hash_prefix)

    def text(self) -> str:
        return f"#{self.entry} {self.hash_prefix}" + ("…" if len(self.hash_prefix) < 64 else "")
