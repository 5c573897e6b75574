"""Issuing: the service that joins the case file and the documents -- a case's letter
and memos rendered, read back and stored as its issue, one case or a whole batch; the
stored documents previewed, printed (a second print is a reprint stamped COPY) and
saved. It sits above ``store`` and ``documents`` (which never import each other) and
below the app and the CLI, which call only this. See docs/documents.md.
"""

from .batch import BatchReport, issue_batch, selected_cases
from .errors import NoIssueRecord, NotApproved
from .inputs import set_document_settings, settings_values
from .manifest import Manifest
from .service import (Printout, issue_documents, issued_documents, preview_documents,
                      print_document, reprint_document, save_document)
from .signoffs import Signoffs, current_fingerprint, signoffs_for

__all__ = [
    "BatchReport", "Manifest", "NoIssueRecord", "NotApproved", "Printout", "Signoffs",
    "current_fingerprint", "issue_batch", "issue_documents", "issued_documents",
    "preview_documents", "print_document", "reprint_document", "save_document",
    "selected_cases", "set_document_settings", "settings_values", "signoffs_for",
]
