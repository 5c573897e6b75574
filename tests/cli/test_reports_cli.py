"""``billing-desk report accuracy|adjustments|workload`` and ``bills-issued``: the
figures on standard output, as CSV and as PDF, and the exit codes."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest

from billing_desk.cli import main
from billing_desk.documents.readback import extract_text
from billing_desk.store import create_case_file, open_case_file
from tests.issuing.cases import CLERK
from tests.reports_data import MEMO, MEMO_PER_10000, memo_office
from tests.staff import PASSWORD
from tests.store.conftest import StepClock, sha256_of


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def memo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("memo") / "office.bdesk"
    with create_case_file(path, clock=StepClock()) as cf:
        memo_office(cf)
    return path


@pytest.fixture
def memo_copy(memo_file, tmp_path):
    path = tmp_path / "office.bdesk"
    shutil.copy(memo_file, path)
    return path


def test_accuracy_on_standard_output(capsys, memo_file):
    code, out, _ = run(capsys, "report", "accuracy", memo_file)
    assert code == 0
    for year, (issued, adjusted, percent) in MEMO.items():
        assert re.search(rf"^{year}\s+All services\s+{issued:,}\s+{adjusted:,}\s+{percent}%\s+"
                         rf"{MEMO_PER_10000[year]}\s", out, re.M), year
    assert "Benchmark: 7.2 adjusted bills per 10,000" in out


def test_accuracy_as_csv_and_pdf(capsys, memo_file, tmp_path):
    code, out, _ = run(capsys, "report", "accuracy", memo_file, "--from", "2009-01-01",
                       "--to", "2009-11-05", "--csv", tmp_path / "a.csv")
    assert code == 0 and "written to" in out
    rows = list(csv.reader(io.StringIO((tmp_path / "a.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["Billing accuracy", "2009-01-01 to 2009-11-05"]
    assert ["2009", "All services", "1000205", "1745", "0.17", "17.4", "+10.2", ""] in rows
    assert not any(r and r[0] in ("2001", "2004", "2007") for r in rows)
    code, _, _ = run(capsys, "report", "accuracy", memo_file, "--pdf", tmp_path / "a.pdf")
    text = extract_text((tmp_path / "a.pdf").read_bytes())
    assert code == 0 and "2004 All services 1,159,714 5,824 0.50% 50.2" in text


def test_adjustments_and_workload(capsys, memo_file, tmp_path):
    code, out, _ = run(capsys, "report", "adjustments", memo_file, "--limit", "3")
    assert code == 0 and "What the code kept back, by year" in out
    listed = out.split("Where the reading mattered most")[1]
    assert "The 3 of the" in listed and len(re.findall(r"^BD-\d{6}\s", listed, re.M)) == 3
    with open_case_file(memo_file) as cf:
        report = cf.reports.adjustments()
    total = f"${report.credited:,}"
    assert re.search(rf"^All\s+All services\s+All\s+\d[\d,]*\s+{re.escape(total)}", out, re.M)
    code, out, _ = run(capsys, "report", "workload", memo_file, "--limit", "5",
                       "--pdf", tmp_path / "w.pdf")
    assert code == 0
    text = extract_text((tmp_path / "w.pdf").read_bytes())
    assert "Open cases by status and assignee" in text and "Days from discovery to issue" in text


@pytest.mark.parametrize("args,code,message", [
    (("--from", "2009-12-01", "--to", "2009-01-01"), 2, "before their start"),
    (("--from", "2009-13-01"), 2, "is not a date"),
    (("--csv", "x.csv", "--pdf", "x.pdf"), 2, "not allowed with"),
    (("--limit", "0"), 2, "at least 1"),
])
def test_usage_errors(capsys, memo_file, args, code, message):
    try:
        got, _, err = run(capsys, "report", "workload", memo_file, *args)
    except SystemExit as e:  # (argparse)
        got, err = e.code, capsys.readouterr().err
    assert got == code and message in err


def test_a_report_is_never_written_over_the_case_file(capsys, memo_copy):
    before = sha256_of(memo_copy)
    code, _, err = run(capsys, "report", "accuracy", memo_copy, "--pdf", memo_copy)
    assert code == 24 and "never written over it" in err
    code, _, err = run(capsys, "report", "accuracy", memo_copy, "--csv",
                       memo_copy.with_name("other.bdesk"))
    assert code == 2 and "named like a case file" in err
    assert sha256_of(memo_copy) == before
    assert run(capsys, "report", "accuracy", memo_copy.with_name("none.bdesk"))[0] == 3


def test_bills_issued_import_refuses_a_bad_file_whole_unless_told(capsys, memo_copy, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setenv("BILLING_DESK_PASSWORD", PASSWORD)
    bad = tmp_path / "bills.csv"
    bad.write_text("year,service,bills issued\n2010,water,400000\n2010,gas,5\n"
                   "2011,all,12.5\n2012,all,\"1,000,000\"\n", encoding="utf-8")
    with open_case_file(memo_copy) as cf:
        entries = len(cf.audit_log(limit=100_000))
    code, _, err = run(capsys, "bills-issued", "import", memo_copy, bad, "--as", CLERK)
    assert code == 2
    assert "row 3, service: “gas” is not a service" in err
    assert "row 4, bills issued: “12.5” is not a whole number" in err
    assert "nothing was imported" in err
    with open_case_file(memo_copy) as cf:
        assert len(cf.audit_log(limit=100_000)) == entries
        assert [f.year for f in cf.bills_issued.list()] == list(MEMO)
    code, out, _ = run(capsys, "bills-issued", "import", memo_copy, bad, "--as", CLERK,
                       "--skip-bad")
    assert code == 2 and "Imported 2 row(s)" in out and "2 row(s) refused" in out
    code, out, _ = run(capsys, "bills-issued", "list", memo_copy)
    assert re.search(r"^2010\s+Water\s+400,000$", out, re.M)
    assert re.search(r"^2012\s+All services\s+1,000,000$", out, re.M)
    with open_case_file(memo_copy) as cf:
        entry = cf.audit_log(limit=100_000)[-1]
        assert (entry.action, entry.entity, entry.actor) == ("import", "bills_issued", CLERK)
        assert cf.verify().ok


def test_a_file_that_is_not_utf8_is_refused(capsys, memo_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("BILLING_DESK_PASSWORD", PASSWORD)
    path = tmp_path / "bills.csv"
    path.write_bytes("2010,all,5\n2011,tôt,5\n".encode("latin-1"))
    code, _, err = run(capsys, "bills-issued", "import", memo_copy, path, "--as", CLERK)
    assert code == 2 and "is not UTF-8" in err


def test_the_benchmark_can_be_set(capsys, memo_copy, monkeypatch):
    monkeypatch.setenv("BILLING_DESK_PASSWORD", PASSWORD)
    # the benchmark is one of the office's settings: an administrator's to change
    code, _, err = run(capsys, "bills-issued", "set-benchmark", memo_copy, "3.96", "--as", CLERK)
    assert code == 15 and "administrator" in err
    assert run(capsys, "bills-issued", "set-benchmark", memo_copy, "3.96", "--as", "admin")[0] == 0
    code, _, err = run(capsys, "bills-issued", "set-benchmark", memo_copy, "lots", "--as", "admin")
    assert code == 2 and "not a number of adjusted bills" in err
    code, out, _ = run(capsys, "report", "accuracy", memo_copy)
    assert "Benchmark: 3.96 adjusted bills per 10,000" in out
    assert re.search(r"^2001\s+All services.*\s\+32\.54\s*$", out, re.M)
