"""The store: every case, its history and its documents, in a case file (one SQLite
database, ``*.bdesk``: :mod:`.sqlite`) or in a database on a PostgreSQL server
(:mod:`.postgres`). The repositories and everything that is not SQL are shared by both
(:mod:`.connection` says what a backend supplies). No SQL lives outside this package;
the UI and the CLI use the API below.

    from billing_desk.store import open_store   # a case file's path, or a server

Each public name is imported from its module when first used (see
billing_desk/_lazy.py): the app's window opens a file and lists its cases
before it loads what editing, verifying and issuing need.
"""

from .._lazy import lazy_exports

#: each public name and the module that defines it
_WHERE = {
    "AttachmentRepository": "attachments",
    "AuditEntry": "audit",
    "CaseFile": "casefile", "SUFFIX": "sqlite.files", "create_case_file": "sqlite.files",
    "open_case_file": "sqlite.files",
    "CopyReport": "copying", "copy_store": "copying",
    "CaseRepository": "cases", "NewCase": "cases", "case_number_for": "cases",
    "AttachmentTooLarge": "errors", "CaseFileBusy": "errors", "CaseFileExists": "errors",
    "CaseAltered": "errors", "CaseFileNotFound": "errors", "ConnectionLost": "errors", "CorruptFile": "errors",
    "DatabaseNotEmpty": "errors", "DiskFull": "errors",
    "IssueRefused": "errors", "NewerVersion": "errors", "NotABillingDeskDatabase": "errors",
    "NotACaseFile": "errors", "NotAUser": "errors", "NotSQLite": "errors",
    "PasswordInTarget": "errors", "ReadOnlyFile": "errors", "RecordNotFound": "errors",
    "SchemaNeedsUpgrade": "errors", "ServerFailure": "errors",
    "ServerError": "errors", "ServerSignInRefused": "errors", "ServerUnavailable": "errors", "ServerUnreachable": "errors", "SignInRefused": "errors",
    "SettingsAltered": "errors", "StaleRevision": "errors", "StoreError": "errors",
    "ApprovalState": "incidents", "IncidentCancelled": "incidents",
    "IncidentRepository": "incidents",
    "Issue": "issues", "IssueRequest": "issues", "NewDocument": "issues",
    "MailRun": "mailruns", "MailRunRepository": "mailruns",
    "NoticeRecord": "outbox", "OutboxRepository": "outbox", "SendResult": "outbox",
    "CaseListing": "listing", "CaseQuery": "listing", "SortKey": "listing",
    "AttachmentRecord": "records", "CaseRecord": "records", "CaseSummary": "records",
    "DeterminationRecord": "records", "DocumentKind": "records",
    "DocumentRecord": "records", "DocumentCopy": "records", "QueueItem": "records",
    "Signature": "records", "UserRecord": "records",
    "InvalidSetting": "settings", "SETTINGS": "settings", "Setting": "settings",
    "Upgrade": "targets", "create_store": "targets", "is_server_target": "targets",
    "open_store": "targets", "upgrade_store": "targets",
    "UserRepository": "users",
    "VerifyReport": "verify",
    "WorkflowService": "workflow",
}
__getattr__, __dir__ = lazy_exports(__name__, _WHERE)

__all__ = sorted(_WHERE)
