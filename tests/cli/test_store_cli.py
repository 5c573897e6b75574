"""``billing-desk new / import / export / search / verify / demo`` and their exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from billing_desk.cli import main
from billing_desk.cli.exit_codes import EXIT_CODES, EXIT_REFUSED, EXIT_VERIFY_FAILED
from billing_desk.store import open_store
from tests.backends import state_of, tamper
from tests.shared_cases import worked_cases
from tests.staff import FAST, PASSWORD
from tests.store.bad_files import BAD_FILES
from tests.store.conftest import sha256_of

ROOT = Path(__file__).resolve().parents[2]
VALID = [p for p in worked_cases() if not p.name.startswith("bad-")]
INVALID = [p for p in worked_cases() if p.name.startswith("bad-")]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def without_nulls(value):
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


NEW = ("--admin-login", "root", "--admin-name", "Rita Root")


@pytest.fixture(autouse=True)
def signed_in_as_root(monkeypatch):
    """Every password the commands ask for is PASSWORD; new hashes are cheap here (the
    subprocess tests in test_users_cli.py use the real parameters)."""
    monkeypatch.setenv("BILLING_DESK_PASSWORD", PASSWORD)
    monkeypatch.setattr("billing_desk.store.users.STRONG", FAST)


@pytest.fixture
def office(store_target, capsys):
    """A new office's store made by ``billing-desk new``: a case file, or a database."""
    assert run(capsys, "new", store_target, *NEW)[0] == 0
    return store_target


#: what a message calls the store that does not hold a record
NOT_IN = r"is not in this (case file|database)"


def test_new_never_overwrites(office, capsys):
    before = state_of(office)
    code, out, err = run(capsys, "new", office, *NEW)
    assert code == 11
    assert re.search("already exists|holds a Billing Desk database already", err) and out == ""
    assert state_of(office) == before


def test_import_reports_each_rejected_file_and_imports_the_rest(office, capsys, tmp_path):
    missing = tmp_path / "missing.json"
    args = [VALID[0], INVALID[1], VALID[1], missing]
    with open_store(office) as cf:
        cf.users.add("alice", "Alice Archer", "clerk", PASSWORD, actor="root")
    code, out, _ = run(capsys, "import", office, *args, "--as", "alice")
    assert code == 2
    assert f"Imported {VALID[0]} as BD-000001" in out
    assert f"Imported {VALID[1]} as BD-000002" in out
    assert f"Rejected {INVALID[1]}: The case is not valid (1 problem):" in out
    assert "periods[0].end  must not be before start" in out
    assert f"Rejected {missing}" in out and "cannot read" in out
    assert out.strip().endswith("2 imported, 2 rejected.")
    with open_store(office) as cf:
        assert cf.listing.count() == 2
        assert cf.cases.find("BD-000001").prepared_by == "alice"


def test_export_round_trips_every_worked_case_exactly(office, capsys, tmp_path):
    assert run(capsys, "import", office, *VALID, "--as", "root")[0] == 0
    for n, path in enumerate(VALID, start=1):
        code, out, err = run(capsys, "export", office, f"BD-{n:06d}")
        assert code == 0 and err == ""
        original = path.read_text(encoding="utf-8")
        assert json.loads(out) == without_nulls(json.loads(original)), path.name
        if "null" not in original:
            assert out == original, path.name  # byte for byte
        again = tmp_path / f"again-{n}.json"
        again.write_text(out, encoding="utf-8")
    second = tmp_path / "second.bdesk"
    run(capsys, "new", second, *NEW)
    assert run(capsys, "import", second, *sorted(tmp_path.glob("again-*.json")), "--as", "root")[0] == 0


def test_export_of_an_incomplete_case_says_so(office, capsys):
    from billing_desk.domain.draft import AccountDraft, CaseDraft

    with open_store(office) as cf:
        cf.cases.create(CaseDraft(account=AccountDraft("1-2", "Zoë Dvořák")), actor="root")
    code, out, err = run(capsys, "export", office, "BD-000001")
    assert code == 0
    assert json.loads(out)["account"] == {"number": "1-2", "customer_name": "Zoë Dvořák"}
    assert "not complete yet" in err and "discovered_on" in err


def test_export_unknown_case_is_exit_3(office, capsys):
    code, out, err = run(capsys, "export", office, "BD-000404")
    assert code == 3 and re.search(f"BD-000404 {NOT_IN}", err)


def test_search_prints_matching_cases(office, capsys):
    run(capsys, "import", office, *VALID, "--as", "root")
    code, out, _ = run(capsys, "search", office, "okafor")
    assert code == 0
    assert re.search(r"BD-0000\d\d\s+draft\s+620-3318-44\s+R\. & L\. Okafor\s+1812 Peterson St", out)
    code, out, _ = run(capsys, "search", office, "nobody-like-this")
    assert code == 0 and "No case matches" in out
    for typed in ("6203318", "62033"):  # the account number without its dashes, or a prefix
        code, out, _ = run(capsys, "search", office, typed)
        assert code == 0 and re.search(r"BD-0000\d\d\s+draft\s+620-3318-44\s+R\. & L\. Okafor", out), typed


