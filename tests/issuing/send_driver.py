"""Sends a store's outbox from its own process (the kill test's sender, the two
workstations of the concurrency test, bench/notices.py).

    python tests/issuing/send_driver.py TARGET [--queue-only] [--go GO-FILE]

TARGET: a case file or a server database's connection string. Prints "ready" once the
store is open, waits for GO-FILE if given (so that two processes
start together), runs the outbox as ``billing-desk outbox send`` does (temporary
failures due again at once), and prints one JSON line with the run's counts.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from billing_desk.domain.outbox import Backoff  # noqa: E402
from billing_desk.issuing.outbox import queue_notices, send_notices  # noqa: E402
from billing_desk.store import open_store  # noqa: E402
from tests.staff import sign_in_all  # noqa: E402

ACTOR = "mailroom"


def main(argv: list[str]) -> None:
    path = argv[0]
    go = Path(argv[argv.index("--go") + 1]) if "--go" in argv else None
    with open_store(path) as cf:
        sign_in_all(cf, [ACTOR])  # (as the mail room does at its workstation)
        print("ready", flush=True)
        while go is not None and not go.exists():
            time.sleep(0.001)
        if "--queue-only" in argv:
            print(json.dumps({"queued": len(queue_notices(cf, actor=ACTOR))}), flush=True)
            return
        report = send_notices(cf, actor=ACTOR, password=None,
                              backoff=Backoff(delays=(timedelta(0),)))
        print(json.dumps({"queued": report.queued, "sent": report.sent,
                          "uncertain_found": [n.id for n in report.uncertain_found],
                          "uncertain": report.uncertain, "attempted": report.attempted,
                          "failed": report.failed_permanent + report.failed_temporary,
                          "blocked": report.blocked}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
