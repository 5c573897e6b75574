"""Issues one case from its own process, starting when told (the concurrency test's
second clerk).

    python tests/issuing/issue_driver.py TARGET CASE-ID GO-FILE ACTOR

Waits until GO-FILE exists, issues the case through the service, and prints one JSON
line: whether this process created the issue, and the ids of the documents returned.
Once its documents are rendered it waits (up to 10 s) for the other process to have
rendered too, so both reach the store with documents in hand: the race the store's
second look inside the transaction must settle.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

import billing_desk.issuing.service as service
from billing_desk.store import open_store
from tests.staff import sign_in_all

RENDER = service.prepare_issue


def main(path: str, case_id: int, go: Path, actor: str) -> None:
    with open_store(path) as cf:
        sign_in_all(cf, [actor])  # (as the mail room does at its workstation)
        print("ready", flush=True)
        while not go.exists():
            time.sleep(0.001)
        rendered = {"count": 0}

        def render_then_wait(inp):
            documents = RENDER(inp)
            rendered["count"] += 1
            go.with_name(f"rendered-{actor}").touch()
            deadline = time.monotonic() + 10
            while len(list(go.parent.glob("rendered-*"))) < 2 and time.monotonic() < deadline:
                time.sleep(0.001)
            return documents

        service.prepare_issue = render_then_wait
        issue = service.issue_documents(cf, case_id, actor=actor, issue_date=date(2026, 3, 4))
        print(json.dumps({"created": issue.created, "rendered": rendered["count"],
                          "documents": [d.id for d in issue.documents]}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])
