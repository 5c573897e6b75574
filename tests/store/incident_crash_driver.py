"""Creates an incident from a CSV until it is killed (the incident crash test's victim).

``python -m tests.store.incident_crash_driver FILE CSV`` opens the case file, checks the
CSV and creates the incident, printing ``progress N`` after each checkpoint of the one
transaction (every 250 cases) and ``committed`` once it returned."""

from __future__ import annotations

import sys
from pathlib import Path

from billing_desk.domain.incident_csv import parse_incident_csv
from billing_desk.issuing.incidents import create_incident
from billing_desk.store import open_case_file
from tests.incident_data import SYNTHETIC


def main(path: str, csv_path: str) -> None:
    data = Path(csv_path).read_bytes()
    with open_case_file(path) as cf:
        imported = parse_incident_csv(data, SYNTHETIC)
        print("checked", flush=True)
        create_incident(cf, SYNTHETIC, imported, source_name="big.csv", source=data,
                        actor="clerk",
                        progress=lambda done, total: print(f"progress {done}", flush=True))
        print("committed", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
