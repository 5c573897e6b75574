"""The installed app on a bare Debian: the inside of installer/smoke.

    python3 installer/smoke_debian.py PACKAGE.deb OUT_DIR

installer/smoke runs this as root inside ../shared/tools/fresh-debian (a bare Debian with
python3 and nothing else; the checkout at /root/project, ../shared at /root/shared). It
uses Debian's python3 only as the test's own interpreter: the app runs from the package.
Each step prints ``ok``/``FAIL`` with what it saw; figures go to OUT_DIR/summary.json,
screenshots and a letter to OUT_DIR. Exit status 1 if any step failed.

Order matters: first everything that must work with nothing but the package and what
its Depends pulled in (install, libraries, the CLI, the GUI offscreen, issuing, the
batch's worker processes); only then ``scripts/setup`` (the checkout's own set-up, for
the same app run from a virtual environment, and Xvfb), for the start-time comparison
and the GUI on an X server; last, an upgrade to the same package with a higher version,
and ``apt-get purge``, after which the users' files must be the same bytes.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

PROJECT = Path.cwd()
SHARED = PROJECT.parent / "shared"
APP = Path("/opt/billing-desk")
FIRST_FRAME = re.compile(r"billing-desk: first frame at (\d+\.\d+) (.*)")
#: what the offscreen platform says about every window (harmless, as in pytest.ini)
HARMLESS = ("This plugin does not support propagateSizeHints()",)

failures: list[str] = []
summary: dict[str, object] = {}


def step(name: str, ok: bool, detail: str = "") -> bool:
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)
    if not ok:
        failures.append(name)
    return ok


def run(cmd: list[str] | str, *, env: dict | None = None, timeout: float = 300,
        cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    shell = isinstance(cmd, str)
    return subprocess.run(cmd, shell=shell, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, cwd=cwd, input=stdin)


def tail(text: str, lines: int = 6) -> str:
    return " | ".join(text.strip().splitlines()[-lines:])


def unexpected_stderr(text: str) -> list[str]:
    return [line for line in text.splitlines()
            if line.strip() and not line.startswith("billing-desk: first frame at")
            and not any(h in line for h in HARMLESS)]


# -- 1. the package ---------------------------------------------------------------------

def install(deb: Path) -> None:
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    r = run(["apt-get", "update", "-q"], env=env, timeout=600)
    step("apt-get update", r.returncode == 0, tail(r.stderr) if r.returncode else "")
    before = set(run(["dpkg-query", "-W", "-f", "${Package}\n"]).stdout.split())
    started = time.monotonic()
    r = run(["apt-get", "install", "-y", "-q", f"./{deb}"], env=env, timeout=900, cwd=PROJECT)
    took = time.monotonic() - started
    after = set(run(["dpkg-query", "-W", "-f", "${Package}\n"]).stdout.split())
    pulled = sorted(after - before - {"billing-desk"})
    summary["apt_install_seconds"] = round(took, 1)
    summary["packages_pulled_in"] = len(pulled)
    step("apt-get install ./" + deb.name, r.returncode == 0,
         f"{len(pulled)} packages pulled in by Depends, {took:.0f} s" if r.returncode == 0
         else tail(r.stdout + r.stderr))
    print("     pulled in: " + " ".join(pulled), flush=True)
    status = run(["dpkg-query", "-W", "-f", "${Status} ${Version}", "billing-desk"]).stdout
    step("dpkg: billing-desk installed", status.startswith("install ok installed"), status)
    where = shutil.which("billing-desk")
    step("billing-desk on PATH", where == "/usr/bin/billing-desk"
         and os.path.realpath(where) == str(APP / "billing-desk"), f"{where} -> {os.path.realpath(where or '')}")
    for path in ("/usr/share/applications/billing-desk.desktop",
                 "/usr/share/icons/hicolor/scalable/apps/billing-desk.svg",
                 "/usr/share/icons/hicolor/48x48/apps/billing-desk.png",
                 "/usr/share/mime/packages/billing-desk.xml",
                 "/usr/share/doc/billing-desk/copyright"):
        step(f"installed {path}", Path(path).is_file())
    summary["folder_mb"] = round(du(APP) / 2**20, 1)
    summary["deb_mb"] = round(deb.stat().st_size / 2**20, 1)
    print(f"     /opt/billing-desk {summary['folder_mb']} MB; {deb.name} {summary['deb_mb']} MB", flush=True)


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def libraries() -> None:
    """Every library any file of the bundle needs is found: in the bundle, or installed
    by the package's dependencies (ldd, as the bundle's executable loads them)."""
    internal = APP / "_internal"
    env = {"LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    elf = [p for p in APP.rglob("*") if p.is_file() and not p.is_symlink()
           and p.open("rb").read(4) == b"\x7fELF"]
    missing = []
    for p in elf:
        out = run(["ldd", str(p)], env=env).stdout
        missing += [f"{p.relative_to(APP)}: {line.strip()}" for line in out.splitlines()
                    if "not found" in line]
    step("every library the bundle's files need is installed", not missing and len(elf) > 50,
         f"{len(elf)} ELF files checked" if not missing else "; ".join(missing[:8]))


def bundle_check() -> None:
    r = run([str(APP / "bundle-check")], env={"QT_QPA_PLATFORM": "offscreen"}, timeout=120)
    for line in r.stdout.splitlines():
        print("     " + line[:160], flush=True)
    step("bundle-check (Qt plugins load, chart, PDF, print, icon, fonts)", r.returncode == 0,
         tail(r.stderr) if r.returncode else "")


# -- 2. the command line --------------------------------------------------------------

def command_line(work: Path) -> Path:
    case = sorted(SHARED.glob("cases/01-*.json"))
    case = [c for c in case if not c.name.endswith(".expected.json")][0]
    r = run(["billing-desk", "determine", str(case)])
    step(f"billing-desk determine {case.name}", r.returncode == 0 and "Outcome:" in r.stdout,
         tail(r.stdout, 4) if r.returncode == 0 else tail(r.stderr))
    r = run(["billing-desk", "determine", "--json", str(case)])
    expected = json.loads(case.with_name(case.name[:-5] + ".expected.json").read_text())
    got = json.loads(r.stdout) if r.returncode == 0 else None
    step("determine --json equals the worked case's expected determination", got == expected,
         f"outcome {got and got.get('outcome')}, refund {got and got.get('refund_total')}")
    bad = SHARED / "cases" / "bad-01-missing-discovered-on.json"
    r = run(["billing-desk", "determine", str(bad)])
    step("determine on an invalid case exits 2", r.returncode == 2, tail(r.stdout + r.stderr, 2))

    demo = work / "demo.bdesk"
    # enough cases for more approved ones than one worker's chunk (16): both workers start
    r = run(["billing-desk", "demo", str(demo), "--cases", "400"], timeout=300)
    step("billing-desk demo", r.returncode == 0 and demo.is_file(), r.stdout.strip() or tail(r.stderr))
    r = run(["billing-desk", "verify", str(demo)])
    step("billing-desk verify", r.returncode == 0, tail(r.stdout + r.stderr, 2))
    r = run(["billing-desk", "search", str(demo), "Fort Collins", "--limit", "3"])
    step("billing-desk search", r.returncode == 0 and "BD-" in r.stdout, f"{len(r.stdout.splitlines())} lines")
    return demo


# -- 3. the desktop app, offscreen, on a fresh home -----------------------------------

def start_app(command: list[str], home: Path, *, platform: str = "offscreen",
              screenshot: Path | None = None, extra_env: dict | None = None):
    """Start the desktop app, stop it after its first frame. Returns (exit status,
    seconds from exec to the first frame, CPU seconds, title, stderr)."""
    env = {**os.environ, "HOME": str(home), "QT_QPA_PLATFORM": platform,
           "BILLING_DESK_EXIT_AFTER_FIRST_FRAME": "1", **(extra_env or {})}
    env.pop("XDG_DATA_HOME", None)
    env.pop("XDG_CONFIG_HOME", None)
    if screenshot:
        env["BILLING_DESK_SCREENSHOT"] = str(screenshot)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=home)
    timer = threading.Timer(60, proc.kill)
    timer.start()
    _out, err = proc.communicate()
    timer.cancel()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # this one child, now waited for
    m = FIRST_FRAME.search(err)
    seconds = float(m.group(1)) - t0 if m else None
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc.returncode, seconds, cpu, (m.group(2) if m else ""), err


def gui_offscreen(out: Path) -> Path:
    home = Path("/tmp/smoke-home-gui")
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    shot = out / "sign-in-offscreen.png"
    rc, seconds, _cpu, title, err = start_app(["billing-desk"], home, screenshot=shot)
    demo = home / ".local" / "share" / "billing-desk" / "demo.bdesk"
    step("the desktop app starts offscreen on a fresh home, shows its sign-in window and exits cleanly",
         rc == 0 and title.startswith("Sign in") and not unexpected_stderr(err),
         f"exit {rc}, first frame after {seconds:.2f} s (demo file created first): {title!r}"
         if seconds else f"exit {rc}: {tail(err)}")
    step("the first start created the demo file in the user's data folder", demo.is_file(), str(demo))
    step("screenshot of the sign-in window", shot.is_file() and shot.stat().st_size > 5000, str(shot))
    r = run(["billing-desk", "verify", str(demo)])
    step("the demo file verifies", r.returncode == 0, tail(r.stdout + r.stderr, 1))
    return home


# -- 4. issuing: a letter, and a batch on worker processes ----------------------------

def approved_cases(demo: Path) -> list[str]:
    r = run(["billing-desk", "search", str(demo), "", "--limit", "1000"])
    return [line.split()[0] for line in r.stdout.splitlines() if re.match(r"BD-\d+\s+approved\b", line)]


def issuing(demo: Path, out: Path) -> None:
    cases = approved_cases(demo)
    step("the demo file has approved cases", len(cases) >= 2, f"{len(cases)}: {' '.join(cases[:6])}")
    if not cases:
        return
    letters = out / "issued"
    letters.mkdir(parents=True, exist_ok=True)
    env = {"BILLING_DESK_PASSWORD": "mwhitfield-demo"}
    r = run(["billing-desk", "issue", str(demo), cases[0], "--as", "mwhitfield", "--out", str(letters)],
            env=env, timeout=120)
    pdfs = sorted(letters.glob(f"{cases[0]}-*.pdf"))
    step(f"billing-desk issue {cases[0]} (its documents rendered, read back, stored; a letter among them)",
         r.returncode == 0 and any("letter" in p.name for p in pdfs),
         ", ".join(p.name for p in pdfs) if r.returncode == 0 else tail(r.stdout + r.stderr))

    batch = out / "batch"
    batch.mkdir(exist_ok=True)
    proc = subprocess.Popen(["billing-desk", "issue-batch", str(demo), "--workers", "2", "--out", str(batch),
                             "--as", "mwhitfield"], env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers = watch_workers(proc)
    out_text, err_text = proc.communicate(timeout=600)
    reconciliation = [line for line in out_text.splitlines() if line.startswith("Reconciliation:")]
    step("billing-desk issue-batch --workers 2", proc.returncode == 0 and bool(reconciliation)
         and reconciliation[0].endswith("adds up"),
         reconciliation[0] if reconciliation else tail(out_text + err_text))
    step("the batch's worker processes started inside the bundle", len(workers) >= 2,
         f"{len(workers)} worker processes of {APP / 'billing-desk'}: "
         + "; ".join(sorted(workers.values()))[:300])
    manifests = sorted(batch.glob("issue-batch-*.json"))
    step("the batch wrote its manifest", bool(manifests), " ".join(p.name for p in manifests))
    r = run(["billing-desk", "verify", str(demo)])
    step("the case file verifies after issuing", r.returncode == 0, tail(r.stdout + r.stderr, 1))


def watch_workers(proc: subprocess.Popen) -> dict[int, str]:
    """The child processes of ``proc`` running the bundle's executable, sampled until it ends."""
    seen: dict[int, str] = {}
    while proc.poll() is None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) in seen:
                continue
            try:
                stat = (entry / "stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                exe = os.readlink(entry / "exe")
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
            except (OSError, ValueError, IndexError):
                continue
            if (ppid == proc.pid and exe == str(APP / "billing-desk")
                    and "--multiprocessing-fork" in cmdline):
                seen[int(entry.name)] = cmdline.split(" ", 1)[-1][:80]
        time.sleep(0.02)
    return seen


# -- 5. a server ----------------------------------------------------------------------

#: the throwaway server's port (on its Unix socket only) and its database
SMOKE_PG_PORT, SMOKE_PG_DB = 5499, "office"


def _as_postgres(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    """A PostgreSQL program as the unprivileged ``postgres`` user (initdb refuses root),
    in a folder that user may enter."""
    return run(["runuser", "-u", "postgres", "--", *cmd], cwd=Path("/tmp"), **kw)


def let_others_through_the_root() -> None:
    """A machine's ``/`` lets every user through (0755); a chroot unpacked into a folder
    made by ``mktemp -d`` (fresh-debian's) keeps that folder's 0700, and then no
    unprivileged user -- the ``postgres`` the server runs as -- can reach any program."""
    mode = os.stat("/").st_mode
    if not mode & 0o001:
        os.chmod("/", mode | 0o055)


def _history_head(text: str) -> str | None:
    m = re.search(r"History head: (#\d+ [0-9a-f]{64})", text)
    return m.group(1) if m else None


def server(demo: Path, work: Path) -> None:
    """The case file moved to a PostgreSQL server and back (issue 16): Debian's
    ``postgresql`` installed, a throwaway server started as the unprivileged ``postgres``
    user on a Unix socket only, `billing-desk upgrade` creates the schema in an empty
    database, `copy` moves the demo file there and back into a new file, and `verify`
    passes on all three with the same history head."""
    r = run(["apt-get", "install", "-y", "--no-install-recommends", "postgresql"],
            env={"DEBIAN_FRONTEND": "noninteractive"}, timeout=900)
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not step("apt-get install postgresql", r.returncode == 0 and bool(bins), tail(r.stderr)):
        return
    bindir = bins[-1].parent
    let_others_through_the_root()
    base = work / "pg"
    base.mkdir()
    os.chmod(work, 0o755)
    shutil.chown(base, "postgres", "postgres")
    data, sock = base / "data", base / "sock"
    r = _as_postgres([str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                      "--auth-local=trust", "--auth-host=reject", "--encoding=UTF8",
                      "--locale=C"], timeout=300)
    if not step("initdb as postgres (not root)", r.returncode == 0, tail(r.stdout + r.stderr, 2)):
        return
    _as_postgres(["mkdir", str(sock)])
    options = f"-c listen_addresses='' -c unix_socket_directories='{sock}' -p {SMOKE_PG_PORT}"
    r = _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(sock / "server.log"),
                      "-o", options, "-w", "-t", "60", "start"], timeout=120)
    if not step("a throwaway server started on a Unix socket", r.returncode == 0,
                tail(r.stdout + r.stderr, 2)):
        return
    try:
        r = _as_postgres([str(bindir / "createdb"), "-h", str(sock), "-p", str(SMOKE_PG_PORT),
                          "-U", "postgres", SMOKE_PG_DB])
        target = f"host={sock} port={SMOKE_PG_PORT} dbname={SMOKE_PG_DB} user=postgres"
        if not step("an empty database", r.returncode == 0, tail(r.stderr, 2)):
            return
        r = run(["billing-desk", "upgrade", target])
        step("billing-desk upgrade (the schema created)", r.returncode == 0
             and "schema created" in r.stdout, tail(r.stdout + r.stderr, 2))
        r = run(["billing-desk", "copy", str(demo), target], timeout=600)
        step("billing-desk copy demo.bdesk to the server", r.returncode == 0
             and r.stdout.count("Chain head: entry") == 2, tail(r.stdout + r.stderr, 3))
        back = work / "back.bdesk"
        r = run(["billing-desk", "copy", target, str(back)], timeout=600)
        step("billing-desk copy the server back to a new file", r.returncode == 0
             and back.is_file(), tail(r.stdout + r.stderr, 3))
        heads = {}
        for name, where in (("the demo file", str(demo)), ("the server", target),
                            ("the copy back", str(back))):
            r = run(["billing-desk", "verify", where], timeout=600)
            heads[name] = _history_head(r.stdout)
            step(f"billing-desk verify {name}", r.returncode == 0 and heads[name] is not None,
                 tail(r.stdout + r.stderr, 2))
        step("the same history head on all three", len(set(heads.values())) == 1
             and None not in heads.values(), ", ".join(f"{k} {v}" for k, v in heads.items()))
        summary["server"] = {"history_head": heads.get("the server")}
    finally:
        _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                     timeout=120)


