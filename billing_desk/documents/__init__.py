"""Documents: the customer letter and the credit / back-bill memos of a case, rendered
to PDF (ReportLab, embedded DejaVu), read back and checked against their case before
they are issued. No Qt and no SQL here: the case file stores what :func:`prepare_issue`
returns; the app previews and prints the stored bytes. See docs/documents.md."""

from .._lazy import lazy_exports

#: each public name and the module that defines it (loaded on first use: see
#: billing_desk/_lazy.py)
_WHERE = {
    "BatchInterrupted": "batch",
    "DEFAULT_SETTINGS": "settings",
    "DocumentError": "errors",
    "DocumentInput": "model",
    "DocumentKind": "model",
    "DocumentMismatch": "errors",
    "DocumentSettings": "settings",
    "IssuedDocument": "issue",
    "MissingMailingAddress": "errors",
    "MissingSignoff": "errors",
    "Prepared": "batch",
    "RefundMethod": "settings",
    "Refused": "batch",
    "RenderedPdf": "render",
    "SETTINGS": "settings",
    "Setting": "settings",
    "SettingInvalid": "errors",
    "Signoff": "model",
    "StaleDetermination": "errors",
    "UnprintableText": "errors",
    "UnsupportedLocale": "errors",
    "check_copy": "readback",
    "check_document": "readback",
    "document_settings": "settings",
    "extract_text": "readback",
    "kinds_for": "model",
    "prepare_batch": "batch",
    "prepare_document": "issue",
    "prepare_issue": "issue",
    "render_document": "render",
    "verify_determination": "issue",
}
__getattr__, __dir__ = lazy_exports(__name__, _WHERE)

__all__ = sorted(_WHERE)
