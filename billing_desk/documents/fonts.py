"""The fonts documents are set in: DejaVu Sans (full Latin coverage, Bitstream Vera
licence in resources/fonts/), embedded as subsets in every PDF.

Fonts are registered once per process. The subset of a font that a document embeds
depends only on the characters it uses (ReportLab numbers them in order of first use),
and most letters use the same characters, so the subset program and its compressed
stream are cached: building the subset and deflating it is otherwise a fixed cost of
every PDF.
"""

from __future__ import annotations

import threading
import zlib
from functools import lru_cache

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import (FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, TTFont, TTFontFace,
                                       makeToUnicodeCMap)

from ..resources import resource_path
from .errors import UnprintableText
from .glyphs import BOLD, REGULAR
from .glyphs import FILES as _FILES
from .glyphs import missing_characters
_SUBSET_CACHE_SIZE = 256

_lock = threading.Lock()
_registered = False


class _CachedSubsetFace(TTFontFace):
    """A TrueType face whose embedded subsets are built and deflated once per distinct
    subset instead of once per document."""

    def __init__(self, filename: str) -> None:
        super().__init__(filename)
        self._deflated_subset = lru_cache(maxsize=_SUBSET_CACHE_SIZE)(self._deflate_subset)

    def _deflate_subset(self, subset: tuple[int, ...]) -> tuple[bytes, int]:
        program = self.makeSubset(list(subset))
        return zlib.compress(program), len(program)

    def addSubsetObjects(self, doc, fontname, subset):  # noqa: N802 - ReportLab's name
        # Same objects as TTFontFace.addSubsetObjects, with the font program taken
        # from the cache already deflated (so the stream carries no filter to re-run).
        deflated, length = self._deflated_subset(tuple(subset))
        font_file = pdfdoc.PDFStream()
        font_file.content = deflated
        font_file.dictionary["Length1"] = length
        font_file.dictionary["Filter"] = pdfdoc.PDFName("FlateDecode")
        ref = doc.Reference(font_file, f"fontFile:{self.filename}({fontname})")
        flags = (self.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
        descriptor = pdfdoc.PDFDictionary({
            "Type": "/FontDescriptor",
            "Ascent": self.ascent,
            "CapHeight": self.capHeight,
            "Descent": self.descent,
            "Flags": flags,
            "FontBBox": pdfdoc.PDFArray(self.bbox),
            "FontName": pdfdoc.PDFName(fontname),
            "ItalicAngle": self.italicAngle,
            "StemV": self.stemV,
            "FontFile2": ref,
            "MissingWidth": self.defaultWidth,
        })
        return doc.Reference(descriptor, "fontDescriptor:" + fontname)


class _CachedSubsetFont(TTFont):
    """A TrueType font whose per-subset PDF objects (widths array, ToUnicode map, font
    program) are formatted once per distinct subset and reused by every document.
    Mirrors ``TTFont.addObjects`` of the pinned ReportLab; the read-back check of every
    issued document would catch a font that no longer extracts to the right text."""

    def __init__(self, name: str, path: str) -> None:
        super().__init__(name, path)
        self.face = _CachedSubsetFace(path)
        self._subset_objects = lru_cache(maxsize=_SUBSET_CACHE_SIZE)(self._format_subset)

    def _format_subset(self, base_font_name: str, subset: tuple[int, ...]) -> tuple[bytes, bytes]:
        widths = pdfdoc.PDFArray([self.face.getCharWidth(c) for c in subset])
        cmap = makeToUnicodeCMap(base_font_name, list(subset))
        return widths.format(None), zlib.compress(cmap.encode("latin-1"))

    def splitString(self, text, doc, encoding="utf-8"):  # noqa: N802 - ReportLab's name
        """ReportLab's per-character loop, skipped when every character of ``text``
        already has a code in the first subset (the usual case once the document's
        characters are pre-assigned): then the codes are one ``str.translate``."""
        state = self.state.get(doc)
        if state is not None and isinstance(text, str) and text:
            fast = getattr(state, "_bd_fast", None)
            if fast is None or fast[0] != len(state.assignments):
                table = {c: n for c, n in state.assignments.items() if n < 256}
                if 32 in table:
                    table[0xA0] = table[32]  # ReportLab prints a no-break space as a space
                fast = state._bd_fast = (len(state.assignments), table,
                                         frozenset(map(chr, table)))
            if fast[2].issuperset(text):
                return [(0, text.translate(fast[1]).encode("latin-1"))]
        return super().splitString(text, doc, encoding)

    def addObjects(self, doc) -> None:  # noqa: N802 - ReportLab's name
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = TTFont.State(self._asciiReadable)
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            base_font_name = b"".join((SUBSETN(n), b"+", self.face.name,
                                       self.face.subfontNameX)).decode("pdfdoc")
            widths, cmap = self._subset_objects(base_font_name, tuple(subset))
            font = pdfdoc.PDFTrueTypeFont()
            font.Name = internal_name
            font.BaseFont = base_font_name
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = widths  # bytes are written as they are
            cmap_stream = pdfdoc.PDFStream(content=cmap)
            cmap_stream.dictionary["Filter"] = pdfdoc.PDFName("FlateDecode")
            font.ToUnicode = doc.Reference(cmap_stream, "toUnicodeCMap:" + base_font_name)
            font.FontDescriptor = self.face.addSubsetObjects(doc, base_font_name, subset)
            doc.Reference(font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = font
        del self.state[doc]


def _font(name: str) -> TTFont:
    return _CachedSubsetFont(name, str(resource_path("fonts", _FILES[name])))


def register_fonts() -> None:
    """Register the document fonts with ReportLab, once per process (idempotent,
    thread-safe). Rendering starts with :func:`~.reportlab_setup.prepare_reportlab`,
    which does this and sets ReportLab's output for the whole process."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name in _FILES:
            pdfmetrics.registerFont(_font(name))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD,
                                      italic=REGULAR, boldItalic=BOLD)
        _registered = True


def preassign_characters(doc, characters: str) -> None:
    """Give ``characters`` their codes in both fonts' first subset of ``doc``, in this
    order, before any text is drawn. ReportLab numbers non-ASCII characters in order of
    first use, so without this two letters using the same characters in a different
    order embed different subsets (and the subset cache misses)."""
    for name in _FILES:
        pdfmetrics.getFont(name).splitString(characters, doc)


__all__ = ["BOLD", "REGULAR", "missing_characters", "preassign_characters", "register_fonts",
           "require_printable"]


def require_printable(label: str, text: str) -> None:
    """Refuse a name or address that would print with boxes in place of letters."""
    missing = missing_characters(text)
    if missing:
        shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
        raise UnprintableText(
            f"The {label} contains characters the letter font cannot print: {shown}. "
            f"Correct the {label} in the case (or spell it in Latin letters) and issue again.")
