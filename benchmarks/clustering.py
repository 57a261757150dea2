"""Story clustering quality on ECB+ and ITN, beside baselines, and the cost of adding documents.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/clustering.py [--scale 100000] [--no-bertopic]

Quality: each set is split by topic (ECB+) or subject (ITN) into halves; the
defaults of `StorySettings` were tuned on the odd half, and the table reports the
even half (held out) and, for reference, the tuned half. Documents are placed in
publication order (ECB+ has no dates: a fixed shuffle). Baselines get the same
split: their one parameter is tuned on the odd half. TF-IDF + agglomerative reads
the text; e5 + agglomerative and BERTopic read the e5 lead vectors every document
has (the only space shared by all 55 ITN languages). BERTopic runs only when it is
installed (it needs torch; it is no dependency of narratrace).

Data: ECB+ (English news, two events of one kind per topic, no dates) and ITN (one
Wikipedia "In the news" blurb per language and subject, `first_in_lang`, dated by
when it was seen). Each document goes through the project's own stages and the
bridge stage, as an ingest prepares it for clustering, once: the documents are
pickled under `benchmarks/.cache/` (gitignored), keyed by the input and `VERSION`.

Scale (acceptance 4): synthetic dated documents with random vectors and anchors
grow a state to each size; the time to add the next 1,000 (on a copy of the state)
is printed beside the time it took to build the state from scratch.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import pickle
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from narratrace.cluster.bridge import BRIDGE_CHARS, BridgeStage
from narratrace.cluster.narratives import NarrativeTracker
from narratrace.cluster.stories import StoryClusterer, StorySettings
from narratrace.model import Document, Fingerprint, Published, Sentence, Vectors

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"

CACHE = Path(__file__).resolve().parent / ".cache"
STAGES = ("language", "sentences", "embeddings", "fingerprints")
VERSION = "2"
# The e5 lead every document gets (`--bridge-chars`; the product's default unless given).
BRIDGE = {"chars": BRIDGE_CHARS}


@dataclass
class Item:
    doc: Document
    gold: str
    group: int  # ECB+ topic, ITN cluster hash: what the tune/test split is made of


def ecbplus() -> list[Item]:
    items = []
    for path in sorted((SHARED / "ecbplus").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            rec = json.loads(line)
            doc = Document(origin=rec["id"], text=rec["text"], title=rec["title"],
                           meta={"declared_language": rec["lang"]})
            items.append(Item(doc, rec["event_cluster"], int(rec["topic"])))
    return items


def itn() -> list[Item]:
    items = []
    for path in sorted((SHARED / "itn-multilingual").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            rec = json.loads(line)
            if not rec["first_in_lang"]:
                continue
            day = datetime.fromtimestamp(rec["timestamp"], tz=UTC).date().isoformat()
            doc = Document(origin=rec["id"], text=rec["text"], published=Published(day, "day", "timestamp"),
                           meta={"declared_language": rec["lang"]})
            group = int(hashlib.sha256(rec["cluster"].encode()).hexdigest()[:8], 16)
            items.append(Item(doc, rec["cluster"], group))
    return items


def enriched(name: str, threads: int = 2, load: Callable[[], list[Item]] | None = None) -> list[Item]:
    """The set's items with vectors and fingerprints, from the cache when the input is unchanged."""
    items = (load or {"ecbplus": ecbplus, "itn": itn}[name])()
    named = VERSION + str(BRIDGE["chars"]) + "".join(i.doc.id + i.doc.origin for i in items)
    key = hashlib.sha256(named.encode()).hexdigest()[:12]
    path = CACHE / f"clustering-{name}-{key}.pkl"
    if path.exists():
        for item, doc in zip(items, pickle.loads(path.read_bytes())):
            item.doc = doc
        return items
    from narratrace.pipeline import build_stages
    from narratrace.settings import Settings

    stages = dict(build_stages(Settings(threads=threads)))
    docs = [i.doc for i in items]
    for stage in STAGES:
        start = time.perf_counter()
        docs = stages[stage](docs)
        print(f"  {name}: {stage} {time.perf_counter() - start:.0f} s", flush=True)
    start = time.perf_counter()
    BridgeStage(threads, BRIDGE["chars"])(docs)
    print(f"  {name}: bridge {time.perf_counter() - start:.0f} s", flush=True)
    CACHE.mkdir(exist_ok=True)
    path.write_bytes(pickle.dumps(docs))
    return items

Scores = tuple[float, float, float, float, float, float]