# -- 6. start time, installed against the same app from a virtual environment ---------

def setup_checkout() -> bool:
    started = time.monotonic()
    r = run(["scripts/setup"], cwd=PROJECT, timeout=900)
    return step("scripts/setup (the checkout's own venv, for the comparison; and Xvfb)",
                r.returncode == 0 and (PROJECT / ".venv" / "bin" / "python").is_file(),
                f"{time.monotonic() - started:.0f} s" if r.returncode == 0 else tail(r.stderr))


def start_times(home: Path, rounds: int = 10) -> None:
    installed = ["/usr/bin/billing-desk"]
    venv = [str(PROJECT / ".venv" / "bin" / "python"), str(PROJECT / "installer" / "launch.py")]
    for command in (installed, venv):  # once each first: files in the page cache, bytecode compiled
        start_app(command, home)
    times: dict[str, list[float]] = {"installed": [], "venv": []}
    cpu: dict[str, list[float]] = {"installed": [], "venv": []}
    bad = []
    for i in range(rounds):
        order = [("installed", installed), ("venv", venv)]
        if i % 2:
            order.reverse()  # ABBA: neither always goes first
        for name, command in order:
            rc, seconds, cpu_s, title, err = start_app(command, home)
            if rc != 0 or seconds is None:
                bad.append(f"{name}: exit {rc} {tail(err, 2)}")
                continue
            times[name].append(seconds)
            if cpu_s is not None:
                cpu[name].append(cpu_s)
    med = {k: statistics.median(v) for k, v in times.items() if v}
    cpu_med = {k: statistics.median(v) for k, v in cpu.items() if v}
    ok = not bad and len(med) == 2
    if ok:
        ratio = med["installed"] / med["venv"]
        summary["start_first_frame_ms"] = {k: round(v * 1000) for k, v in med.items()}
        summary["start_ratio_installed_to_venv"] = round(ratio, 2)
        detail = (f"median of {rounds} interleaved starts to the sign-in window's first frame: "
                  f"installed {med['installed'] * 1000:.0f} ms, venv {med['venv'] * 1000:.0f} ms, "
                  f"ratio {ratio:.2f}")
        if len(cpu_med) == 2:
            summary["start_cpu_ms"] = {k: round(v * 1000) for k, v in cpu_med.items()}
            detail += (f"; CPU to exit installed {cpu_med['installed'] * 1000:.0f} ms, "
                       f"venv {cpu_med['venv'] * 1000:.0f} ms")
        for name in ("installed", "venv"):
            print(f"     {name}: " + " ".join(f"{t * 1000:.0f}" for t in times[name]) + " ms", flush=True)
    else:
        detail = "; ".join(bad[:4])
    step("start time, installed app against the same app from the venv", ok, detail)


