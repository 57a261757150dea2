"""A real PostgreSQL for the store tests, and a `store` fixture that runs a test on both backends.

The server is the PostgreSQL 16 (with pgvector) that the PyPI package `pgserver`
bundles. We run its `initdb` and `pg_ctl` ourselves rather than `pgserver.get_server`,
because that listens on a Unix socket only and, as root, widens the permissions of
every directory above the data directory; here the server listens on 127.0.0.1 on a
free port, in a temporary data directory (in memory where /dev/shm has room), with
fsync off (tests, not data).
PostgreSQL refuses to run as root, so as root the server runs as a dedicated system
user, `narratrace-pg`, created with `useradd` the first time (what pgserver itself
does with its `pgserver` user).
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from narratrace.store.base import Store
from narratrace.store.postgres import PostgresStore
from narratrace.store.sqlite import SQLiteStore

PG_USER = "narratrace-pg"


def _pg_bin() -> Path:
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("pgserver is not installed (pip install -e '.[test]'): no PostgreSQL to test against")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def _server_user() -> str | None:
    """None: run as ourselves. As root, the dedicated user, created if missing."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        if shutil.which("useradd") is None:
            pytest.skip(f"running as root without useradd: cannot create {PG_USER!r} to run PostgreSQL as")
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
                       check=True, capture_output=True, text=True)
    return PG_USER


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _scratch_dir() -> str | None:
    """/dev/shm when it has room: the server's files then never touch a disk, whose
    deletes (with `discard` mounts) cost seconds per gigabyte of WAL at teardown."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 2 * 1024**3:
        return str(shm)
    return None


def _run(args: list[str], user: str | None, log: Path | None = None) -> None:
    proc = subprocess.run(args, user=user, check=False, capture_output=True, text=True, timeout=120)
    if proc.returncode:
        detail = log.read_text(errors="replace")[-2000:] if log and log.exists() else proc.stderr
        raise RuntimeError(f"{Path(args[0]).name} failed ({proc.returncode}): {detail.strip()}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The server's base URL, without a database name."""
    bin_dir = _pg_bin()
    user = _server_user()
    home = Path(tempfile.mkdtemp(prefix="narratrace-pg-", dir=_scratch_dir()))
    if user:
        shutil.chown(home, user)
    data, log, port = home / "data", home / "server.log", _free_port()
    try:
        try:
            _run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], user)
            _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
                  f"-h 127.0.0.1 -p {port} -k '' -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                  "start"], user, log)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            pytest.skip(f"the bundled PostgreSQL does not start here: {exc}")
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        if (data / "postmaster.pid").exists():
            # Immediate: no shutdown checkpoint for data about to be deleted.
            _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-m", "immediate", "stop"], user)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def new_pg_database(pg_server: str) -> Callable[[], str]:
    """Creates a fresh, empty database and returns its URL."""

    def create() -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return f"{pg_server}/{name}"

    return create


@pytest.fixture
def pg_url(new_pg_database: Callable[[], str]) -> str:
    return new_pg_database()


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        opened: Store = SQLiteStore(tmp_path / "store.db")
    else:
        opened = PostgresStore(request.getfixturevalue("pg_url"))
    try:
        yield opened
    finally:
        opened.close()