def pairwise(pred: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    def pairs(labels: Sequence[str]) -> set[tuple[int, int]]:
        groups: dict[str, list[int]] = defaultdict(list)
        for i, label in enumerate(labels):
            groups[label].append(i)
        return {p for members in groups.values() for p in itertools.combinations(members, 2)}

    p_pairs, g_pairs = pairs(pred), pairs(gold)
    tp = len(p_pairs & g_pairs)
    return _prf(tp / len(p_pairs) if p_pairs else 1.0, tp / len(g_pairs) if g_pairs else 1.0)


def bcubed(pred: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    by_pred: dict[str, set[int]] = defaultdict(set)
    by_gold: dict[str, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold)):
        by_pred[p].add(i)
        by_gold[g].add(i)
    precision = recall = 0.0
    for p, g in zip(pred, gold):
        both = len(by_pred[p] & by_gold[g])
        precision += both / len(by_pred[p])
        recall += both / len(by_gold[g])
    return _prf(precision / len(pred), recall / len(pred))


def _prf(p: float, r: float) -> tuple[float, float, float]:
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def scores(pred: Sequence[str], gold: Sequence[str]) -> Scores:
    return pairwise(pred, gold) + bcubed(pred, gold)


def ordered(items: list[Item]) -> list[Item]:
    shuffled = list(items)
    random.Random(0).shuffle(shuffled)
    return sorted(shuffled, key=lambda i: i.doc.published.value if i.doc.published else "")


def narratrace_stories(items: list[Item], _tune: list[Item]) -> list[str]:
    clusterer = StoryClusterer(StorySettings())
    for item in items:
        clusterer.add(item.doc)
    return [clusterer.group_of(i.doc.id) or "" for i in items]


def agglomerative(features: Callable[[list[Item]], np.ndarray],
                  score: Callable[[list[str], list[Item]], float] | None = None, widest: float = 0.3,
                  ) -> Callable[[list[Item], list[Item]], list[str]]:
    """Average-linkage agglomerative clustering on cosine distance, its cut tuned on the tuning half
    among quantiles of the distances up to `widest` (e5's cosine range is compressed, so fixed steps
    miss it) by `score` (default: pairwise F1 against each item's gold)."""
    score = score or (lambda pred, items: pairwise(pred, [i.gold for i in items])[2])
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics.pairwise import cosine_distances

    def fit(distances: np.ndarray, cut: float) -> list[str]:
        model = AgglomerativeClustering(n_clusters=None, distance_threshold=cut, metric="precomputed",
                                        linkage="average")
        return [str(label) for label in model.fit_predict(distances)]

    def run(items: list[Item], tune: list[Item]) -> list[str]:
        tuning = cosine_distances(features(tune))
        cuts = np.quantile(tuning[np.triu_indices(len(tune), 1)], np.linspace(0.002, widest, 40))
        cut = max(cuts, key=lambda c: score(fit(tuning, c), tune))
        return fit(cosine_distances(features(items)), cut)

    return run


def tfidf(items: list[Item]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(sublinear_tf=True).fit_transform([i.doc.text for i in items])


def e5_leads(items: list[Item]) -> np.ndarray:
    return np.stack([i.doc.vectors["e5-small"].centroid() for i in items])


def bertopic(items: list[Item], tune: list[Item]) -> list[str]:
    """BERTopic on the same e5 vectors (no model is loaded), its minimum topic size tuned on the tuning half."""
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from umap import UMAP

    def fit(its: list[Item], size: int) -> list[str]:
        umap = UMAP(n_neighbors=10, n_components=5, metric="cosine", random_state=0)
        model = BERTopic(umap_model=umap, hdbscan_model=HDBSCAN(min_cluster_size=size, prediction_data=True))
        topics, _ = model.fit_transform([i.doc.text for i in its], embeddings=e5_leads(its))
        return [f"t{t}" if t >= 0 else f"o{k}" for k, t in enumerate(topics)]

    size = max((2, 3, 5, 8), key=lambda s: pairwise(fit(tune, s), [i.gold for i in tune])[2])
    return fit(items, size)


def quality(with_bertopic: bool) -> None:
    methods: dict[str, Callable[[list[Item], list[Item]], list[str]]] = {
        "narratrace stories": narratrace_stories,
        "TF-IDF + agglomerative": agglomerative(tfidf),
        "e5 + agglomerative": agglomerative(e5_leads),
    }
    if with_bertopic:
        try:
            import bertopic as _  # noqa: F401

            methods["BERTopic (e5 vectors)"] = bertopic
        except ImportError:
            print("BERTopic is not installed: its row is left out (pip install torch==2.13.0 bertopic)")
    targets = {"ecbplus": 0.92, "itn": 0.60}
    print("\nStories: settings tuned on the odd topics/subjects; held out = the even ones.")
    print(f"{'set':<8} {'half':<9} {'method':<24} {'docs':>5} {'pair P':>7} {'pair R':>7} {'pair F1':>7} "
          f"{'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'seconds':>8}")
    for name in ("ecbplus", "itn"):
        items = ordered(enriched(name))
        tune = [i for i in items if i.group % 2 == 1]
        held = [i for i in items if i.group % 2 == 0]
        for method, run in methods.items():
            for half, part in (("held out", held), ("tuned on", tune)):
                start = time.perf_counter()
                pred = run(part, tune)
                seconds = time.perf_counter() - start
                s = scores(pred, [i.gold for i in part])
                print(f"{name:<8} {half:<9} {method:<24} {len(part):>5} " + " ".join(
                    f"{v:>{w}.3f}" for v, w in zip(s, (7, 7, 7, 6, 6, 6))) + f" {seconds:>8.1f}", flush=True)
        print(f"{name:<8} target: pairwise F1 >= {targets[name]:.2f} held out")


def synthetic(n: int, seed: int = 1) -> list[Document]:
    """Dated documents of random stories: ~5 per story, over three years, vectors and anchors per story."""
    rng = np.random.default_rng(seed)
    docs = []
    n_stories = max(1, n // 5)
    centres = {s: rng.standard_normal((n_stories, d)).astype(np.float32) for s, d in (("use-m3", 512), ("e5-small", 384))}
    start = 737_000
    story_day = rng.integers(0, 3 * 365, n_stories)
    for i in range(n):
        s = int(rng.integers(0, n_stories))
        day = int(story_day[s] + rng.integers(0, 4))
        text = f"synthetic {i}"
        doc = Document(origin=f"syn{i}", text=text, id=f"syn{i:07d}", sentences=[Sentence(0, len(text), 0)],
                       published=Published(_iso(start + day), "day", "synthetic"), language="en")
        for space, centre in centres.items():
            v = centre[s] + 0.8 * rng.standard_normal(centre.shape[1]).astype(np.float32)
            doc.vectors[space] = Vectors(space, (v / np.linalg.norm(v))[None, :].astype(np.float16), [0])
        doc.fingerprint = Fingerprint(np.zeros(1, np.uint64), frozenset({f"name:s{s}", f"n:{1000 + s % 977}"}))
        docs.append(doc)
    return sorted(docs, key=lambda d: d.published.value)


def _iso(day: int) -> str:
    from datetime import date

    return date.fromordinal(day).isoformat()


def scale(target: int) -> None:
    print("\nAdding the next 1,000 documents (publication order) to a state of N, stories and narratives as ingest")
    print("places them; synthetic: random vectors, ~5 documents a story over three years. Re-clustering from")
    print("scratch costs at least the build column.")
    print(f"{'N':>8} {'build N from scratch s':>23} {'add 1,000 s':>12} {'ms/doc':>7} {'stories':>8} "
          f"{'narratives':>11}")
    sizes = [s for s in (10_000, 30_000, 100_000, 300_000) if s <= target] or [target]
    stream = synthetic(sizes[-1] + 1_000)
    stories, narratives = StoryClusterer(), NarrativeTracker()
    built = 0.0
    for size in sizes:
        start = time.perf_counter()
        for doc in stream[len(stories.members) : size]:
            narratives.add(doc, stories.add(doc).group_id)
        built += time.perf_counter() - start
        # Measured on copies, so the next size grows from exactly N documents.
        story_probe = StoryClusterer.from_state(stories.state())
        state = narratives.state()
        state["engine"]["arrays"] = {k: np.array(v) for k, v in state["engine"]["arrays"].items()}
        narrative_probe = NarrativeTracker.from_state(state)
        start = time.perf_counter()
        for doc in stream[size : size + 1_000]:
            narrative_probe.add(doc, story_probe.add(doc).group_id)
        added = time.perf_counter() - start
        print(f"{size:>8} {built:>23.1f} {added:>12.2f} {added:>7.2f} {len(stories.groups):>8} "
              f"{len(narratives.engine.groups):>11}", flush=True)
    print("A dated document is scored only against the stories alive around its date (time buckets); a story's "
          "first document against every narrative, in one matrix product.")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100_000, help="largest state for the add-cost table (0: skip)")
    parser.add_argument("--no-bertopic", action="store_true")
    parser.add_argument("--no-quality", action="store_true")
    parser.add_argument("--bridge-chars", type=int, default=BRIDGE_CHARS,
                        help="characters of each lead the e5 bridge encodes")
    args = parser.parse_args()
    BRIDGE["chars"] = args.bridge_chars
    if not args.no_quality:
        if not SHARED.is_dir():
            sys.exit(f"{SHARED} absent: this benchmark reads the shared data in place")
        quality(not args.no_bertopic)
    if args.scale:
        scale(args.scale)


if __name__ == "__main__":
    main()
