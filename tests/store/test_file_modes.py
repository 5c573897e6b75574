"""Files and folders (issue 22, point 6): a new case file and its write-ahead log are
their owner's only (or their group's too, when asked); a file others can read is warned
about; a read-only copy (a file marked read-only, a read-only disk) is verified,
searched and exported, and every change to it refused; a disk with no space left at
all says "disk full" with its exit code, as a nearly full one does."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from billing_desk.cli import main
from billing_desk.store import create_store, open_store
from billing_desk.store.demo_file import create_demo_file
from billing_desk.store.errors import ReadOnlyCopy
from tests.shared_cases import worked_cases
from tests.staff import add_staff

ROOT = Path(__file__).resolve().parents[2]
CASE = next(p for p in worked_cases() if p.name.startswith("01-"))


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_case_file_and_its_log_are_their_owners_only(tmp_path, monkeypatch):
    monkeypatch.setenv("BILLING_DESK_PASSWORD", "a long password")
    os.umask(0o002)  # (a generous umask must not make it the group's or everyone's)
    try:
        assert main(["new", str(tmp_path / "mine.bdesk"), "--admin-login", "ada",
                     "--admin-name", "Ada Admin"]) == 0
        assert main(["new", str(tmp_path / "office.bdesk"), "--group", "--admin-login", "ada",
                     "--admin-name", "Ada Admin"]) == 0
        demo = create_demo_file(tmp_path / "demo.bdesk", 3)
        demo.close()
    finally:
        os.umask(0o022)
    assert mode_of(tmp_path / "mine.bdesk") == 0o600
    assert mode_of(tmp_path / "office.bdesk") == 0o660
    assert mode_of(tmp_path / "demo.bdesk") == 0o600
    with open_store(tmp_path / "mine.bdesk") as cf:  # the log and the index, while open
        cf.settings.get("incident_sample_size")
        for side in ("-wal", "-shm"):
            assert mode_of(tmp_path / f"mine.bdesk{side}") == 0o600


def test_a_file_every_user_can_read_is_warned_about(tmp_path, capsys):
    path = tmp_path / "office.bdesk"
    with create_store(path) as cf:
        add_staff(cf)
    assert main(["verify", str(path)]) == 0
    assert "Warning" not in capsys.readouterr().err
    path.chmod(0o644)
    assert main(["verify", str(path)]) == 0
    assert (f"Warning: {path} can be read by every user of this computer (permissions 644); "
            f"a case file should be its owner's (and their group's) only: chmod o-rwx {path}."
            ) in capsys.readouterr().err
    with open_store(path) as cf:
        assert "every user of this computer" in cf.exposure()


@pytest.fixture
def copy_of_office(tmp_path) -> Path:
    path = tmp_path / "archive.bdesk"
    create_demo_file(path, 12).close()
    return path


def test_a_read_only_copy_is_verified_searched_and_exported_and_never_changed(
        copy_of_office, tmp_path, capsys, monkeypatch):
    path = copy_of_office
    path.chmod(0o444)
    before = sha(path)
    assert main(["verify", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "OK: the audit history" in out
    assert f"Note: {path} cannot be written; it is open for reading only." in err
    assert main(["search", str(path), "BD-00001"]) == 0
    assert "BD-000010" in capsys.readouterr().out
    assert main(["export", str(path), "BD-000003"]) == 0
    assert '"format": "billing-desk/case@1"' in capsys.readouterr().out
    assert main(["report", "accuracy", str(path)]) == 0
    # a change is refused, with what to do
    monkeypatch.setenv("BILLING_DESK_PASSWORD", "admin-demo")
    assert main(["import", str(path), str(CASE), "--as", "admin"]) == 8
    with open_store(path, read_only=True) as cf:
        with pytest.raises(ReadOnlyCopy, match="open for reading only .* nothing can be changed"):
            cf.settings.set("incident_sample_size", 5, actor="admin")
        assert cf.read_only and cf.verify().ok
    assert sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.bdesk"]  # no log, no index


def test_a_read_only_copy_with_a_log_or_of_an_older_version_is_refused_plainly(tmp_path):
    path = tmp_path / "mid-write.bdesk"
    create_demo_file(path, 3).close()
    (tmp_path / "mid-write.bdesk-wal").write_bytes(b"\x00" * 32)
    with pytest.raises(ReadOnlyCopy, match="unfinished write-ahead log"):
        open_store(path, read_only=True)


def test_an_old_copy_on_a_read_only_disk_says_it_needs_upgrading(tmp_path):
    old = tmp_path / "v1.bdesk"
    shutil.copy(ROOT / "tests" / "store" / "data" / "v1-demo.bdesk", old)
    with pytest.raises(ReadOnlyCopy, match=r"made by an older Billing Desk \(version 1\)"):
        open_store(old, read_only=True)


def _namespaces() -> bool:
    """Whether this machine lets a process mount in a namespace of its own (unshare)."""
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0


needs_mounts = pytest.mark.skipif(not _namespaces(),
                                  reason="no unshare -rm here (mount namespaces)")


def _in_namespace(script: str) -> subprocess.CompletedProcess:
    """``script`` (sh) as root of a user and mount namespace of its own: its mounts are
    its own and gone when it ends."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), BILLING_DESK_PASSWORD="admin-demo")
    return subprocess.run(["unshare", "-rm", "sh", "-ec", script], capture_output=True,
                          text=True, timeout=300, env=env, cwd=ROOT)


@needs_mounts
def test_a_copy_on_a_read_only_disk_is_verified_searched_and_exported(copy_of_office, tmp_path):
    disk = tmp_path / "cd"
    disk.mkdir()
    shutil.copy(copy_of_office, disk / "archive.bdesk")
    cli = f"{sys.executable} -m billing_desk"
    done = _in_namespace(f"""
mount --bind {disk} {disk}
mount -o remount,bind,ro {disk}
! touch {disk}/x 2>/dev/null
{cli} verify {disk}/archive.bdesk
{cli} search {disk}/archive.bdesk BD-000007
{cli} export {disk}/archive.bdesk BD-000007 > {tmp_path}/case.json
set +e
{cli} import {disk}/archive.bdesk {CASE} --as admin
echo "import exit $?"
""")
    assert done.returncode == 0, done.stderr
    assert "OK: the audit history" in done.stdout and "BD-000007" in done.stdout
    assert "import exit 8" in done.stdout
    assert '"format": "billing-desk/case@1"' in (tmp_path / "case.json").read_text()
    assert sorted(p.name for p in disk.iterdir()) == ["archive.bdesk"]


@needs_mounts
def test_a_disk_with_no_space_left_at_all_says_disk_full(tmp_path):
    disk = tmp_path / "usb"
    disk.mkdir()
    office = tmp_path / "office.bdesk"
    create_demo_file(office, 5).close()
    cli = f"{sys.executable} -m billing_desk"
    done = _in_namespace(f"""
mount -t tmpfs -o size=2m tmpfs {disk}
cp {office} {disk}/office.bdesk
dd if=/dev/zero of={disk}/filler bs=4k 2>/dev/null || true
set +e
{cli} import {disk}/office.bdesk {CASE} --as admin
echo "import exit $?"
{cli} demo {disk}/new.bdesk --cases 3
echo "demo exit $?"
rm {disk}/filler
set -e
{cli} verify {disk}/office.bdesk
""")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "import exit 9" in done.stdout and "demo exit 9" in done.stdout
    assert f"The disk holding {disk}/office.bdesk is full" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert "OK: the audit history" in done.stdout  # nothing saved was lost
