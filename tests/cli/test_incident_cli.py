"""``billing-desk incident ...`` (issue 18 point 5): create from a CSV (refused while any
row is bad unless --accept-good-rows; a file that cannot be read refused whole), list,
show, override, submit, sample, approve, issue and memo, with their exit codes."""

from __future__ import annotations

import json

import pytest

from billing_desk.cli import main
from billing_desk.cli.exit_codes import EXIT_INVALID, EXIT_OK, EXIT_REFUSED
from billing_desk.cli.signin import PASSWORD_ENV
from billing_desk.store import create_case_file, open_case_file
from tests.incident_data import stormwater_csv, stormwater_rows, to_csv
from tests.staff import PASSWORD, add_staff

CREATE = ["--description", "Incorrect stormwater run-off factor", "--service", "stormwater",
          "--cause", "Run-off table entered wrong", "--discovered-on", "2009-07-01",
          "--could-have-discovered", "no", "--documentation-available", "yes",
          "--documentation-confirmed", "yes", "--concealed", "no"]


@pytest.fixture(autouse=True)
def password(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


@pytest.fixture
def office(tmp_path):
    path = tmp_path / "office.bdesk"
    add_staff(create_case_file(path)).close()
    return path


def create(office, csv_path, *extra):
    return main(["incident", "create", str(office), "--csv", str(csv_path), *CREATE,
                 "--as", "alice", *extra])


def incidents(path) -> int:
    with open_case_file(path) as cf:
        return cf.db.execute("SELECT count(*) FROM incidents").fetchone()[0]


def test_the_whole_incident_from_the_command_line(office, tmp_path, capsys):
    csv_path = tmp_path / "stormwater.csv"
    csv_path.write_bytes(stormwater_csv())
    assert create(office, csv_path) == EXIT_OK
    out = capsys.readouterr().out
    assert "5,539 rows read: 5,539 good rows make 74 account(s)" in out
    assert ("Created incident IN-000001: 74 case(s) from stormwater.csv; refunds 43041.00, "
            "back bills 0.00, kept back by the six-year limit 26085.00.") in out
    assert main(["incident", "list", str(office)]) == EXIT_OK
    assert "IN-000001  stormwater     74  draft 74" in capsys.readouterr().out
    assert main(["incident", "submit", str(office), "IN-000001", "--as", "alice"]) == EXIT_OK
    assert "74 case(s) submitted" in capsys.readouterr().out
    # a clerk cannot draw the review sample; the supervisor does, from a recorded seed
    assert main(["incident", "sample", str(office), "IN-000001", "--as", "alice"]) == EXIT_REFUSED
    assert main(["incident", "sample", str(office), "IN-000001", "--as", "boss",
                 "--seed", "cli-seed"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "sample of 30 (size 30) from seed cli-seed" in out and "outlier" in out
    # the creator (a clerk) has no authority; a supervisor under the total is refused
    assert main(["incident", "approve", str(office), "IN-000001", "--as", "alice"]) == EXIT_REFUSED
    assert "has no approval authority" in capsys.readouterr().err
    assert main(["incident", "sample", str(office), "IN-000001", "--as", "sup"]) == EXIT_OK
    assert main(["incident", "approve", str(office), "IN-000001", "--as", "sup"]) == EXIT_REFUSED
    assert "above your approval limit of $500.00" in capsys.readouterr().err
    assert main(["incident", "approve", str(office), "IN-000001", "--as", "boss"]) == EXIT_OK
    assert "approved by boss (review #1): 74 case(s), refunds 43041.00" in capsys.readouterr().out
    assert main(["incident", "show", str(office), "IN-000001", "--json"]) == EXIT_OK
    shown = json.loads(capsys.readouterr().out)
    assert shown["totals"]["refund"] == "43041.00" and shown["totals"]["six_year"] == "26085.00"
    assert shown["totals"]["six_year_cases"] == 55 and shown["statuses"] == {"approved": 74}
    assert len(shown["cases"]) == 74
    assert [(a["review"], a["approved_by"]) for a in shown["approvals"]] == [(1, "boss")]
    assert shown["review"]["drawn_by"] == "sup" and not shown["review"]["approved"]
    assert main(["incident", "issue", str(office), "IN-000001", "--out", str(tmp_path),
                 "--workers", "1", "--as", "root"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "74 cases selected = documents issued for 74 cases (148 documents)" in out
    assert list(tmp_path.glob("issue-incident-IN-000001-*.json"))
    memo = tmp_path / "memo.pdf"
    assert main(["incident", "memo", str(office), "IN-000001", "--pdf", str(memo)]) == EXIT_OK
    assert memo.read_bytes().startswith(b"%PDF")
    assert main(["verify", str(office)]) == EXIT_OK


def test_bad_rows_create_nothing_unless_the_good_rows_are_accepted(office, tmp_path, capsys):
    rows = stormwater_rows()
    rows[55][5] = "13/45/2005"  # line 57
    csv_path = tmp_path / "rows.csv"
    csv_path.write_bytes(to_csv(rows))
    assert create(office, csv_path) == EXIT_INVALID
    out = capsys.readouterr().out
    assert "line 57, period_start:" in out and "Nothing was created" in out
    assert incidents(office) == 0
    assert create(office, csv_path, "--accept-good-rows") == EXIT_OK
    out = capsys.readouterr().out
    assert "Created incident IN-000001: 73 case(s)" in out
    assert f"account {rows[55][0]} left out" in out


@pytest.mark.parametrize("data,expected", [
    (b"", "line 1, $: the file is empty"),
    ("account,name\n1,Peña\n".encode("latin-1"), "line 2, $: the file is not UTF-8"),
    (b"account,name,period_start\n1,A,2009-01-01\n", "line 1, period_end: required column"),
])
def test_a_file_that_cannot_be_read_is_refused_whole(office, tmp_path, capsys, data, expected):
    csv_path = tmp_path / "rows.csv"
    csv_path.write_bytes(data)
    assert create(office, csv_path, "--accept-good-rows") == EXIT_INVALID
    out = capsys.readouterr().out
    assert "is refused; nothing was created" in out and expected in out
    assert incidents(office) == 0


def test_an_override_from_the_command_line_needs_a_reason_and_is_recorded(office, tmp_path,
                                                                        capsys):
    csv_path = tmp_path / "stormwater.csv"
    csv_path.write_bytes(stormwater_csv())
    assert create(office, csv_path) == EXIT_OK
    capsys.readouterr()
    with pytest.raises(SystemExit):  # --reason is required
        main(["incident", "override", str(office), "IN-000001", "BD-000001",
              "--could-have-discovered", "yes", "--as", "bob"])
    assert main(["incident", "override", str(office), "IN-000001", "BD-000001",
                 "--could-have-discovered", "yes", "--reason", "told in 2004", "--as",
                 "bob"]) == EXIT_OK
    assert "BD-000001 overridden by bob" in capsys.readouterr().out
    assert main(["incident", "show", str(office), "IN-000001"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "42191.00" in out  # 43,041.00 less the 850.00 of BD-000001
    line = next(t for t in out.splitlines() if "kept back by (a)(1)(i)" in t)
    assert line.split()[-1] == "850.00"
