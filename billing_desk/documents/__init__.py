"""Documents: the customer letter and the credit / back-bill memos of a case, rendered
to PDF (ReportLab, embedded DejaVu), read back and checked against their case before
they are issued. No Qt and no SQL here: the case file stores what :func:`prepare_issue`
returns; the app previews and prints the stored bytes. See docs/documents.md."""

from .batch import BatchInterrupted, Prepared, Refused, prepare_batch
from .errors import (DocumentError, DocumentMismatch, MissingMailingAddress, MissingSignoff,
                     SettingInvalid, StaleDetermination, UnprintableText, UnsupportedLocale)
from .issue import IssuedDocument, prepare_document, prepare_issue, verify_determination
from .model import DocumentInput, DocumentKind, Signoff, kinds_for
from .readback import check_copy, check_document, extract_text
from .render import RenderedPdf, render_document
from .settings import (DEFAULT_SETTINGS, SETTINGS, DocumentSettings, RefundMethod, Setting,
                       document_settings)

__all__ = [
    "BatchInterrupted", "DEFAULT_SETTINGS", "DocumentError", "DocumentInput", "DocumentKind",
    "DocumentMismatch", "DocumentSettings", "IssuedDocument", "MissingMailingAddress",
    "MissingSignoff", "Prepared", "RefundMethod", "Refused", "RenderedPdf", "SETTINGS",
    "Setting", "SettingInvalid", "Signoff", "StaleDetermination", "UnprintableText",
    "UnsupportedLocale", "check_copy", "check_document", "document_settings", "extract_text",
    "kinds_for", "prepare_batch", "prepare_document", "prepare_issue", "render_document",
    "verify_determination",
]