# -- 7. the desktop app on an X server (Xvfb) ------------------------------------------

def gui_xvfb(home: Path, out: Path) -> None:
    shot = out / "sign-in-xcb.png"
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "env", f"HOME={home}",
           "QT_QPA_PLATFORM=xcb", "BILLING_DESK_EXIT_AFTER_FIRST_FRAME=1",
           f"BILLING_DESK_SCREENSHOT={shot}", "billing-desk"]
    r = run(cmd, timeout=120)
    m = FIRST_FRAME.search(r.stderr)
    step("the desktop app on an X server (xcb, under Xvfb) shows its sign-in window and exits cleanly",
         r.returncode == 0 and bool(m) and shot.is_file() and not unexpected_stderr(r.stderr),
         f"exit {r.returncode}: {m.group(2) if m else tail(r.stderr)}")


SIGN_IN_AS_A_CLERK = r"""
set -u
billing-desk & app=$!
win=$(timeout 60 xdotool search --sync --name '^Sign in' | head -1)
[ -n "$win" ] || { echo "no sign-in window"; kill $app; exit 3; }
xdotool windowfocus --sync "$win"; sleep 0.3
xdotool type --delay 30 akim; xdotool key Tab; xdotool type --delay 30 akim-demo
# then a click on "Sign in" (bottom right, left of Cancel), not Return: in this version
# Return presses Cancel, the dialog's default button, and the app ends
eval "$(xdotool getwindowgeometry --shell "$win")"
xdotool mousemove --window "$win" $((WIDTH - 135)) $((HEIGHT - 22)) click 1
main=$(timeout 60 xdotool search --sync --name '^demo.bdesk' | head -1)
[ -n "$main" ] || { echo "no main window after signing in"; kill $app; exit 4; }
sleep 2  # the case workspace is built after the first frame
echo "WM_CLASS: $(xprop -id "$main" WM_CLASS)"
"$VENV_PYTHON" -c 'import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
sys.exit(0 if app.primaryScreen().grabWindow(0).save(sys.argv[1]) else 1)' "$SHOT"
xdotool windowfocus --sync "$main"; xdotool key ctrl+q
wait $app; echo "exit $?"
"""


