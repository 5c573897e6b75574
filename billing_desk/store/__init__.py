"""The case file: one SQLite database (``*.bdesk``) holding every case, its history and
its documents. No SQL lives outside this package; the UI and the CLI use the API below.

    from billing_desk.store import create_case_file, open_case_file
"""

from .attachments import AttachmentRepository
from .audit import AuditEntry
from .casefile import SUFFIX, CaseFile, create_case_file, open_case_file
from .cases import CaseRepository, NewCase, WorkflowStep, case_number_for
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
    NotSQLite,
    ReadOnlyFile,
    RecordNotFound,
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
)
from .settings import SETTINGS, InvalidSetting, Setting
from .verify import VerifyReport

__all__ = [
    "AttachmentRecord", "AttachmentRepository", "AttachmentTooLarge", "AuditEntry",
    "CaseFile", "CaseFileBusy", "CaseFileExists", "CaseFileNotFound", "CaseListing",
    "CaseQuery", "CaseRecord", "CaseRepository", "CaseSummary", "CorruptFile",
    "DeterminationRecord", "DiskFull", "DocumentKind", "DocumentRecord", "InvalidSetting",
    "Issue", "IssueRefused", "IssueRequest", "NewCase", "NewDocument", "NewerVersion", "NotACaseFile", "NotSQLite", "ReadOnlyFile", "RecordNotFound",
    "SETTINGS", "SUFFIX", "Setting", "SortKey", "StaleRevision", "StoreError", "VerifyReport",
    "WorkflowStep", "case_number_for", "create_case_file", "open_case_file",
]
