"""Exit codes of the command line: 0 success, 1 internal failure, 2 invalid input or
usage, and one code for each failure a clerk can meet with a case file or a server, so
scripts can tell "read-only" from "damaged" from "someone else saved first" from "the
server is down" (``billing-desk --help`` lists them, docs/cli.md explains them). A
failure that means the same on both backends has the same code."""

from __future__ import annotations

from ..errors import EXIT_INTERNAL, EXIT_INVALID, EXIT_REFUSED, BillingDeskError  # noqa: F401 (re-exported)
from ..store.errors import (
    AttachmentTooLarge,
    CaseFileBusy,
    CaseFileExists,
    CaseFileIOError,
    CaseFileNotFound,
    ConnectionLost,
    CorruptFile,
    DatabaseNotEmpty,
    DiskFull,
    IsTheCaseFile,
    LocksLost,
    NewerVersion,
    NotABillingDeskDatabase,
    NotACaseFile,
    NotADemoFile,
    NotAUser,
    NotSQLite,
    PasswordInTarget,
    ReadOnlyFile,
    RecordNotFound,
    RefusedByFile,
    SchemaNeedsUpgrade,
    ServerFailure,
    ServerSignInRefused,
    ServerUnreachable,
    SignInRefused,
    StaleRevision,
)

EXIT_OK = 0
EXIT_VERIFY_FAILED = 14
#: issue: the case was refused; issue-batch: at least one case was refused (the others
#: were issued; the manifest and the reconciliation line give each reason)
EXIT_ISSUE_REFUSED = 18
#: issue-batch: stopped before the end (Ctrl+C, a worker process died, the case file
#: failed part-way); the cases not attempted are still approved, the next run issues them
EXIT_BATCH_STOPPED = 19
#: issue-batch: the reconciliation does not add up (a defect: report it)
EXIT_BATCH_UNRECONCILED = 20
#: outbox send: the mail server cannot be used as set up: nothing was sent
EXIT_MAIL_UNUSABLE = 29
#: outbox send: notices need a person: failed for good, or uncertain (perhaps sent)
EXIT_NOTICES_NEED_A_PERSON = 30

#: the failures with a code of their own, as --help and docs/cli.md list them (each
#: class carries its code and what it means: billing_desk/errors.py)
DOCUMENTED: tuple[type[BillingDeskError], ...] = (
    PasswordInTarget, CaseFileNotFound, RecordNotFound, NotSQLite, NotACaseFile,
    NotABillingDeskDatabase, NewerVersion, CorruptFile, ReadOnlyFile, DiskFull, CaseFileBusy,
    CaseFileExists, DatabaseNotEmpty, StaleRevision, AttachmentTooLarge,
    SignInRefused, NotAUser, NotADemoFile, CaseFileIOError, ServerFailure, LocksLost,
    RefusedByFile, IsTheCaseFile, ServerUnreachable, ConnectionLost, ServerSignInRefused,
    SchemaNeedsUpgrade,
)
#: (exception, exit code, what it means)
EXIT_CODES: tuple[tuple[type[BillingDeskError], int, str], ...] = tuple(
    (kind, kind.exit_code, kind.meaning) for kind in DOCUMENTED)


def exit_code(error: BaseException) -> int:
    """The code ``billing-desk`` exits with when ``error`` stopped it."""
    return error.exit_code if isinstance(error, BillingDeskError) else EXIT_INTERNAL


def exit_codes_epilog() -> str:
    codes = [(0, "success"), (1, "internal failure"),
             (2, "invalid input or usage (import: at least one file was rejected)")]
    codes += [(code, text) for _, code, text in EXIT_CODES if text]
    codes += [(EXIT_VERIFY_FAILED, "verify: the history is broken, does not match the cases, or "
                                  "differs from an --expect head"),
              (EXIT_REFUSED, "the workflow or user rules refused the action (the message says "
                             "which rule)"),
              (EXIT_ISSUE_REFUSED, "issue: the case was refused; issue-batch: at least one case "
                                   "was refused"),
              (EXIT_BATCH_STOPPED, "issue-batch: stopped before the end (Ctrl+C); the rest are "
                                   "still approved"),
              (EXIT_BATCH_UNRECONCILED, "issue-batch: the reconciliation does not add up"),
              (EXIT_MAIL_UNUSABLE, "outbox send: the mail server cannot be used as set up; "
                                   "nothing was sent"),
              (EXIT_NOTICES_NEED_A_PERSON, "outbox send: notices need a person (failed for "
                                           "good, or uncertain: perhaps sent)")]
    return "\n".join(["exit codes:"] + [f"  {code:<3} {text}" for code, text in sorted(codes)])

