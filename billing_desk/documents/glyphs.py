"""Which characters the letter fonts have, and how wide a text is set in them, read
straight from the TrueType files (their ``cmap``, ``hmtx``, ``hhea`` and ``head``
tables) without ReportLab.

ReportLab reads every table of a font before it draws a letter (about half a second
with its import, cold); the case editor asks whether a name can be printed on the
first keystroke, so it must not wait for that. These are the same tables ReportLab
reads for the same answers: tests/documents/test_glyphs.py checks the two agree on
every character and on the width of the texts the letters print.
"""

from __future__ import annotations

import struct
import threading
from dataclasses import dataclass
from functools import cache

from ..resources import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class FontMetrics:
    """One font's characters (code point -> advance width in 1/1000 em, as ReportLab
    scales them) and the width of a character it lacks."""

    widths: dict[int, float]
    default_width: float

    def has(self, ch: str) -> bool:
        return ord(ch) in self.widths

    def width(self, text: str, size: float) -> float:
        """What ``reportlab.pdfbase.pdfmetrics.stringWidth`` gives for this font."""
        get, default = self.widths.get, self.default_width
        return size * 0.001 * sum(get(ord(c), default) for c in text)


def _tables(data: bytes) -> dict[bytes, int]:
    count = struct.unpack_from(">H", data, 4)[0]
    return {data[12 + 16 * i:16 + 16 * i]: struct.unpack_from(">L", data, 20 + 16 * i)[0]
            for i in range(count)}


def _cmap(data: bytes, offset: int) -> dict[int, int]:
    """Unicode code point -> glyph id, from the font's Windows Unicode subtable (format
    12 for the full repertoire, else format 4)."""
    n = struct.unpack_from(">H", data, offset + 2)[0]
    found: dict[int, int] = {}
    subtables = {}
    for i in range(n):
        platform, encoding, sub = struct.unpack_from(">HHL", data, offset + 4 + 8 * i)
        subtables[(platform, encoding)] = offset + sub
    for key in ((3, 10), (0, 4), (3, 1), (0, 3)):
        if key in subtables:
            start = subtables[key]
            break
    else:
        raise ValueError("the font has no Unicode character map")
    fmt = struct.unpack_from(">H", data, start)[0]
    if fmt == 12:
        groups = struct.unpack_from(">L", data, start + 12)[0]
        for g in range(groups):
            first, last, glyph = struct.unpack_from(">LLL", data, start + 16 + 12 * g)
            for cp in range(first, last + 1):
                found[cp] = glyph + cp - first
    elif fmt == 4:
        segs = struct.unpack_from(">H", data, start + 6)[0] // 2
        ends = struct.unpack_from(f">{segs}H", data, start + 14)
        starts = struct.unpack_from(f">{segs}H", data, start + 16 + 2 * segs)
        deltas = struct.unpack_from(f">{segs}h", data, start + 16 + 4 * segs)
        ranges_at = start + 16 + 6 * segs
        ranges = struct.unpack_from(f">{segs}H", data, ranges_at)
        for s, (first, last, delta, rng) in enumerate(zip(starts, ends, deltas, ranges)):
            for cp in range(first, last + 1):
                if rng == 0:
                    glyph = (cp + delta) & 0xFFFF
                else:
                    glyph = struct.unpack_from(">H", data, ranges_at + 2 * s + rng
                                               + 2 * (cp - first))[0]
                    glyph = (glyph + delta) & 0xFFFF if glyph else 0
                found[cp] = glyph
    else:
        raise ValueError(f"unsupported character map format {fmt}")
    return {cp: g for cp, g in found.items() if g}


def read_metrics(path) -> FontMetrics:
    with open(path, "rb") as f:
        data = f.read()
    t = _tables(data)
    units = struct.unpack_from(">H", data, t[b"head"] + 18)[0]
    metrics = struct.unpack_from(">H", data, t[b"hhea"] + 34)[0]
    advances = struct.unpack_from(f">{2 * metrics}H", data, t[b"hmtx"])[0::2]
    scale = 1000 / units

    def advance(glyph: int) -> float:
        return (advances[glyph] if glyph < metrics else advances[-1]) * scale

    widths = {cp: advance(g) for cp, g in _cmap(data, t[b"cmap"]).items()}
    # ReportLab prints a no-break space as a space (and measures it so)
    if 0x20 in widths:
        widths[0xA0] = widths[0x20]
    return FontMetrics(widths, advance(0))


@cache
def _loaded(name: str) -> FontMetrics:
    return read_metrics(resource_path("fonts", FILES[name]))


def metrics(name: str) -> FontMetrics:
    """The metrics of ``REGULAR`` or ``BOLD``, read once per process."""
    with _lock:
        return _loaded(name)


def missing_characters(text: str) -> str:
    """The characters of ``text`` that the document fonts (regular and bold: a name may
    be set in either) cannot draw -- they would print as empty boxes -- in order of
    first appearance, each once. Spaces are never missing."""
    regular, bold = metrics(REGULAR), metrics(BOLD)
    seen: list[str] = []
    for ch in dict.fromkeys(text):
        if not ch.isspace() and not (regular.has(ch) and bold.has(ch)):
            seen.append(ch)
    return "".join(seen)


def string_width(text: str, font: str, size: float) -> float:
    return metrics(font).width(text, size)
