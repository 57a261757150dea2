"""Scale: documents/s and peak memory of embedded SQLite, PostgreSQL and Spark local[2], and whether
the Spark job finds the embedded run's links.

Usage: python benchmarks/scale.py [--sizes 1000 10000 100000] [--backends sqlite postgres spark]
       [--pg-url postgresql://...] [--threads 2] [--growth recombine|sentences]

The corpus is `ingest.py`'s (both sides of the WMT21 test documents first, then the
SemEval-2022 Task 8 and ECB+ articles made news-length; past those ~1,900 documents,
`--growth` says how more are made: "recombine" reuses the articles, so copies of each
text pile up with size; "sentences" keeps the corpus alike at every size), written as JSON Lines files
of 50 documents: Spark splits its work by input file, and the embedded runs read the
same files in the same order. Each (size, backend) runs in a fresh process, so its
peak RSS (the process and all its children: encoder workers, the JVM, Spark's Python
workers, not the PostgreSQL server) is its own.

- sqlite, postgres: `narratrace ingest` into a new store (PostgreSQL: a new database
  on `--pg-url`, or on a throwaway server from the pgserver wheel).
- spark: `narratrace spark ingest` on local[2] (the per-document stages, then copies
  and translations from Spark joins verified in tasks), then `narratrace load` into a
  new SQLite store (storing the job's links, clustering); both times are printed, and
  the total is what docs/s counts.

Then, per size, the links of the spark run against the sqlite run's (same kind, same
pair), the seconds spent linking against those spent encoding (issue 3: linking costs
less; a Spark run encodes and links in its job, so those columns are only the load's), and
the growth from each size to the next against linear (issue 8's target: 10k to 100k no
worse than 1.2 x linear) and, for linking, against n log n (issue 3).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from ingest import ENCODING, SHARED, PeakMemory, corpus

PER_FILE = 50


def write_corpus(n: int, folder: Path, growth: str) -> None:
    docs = corpus(n, growth=growth)
    folder.mkdir(parents=True)
    for lo in range(0, len(docs), PER_FILE):
        with (folder / f"part-{lo // PER_FILE:05d}.jsonl").open("w", encoding="utf-8") as fh:
            for d in docs[lo : lo + PER_FILE]:
                fh.write(json.dumps({"text": d["text"]}, ensure_ascii=False) + "\n")


def run_one(backend: str, folder: Path, db: str, out: Path, threads: int) -> dict[str, object]:
    from narratrace.ingest.base import FieldMapping, ReadOptions
    from narratrace.pipeline import Pipeline
    from narratrace.settings import Settings
    from narratrace.spark.job import run_job
    from narratrace.spark.load import load
    from narratrace.store import open_store

    settings = Settings(db=db, threads=threads, read=ReadOptions(fields=FieldMapping(text="text")))
    memory = PeakMemory()
    start = time.perf_counter()
    spark_seconds = None
    with open_store(db) as store:
        if backend == "spark":
            run_job([str(folder)], out, settings)
            spark_seconds = time.perf_counter() - start
            summary = load(out, store, settings)
        else:
            summary = Pipeline(settings).ingest([str(folder)], store)
        elapsed = time.perf_counter() - start
        links = sorted([link.a, link.b, link.kind] for link in store.links())
    return {"backend": backend, "new": summary.new, "seconds": elapsed, "spark_seconds": spark_seconds,
            "peak_rss_mb": memory.stop(), "links": links, "stages": dict(summary.seconds)}


def measure(backend: str, n: int, work: Path, pg_url: str | None, threads: int, growth: str) -> dict[str, object]:
    folder = work / f"corpus-{growth}-{n}"
    if not folder.exists():
        write_corpus(n, folder, growth)
    if backend == "postgres":
        from narratrace.store.local_server import create_database

        db = create_database(pg_url, f"scale_{n}_{uuid.uuid4().hex[:8]}")
    else:
        db = str(work / f"{backend}-{n}.db")
    out = work / f"spark-{n}"
    proc = subprocess.run([sys.executable, __file__, "--one", backend, str(folder), db, str(out), str(threads)],
                          capture_output=True, text=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"{backend} at {n} failed: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def report(results: dict[tuple[str, int], dict[str, object]], sizes: list[int], backends: list[str]) -> None:
    print("backend | documents | seconds | docs/s | peak RSS MB | links | of which spark s")
    print("--- | --- | --- | --- | --- | --- | ---")
    for backend in backends:
        for n in sizes:
            r = results[(backend, n)]
            spark = f"{r['spark_seconds']:.0f}" if r["spark_seconds"] is not None else "-"
            print(f"{backend} | {r['new']} | {r['seconds']:.0f} | {r['new'] / r['seconds']:.1f} | "
                  f"{r['peak_rss_mb']:.0f} | {len(r['links'])} | {spark}")
    print("\nlinking (candidates and verification) against encoding (at ingest, on demand, bridge), seconds:")
    print("backend | documents | linking | encoding | linking / encoding | not encoding, share of the run")
    print("--- | --- | --- | --- | --- | ---")
    for backend in backends:
        for n in sizes:
            stages = results[(backend, n)]["stages"]
            link, encoding = stages.get("link", 0.0), sum(stages.get(k, 0.0) for k in ENCODING)
            # A Spark load encodes nothing (its job did): no ratio then.
            ratio = f"{link / encoding:.2f}" if encoding else "-"
            print(f"{backend} | {n} | {link:.0f} | {encoding:.0f} | {ratio} | "
                  f"{1 - encoding / max(sum(stages.values()), 1e-9):.0%}")
    print("\ngrowth (time ratio / size ratio; 1.0 is linear; linking against n log n):")
    for backend in backends:
        for small, big in zip(sizes, sizes[1:]):
            ratio = results[(backend, big)]["seconds"] / results[(backend, small)]["seconds"]
            stages = results[(backend, big)]["stages"], results[(backend, small)]["stages"]
            link = stages[0].get("link", 0.0) / max(stages[1].get("link", 0.0), 1e-9)
            print(f"  {backend} {small} -> {big}: {ratio / (big / small):.2f}; linking "
                  f"{link / (big * math.log(big) / (small * math.log(small))):.2f} of n log n")
    if "spark" in backends and "sqlite" in backends:
        print("\nspark + load against embedded sqlite, links (a, b, kind):")
        for n in sizes:
            want = {tuple(x) for x in results[("sqlite", n)]["links"]}
            got = {tuple(x) for x in results[("spark", n)]["links"]}
            translations = sum(1 for x in want if x[2] == "translation")
            same = sum(1 for x in want & got if x[2] == "translation")
            print(f"  {n}: {len(want & got)} shared, {len(want - got)} embedded only, {len(got - want)} spark only; "
                  f"translations {same}/{translations}")


def main() -> int:
    if "--one" in sys.argv:
        _, _, backend, folder, db, out, threads = sys.argv
        result = run_one(backend, Path(folder), db, Path(out), int(threads))
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--backends", nargs="+", choices=("sqlite", "postgres", "spark"),
                        default=["sqlite", "postgres", "spark"])
    parser.add_argument("--pg-url", help="a server to create the databases on (default: a throwaway local one)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--growth", choices=("recombine", "sentences"), default="recombine",
                        help="how documents past the real pool are made (see ingest.corpus)")
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"{SHARED} is absent: the shared benchmark data lives beside the checkout", file=sys.stderr)
        return 1
    results = {}
    with tempfile.TemporaryDirectory(prefix="narratrace-scale-") as tmp, contextlib.ExitStack() as stack:
        pg_url = args.pg_url
        if "postgres" in args.backends and not pg_url:
            from narratrace.store.local_server import local_postgres

            pg_url = stack.enter_context(local_postgres())
        for n in args.sizes:
            for backend in args.backends:
                results[(backend, n)] = measure(backend, n, Path(tmp), pg_url, args.threads, args.growth)
                r = results[(backend, n)]
                print(f"  {backend} {n}: {r['seconds']:.0f} s, {r['peak_rss_mb']:.0f} MB, {len(r['links'])} links, "
                      f"stages {json.dumps({k: round(v) for k, v in r['stages'].items()})}", file=sys.stderr, flush=True)
    report(results, args.sizes, args.backends)
    return 0


if __name__ == "__main__":
    sys.exit(main())
