"""``billing-desk determine`` through the real console script, in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared_cases import load_expected, worked_cases

CASES = worked_cases()


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("billing-desk")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("billing-desk")
    assert found, "the billing-desk console script is not installed (run scripts/setup)"
    return [found]


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "BILLING_DESK_DEBUG"}
    return subprocess.run(_cli() + list(args), input=stdin, capture_output=True, timeout=60,
                          env=env)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_cli_json_matches_expected(path):
    expected = load_expected(path)
    proc = run("determine", str(path), "--json")
    assert b"Traceback" not in proc.stderr
    got = json.loads(proc.stdout)
    if expected["format"] == "billing-desk/error@1":
        assert proc.returncode == 2
        key = lambda e: (e["field"], e["message"])  # noqa: E731
        assert sorted(got["errors"], key=key) == sorted(expected["errors"], key=key)
    else:
        assert proc.returncode == 0, proc.stderr
        assert got == expected


def test_stdin_is_read_with_dash():
    path = next(p for p in CASES if p.name.startswith("18-"))
    proc = run("determine", "-", "--json", stdin=path.read_bytes())
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == load_expected(path)


def test_readable_table_shows_periods_clauses_totals_and_divergence():
    path = next(p for p in CASES if p.name.startswith("08-"))
    proc = run("determine", str(path))
    assert proc.returncode == 0
    out = proc.stdout.decode()
    assert "2004-09-01..2004-09-30" in out          # the straddling period
    assert "26-721(a)(2)" in out
    assert "Billed in full: older part exceeds the minimal threshold" in out
    assert "Back bill:" in out and "60.00" in out
    assert "Readings differ: YES" in out
    assert "executive_summary" in out and "staff_practice" in out


def test_readable_errors_name_the_field_and_exit_2():
    path = next(p for p in CASES if p.name.startswith("bad-02-"))
    proc = run("determine", str(path))
    assert proc.returncode == 2
    assert "periods[0].end" in proc.stdout.decode()
    assert "must not be before start" in proc.stdout.decode()


@pytest.mark.parametrize("payload,needle", [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "must be a JSON object"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b'{"format": NaN}', "NaN"),
    (b"", "not valid JSON"),
])
def test_unreadable_input_is_error_json_at_dollar(payload, needle):
    proc = run("determine", "-", "--json", stdin=payload)
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr
    err = json.loads(proc.stdout)
    assert err["format"] == "billing-desk/error@1"
    assert err["errors"][0]["field"] == "$"
    assert needle in err["errors"][0]["message"]


def test_missing_file_is_error_json(tmp_path):
    proc = run("determine", str(tmp_path / "nope.json"), "--json")
    assert proc.returncode == 2
    err = json.loads(proc.stdout)
    assert err["errors"][0]["field"] == "$"
    assert "cannot read" in err["errors"][0]["message"]


def test_usage_error_goes_to_stderr_with_exit_2():
    proc = run("determine")
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert b"usage:" in proc.stderr


def test_a_trailing_newline_in_a_date_or_amount_is_named_at_its_field():
    from tests.domain.builders import case_json, period

    data = case_json(discovered_on="2010-05-01\n",
                     periods=[period("2010-01-01", "2010-01-31", "50.00\n", "40.00")])
    proc = run("determine", "-", "--json", stdin=json.dumps(data).encode())
    assert proc.returncode == 2
    assert {e["field"] for e in json.loads(proc.stdout)["errors"]} == {"discovered_on", "periods[0].billed"}


def test_a_bom_at_the_start_of_the_file_is_ignored():
    path = next(p for p in CASES if p.name.startswith("18-"))
    proc = run("determine", "-", "--json", stdin="\ufeff".encode() + path.read_bytes())
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == load_expected(path)