def gui_sign_in_xvfb(home: Path, out: Path) -> None:
    """As a clerk: the sign-in window typed into (xdotool), the main window on the demo
    file, a screenshot of the screen, Ctrl+Q."""
    r = run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "xdotool", "x11-utils"],
            env={"DEBIAN_FRONTEND": "noninteractive"}, timeout=300)
    if not step("xdotool and xprop installed (to type into the app)", r.returncode == 0,
                tail(r.stdout + r.stderr) if r.returncode else ""):
        return
    shot = out / "main-window-xcb.png"
    r = run(["xvfb-run", "-a", "-s", "-screen 0 1440x900x24", "bash", "-c", SIGN_IN_AS_A_CLERK],
            env={"HOME": str(home), "QT_QPA_PLATFORM": "xcb", "SHOT": str(shot),
                 "VENV_PYTHON": str(PROJECT / ".venv" / "bin" / "python")}, timeout=240)
    lines = r.stdout.strip().splitlines()
    wm_class = next((line for line in lines if line.startswith("WM_CLASS")), "")
    step("signed in as a clerk under Xvfb: the main window came up, Ctrl+Q quit with exit 0",
         r.returncode == 0 and lines[-1:] == ["exit 0"] and shot.is_file(),
         f"{wm_class}; {shot.name}" if r.returncode == 0 else tail(r.stdout + r.stderr))
    desktop = Path("/usr/share/applications/billing-desk.desktop").read_text()
    wm = re.search(r'WM_CLASS\(STRING\) = "([^"]*)", "([^"]*)"', wm_class)
    entry = re.search(r"^StartupWMClass=(.*)$", desktop, re.M)
    step("the desktop entry's StartupWMClass names the window's WM_CLASS",
         bool(wm and entry) and entry.group(1) in wm.groups(),
         f"{entry.group(1) if entry else None!r} in {wm.groups() if wm else None}")


