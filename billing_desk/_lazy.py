"""Package names that load their module on first use (PEP 562).

The app starts in well under a second only if it does not load what it does not show:
``billing_desk.documents`` pulls in ReportLab, pdfium and Pillow (about a second on a
cold start), ``billing_desk.issuing`` the documents and the worker pool. Their
``__init__`` lists what each public name is and where it lives; the module is imported
the first time the name is used (``from billing_desk.documents import DocumentError``
loads only ``documents.errors``).
"""

from __future__ import annotations

import importlib
from typing import Any, Callable, Mapping


def lazy_exports(package: str, where: Mapping[str, str]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, whose public names are the keys
    of ``where`` (each mapped to the submodule that defines it)."""
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value  # the next use is a plain lookup
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where))

    return __getattr__, __dir__
