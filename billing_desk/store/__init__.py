"""The case file: one SQLite database (``*.bdesk``) holding every case, its history and
its documents. No SQL lives outside this package; the UI and the CLI use the API below.

    from billing_desk.store import create_case_file, open_case_file
"""

from .attachments import AttachmentRepository
from .audit import AuditEntry
from .casefile import SUFFIX, CaseFile, create_case_file, open_case_file
from .cases import CaseRepository, NewCase, case_number_for
from .errors import (
    AttachmentTooLarge,
    CaseFileBusy,
    CaseFileExists,
    CaseFileNotFound,
    CorruptFile,
    DiskFull,
    IssueRefused,
    NewerVersion,
    NotACaseFile,
    NotAUser,
    NotSQLite,
    ReadOnlyFile,
    RecordNotFound,
    SignInRefused,
    StaleRevision,
    StoreError,
)
from .issues import Issue, IssueRequest, NewDocument
from .listing import CaseListing, CaseQuery, SortKey
from .records import (
    AttachmentRecord,
    CaseRecord,
    CaseSummary,
    DeterminationRecord,
    DocumentKind,
    DocumentRecord,
    QueueItem,
    Signature,
    UserRecord,
)
from .settings import SETTINGS, InvalidSetting, Setting
from .users import UserRepository
from .verify import VerifyReport
from .workflow import WorkflowService

__all__ = [
    "AttachmentRecord", "AttachmentRepository", "AttachmentTooLarge", "AuditEntry",
    "CaseFile", "CaseFileBusy", "CaseFileExists", "CaseFileNotFound", "CaseListing",
    "CaseQuery", "CaseRecord", "CaseRepository", "CaseSummary", "CorruptFile",
    "DeterminationRecord", "DiskFull", "DocumentKind", "DocumentRecord", "InvalidSetting",
    "Issue", "IssueRefused", "IssueRequest", "NewCase", "NewDocument", "NewerVersion",
    "NotACaseFile", "NotAUser", "NotSQLite", "QueueItem", "ReadOnlyFile", "RecordNotFound",
    "SETTINGS", "SUFFIX", "Setting", "SignInRefused", "Signature", "SortKey", "StaleRevision",
    "StoreError", "UserRecord", "UserRepository", "VerifyReport", "WorkflowService",
    "case_number_for", "create_case_file", "open_case_file",
]
