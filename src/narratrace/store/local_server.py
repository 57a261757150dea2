"""A throwaway PostgreSQL on loopback, from the server the PyPI package `pgserver` bundles.

For the tests, the benchmarks, and anyone trying the PostgreSQL store without a
server at hand (`pip install pgserver`). The server is PostgreSQL 16 with pgvector.
We run its `initdb` and `pg_ctl` ourselves rather than `pgserver.get_server`,
because that listens on a Unix socket only and, as root, widens the permissions of
every directory above the data directory; here the server listens on 127.0.0.1 on a
free port, in a temporary data directory (in memory where /dev/shm has room), with
fsync off: nothing in it is meant to outlive it. PostgreSQL refuses to run as root,
so as root the server runs as a dedicated system user, `narratrace-pg`, created with
`useradd` the first time (what pgserver itself does with its `pgserver` user).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

SERVER_USER = "narratrace-pg"


class LocalServerError(RuntimeError):
    """The bundled server cannot run here; the message says why."""


def pg_bin() -> Path:
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise LocalServerError("pgserver is not installed (pip install -e '.[test]'): no PostgreSQL to run")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def server_user() -> str | None:
    """None: run as ourselves. As root, the dedicated user, created if missing."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        if shutil.which("useradd") is None:
            raise LocalServerError(f"running as root without useradd: cannot create {SERVER_USER!r}") from None
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER],
                       check=True, capture_output=True, text=True)
    return SERVER_USER


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scratch_dir() -> str | None:
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
        raise LocalServerError(f"{Path(args[0]).name} failed ({proc.returncode}): {detail.strip()}")


@contextlib.contextmanager
def local_postgres() -> Iterator[str]:
    """A running server's base URL (no database name), stopped and deleted on exit."""
    bin_dir = pg_bin()
    user = server_user()
    home = Path(tempfile.mkdtemp(prefix="narratrace-pg-", dir=scratch_dir()))
    if user:
        shutil.chown(home, user)
    data, log, port = home / "data", home / "server.log", free_port()
    try:
        try:
            _run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], user)
            _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
                  f"-h 127.0.0.1 -p {port} -k '' -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                  "start"], user, log)
        except subprocess.TimeoutExpired as exc:
            raise LocalServerError(f"the bundled PostgreSQL did not start in time: {exc}") from exc
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        if (data / "postmaster.pid").exists():
            # Immediate: no shutdown checkpoint for data about to be deleted.
            _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-m", "immediate", "stop"], user)
        shutil.rmtree(home, ignore_errors=True)


def create_database(server: str, name: str) -> str:
    """A new empty database on the server; its URL."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{server}/{name}"
