"""Shared test set-up: headless Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
