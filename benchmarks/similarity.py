"""Document similarity against the SemEval-2022 Task 8 gold "Overall" score.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/similarity.py [--threads 2] [--folds 5] [--fresh]

The pairs: `../shared/data/semeval2022-task8/train_pairs_with_text.csv`, news articles
with scraped texts (title and body, cut near 1,200 characters) in 8 language pairs,
each rated by annotators from 1 (same story) to 4 (unrelated). The metric is the task's:
Pearson between our score and the negated Overall.

Every text goes through the project's own ingest (readers, ftfy repair, language,
sentences, USE vectors, anchors) into a SQLite store under `benchmarks/.cache/`, so
what is measured is what `narratrace similarity` sees. The reference baseline is the
one the issue quotes: e5 cosine of each text's first 1,500 characters, encoded once
and cached beside the store (`--fresh` rebuilds both).

Printed: Pearson per single signal (the components of `similarity`, in their raw form)
overall and per language pair, then the combination whose weights are refitted on
each training part of a K-fold split grouped by pair id (a pair scraped twice never
sits on both sides), scored on the held-out parts. The weights fitted on all pairs,
which `similarity.py` ships, are printed last for reproducibility, not as a result.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
DATA = SHARED / "semeval2022-task8" / "train_pairs_with_text.csv"
CACHE = ROOT / "benchmarks" / ".cache"
BASELINE_CHARS = 1500


@dataclass(frozen=True, slots=True)
class Pair:
    pair_id: str
    languages: str
    text_a: str
    text_b: str
    overall: float

    @property
    def gold(self) -> float:
        """The task's target: Overall negated, so that higher means more similar."""
        return -self.overall


