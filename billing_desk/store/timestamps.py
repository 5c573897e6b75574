"""When things happened: UTC only, one text form in the file.

The store takes a clock (a function returning an aware ``datetime``) so tests and demo
files are deterministic; the domain never reads a clock.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def format_utc(moment: datetime) -> str:
    """``2024-05-01T12:34:56.123456Z``: fixed width, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must carry a time zone")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text)
