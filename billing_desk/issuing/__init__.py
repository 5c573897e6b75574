"""Issuing: the service that joins the case file and the documents -- a case's letter
and memos rendered, read back and stored as its issue, one case or a whole batch; the
stored documents previewed, printed (a second print is a reprint stamped COPY) and
saved. It sits above ``store`` and ``documents`` (which never import each other) and
below the app and the CLI, which call only this. See docs/documents.md.
"""

from .._lazy import lazy_exports

#: each public name and the module that defines it (loaded on first use: see
#: billing_desk/_lazy.py)
_WHERE = {
    "BatchInProgress": "manifest",
    "BatchReport": "batch",
    "IssueDateRefused": "errors",
    "SettingView": "settings",
    "change_letter_settings": "settings",
    "change_setting": "settings",
    "export_copy": "service",
    "office_settings": "settings",
    "office_settings_file_keys": "settings",
    "recover_runs": "manifest",
    "require_history": "service",
    "CaseSummaryPdf": "case_summary",
    "Manifest": "manifest",
    "NoIssueRecord": "errors",
    "NotApproved": "errors",
    "Printout": "service",
    "Signoffs": "signoffs",
    "case_summary_pdf": "case_summary",
    "current_fingerprint": "signoffs",
    "IncidentView": "incidents",
    "create_incident": "incidents",
    "incident_summary_pdf": "incidents",
    "incident_view": "incidents",
    "issue_batch": "batch",
    "issue_incident": "incidents",
    "CaseDelivery": "notice_status", "SendReport": "outbox", "case_delivery": "notice_status",
    "decide_notice": "outbox", "mail_settings": "outbox", "queue_notices": "outbox",
    "release_abandoned": "outbox", "send_notices": "outbox", "set_mail_settings": "outbox",
    "issue_documents": "service",
    "issued_documents": "service",
    "preview_documents": "service",
    "print_document": "service",
    "reprint_document": "service",
    "save_case_summary": "case_summary",
    "save_document": "service",
    "save_incident_summary": "incidents",
    "selected_cases": "batch",
    "set_document_settings": "inputs",
    "settings_values": "inputs",
    "signoffs_for": "signoffs",
}
__getattr__, __dir__ = lazy_exports(__name__, _WHERE)

__all__ = sorted(_WHERE)
