"""How much input Billing Desk takes in at once, wherever a file or a paste comes in.

Each limit is far above what an office's real input needs and far below what would
make the app or the command line wait, swap or fall over: a case file of a thousand
periods is about 200 KB; a limit refused is said with its figure, naming the field
(the CLI's exit 2), and nothing is changed. docs/case-format.md lists them.
"""

from __future__ import annotations

from ..errors import EXIT_INVALID, BillingDeskError

#: a case@1 file (or standard input): one megabyte
CASE_FILE_BYTES = 1_048_576
#: how deep objects and arrays may nest in a case@1 file (case@1 itself needs 3)
JSON_DEPTH = 16
#: periods in one case (a hundred years of monthly bills is 1,200)
PERIODS = 1_200
#: problems listed in one error report; the rest are counted
PROBLEMS_SHOWN = 100
#: a CSV of periods (imported or pasted into a case): one megabyte
PERIODS_CSV_BYTES = 1_048_576
#: an incident's CSV of accounts: 64 MB (100,000 accounts take about 12 MB)
INCIDENT_CSV_BYTES = 64 * 1_048_576
#: a CSV of bills issued per year and service
BILLS_CSV_BYTES = 1_048_576


def size_text(n: int) -> str:
    """A limit in bytes as people say it: ``1 MB``, ``64 MB``, ``500 bytes``."""
    if n >= 1_048_576 and n % 1_048_576 == 0:
        return f"{n // 1_048_576} MB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KB"
    return f"{n:,} bytes"


class TooLarge(BillingDeskError, OSError):
    """Input over its size limit: an ``OSError`` (the file cannot be read, as if
    unreadable), whose ``strerror`` says which limit. The reader stops at the limit."""

    exit_code = EXIT_INVALID

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(f"larger than {size_text(limit)}, the most Billing Desk reads "
                         "from one file")
        self.strerror = str(self.args[0])
        self.filename, self.limit = what, limit

    def __str__(self) -> str:
        return f"{self.filename} is {self.strerror}"


def read_at_most(stream, limit: int, what: str) -> bytes:
    """The bytes of a binary ``stream``, refused with :class:`TooLarge` past ``limit``
    (at most ``limit + 1`` bytes are read: ``/dev/zero`` or a 10 GB file answer at once)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(what, limit)
    return data