def load_pairs(path: Path = DATA) -> list[Pair]:
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Pair(r["pair_id"], f"{r['lang1']}-{r['lang2']}", r["text_1"], r["text_2"], float(r["Overall"]))
            for r in csv.DictReader(fh)
        ]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def stored_documents(pairs: list[Pair], threads: int, fresh: bool) -> dict[str, object]:
    """Every distinct text as the pipeline stores it, by text, with its vectors and fingerprint.

    The corpus is ingested once as a JSONL file; the store is kept and reused because the
    origins it records are that file's path and line numbers.
    """
    from narratrace.cluster.similarity import E5, ensure_e5
    from narratrace.ingest.base import FieldMapping, ReadOptions
    from narratrace.link.fingerprints import fingerprint_of
    from narratrace.pipeline import Pipeline
    from narratrace.settings import Settings
    from narratrace.store.sqlite import SQLiteStore

    folder = CACHE / f"semeval2022-{_digest(DATA)}"
    if fresh and folder.exists():
        shutil.rmtree(folder)
    texts = list(dict.fromkeys(t for p in pairs for t in (p.text_a, p.text_b)))
    corpus, db = folder / "texts.jsonl", folder / "store.db"
    if not (folder / "done").exists():
        folder.mkdir(parents=True, exist_ok=True)
        db.unlink(missing_ok=True)
        with corpus.open("w", encoding="utf-8") as fh:
            for text in texts:
                fh.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
        settings = Settings(db=str(db), threads=threads, read=ReadOptions(fields=FieldMapping(text="text")))
        start = time.perf_counter()
        store = SQLiteStore(db)
        summary = Pipeline(settings).ingest([str(corpus)], store)
        store.close()
        print(f"ingested {summary.new} documents in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        (folder / "done").touch()
    store = SQLiteStore(db)
    docs: dict[str, object] = {}
    start = time.perf_counter()
    for i, text in enumerate(texts, start=1):
        doc = store.get(f"{corpus}#{i}")
        if doc is None:
            raise SystemExit(f"text {i} of {corpus} was not stored: run again with --fresh")
        doc.vectors = store.vectors_of(doc.id)
        doc.fingerprint = fingerprint_of(doc)
        docs[text] = doc
    # What `similarity` encodes on demand, kept in the store so that a rerun encodes nothing.
    store.put_vectors([(doc.id, doc.vectors[E5]) for doc in ensure_e5(list(docs.values()), threads)])
    store.close()
    print(f"documents ready in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return docs


def e5_baseline_vectors(pairs: list[Pair], threads: int) -> dict[str, np.ndarray]:
    """e5 passage vectors of each text's first 1,500 characters (the issue's reference)."""
    from narratrace.enrich.embeddings import e5_encoder

    texts = sorted({t for p in pairs for t in (p.text_a, p.text_b)})
    key = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:12]
    path = CACHE / f"e5-first{BASELINE_CHARS}-{key}.npy"
    if path.exists():
        matrix = np.load(path)
    else:
        start = time.perf_counter()
        matrix = e5_encoder(threads).passages([t[:BASELINE_CHARS] for t in texts])
        CACHE.mkdir(parents=True, exist_ok=True)
        np.save(path, matrix)
        print(f"e5 encoded {len(texts)} texts in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return {t: v / np.linalg.norm(v) for t, v in zip(texts, matrix)}


def target(pair: Pair) -> float:
    """Overall on the scale `similarity` answers in: 1 (same story) to 0 (unrelated)."""
    return (4.0 - pair.overall) / 3.0


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 3 or np.std(x) == 0 or np.std(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def fold_of(pairs: list[Pair], folds: int) -> np.ndarray:
    """K folds by pair id (seeded), so the two scrapes of one pair fall in the same fold."""
    ids = sorted({p.pair_id for p in pairs})
    order = np.random.RandomState(0).permutation(len(ids))
    fold = {pair_id: int(order[i]) % folds for i, pair_id in enumerate(ids)}
    return np.array([fold[p.pair_id] for p in pairs])


def fit(features: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least squares with non-negative weights and a free intercept (last coefficient).

    The components are collinear (a pair with close centroids also matches sentences);
    unconstrained, one takes a negative weight and more shared content would lower the
    score, which no evidence shown to an analyst could explain.
    """
    from scipy.optimize import nnls

    ones = np.ones((len(features), 1))
    w, _ = nnls(np.column_stack([features, ones, -ones]), y)
    return np.append(w[:-2], w[-2] - w[-1])


def cross_validated(features: np.ndarray, y: np.ndarray, folds: np.ndarray) -> np.ndarray:
    """Each pair scored by weights fitted on the other folds, clipped like `similarity`."""
    out = np.zeros(len(y))
    for k in np.unique(folds):
        held = folds == k
        w = fit(features[~held], y[~held])
        out[held] = np.clip(features[held] @ w[:-1] + w[-1], 0.0, 1.0)
    return out


def table(rows: list[tuple[str, np.ndarray]], gold: np.ndarray, languages: np.ndarray) -> None:
    groups = sorted(set(languages))
    print(f"{'signal':<48} {'all':>6} " + " ".join(f"{g:>6}" for g in groups))
    print(f"{'(pairs)':<48} {len(gold):>6} " + " ".join(f"{int((languages == g).sum()):>6}" for g in groups))
    for name, scores in rows:
        cells = [pearson(scores, gold)] + [pearson(scores[languages == g], gold[languages == g]) for g in groups]
        print(f"{name:<48} " + " ".join(f"{c:>6.3f}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached store and baseline vectors")
    args = parser.parse_args()
    if not DATA.is_file():
        sys.exit(f"{DATA} absent: this benchmark reads the shared data in place")
    from narratrace.cluster.similarity import E5, USE, WEIGHTS, components
    from narratrace.link.anchors import anchor_idf, document_frequency

    pairs = load_pairs()
    docs = stored_documents(pairs, args.threads, args.fresh)
    baseline = e5_baseline_vectors(pairs, args.threads)
    # Rarity is a property of the corpus, not of the labels: computed over every document.
    idf = anchor_idf(document_frequency(d.fingerprint.anchors for d in docs.values()), len(docs))
    values = [components(docs[p.text_a], docs[p.text_b], idf) for p in pairs]
    gold = np.array([p.gold for p in pairs])
    y = np.array([target(p) for p in pairs])
    languages = np.array([p.languages for p in pairs])
    folds = fold_of(pairs, args.folds)

    rows = [(f"e5 first {BASELINE_CHARS} chars (reference)",
             np.array([baseline[p.text_a] @ baseline[p.text_b] for p in pairs]))]
    rows += [(name, np.array([v[name] for v in values])) for name in values[0]]
    fitted: dict[frozenset[str], tuple[list[str], np.ndarray]] = {}
    for spaces in (frozenset(), frozenset({USE}), frozenset({E5}), frozenset({USE, E5})):
        names = [n for n in values[0] if n == "anchors" or n.split(":")[0] in spaces]
        features = np.array([[v[n] for n in names] for v in values])
        label = " + ".join([*sorted(spaces), "anchors"])
        rows.append((f"combined {label} ({args.folds}-fold CV)", cross_validated(features, y, folds)))
        fitted[spaces] = (names, fit(features, y))
    print(f"SemEval-2022 Task 8, {len(pairs)} pairs ({len({p.pair_id for p in pairs})} pair ids), "
          "Pearson with the negated Overall")
    table(rows, gold, languages)
    print("\nweights fitted on all pairs (what similarity.py ships):")
    for spaces, (names, w) in fitted.items():
        shipped = WEIGHTS.get(spaces, {})
        same = all(abs(shipped.get(n, np.inf) - c) < 5e-4 for n, c in zip(names + ["intercept"], w))
        print(f"  {sorted(spaces)}: " + ", ".join(f'"{n}": {c:.4f}' for n, c in zip(names + ["intercept"], w))
              + ("" if same else "   <- differs from the shipped constants"))


if __name__ == "__main__":
    main()
