"""A real, throwaway PostgreSQL server for the tests (never a mock).

Each pytest worker starts its own server from Debian's ``postgresql`` package: initdb
into a temporary directory (in memory, under /dev/shm, where there is one), listening on a Unix socket in that directory and on a free
port of 127.0.0.1 only, stopped when the worker ends. PostgreSQL refuses to run as root,
so under root (CI) the server runs as the ``postgres`` system user (created by the
package) with its data directory owned by that user. Each test that asks for a database
gets a new one, copied from a template in which the Billing Desk schema is already
installed (``template_ready``), so a test costs a ``CREATE DATABASE``, not a migration.

The superuser ``postgres`` connects through the socket without a password (trust, local
only); every other role signs in over TCP with SCRAM-SHA-256, as on a real server.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

SUPERUSER = "postgres"


def pg_bindir() -> Path | None:
    """Where initdb and pg_ctl are: $PG_BINDIR, pg_config's answer, or Debian's place."""
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidate = Path(out.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(found[-1]).parent if found else None


def _scratch() -> str | None:
    """Where the throwaway server keeps its data: in memory (/dev/shm) where there is
    one -- the server is thrown away anyway, and each test's CREATE DATABASE copies the
    template's files -- else the usual temporary folder."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base: Path
    port: int
    bindir: Path
    run_as: str | None
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))
    template: str | None = None

    @property
    def socket_dir(self) -> str:
        return str(self.base / "sock")

    def conninfo(self, dbname: str = "postgres", user: str = SUPERUSER, **more: str) -> str:
        """libpq connection string: the superuser through the socket, others over TCP."""
        if user == SUPERUSER:
            parts = {"host": self.socket_dir, "port": str(self.port), "dbname": dbname, "user": user}
        else:
            parts = {"host": "127.0.0.1", "port": str(self.port), "dbname": dbname, "user": user}
        parts.update(more)
        return " ".join(f"{k}={v}" for k, v in parts.items())

    def url(self, dbname: str, user: str | None = None) -> str:
        """A postgresql:// URL as a clerk would type it (no password in it)."""
        who = f"{user}@" if user else ""
        return f"postgresql://{who}127.0.0.1:{self.port}/{dbname}"

    def admin(self, sql: str, dbname: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.conninfo(dbname), autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, *, template: bool = True) -> str:
        """A fresh database: from the prepared template when there is one (and
        ``template``), else empty."""
        name = f"t{os.getpid()}_{next(self._names)}"
        source = f" TEMPLATE {self.template}" if self.template and template else ""
        # (FILE_COPY: a small template is copied faster than WAL_LOG writes it)
        self.admin(f'CREATE DATABASE "{name}"{source} STRATEGY FILE_COPY')
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def template_ready(self, prepare: Callable[[str], None]) -> None:
        """Make the template every new database copies: ``prepare(conninfo)`` installs
        the schema in it once."""
        if self.template:
            return
        name = f"tpl{os.getpid()}"
        self.admin(f'CREATE DATABASE "{name}"')
        try:
            prepare(self.conninfo(name))
        except BaseException:
            self.drop_database(name)  # (the next test tries again, and says why)
            raise
        self.admin(f"ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")
        self.template = name

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        # (in the server's own folder: the unprivileged user may not enter the checkout's)
        return subprocess.run(cmd, capture_output=True, text=True, check=check, cwd=self.base)

    def restart(self) -> None:
        """Stop the server (every connection dropped, as when it is restarted for an
        update) and start it again on the same port."""
        self._run("pg_ctl", "-D", str(self.base / "data"), "-l", str(self.base / "sock" / "server.log"),
                  "-m", "fast", "-w", "-t", "60", "restart")

    def stop_for_now(self) -> None:
        """Stop the server until :meth:`start_again` (the machine is down)."""
        self._run("pg_ctl", "-D", str(self.base / "data"), "-m", "fast", "-w", "stop")

    def start_again(self) -> None:
        self._run("pg_ctl", "-D", str(self.base / "data"), "-l", str(self.base / "sock" / "server.log"),
                  "-w", "-t", "60", "start")

    def terminate(self, dbname: str) -> int:
        """End every other connection to ``dbname`` (``pg_terminate_backend``, what an
        administrator or a crashed network does to a workstation); how many."""
        import psycopg

        with psycopg.connect(self.conninfo(dbname), autocommit=True) as conn:
            return len(conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                "AND pid <> pg_backend_pid()", (dbname,)).fetchall())

    def add_role(self, name: str, password: str) -> None:
        """A login role signing in with SCRAM over TCP that may read and write every
        table (the application's role of a department's server)."""
        self.admin(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}' "
                   "IN ROLE pg_read_all_data, pg_write_all_data")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.base / "data"), "-m", "immediate", "-w", "stop",
                  check=False)
        shutil.rmtree(self.base, ignore_errors=True)


def start_server(*, durable: bool = False, where: str | None = None) -> Server:
    """A new server. ``durable``: every commit synced to disk, as on a real server (the
    tests do without; bench/server.py measures with it); ``where``: the folder its data
    goes in (default: in memory where there is /dev/shm, for the tests)."""
    bindir = pg_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL's server programs are not installed (Debian: apt-get "
                           "install postgresql; scripts/setup --test does it)")
    run_as = None
    base = Path(tempfile.mkdtemp(prefix="bd-pg-", dir=where or _scratch()))
    if os.geteuid() == 0:
        run_as = SUPERUSER
        owner = pwd.getpwnam(run_as)
        os.chmod(base, 0o755)
        for sub in ("data", "sock"):
            (base / sub).mkdir()
            os.chown(base / sub, owner.pw_uid, owner.pw_gid)
    else:
        (base / "sock").mkdir()
    server = Server(base, _free_port(), bindir, run_as)
    server._run("initdb", "-D", str(base / "data"), "-U", SUPERUSER, "--auth-local=trust",
                "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C",
                *(() if durable else ("--no-sync",)))
    settings = {
        "listen_addresses": "'127.0.0.1'", "port": str(server.port),
        "unix_socket_directories": f"'{server.socket_dir}'",
        "max_connections": "200", "shared_buffers": "256MB" if durable else "64MB",
        "log_min_messages": "warning", "password_encryption": "'scram-sha-256'",
    }
    if not durable:  # a throwaway server: durability is not what the tests measure
        settings.update({"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"})
    with open(base / "data" / "postgresql.conf", "a") as f:  # (root may write it too)
        f.write("".join(f"{k} = {v}\n" for k, v in settings.items()))
    log = base / "sock" / "server.log"  # (in a folder the server's user may write)
    started = server._run("pg_ctl", "-D", str(base / "data"), "-l", str(log), "-w", "-t", "60",
                          "start", check=False)
    if started.returncode != 0:
        detail = log.read_text() if log.exists() else started.stderr
        server.stop()
        raise RuntimeError(f"the test PostgreSQL server did not start: {detail[-2000:]}")
    deadline = time.monotonic() + 30
    import psycopg

    while True:
        try:
            psycopg.connect(server.conninfo(), connect_timeout=2).close()
            break
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    return server
