"""API and page latency under load: `narratrace serve` on a store, clients in a second process on loopback.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/api.py [--db STORE] [--docs 10000]
       [--clients 1,8,50] [--seconds 60]

The store is `--db` when given (e.g. one `narratrace ingest` built), else a fresh one
of `--docs` news-length articles from the shared data, ingested as `ingest.py` makes
them (this takes a while at 10k: it is the ingest benchmark's own corpus). The
server runs as a user starts it; a second process runs each `--clients` number of
concurrent clients in a closed loop (no pause between a client's requests) for
`--seconds` per workload: cross-lingual search
(`/api/search` with the headlines of stored documents as queries, in every
language, each new to the server) and narrative pages (`/narratives/{id}`
HTML and `/api/narratives/{id}` JSON of the stored narratives). Printed per
workload: requests, errors (any status but 200, or no answer), requests/s and
latency p50, p95 and p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "src"))

TARGET_P95_MS = 100.0


def build_store(db: Path, n: int) -> None:
    from ingest import SHARED, corpus

    from narratrace.pipeline import Pipeline
    from narratrace.settings import Settings
    from narratrace.store import open_store

    if not SHARED.is_dir():
        raise SystemExit(f"{SHARED} is absent: give --db, or put the shared data beside the checkout")
    source = db.with_suffix(".jsonl")
    with source.open("w", encoding="utf-8") as fh:
        for doc in corpus(n):
            fh.write(json.dumps({"text": doc["text"]}, ensure_ascii=False) + "\n")
    started = time.time()
    with open_store(str(db)) as store:
        Pipeline(Settings(db=str(db))).ingest([str(source)], store)
    print(f"built a store of {n} documents in {time.time() - started:.0f} s", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def headline(client: httpx.Client, doc_id: str) -> str:
    """A stand-in headline for a document stored without a title: its first sentence, cut
    to twelve words, about what an analyst types."""
    sentences = client.get(f"/api/documents/{doc_id}").json()["sentences"]
    return " ".join(sentences[0]["text"].split()[:12]) if sentences else ""


def workloads(base: str) -> dict[str, list[str]]:
    """Paths each workload cycles through, read from the running server."""
    with httpx.Client(base_url=base, timeout=120) as client:
        queries: list[str] = []
        cursor = None
        while len(queries) < 2000:
            page = client.get("/api/documents", params={"limit": 200, **({"cursor": cursor} if cursor else {})}).json()
            for d in page["documents"]:
                if query := d["title"] or headline(client, d["id"]):
                    queries.append(f"/api/search?{urlencode({'q': query})}")
            cursor = page["next"]
            if not cursor:
                break
        narratives = [c["id"] for c in client.get("/api/narratives").json()["clusters"]][:500]
    rng = random.Random(0)
    rng.shuffle(queries)
    pages = [p for n in narratives for p in (f"/narratives/{n}", f"/api/narratives/{n}")]
    return {"search": queries, "narrative pages": pages}


async def hammer(base: str, paths: list[str], clients: int, seconds: float) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        async def worker(k: int) -> None:
            nonlocal errors
            i = k
            while time.monotonic() < deadline:
                path = paths[i % len(paths)]
                i += clients
                start = time.perf_counter()
                try:
                    answer = await client.get(path)
                    ok = answer.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - start)
                errors += not ok

        await asyncio.gather(*(worker(k) for k in range(clients)))
    return latencies, errors


def load(base: str, paths: list[str], clients: int, seconds: float) -> None:
    """Runs in its own process, so the clients do not share the server's interpreter."""
    latencies, errors = asyncio.run(hammer(base, paths, clients, seconds))
    print(json.dumps({"latencies": latencies, "errors": errors}))


def percentile(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(q * len(sorted_ms)))] if sorted_ms else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="an existing store (default: build one of --docs documents)")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--clients", default="1,8,50", help="numbers of concurrent clients, each a run")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--load", nargs=4, metavar=("BASE", "PATHS", "CLIENTS", "SECONDS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        base, paths_file, clients, seconds = args.load
        load(base, json.loads(Path(paths_file).read_text(encoding="utf-8")), int(clients), float(seconds))
        return 0
    counts = [int(c) for c in args.clients.split(",")]
    with tempfile.TemporaryDirectory(prefix="narratrace-api-") as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "store.db"
            build_store(db, args.docs)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "narratrace.cli", "serve", "--db", str(db), "--port", str(port), "--token", "bench"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        try:
            deadline = time.monotonic() + 120
            while True:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"narratrace serve did not start: {server.stderr.read().decode()[-2000:]}")
                try:
                    httpx.get(f"{base}/api/documents?limit=1", timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.3)
            rows = []
            for name, paths in workloads(base).items():
                if not paths:
                    print(f"{name}: nothing to ask for in this store", flush=True)
                    continue
                httpx.get(base + paths[-1], timeout=120)  # the first search loads the encoders
                for run, clients in enumerate(counts):
                    # Each run starts further on in the list, so its queries are new to the server.
                    shift = run * len(paths) // len(counts)
                    paths_file = Path(tmp) / "paths.json"
                    paths_file.write_text(json.dumps(paths[shift:] + paths[:shift]), encoding="utf-8")
                    done = subprocess.run([sys.executable, __file__, "--load", base, str(paths_file), str(clients),
                                           str(args.seconds)], capture_output=True, text=True, check=True)
                    result = json.loads(done.stdout)
                    ms = sorted(1000 * x for x in result["latencies"])
                    rows.append((name, clients, len(ms), result["errors"], len(ms) / args.seconds,
                                 percentile(ms, 0.5), percentile(ms, 0.95), percentile(ms, 0.99)))
                    print(f"{name}, {clients} clients: {len(ms)} requests", flush=True)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a request still running when the load stopped
                server.kill()
                server.wait()
    print(f"\n{args.seconds:g} s per run, store {db.name if args.db else f'of {args.docs} documents'}")
    print("workload         | clients | requests | errors |  req/s | p50 ms | p95 ms | p99 ms")
    print("-" * 84)
    for name, clients, n, errors, rate, p50, p95, p99 in rows:
        print(f"{name:<16} | {clients:>7} | {n:>8} | {errors:>6} | {rate:>6.1f} | {p50:>6.0f} | {p95:>6.0f} | {p99:>6.0f}")
    for name, clients, _, errors, _, _, p95, _ in rows:
        if name == "search" and clients == max(counts):
            met = p95 <= TARGET_P95_MS and all(r[3] == 0 for r in rows)
            print(f"target (issue 7): search p95 ≤ {TARGET_P95_MS:.0f} ms and 0 errors at {clients} clients -> "
                  f"{'met' if met else 'not met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
