"""What rendering a document does to ReportLab, for the whole process, in one place.

ReportLab keeps its configuration and its PDF serialisation in module globals, so these
are settings of the process, not of one document; :func:`prepare_reportlab` makes them
explicitly, once, where rendering starts (documents/render.py, the batch's worker
processes, the case summary), never as a side effect of importing a module:

* the document fonts registered (documents/fonts.py: DejaVu, embedded as cached subsets);
* page streams deflated only, not also ASCII85-encoded (``rl_config.useA85``): a quarter
  smaller and cheaper to write and to read back; the PDFs are stored as bytes, never
  as text;
* ReportLab's PDF object writing replaced by a cheaper one that writes the same bytes
  (documents/pdfwriting.py; docs/performance.md says what it saves, and
  tests/documents/test_pdfwriting.py renders every worked case both ways).
"""

from __future__ import annotations

import threading

from reportlab import rl_config

from . import pdfwriting
from .fonts import register_fonts

_lock = threading.Lock()
_prepared = False


def prepare_reportlab() -> None:
    """Set ReportLab up for rendering Billing Desk's documents (once per process;
    idempotent and thread-safe)."""
    global _prepared
    if _prepared:
        return
    with _lock:
        if _prepared:
            return
        register_fonts()
        rl_config.useA85 = 0
        pdfwriting.install()
        _prepared = True
