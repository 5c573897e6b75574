"""The case file: one SQLite database (``*.bdesk``) holding every case, its history and
its documents. No SQL lives outside this package; the UI and the CLI use the API below.

    from billing_desk.store import create_case_file, open_case_file

Each public name is imported from its module when first used (see
billing_desk/_lazy.py): the app's window opens a file and lists its cases
before it loads what editing, verifying and issuing need.
"""

from .._lazy import lazy_exports

#: each public name and the module that defines it
_WHERE = {
    "AttachmentRepository": "attachments",
    "AuditEntry": "audit",
    "CaseFile": "casefile", "SUFFIX": "casefile", "create_case_file": "casefile",
    "open_case_file": "casefile",
    "CaseRepository": "cases", "NewCase": "cases", "case_number_for": "cases",
    "AttachmentTooLarge": "errors", "CaseFileBusy": "errors", "CaseFileExists": "errors",
    "CaseFileNotFound": "errors", "CorruptFile": "errors", "DiskFull": "errors",
    "CaseAltered": "errors", "SettingsAltered": "errors",
    "IssueRefused": "errors", "NewerVersion": "errors", "NotACaseFile": "errors",
    "NotAUser": "errors", "NotSQLite": "errors", "ReadOnlyFile": "errors",
    "RecordNotFound": "errors", "SignInRefused": "errors", "StaleRevision": "errors",
    "StoreError": "errors",
    "ApprovalState": "incidents", "IncidentCancelled": "incidents",
    "IncidentRepository": "incidents",
    "Issue": "issues", "IssueRequest": "issues", "NewDocument": "issues",
    "MailRun": "mailruns", "MailRunRepository": "mailruns",
    "NoticeRecord": "outbox", "OutboxRepository": "outbox", "SendResult": "outbox",
    "CaseListing": "listing", "CaseQuery": "listing", "SortKey": "listing",
    "AttachmentRecord": "records", "CaseRecord": "records", "CaseSummary": "records",
    "DeterminationRecord": "records", "DocumentKind": "records",
    "DocumentRecord": "records", "QueueItem": "records", "Signature": "records",
    "UserRecord": "records",
    "InvalidSetting": "settings", "SETTINGS": "settings", "Setting": "settings",
    "UserRepository": "users",
    "VerifyReport": "verify",
    "WorkflowService": "workflow",
}
__getattr__, __dir__ = lazy_exports(__name__, _WHERE)

__all__ = sorted(_WHERE)
