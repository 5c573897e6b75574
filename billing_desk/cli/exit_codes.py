"""Exit codes of the command line: 0 success, 1 internal failure, 2 invalid input or
usage, and one code for each failure a clerk can meet with a case file or a server, so
scripts can tell "read-only" from "damaged" from "someone else saved first" from "the
server is down" (``billing-desk --help`` lists them, docs/cli.md explains them). A
failure that means the same on both backends has the same code."""

from __future__ import annotations

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
    StoreError,
)

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INVALID = 2
EXIT_VERIFY_FAILED = 14
#: the workflow or user rules refused the action (own case, above limit, no reason...)
EXIT_REFUSED = 15
#: issue: the case was refused; issue-batch: at least one case was refused (the others
#: were issued; the manifest and the reconciliation line give each reason)
EXIT_ISSUE_REFUSED = 18
#: issue-batch: stopped before the end (Ctrl+C, a worker process died, the case file
#: failed part-way); the cases not attempted are still approved, the next run issues them
EXIT_BATCH_STOPPED = 19
#: issue-batch: the reconciliation does not add up (a defect: report it)
EXIT_BATCH_UNRECONCILED = 20

#: (exception, exit code, what it means) -- one code per failure, in --help and docs/cli.md
EXIT_CODES: tuple[tuple[type[StoreError], int, str], ...] = (
    (PasswordInTarget, 2, ""),
    (CaseFileNotFound, 3, "the case file, or the case named, does not exist"),
    (RecordNotFound, 3, ""),
    (NotSQLite, 4, "the file is not a case file (not an SQLite database at all)"),
    (NotACaseFile, 5, "the file, or the server's database, belongs to another program"),
    (NotABillingDeskDatabase, 5, ""),
    (NewerVersion, 6, "the case file or server database was written by a newer Billing Desk"),
    (CorruptFile, 7, "the case file is damaged or truncated"),
    (ReadOnlyFile, 8, "the case file (or its folder) cannot be written"),
    (DiskFull, 9, "the disk is full; the change was not saved (earlier ones are intact)"),
    (CaseFileBusy, 10, "another program or workstation kept the case file or database locked"),
    (CaseFileExists, 11, "new/demo/copy: the file exists, or the database is not empty "
                         "(never overwritten)"),
    (DatabaseNotEmpty, 11, ""),
    (StaleRevision, 12, "someone else saved the case first; nothing was overwritten"),
    (AttachmentTooLarge, 13, "the attachment is larger than the case file accepts"),
    (SignInRefused, 16, "sign-in refused (login or password not correct, or account disabled)"),
    (NotAUser, 16, ""),
    (NotADemoFile, 17, "demo: the file is not a demo file (demo users have public passwords)"),
    (CaseFileIOError, 21, "the case file could not be read or written (a disk or network "
                          "error), or the server failed"),
    (ServerFailure, 21, ""),
    (LocksLost, 22, "Billing Desk lost its lock on the case file; nothing more was saved"),
    (RefusedByFile, 23, "the store's own rules (file or server) refused the change; nothing "
                        "was saved"),
    (IsTheCaseFile, 24, "the file given is part of a case file open here (not attached or read)"),
    (ServerUnreachable, 25, "the server cannot be reached (down, wrong address, network)"),
    (ConnectionLost, 26, "the connection to the server was lost during the change; it was "
                         "not saved (or, if the message says so, may have been)"),
    (ServerSignInRefused, 27, "the server refused the connection (password, user or "
                              "database name)"),
    (SchemaNeedsUpgrade, 28, "the server's database needs `billing-desk upgrade` (empty, or "
                             "an older schema)"),
)


def exit_code(error: StoreError) -> int:
    for kind, code, _ in EXIT_CODES:
        if isinstance(error, kind):
            return code
    return 1


def exit_codes_epilog() -> str:
    codes = [(0, "success"), (1, "internal failure"),
             (2, "invalid input or usage (import: at least one file was rejected)")]
    codes += [(code, text) for _, code, text in EXIT_CODES if text]
    codes += [(EXIT_VERIFY_FAILED, "verify: the history is broken or does not match the cases"),
              (EXIT_REFUSED, "the workflow or user rules refused the action (the message says "
                             "which rule)"),
              (EXIT_ISSUE_REFUSED, "issue: the case was refused; issue-batch: at least one case "
                                   "was refused"),
              (EXIT_BATCH_STOPPED, "issue-batch: stopped before the end (Ctrl+C); the rest are "
                                   "still approved"),
              (EXIT_BATCH_UNRECONCILED, "issue-batch: the reconciliation does not add up")]
    return "\n".join(["exit codes:"] + [f"  {code:<3} {text}" for code, text in sorted(codes)])

