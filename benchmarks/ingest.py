"""Ingest speed, memory and cross-lingual quality on news-length documents from ../shared/data.

Usage: python benchmarks/ingest.py [--sizes 1000 10000] [--threads 2]

The corpus: the real articles of the shared sets that have full text (both sides of
the WMT21 test documents, SemEval-2022 Task 8 pairs, ECB+), in their real language
mix; see `corpus` for how short scraped texts are made news-length and how sizes
beyond the pool are filled. Each size runs in a fresh process so peak RSS is its own.

Printed: documents/s end to end, peak RSS (this process and its encoder workers),
the share of time spent on anything but encoding (encoding on demand during linking
counts as encoding, and so does the e5 bridge clustering needs in a mixed-language
corpus), the share of time per stage, and
cross-lingual recall@10 of WMT21 translations (the source's opening sentences as
the query, the translation's language as the filter).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def pool() -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    docs: list[dict[str, str]] = []
    with open(SHARED / "semeval2022-task8" / "train_pairs_with_text.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for side in ("1", "2"):
                if len(row[f"text_{side}"]) > 400:
                    docs.append({"text": row[f"text_{side}"], "lang": row[f"lang{side}"], "source": "semeval"})
    for path in sorted((SHARED / "wmt21-parallel").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            rec = json.loads(line)
            docs.append({"text": "\n".join(rec["src_segments"]), "lang": rec["src_lang"],
                         "source": "wmt", "pair": f"{rec['docid']}|src"})
            docs.append({"text": "\n".join(rec["ref_segments"]), "lang": rec["tgt_lang"],
                         "source": "wmt", "pair": f"{rec['docid']}|ref"})
    for line in (SHARED / "ecbplus" / "ecbplus_topics01-25.jsonl").open(encoding="utf-8"):
        rec = json.loads(line)
        docs.append({"text": rec["text"], "lang": "en", "source": "ecbplus"})
    return docs


NEWS_LENGTH = 2500


# Past the pool, one document in this many is a light edit of an earlier one (`growth="sentences"`).
EDIT_EVERY = 10


def corpus(n: int, seed: int = 7, growth: str = "recombine") -> list[dict[str, str]]:
    """WMT21 documents as they are, then the other articles, each joined with further
    articles of its language until it is news-length (the scraped SemEval texts stop
    near 1,000 characters); past the pool, new combinations make new documents.

    Past the pool's ~1,800 articles, "recombine" opens each new document with an article
    already used, so at 100k each text opens ~50 documents and copies pile up with size.
    "sentences" keeps the corpus alike at every size: a new document is random sentences
    of one language's articles (two rarely share three), and one in EDIT_EVERY is an
    earlier one less a sentence, a copy to link."""
    base = pool()
    rng = random.Random(seed)
    by_lang: dict[str, list[dict[str, str]]] = {}
    for d in base:
        by_lang.setdefault(d["lang"], []).append(d)
    out = [d for d in base if d["source"] == "wmt"][:n]
    others = [d for d in base if d["source"] != "wmt"]
    from_pool = n - len(out) if growth == "recombine" else min(n - len(out), len(others))
    out += [_news_length(others[i % len(others)], by_lang, rng) for i in range(from_pool)]
    if growth == "sentences":
        out += _sentence_documents(n - len(out), by_lang, rng)
    return out


def _news_length(first: dict[str, str], by_lang: dict[str, list[dict[str, str]]], rng: random.Random) -> dict[str, str]:
    parts = [first["text"]]
    while sum(map(len, parts)) < NEWS_LENGTH:
        parts.append(rng.choice(by_lang[first["lang"]])["text"])
    return {"text": "\n".join(parts), "lang": first["lang"], "source": first["source"]}


def _sentence_documents(n: int, by_lang: dict[str, list[dict[str, str]]], rng: random.Random) -> list[dict[str, str]]:
    sentences = {lang: [s for d in docs for s in re.split(r"(?<=[.!?])\s+|\n+", d["text"]) if len(s) > 40]
                 for lang, docs in by_lang.items()}
    languages = [lang for lang, docs in by_lang.items() for _ in docs if sentences[lang]]
    out: list[dict[str, str]] = []
    while len(out) < n:
        if out and len(out) % EDIT_EVERY == 0:
            earlier = rng.choice(out)
            kept = earlier["text"].split("\n")
            del kept[rng.randrange(len(kept))]
            out.append({**earlier, "text": "\n".join(kept), "source": "edit"})
            continue
        lang = rng.choice(languages)
        parts: list[str] = []
        while sum(map(len, parts)) < NEWS_LENGTH:
            parts.append(rng.choice(sentences[lang]))
        out.append({"text": "\n".join(parts), "lang": lang, "source": "sentences"})
    return out


def run_one(n: int, threads: int) -> dict[str, object]:
    from narratrace.ingest.base import FieldMapping, ReadOptions
    from narratrace.pipeline import Pipeline
    from narratrace.search import search
    from narratrace.settings import Settings
    from narratrace.store.sqlite import SQLiteStore

    docs = corpus(n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for d in docs:
                fh.write(json.dumps({"text": d["text"]}, ensure_ascii=False) + "\n")
        settings = Settings(db=str(Path(tmp) / "bench.db"), threads=threads,
                            read=ReadOptions(fields=FieldMapping(text="text")))
        store = SQLiteStore(settings.db)
        memory = PeakMemory()
        start = time.perf_counter()
        summary = Pipeline(settings).ingest([str(path)], store)
        elapsed = time.perf_counter() - start
        peak = memory.stop()
        stored = [store.get(f"{path}#{i}") for i in range(1, len(docs) + 1)]
        wrong = sum(1 for d, s in zip(docs, stored) if s is None or s.language != d["lang"])
        recall = wmt_recall(store, docs, stored, search)
        store.close()
    return {"n": n, "new": summary.new, "seconds": elapsed, "docs_per_s": summary.new / elapsed,
            "peak_rss_mb": peak, "stages": dict(summary.seconds), "wrong_language": wrong,
            "wmt_recall_at_10": recall}


class PeakMemory:
    """Peak resident memory of this process and its encoder workers together, sampled."""

    def __init__(self, every: float = 0.2) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)
        self._thread.start()

    def _run(self, every: float) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.NoSuchProcess:
                    continue
            self.peak = max(self.peak, total / 2**20)
            self._stop.wait(every)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


ENCODING = ("embeddings", "link: encoding on demand", "cluster: bridge encoding")


def wmt_recall(store, docs: list[dict[str, str]], stored: list, search) -> tuple[int, int]:
    """How often the translation is in the top 10 when the source's lead is the query."""
    ids = {d["pair"]: s.id for d, s in zip(docs, stored) if "pair" in d and s is not None}
    langs = {d["pair"]: d["lang"] for d in docs if "pair" in d}
    texts = {d["pair"]: d["text"] for d in docs if "pair" in d}
    found = total = 0
    for key in sorted(k for k in ids if k.endswith("|src"))[:60]:
        ref = key.replace("|src", "|ref")
        if ref not in ids:
            continue
        query = " ".join(texts[key].split("\n")[:2])[:300]
        hits = search(store, query, top=10, language=langs[ref])
        total += 1
        found += ids[ref] in {h.id for h in hits}
    return found, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} absent: this benchmark reads the shared data in place")
    if args.one:
        print(json.dumps(run_one(args.one, args.threads)))
        return
    print(f"{'docs':>7} {'docs/s':>7} {'peak MB':>8} {'lang err':>8} {'xling R@10':>10} {'not encoding':>12}  "
          "time per stage", flush=True)
    for n in args.sizes:
        proc = subprocess.run([sys.executable, __file__, "--one", str(n), "--threads", str(args.threads)],
                              capture_output=True, text=True, check=True)
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        total = sum(r["stages"].values())
        shares = "  ".join(f"{k} {100 * v / total:.0f}%" for k, v in sorted(r["stages"].items(), key=lambda kv: -kv[1]))
        found, asked = r["wmt_recall_at_10"]
        other = 1 - sum(r["stages"].get(k, 0.0) for k in ENCODING) / total
        print(f"{r['n']:>7} {r['docs_per_s']:>7.1f} {r['peak_rss_mb']:>8.0f} {r['wrong_language']:>8} "
              f"{found:>4}/{asked:<5} {100 * other:>11.0f}%  {shares}", flush=True)


if __name__ == "__main__":
    main()
