"""Kill harness: SIGKILL `narratrace ingest` at random moments of every stage, restart, compare.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/kills.py [--kills 200] [--seed 0]
       [--docs 200] [--batch-size 20] [--keep DIR]

A user's ingest dies in the middle of things (out of memory, a laptop lid, a CI
timeout); running the same command again must end exactly where an uninterrupted
run ends. The corpus is the demo corpus (every input format) plus `--docs`
generated articles recombined from its paragraphs, so every stage has work. One
uninterrupted ingest gives the reference export and the moments its stages begin
(seen by polling the store read-only). Each trial then starts from an empty
store and kills ingest two to six times, at stages drawn at random and taken in
order (start: loading models and the first batch; enrich: later batches; link;
cluster): each restart waits until the store shows its stage under way, waits a
random part of that stage's reference length and sends SIGKILL. After each kill the store
must pass `PRAGMA integrity_check`; after the last, one more ingest runs to its
end and its JSON export must equal the reference, table by table. Printed: kills
per stage (named by what the store had committed when the process died; "done"
is a process killed while exiting, and does not count towards `--kills`), trials,
mismatches, and seconds. The exit code is 1 when any restart diverged or a store
broke; `--keep` saves the diverging exports there.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "corpus"
STAGES = ("start", "enrich", "link", "cluster")
POLL = 0.02


def write_corpus(folder: Path, n: int, seed: int) -> list[str]:
    """The demo corpus' files and n articles recombined from its paragraphs (all its languages)."""
    rng = random.Random(seed)
    paragraphs = [p.strip() for path in sorted(DEMO.rglob("*.txt"))
                  for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 80]
    extra = folder / "recombined.jsonl"
    with extra.open("w", encoding="utf-8") as fh:
        for i in range(n):
            parts = rng.sample(paragraphs, rng.randint(2, 5))
            fh.write(json.dumps({"text": "\n\n".join(parts) + f" ({i})", "date": f"2024-01-{i % 28 + 1:02d}"},
                                ensure_ascii=False) + "\n")
    return [str(DEMO), str(extra)]


def counts(db: Path) -> tuple[int, int, int]:
    """Documents, linked and clustered rows the store has committed (zeros before it exists)."""
    if not db.exists():
        return 0, 0, 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
        try:
            docs, linked, clustered = (con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                                       for table in ("documents", "linked", "clustered"))
        finally:
            con.close()
    except sqlite3.Error:
        return 0, 0, 0
    return docs, linked, clustered


def stage_of(committed: tuple[int, int, int], total: int) -> str:
    """The stage under way given what is committed ("done" once everything is)."""
    docs, linked, clustered = committed
    if docs == 0:
        return "start"
    if docs < total:
        return "enrich"
    if linked < total:
        return "link"
    return "cluster" if clustered < total else "done"


def ingest(inputs: list[str], db: Path, batch_size: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "narratrace.cli", "ingest", *inputs, "--db", str(db), "--quiet",
         "--batch-size", str(batch_size)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})


def export(db: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "narratrace.cli", "export", "--db", str(db), "--format", "json"],
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    return json.loads(out.stdout)


def integrity(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def reference(inputs: list[str], db: Path, batch_size: int) -> tuple[dict, int, dict[str, float]]:
    """The uninterrupted run's export, its document count and how long each stage lasted."""
    began = time.monotonic()
    proc = ingest(inputs, db, batch_size)
    samples = []
    while proc.poll() is None:
        samples.append((time.monotonic() - began, counts(db)))
        time.sleep(POLL)
    if proc.returncode:
        raise SystemExit(f"reference ingest failed: {proc.stderr.read().decode()[-2000:]}")
    ended = time.monotonic() - began
    data = export(db)
    total = len(data["documents"])
    begun: dict[str, float] = {}
    for at, committed in samples:
        begun.setdefault(stage_of(committed, total), at)
    begun.setdefault("done", ended)
    order = [s for s in (*STAGES, "done") if s in begun]
    return data, total, {s: begun[nxt] - begun[s] for s, nxt in zip(order, order[1:])}


def kill_during(proc: subprocess.Popen, db: Path, total: int, target: str, length: float,
                rng: random.Random) -> bool:
    """Kill once `target` is under way, a random part of its length in; False when the run ended first."""
    while proc.poll() is None:
        stage = stage_of(counts(db), total)
        if STAGES.index(target) <= (STAGES.index(stage) if stage in STAGES else len(STAGES)):
            time.sleep(rng.uniform(0, length))
            if proc.poll() is not None:
                return False
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(POLL)
    return False


def diff(got: dict, want: dict) -> list[str]:
    return [f"{table}: {len(got.get(table, []))} rows, reference {len(rows)}"
            for table, rows in want.items() if got.get(table) != rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--docs", type=int, default=60, help="generated articles beside the demo corpus")
    parser.add_argument("--batch-size", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="save diverging exports here")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="narratrace-kills-") as tmp:
        work = Path(tmp)
        inputs = write_corpus(work, args.docs, args.seed)
        want, total, lengths = reference(inputs, work / "reference.db", args.batch_size)
        print(f"reference: {total} documents, {len(want['links'])} links, stage seconds "
              + ", ".join(f"{s} {v:.1f}" for s, v in lengths.items()), flush=True)
        killed: Counter[str] = Counter()
        trials = diverged = broken = 0
        while sum(killed.values()) - killed["done"] < args.kills:
            trials += 1
            db = work / f"trial{trials}.db"
            targets = sorted(rng.choices([s for s in STAGES if s in lengths], k=rng.randint(2, 6)), key=STAGES.index)
            for target in targets:
                proc = ingest(inputs, db, args.batch_size)
                if not kill_during(proc, db, total, target, lengths[target], rng):
                    break
                killed[stage_of(counts(db), total)] += 1
                if db.exists() and (check := integrity(db)) != "ok":
                    broken += 1
                    print(f"trial {trials}: integrity_check after a kill: {check}", flush=True)
            finish = ingest(inputs, db, args.batch_size)
            if finish.wait():
                broken += 1
                print(f"trial {trials}: the restart failed: {finish.stderr.read().decode()[-500:]}", flush=True)
                continue
            got = export(db)
            if problems := diff(got, want):
                diverged += 1
                print(f"trial {trials}: diverged: {'; '.join(problems)}", flush=True)
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / f"trial{trials}.json").write_text(json.dumps(got, indent=1), encoding="utf-8")
                    (args.keep / "reference.json").write_text(json.dumps(want, indent=1), encoding="utf-8")
            db.unlink()
            print(f"trial {trials}: {sum(killed.values())} kills so far ({_per_stage(killed)}), "
                  f"{diverged} diverged, {time.monotonic() - started:.0f} s", flush=True)
    print()
    print("stage under way at the kill | kills")
    print("-" * 36)
    for stage in (*STAGES, "done"):
        print(f"{stage:<27} | {killed[stage]:>5}")
    print(f"{'all':<27} | {sum(killed.values()):>5}")
    print(f"\n{trials} trials, {diverged} diverged from the uninterrupted run, {broken} broken stores or restarts, "
          f"{time.monotonic() - started:.0f} s")
    return 1 if diverged or broken else 0


def _per_stage(killed: Counter[str]) -> str:
    return ", ".join(f"{s} {killed[s]}" for s in (*STAGES, "done") if killed[s])


if __name__ == "__main__":
    sys.exit(main())