def test_verify_ok_then_tampered(office, capsys):
    run(capsys, "import", office, *VALID[:3], "--as", "root")
    code, out, _ = run(capsys, "verify", office)
    assert code == 0 and "OK" in out and "4 entries" in out  # the administrator, 3 cases
    tamper(office, "UPDATE audit SET actor = 'mallory' WHERE id = 2")
    code, out, _ = run(capsys, "verify", office)
    assert code == EXIT_VERIFY_FAILED == 14
    assert "BROKEN" in out and "audit entry 2" in out


def test_demo_creates_then_adds(store_target, tmp_path, capsys, monkeypatch):
    path = store_target
    code, out, _ = run(capsys, "demo", path, "--cases", "12")
    assert code == 0 and re.search(r"12 demo cases added \(12 cases in the (file|database)\)", out)
    # the demo file has users: adding to it needs one of them, signed in
    code, _, err = run(capsys, "demo", path, "--cases", "5", "--as", "admin")
    assert code == 16 and "Login or password is not correct." in err
    monkeypatch.setenv("BILLING_DESK_PASSWORD", "admin-demo")
    code, out, _ = run(capsys, "demo", path, "--cases", "5", "--as", "admin")
    assert code == 0 and re.search(r"\(17 cases in the (file|database)\)", out)
    assert run(capsys, "verify", path)[0] == 0
    assert run(capsys, "demo", tmp_path / "x.bdesk", "--cases", "0")[0] == 2


def test_demo_cases_never_go_into_an_office_file(office, capsys):
    before = state_of(office)
    code, _, err = run(capsys, "demo", office, "--cases", "3", "--as", "root")
    assert code == 17 and "is not a demo file" in err
    assert state_of(office) == before


@pytest.mark.parametrize("kind", BAD_FILES)
@pytest.mark.parametrize("command", ["verify", "search"])
def test_bad_files_have_their_own_exit_code(tmp_path, capsys, kind, command):
    make, _, expected = BAD_FILES[kind]
    path = make(tmp_path / "office.bdesk")
    before = sha256_of(path)
    args = [command, path] + (["pena"] if command == "search" else [])
    code, out, err = run(capsys, *args)
    if kind == "read-only":  # a read-only copy is read (issue 22): verified, searched
        assert code == 0 and err.startswith(f"Note: {path} cannot be written; it is open "
                                            "for reading only."), err
    else:
        assert code == expected
        assert err.startswith("billing-desk: ") and "Traceback" not in err
    assert sha256_of(path) == before


def test_missing_case_file_is_exit_3(tmp_path, capsys):
    code, _, err = run(capsys, "verify", tmp_path / "nope.bdesk")
    assert code == 3 and "no such file" in err


def test_real_console_script_reports_read_only_with_exit_8(tmp_path):
    path = BAD_FILES["read-only"][0](tmp_path / "office.bdesk")
    exe = Path(sys.executable).with_name("billing-desk")
    proc = subprocess.run([str(exe), "import", str(path), str(VALID[0])], capture_output=True,
                          timeout=60)
    assert proc.returncode == 8
    assert b"cannot be written" in proc.stderr and b"Traceback" not in proc.stderr


def test_exit_codes_are_documented_in_help_and_docs(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    codes = sorted({code for _, code, _ in EXIT_CODES} | {0, 1, 2, EXIT_VERIFY_FAILED, EXIT_REFUSED})
    for code in codes:
        assert re.search(rf"^\s+{code}\s+\S", help_text, re.M), code
        assert re.search(rf"^\| {code} \|", docs, re.M), code


def test_import_refuses_a_name_a_letter_cannot_print_naming_the_field(office, capsys, tmp_path):
    """Issue 14 point 5: at import, not after approval; the engine still determines it."""
    case = json.loads(VALID[0].read_text(encoding="utf-8"))
    case["account"]["customer_name"] = "Pat \u202eelpmaxE"
    bidi = tmp_path / "bidi.json"
    bidi.write_text(json.dumps(case), encoding="utf-8")
    case["account"]["customer_name"] = "محمد علي"
    arabic = tmp_path / "arabic.json"
    arabic.write_text(json.dumps(case), encoding="utf-8")
    code, out, _ = run(capsys, "import", office, bidi, arabic, "--as", "root")
    assert code == 2
    assert (f"Rejected {bidi}: Its letter could not be printed as typed (1 problem):\n"
            "  account.customer_name  contains an invisible direction mark or override") in out
    assert "account.customer_name  is written in a right-to-left script (Arabic)" in out
    assert out.strip().endswith("0 imported, 2 rejected.")
    with open_store(office) as cf:
        assert cf.listing.count() == 0
    assert run(capsys, "determine", arabic, "--json")[0] == 0  # RULES.md accepts it
