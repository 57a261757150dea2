"""`narratrace serve` as a user starts it: loopback by default, a generated token printed, errors in one line."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
from web_samples import free_port


def _started(proc: subprocess.Popen[str], url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1]
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("narratrace serve did not answer within 60 s")


def test_serve_prints_a_token_and_binds_loopback(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "narratrace.cli", "serve", "--db", str(tmp_path / "s.db"), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _started(proc, f"{url}/api/documents")
        assert proc.stdout is not None
        token_line = proc.stdout.readline()
        assert token_line.startswith("narratrace: write token")
        token = token_line.split()[-1]
        assert len(token) >= 24
        assert f"http://127.0.0.1:{port}/" in proc.stdout.readline()
        assert httpx.get(f"{url}/api/documents").json() == {"documents": [], "next": None}
        assert httpx.post(f"{url}/api/ingest").status_code == 401
        assert httpx.post(f"{url}/api/ingest", headers={"X-Token": token}).status_code == 422
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_on_an_unusable_db_fails_in_one_line(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "narratrace.cli", "serve", "--db", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.startswith("narratrace: error:") and len(proc.stderr.strip().splitlines()) == 1
