"""Shared test set-up: headless Qt; the two store backends (tests/backends.py)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# each test process (an xdist worker) keeps what the app keeps in the user's data folder
# -- unsaved edits, the heads of the histories it saw (store/known_heads.py) -- in a
# folder of its own, never in the real one nor another worker's
if "BILLING_DESK_TEST_DATA" not in os.environ:
    import tempfile

    os.environ["XDG_DATA_HOME"] = os.environ["BILLING_DESK_TEST_DATA"] = tempfile.mkdtemp(
        prefix="billing-desk-test-data-")

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def pg_server():
    """This worker's own PostgreSQL server (tests/pg_server.py), started on first use and
    stopped when the worker ends. A missing PostgreSQL fails the tests that need it: the
    server backend is tested against a real server or not at all."""
    from tests.pg_server import start_server

    server = start_server()
    yield server
    server.stop()


@pytest.fixture(params=["file", "server"])
def backend(request) -> str:
    """The store backend a test runs on: each such test runs on both."""
    return request.param


@pytest.fixture
def server_database(request):
    """A fresh database on this worker's server with the current schema and no data (a
    copy of the prepared template): its connection string. Dropped afterwards."""
    from tests.backends import prepare_template

    server = request.getfixturevalue("pg_server")
    server.template_ready(prepare_template)
    name = server.new_database()
    yield server.conninfo(name)
    server.drop_database(name)


@pytest.fixture
def store_target(backend, tmp_path, request):
    """Where a new store goes, nothing there yet: a case file's path in the test's temp
    folder, or an empty database on the server (its connection string)."""
    if backend == "file":
        yield tmp_path / "office.bdesk"
        return
    server = request.getfixturevalue("pg_server")
    name = server.new_database(template=False)
    yield server.conninfo(name)
    server.drop_database(name)
