"""Shared fixtures: where `../shared/data` is (with a skip that says why when it is absent),
and a real PostgreSQL server (`narratrace.store.local_server`) for every test that takes `pg_url`."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from narratrace.store.local_server import LocalServerError, create_database, local_postgres

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The server's base URL, without a database name."""
    stack = contextlib.ExitStack()
    try:
        url = stack.enter_context(local_postgres())
    except LocalServerError as exc:
        pytest.skip(f"no PostgreSQL to test against: {exc}")
    with stack:
        yield url


@pytest.fixture(scope="session")
def new_pg_database(pg_server: str) -> Callable[[], str]:
    """Creates a fresh, empty database and returns its URL."""
    return lambda: create_database(pg_server, f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def pg_url(new_pg_database: Callable[[], str]) -> str:
    return new_pg_database()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} absent: the shared benchmark data lives beside the checkout")
    return SHARED_DATA


@pytest.fixture(scope="session")
def seeds(shared_data: Path) -> Path:
    return shared_data / "seeds"
