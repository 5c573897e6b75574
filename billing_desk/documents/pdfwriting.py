"""ReportLab's PDF serialisation, made cheaper for documents made by the thousand.

Writing the PDF objects of a document (fonts, pages, the info dictionary, the
cross-reference table) was a quarter of rendering a letter: some 230 small values a
document, each formatted through a chain of ``isinstance`` tests, a name-escaping loop
and a codec lookup. Nearly all of them are the same few hundred names and numbers from
document to document. :func:`install` replaces, in ReportLab's ``pdfdoc`` module:

- ``PDFName`` (escaping a dictionary key) and ``pdfdocEnc`` (encoding a string in
  PDFDocEncoding) by the same functions with a cache (both are pure functions of a
  string);
- ``format`` by a version that handles exact ``bytes``, ``str``, ``int`` and ``float``
  first, the way the original does, and hands everything else to the original;
- ``PDFDictionary.format`` by the original's code with each key's formatted name taken
  from a cache.

The output is byte for byte the same (tests/documents/test_pdfwriting.py renders every
worked case both ways); every issued document is still read back and checked.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc

_CACHE = 1 << 14
_ORIGINAL = {"PDFName": pdfdoc.PDFName, "pdfdocEnc": pdfdoc.pdfdocEnc, "format": pdfdoc.format,
             "PDFDictionary.format": pdfdoc.PDFDictionary.format}
_installed = False


def install() -> None:
    """Put the cheaper serialisation in place (once per process; idempotent)."""
    global _installed
    if _installed:
        return
    original_format = _ORIGINAL["format"]
    name = lru_cache(maxsize=_CACHE)(_ORIGINAL["PDFName"])
    encode = lru_cache(maxsize=_CACHE)(_ORIGINAL["pdfdocEnc"])

    @lru_cache(maxsize=_CACHE)
    def name_bytes(key: str) -> bytes:
        return encode(name(key))

    def format(element, document, toplevel=0):  # noqa: A001 - ReportLab's name
        kind = type(element)
        if kind is bytes:
            return element
        if kind is str:
            return encode(element)
        if kind is int or kind is float:
            return fp_str(element).encode("latin-1")  # (digits, sign and point only)
        return original_format(element, document, toplevel)

    def dictionary_format(self, document, IND=b"\n "):  # noqa: N803 - ReportLab's name
        entries = self.dict
        keys = list(entries.keys())
        if not isinstance(entries, OrderedDict):
            keys.sort()
        lines = [name_bytes(k) + b" " + format(entries[k], document) for k in keys]
        if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
            lines = IND.join(lines)
        else:  # break up every 6 elements anyway
            for i in reversed(range(6, len(lines), 6)):
                lines.insert(i, b"\n ")
            lines = b" ".join(lines)
        return b"<<\n" + lines + b"\n>>"

    pdfdoc.PDFName = name
    pdfdoc.pdfdocEnc = encode
    pdfdoc.format = format
    pdfdoc.PDFDictionary.format = dictionary_format
    _installed = True


def uninstall() -> None:
    """ReportLab's own serialisation again (for the test that compares the two)."""
    global _installed
    pdfdoc.PDFName = _ORIGINAL["PDFName"]
    pdfdoc.pdfdocEnc = _ORIGINAL["pdfdocEnc"]
    pdfdoc.format = _ORIGINAL["format"]
    pdfdoc.PDFDictionary.format = _ORIGINAL["PDFDictionary.format"]
    _installed = False