# -- 8. upgrade, then remove: the users' files stay ----------------------------------

def digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def upgrade_and_remove(deb: Path, user_files: list[Path], work: Path) -> None:
    """The same package with a higher version (repacked here) installed over it, as an
    upgrade is; then ``apt-get purge``. The users' case files are the same bytes after
    both, and the demo file still opens after the upgrade."""
    before = {p: digest(p) for p in user_files}
    tree = work / "upgrade-tree"
    r = run(["dpkg-deb", "-R", str(PROJECT / deb), str(tree)], timeout=300)
    control = tree / "DEBIAN" / "control"
    version = re.search(r"^Version: (.*)$", control.read_text(), re.M).group(1)
    newer = f"{version}+smoke1"
    control.write_text(re.sub(r"^Version: .*$", f"Version: {newer}", control.read_text(), flags=re.M))
    upgraded = work / f"billing-desk_{newer}.deb"
    r2 = run(["dpkg-deb", "--root-owner-group", "-Zgzip", "-z1", "-b", str(tree), str(upgraded)], timeout=300)
    shutil.rmtree(tree, ignore_errors=True)
    if not step("the package repacked as a newer version", r.returncode == 0 and r2.returncode == 0,
                newer if r2.returncode == 0 else tail(r.stderr + r2.stderr)):
        return
    r = run(["apt-get", "install", "-y", "-q", str(upgraded)], env={"DEBIAN_FRONTEND": "noninteractive"},
            timeout=600)
    status = run(["dpkg-query", "-W", "-f", "${Version}", "billing-desk"]).stdout
    step(f"upgrade {version} -> {newer} with apt-get install", r.returncode == 0 and status == newer,
         f"installed {status}" if r.returncode == 0 else tail(r.stdout + r.stderr))
    upgraded.unlink()
    r = run(["billing-desk", "verify", str(user_files[0])])
    step("after the upgrade, the app runs and the user's demo file verifies", r.returncode == 0,
         tail(r.stdout + r.stderr, 1))
    after_upgrade = {p: digest(p) for p in user_files}
    r = run(["apt-get", "purge", "-y", "-q", "billing-desk"], env={"DEBIAN_FRONTEND": "noninteractive"},
            timeout=300)
    gone = not APP.exists() and not Path("/usr/bin/billing-desk").exists() \
        and not Path("/usr/share/applications/billing-desk.desktop").exists()
    step("apt-get purge removes the app (/opt/billing-desk, the command, the menu entry)",
         r.returncode == 0 and gone, tail(r.stdout + r.stderr, 1))
    kept = [p for p in user_files if p.is_file() and digest(p) == before[p] == after_upgrade.get(p)]
    step("the users' case files are untouched by the upgrade and the purge", len(kept) == len(user_files),
         ", ".join(str(p) for p in user_files))


def main(argv: list[str]) -> int:
    deb, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    work = Path("/tmp/smoke-work")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    print(f"== {Path('/etc/debian_version').read_text().strip()} (Debian), "
          f"{os.uname().machine}, {os.cpu_count()} cores", flush=True)
    started = time.monotonic()
    install(deb)
    if not failures:
        libraries()
        bundle_check()
        demo = command_line(work)
        home = gui_offscreen(out)
        issuing(demo, out)
        server(demo, work)
        if setup_checkout():
            start_times(home)
            gui_xvfb(home, out)
            gui_sign_in_xvfb(home, out)
        # the users' files: the demo file made by the first start, its settings, a case file
        user_files = [home / ".local" / "share" / "billing-desk" / "demo.bdesk",
                      home / ".config" / "Billing Desk" / "Billing Desk.conf", demo]
        upgrade_and_remove(deb, [p for p in user_files if p.is_file()], work)
    summary["failed"] = failures
    summary["seconds"] = round(time.monotonic() - started)
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"smoke: {len(failures)} failed" + (f": {', '.join(failures)}" if failures else ""), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
