"""Narrative clustering quality on SemEval-2025 Task 10 articles, beside baselines.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/narratives.py [--tune]

The articles (English, Portuguese, Bulgarian, Hindi, Russian; the war in Ukraine and
climate change) carry the fine sub-narratives annotators found in them, several each:
"URW: Discrediting Ukraine: Ukraine is a puppet of the West" is a narrative in
narratrace's sense, a claim that comes back in article after article about other events.
Labels "Other" and "...: Other" name no claim and are dropped, and so are articles
left with none.

Gold is multi-label and a clustering gives one narrative per article, so the table
gives extended BCubed (Amigó et al. 2009): an article's precision is the share of its
narrative mates sharing a label with it, its recall the share of the articles sharing
a label with it that are its mates, each divided by how many labels they share (so a
perfect single-label clustering of multi-label gold stays below 1); and pairwise
precision/recall/F1 with a pair positive when it shares a label.

Articles are split by a hash of their id; `--tune` searches the narrative settings on
the odd half and prints the best few, and the table reports both halves. Baselines get
the same split: agglomerative clustering of TF-IDF or of the e5 lead vectors, their cut
tuned on the odd half. The articles go through the project's own stages once (cached
under `benchmarks/.cache/`, as `clustering.py` does); they carry no dates.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import itertools
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import fields, replace

from clustering import SHARED, Item, agglomerative, e5_leads, enriched, ordered, tfidf

from narratrace.cluster.narratives import NarrativeSettings, NarrativeTracker
from narratrace.cluster.stories import StoryClusterer
from narratrace.model import Document

DATA = SHARED / "semeval2025-task10" / "jsluijter02_data.csv"

Labels = frozenset[str]
# Narratives are coarser than stories: baseline cuts are searched up to this quantile of the distances.
WIDEST = 0.9


def articles() -> list[Item]:
    csv.field_size_limit(1 << 30)
    items = []
    with DATA.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            labels = frozenset(label for label in ast.literal_eval(row["sub_narr"])
                               if label != "Other" and not label.endswith(": Other"))
            if not labels or not row["text"].strip():
                continue
            doc = Document(origin=row["id"], text=row["text"])
            group = int(hashlib.sha256(row["id"].encode()).hexdigest()[:8], 16)
            items.append(Item(doc, "|".join(sorted(labels)), group))
    return items


def gold_sets(items: Sequence[Item]) -> list[Labels]:
    return [frozenset(i.gold.split("|")) for i in items]


def extended_bcubed(pred: Sequence[str], gold: Sequence[Labels]) -> tuple[float, float, float]:
    precision = recall = 0.0
    n = len(pred)
    for i in range(n):
        mates = [j for j in range(n) if pred[j] == pred[i]]
        precision += sum(1.0 for j in mates if gold[i] & gold[j]) / len(mates)
        related = [j for j in range(n) if gold[i] & gold[j]]
        recall += sum(1.0 / len(gold[i] & gold[j]) for j in related if pred[j] == pred[i]) / len(related)
    return _prf(precision / n, recall / n)


def pairwise(pred: Sequence[str], gold: Sequence[Labels]) -> tuple[float, float, float]:
    tp = predicted = positive = 0
    for i, j in itertools.combinations(range(len(pred)), 2):
        same, shared = pred[i] == pred[j], bool(gold[i] & gold[j])
        tp += same and shared
        predicted += same
        positive += shared
    return _prf(tp / predicted if predicted else 1.0, tp / positive if positive else 1.0)


def b3_f1(pred: list[str], items: list[Item]) -> float:
    return extended_bcubed(pred, gold_sets(items))[2]


def _prf(p: float, r: float) -> tuple[float, float, float]:
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def narratrace_narratives(settings: NarrativeSettings) -> Callable[[list[Item], list[Item]], list[str]]:
    def run(items: list[Item], _tune: list[Item]) -> list[str]:
        stories, narratives = StoryClusterer(), NarrativeTracker(settings)
        for item in items:
            narratives.add(item.doc, stories.add(item.doc).group_id)
        return [narratives.engine.group_of(i.doc.id) or "" for i in items]

    return run


def first_label(items: list[Item], _tune: list[Item]) -> list[str]:
    """Not a method: each article in its first gold label's group, the ceiling of a one-label clustering."""
    return [sorted(i.gold.split("|"))[0] for i in items]


def tune(tuning: list[Item]) -> NarrativeSettings:
    gold = gold_sets(tuning)
    grid = {"threshold": (0.3, 0.4, 0.45, 0.5, 0.6), "length_slope": (0.0, 0.05, 0.1, 0.15),
            "merge_threshold": (0.6, 0.7, 0.75, 0.85, 10.0), "anchor_weight": (0.6, 1.2)}
    results = []
    for values in itertools.product(*grid.values()):
        settings = replace(NarrativeSettings(), **dict(zip(grid, values)))
        pred = narratrace_narratives(settings)(tuning, tuning)
        results.append((extended_bcubed(pred, gold)[2], pairwise(pred, gold)[2], len(set(pred)), values))
    results.sort(key=lambda r: -r[0])
    print(f"\nbest settings on the tuning half ({', '.join(grid)}), by extended BCubed F1:")
    for b3, pair, n, values in results[:8]:
        print(f"  {values}  B3 F1 {b3:.3f}  pair F1 {pair:.3f}  narratives {n}")
    return replace(NarrativeSettings(), **dict(zip(grid, results[0][3])))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tune", action="store_true", help="search the narrative settings on the odd half first")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} absent: this benchmark reads the shared data in place")
    items = ordered(enriched("semeval2025", load=articles))
    tuning = [i for i in items if i.group % 2 == 1]
    held = [i for i in items if i.group % 2 == 0]
    settings = tune(tuning) if args.tune else NarrativeSettings()
    shown = {f.name: getattr(settings, f.name) for f in fields(settings)}
    print(f"\nnarrative settings: {shown}")
    methods: dict[str, Callable[[list[Item], list[Item]], list[str]]] = {
        "narratrace narratives": narratrace_narratives(settings),
        "TF-IDF + agglomerative": agglomerative(tfidf, b3_f1, WIDEST),
        "e5 + agglomerative": agglomerative(e5_leads, b3_f1, WIDEST),
        "(first gold label)": first_label,
    }
    print(f"{'half':<9} {'method':<24} {'docs':>5} {'groups':>6} {'pair P':>7} {'pair R':>7} {'pair F1':>7} "
          f"{'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'seconds':>8}")
    for method, run in methods.items():
        for half, part in (("held out", held), ("tuned on", tuning)):
            start = time.perf_counter()
            pred = run(part, tuning)
            seconds = time.perf_counter() - start
            gold = gold_sets(part)
            s = pairwise(pred, gold) + extended_bcubed(pred, gold)
            print(f"{half:<9} {method:<24} {len(part):>5} {len(set(pred)):>6} " + " ".join(
                f"{v:>{w}.3f}" for v, w in zip(s, (7, 7, 7, 6, 6, 6))) + f" {seconds:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
