"""The kill harness in small: SIGKILL ingest in its stages, restart, and end where an uninterrupted run ends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_restarts_after_kills_in_each_stage_end_like_an_uninterrupted_run() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "kills.py"), "--kills", "4", "--docs", "16",
                           "--seed", "3"], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " 0 diverged from the uninterrupted run, 0 broken stores or restarts" in done.stdout
    kills = {line.split("|")[0].strip(): int(line.split("|")[1]) for line in done.stdout.splitlines()
             if line.count("|") == 1 and line.split("|")[1].strip().isdigit()}
    assert kills["all"] >= 4
