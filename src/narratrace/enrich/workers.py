"""Large encoding jobs run in worker processes, one single-threaded model per core.

Why processes: measured here, USE's numpy forward pass keeps one core busy whatever
its thread setting (its micro-batches are too small for BLAS threads to pay), and
e5's OpenMP threads gain little on one short sentence per call. Two independent
single-threaded models use both cores. Small jobs (a search query, a five-file
ingest) stay in the calling process: a worker needs seconds to load its model.

Workers are plain `python -m narratrace.enrich.workers` children speaking pickle
over their pipes, not `multiprocessing`: spawn re-imports the caller's main script
(which breaks scripts and notebooks without a main guard) and fork copies a parent's
OpenMP runtime in a state that hangs e5 in the child. A worker exits when its
parent's end of the pipe closes, so a killed ingest leaves no orphans.
"""

from __future__ import annotations

import atexit
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from functools import cache
from typing import IO, Any

import numpy as np


class _Worker:
    def __init__(self) -> None:
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "narratrace.enrich.workers"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
        )

    def send(self, request: tuple[str, str, list[str]]) -> None:
        assert self.proc.stdin is not None
        pickle.dump(request, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self.proc.stdin.flush()

    def receive(self) -> np.ndarray:
        assert self.proc.stdout is not None
        try:
            ok, value = pickle.load(self.proc.stdout)
        except EOFError:
            raise RuntimeError(f"encoder worker exited with code {self.proc.wait()}") from None
        if not ok:
            raise RuntimeError(f"encoder worker failed: {value}")
        return value

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


_lock = threading.Lock()


@cache
def _workers(n: int) -> list[_Worker]:
    workers = [_Worker() for _ in range(n)]
    atexit.register(lambda: [w.close() for w in workers])
    return workers


def shards(texts: Sequence[str], n: int) -> list[list[int]]:
    """Positions dealt out by length, so every worker gets as many long texts as short ones."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    return [order[k::n] for k in range(n)]


def encode_in_workers(kind: str, method: str, texts: Sequence[str], workers: int, dim: int) -> np.ndarray:
    parts = [part for part in shards(texts, workers) if part]
    out = np.zeros((len(texts), dim), dtype=np.float32)
    with _lock:
        pool = _workers(workers)
        for worker, part in zip(pool, parts):
            worker.send((kind, method, [texts[i] for i in part]))
        for worker, part in zip(pool, parts):
            out[part] = worker.receive()
    return out


# Seconds spent encoding in this process's lifetime, per encoder kind: stages that
# encode on demand (the verifier) report their encoding apart from their own work.
encoding_seconds: dict[str, float] = {}


def parallel(kind: str, method: str, local: Callable[[Sequence[str]], np.ndarray],
             texts: Sequence[str], workers: int, dim: int, min_job: int) -> np.ndarray:
    """Encode in workers when the job is worth their start, else in this process."""
    start = time.perf_counter()
    try:
        if workers > 1 and len(texts) >= min_job:
            return encode_in_workers(kind, method, texts, workers, dim)
        return local(texts)
    finally:
        encoding_seconds[kind] = encoding_seconds.get(kind, 0.0) + time.perf_counter() - start


def _serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """The worker's loop: one single-threaded model per kind, loaded on first use."""
    from narratrace.enrich.embeddings import E5Encoder, UseEncoder

    models: dict[str, Any] = {}
    while True:
        try:
            kind, method, texts = pickle.load(stdin)
        except EOFError:
            return
        try:
            if kind not in models:
                models[kind] = (UseEncoder if kind == "use" else E5Encoder)(threads=1, workers=1)
            reply: tuple[bool, object] = (True, getattr(models[kind], method)(texts))
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
            reply = (False, f"{type(exc).__name__}: {exc}")
        pickle.dump(reply, stdout, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.flush()


if __name__ == "__main__":
    # Replies get a private copy of stdout; anything a library prints goes to stderr.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    _serve(sys.stdin.buffer, replies)
