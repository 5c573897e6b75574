"""Bounded input (issue 22, point 5): a file or a paste too large, too deep, too long or
with a key given twice is refused with a message that names the limit or the field
(exit 2), an error report lists at most 100 problems and counts the rest, and an
import of many files reports a bad one and goes on with the others."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest

from billing_desk.cli import main
from billing_desk.domain.entry import TooManyRows, parse_csv_text, parse_rows, split_pasted_text
from billing_desk.domain.limits import CASE_FILE_BYTES, JSON_DEPTH, PERIODS, PROBLEMS_SHOWN
from billing_desk.store import create_store
from tests.cli.test_determine_cli import run
from tests.shared_cases import worked_cases
from tests.staff import PASSWORD, add_staff

CASE = next(p for p in worked_cases() if p.name.startswith("01-"))


def case_json() -> dict:
    return json.loads(CASE.read_text(encoding="utf-8"))


def errors_of(proc) -> list[dict]:
    assert proc.returncode == 2, proc.stderr
    assert b"Traceback" not in proc.stderr
    return json.loads(proc.stdout)["errors"]


def test_determine_of_a_device_or_a_huge_file_answers_at_once(tmp_path):
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as f:
        f.write(b"[" * 10_000_000)  # 10 MB
    for path in ("/dev/zero", str(huge)):
        started = time.monotonic()
        [error] = errors_of(run("determine", path, "--json"))
        assert time.monotonic() - started < 30  # (the figure: docs/case-format.md, bench)
        assert error == {"field": "$", "message": f"cannot read {path}: larger than 1 MB, "
                                                  "the most Billing Desk reads from one file"}
    text = run("determine", "/dev/zero")
    assert text.returncode == 2 and b"larger than 1 MB" in text.stdout


def test_determine_starts_without_the_document_layers():
    """What makes ``determine`` answer in well under a second: the command line loads
    ReportLab, PDFium, the issuing layer and the demo generator only for the commands
    that use them."""
    import subprocess
    import sys

    probe = ("import sys\n"
             "from billing_desk.cli import main\n"
             "main(['determine', '/dev/zero'])\n"
             "heavy = ('reportlab', 'pypdfium2', 'billing_desk.issuing.service', "
             "'billing_desk.documents.issue', 'PySide6')\n"
             "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120)
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout + proc.stderr


def test_a_file_just_under_the_limit_is_read_and_one_just_over_is_not(tmp_path):
    data = json.dumps(case_json()).encode()
    under = tmp_path / "under.json"
    under.write_bytes(data + b" " * (CASE_FILE_BYTES - len(data)))
    assert run("determine", str(under)).returncode == 0
    over = tmp_path / "over.json"
    over.write_bytes(data + b" " * (CASE_FILE_BYTES - len(data) + 1))
    assert "larger than 1 MB" in errors_of(run("determine", str(over), "--json"))[0]["message"]


def test_nesting_past_the_limit_is_refused_where_it_goes_deeper(tmp_path):
    case = case_json()
    case["why"] = json.loads("[" * JSON_DEPTH + "]" * JSON_DEPTH)
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(case))
    errors = errors_of(run("determine", str(path), "--json"))
    assert {"field": "why" + "[0]" * (JSON_DEPTH - 1),
            "message": f"nested more than {JSON_DEPTH} levels deep (objects and arrays within "
                       "each other)"} in errors
    path.write_text("[" * 200_000 + "]" * 200_000)  # past the JSON decoder's own depth
    assert errors_of(run("determine", str(path), "--json"))[0]["message"].startswith(
        f"nested more than {JSON_DEPTH} levels deep")


def test_a_key_given_twice_is_refused_naming_the_field(tmp_path):
    text = CASE.read_text(encoding="utf-8")
    path = tmp_path / "twice.json"
    path.write_text(text.replace('"number":', '"number": "999-99-99", "number":', 1))
    errors = errors_of(run("determine", str(path), "--json"))
    assert errors == [{"field": "account.number",
                       "message": "is given more than once; give each field once"}]
    path.write_text(text.replace('"billed":', '"billed": "1.00", "billed":', 1))
    assert errors_of(run("determine", str(path), "--json"))[0]["field"] == "periods[0].billed"


def test_too_many_periods_are_refused_with_the_limit(tmp_path):
    case = case_json()
    period = case["periods"][0]
    case["periods"] = [period] * (PERIODS + 1)
    path = tmp_path / "long.json"
    path.write_text(json.dumps(case))
    assert errors_of(run("determine", str(path), "--json")) == [
        {"field": "periods", "message": f"has {PERIODS + 1:,} periods; a case may have at most "
                                        f"{PERIODS:,}"}]


def test_an_error_report_lists_the_first_hundred_problems_and_counts_the_rest(tmp_path):
    case = case_json()
    period = dict(case["periods"][0], billed="x")
    case["periods"] = [period] * 1000  # a problem each
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(case))
    errors = errors_of(run("determine", str(path), "--json"))
    assert len(errors) == PROBLEMS_SHOWN + 1
    assert errors[-1] == {"field": "$", "message": "and 900 more problems not listed (the "
                                                   "first 100 are; 1,000 in all)"}
    text = run("determine", str(path)).stdout.decode()
    assert text.startswith("The case is not valid (1,000 problems):")
    assert len(text.splitlines()) == 1 + PROBLEMS_SHOWN + 1


def test_an_import_of_many_files_reports_each_bad_one_and_imports_the_rest(
        tmp_path, capsys, monkeypatch):
    office = tmp_path / "office.bdesk"
    with create_store(office) as cf:
        add_staff(cf)
    good = tmp_path / "good.json"
    good.write_text(CASE.read_text(encoding="utf-8"))
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (CASE_FILE_BYTES + 1))
    twice = tmp_path / "twice.json"
    twice.write_text(CASE.read_text(encoding="utf-8").replace('"why":', '"why": "a", "why":', 1))
    folder = tmp_path / "a-folder.json"
    folder.mkdir()
    monkeypatch.setenv("BILLING_DESK_PASSWORD", PASSWORD)
    code = main(["import", str(office), str(huge), "/dev/zero", str(twice), str(folder),
                 str(good), "--as", "alice"])
    out = capsys.readouterr().out
    assert code == 2
    assert f"Rejected {huge}: " in out and "larger than 1 MB" in out
    assert "Rejected /dev/zero: " in out
    assert f"Rejected {twice}: " in out and "why  is given more than once" in out
    assert f"Rejected {folder}: " in out
    assert f"Imported {good} as BD-000001" in out
    assert out.rstrip().endswith("1 imported, 4 rejected.")
    with sqlite3.connect(office) as db:
        assert db.execute("SELECT case_number FROM cases").fetchall() == [("BD-000001",)]


def test_a_paste_or_a_csv_of_more_rows_than_a_case_takes_is_refused_whole():
    row = "2024-01-01\t2024-01-31\t\t10.00\t9.00"
    assert len(parse_rows(split_pasted_text("\n".join([row] * PERIODS))).periods) == PERIODS
    with pytest.raises(TooManyRows, match=f"{PERIODS + 1:,} rows: a case has at most "
                                          f"{PERIODS:,} periods; nothing was pasted"):
        parse_rows(split_pasted_text("\n".join([row] * (PERIODS + 1))))
    with pytest.raises(TooManyRows, match="characters: more than a table"):
        split_pasted_text("x" * 2_000_000)
    csv_rows = "start,end,billed,correct\n" + "2024-01-01,2024-01-31,10.00,9.00\n" * (PERIODS + 1)
    with pytest.raises(TooManyRows):
        parse_csv_text(csv_rows)
