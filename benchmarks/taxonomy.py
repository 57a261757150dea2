"""Known narratives: cross-validated samples-F1 of the taxonomy classifier, per language.

Usage: python benchmarks/taxonomy.py [--folds 5] [--seed 0] [--budget 1200]

The SemEval-2025 Task 10 articles in `../shared/data/semeval2025-task10` (626
articles, originally EN, PT, BG and HI; this participant copy holds them all in
English translation, so "language" in the table is the original language, read
from the task's file names: "PT_52.txt", "A9_BG_3543.txt") go through the project's own import
(`narratrace.taxonomy.semeval`), language and sentence stages, and the classifier
(`narratrace.taxonomy.classifier`). Each article is labelled by a classifier
trained on the other folds (stratified by language); the table gives samples-F1
(the task's official metric) at the coarse and the fine level, per language and
overall, for each space's model alone. The product reads a document with the first
model whose space the document has, USE before e5, so on these English texts it is
the USE row; the e5 row is what a language USE lacks gets (e5 reads the lead only).
Targets: coarse >= 0.45, fine >= 0.35.

Sentence vectors are cached under `benchmarks/.cache/` (USE for every sentence of a
USE-language article, e5 for the first `--budget` characters of all): e5 reads ~20
sentences/s here, so the first run takes several minutes.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from narratrace.model import Document, Vectors
from narratrace.taxonomy.classifier import TaxonomyClassifier, samples_f1
from narratrace.taxonomy.model import LabelledArticle, Taxonomy
from narratrace.taxonomy.semeval import import_semeval
from narratrace.taxonomy.train import article_documents
from narratrace.taxonomy.vectors import encode_missing

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DATA = SHARED / "semeval2025-task10"
CACHE = Path(__file__).resolve().parent / ".cache"
_ORIGINAL_LANGUAGE = re.compile(r"(?:^|_)([A-Z]{2})_")
SPACE_CHOICES = {"use-m3": ("use-m3",), "e5-small": ("e5-small",)}


def load(budget: int) -> tuple[Taxonomy, list[LabelledArticle], list[Document]]:
    """The taxonomy, its articles, and the articles as Documents with sentences and cached vectors."""
    taxonomy, articles = import_semeval([DATA])
    docs = article_documents(articles)
    key = hashlib.sha256("\n".join(d.id for d in docs).encode() + str(budget).encode()).hexdigest()[:12]
    path = CACHE / f"taxonomy-{key}.pkl"
    if path.exists():
        stored = pickle.loads(path.read_bytes())
        for doc in docs:
            doc.vectors = {space: Vectors(space, m, rows) for space, (rows, m) in stored[doc.id].items()}
    else:
        start = time.perf_counter()
        print(f"encoding {len(docs)} articles (cached in {path.name} afterwards)...", file=sys.stderr, flush=True)
        encode_missing(docs, budget)
        CACHE.mkdir(exist_ok=True)
        path.write_bytes(pickle.dumps({d.id: {s: (v.rows, v.matrix) for s, v in d.vectors.items()} for d in docs}))
        print(f"encoded in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return taxonomy, articles, docs


def original_language(article: LabelledArticle) -> str:
    """The task's language tag in the file name ("BG" in "A9_BG_3543.txt"), else the detected language."""
    found = _ORIGINAL_LANGUAGE.search(article.id)
    return found.group(1) if found else (article.language or "?")


def folds_by_language(articles: list[LabelledArticle], k: int, seed: int) -> list[int]:
    """A fold per article, each language spread evenly over the folds."""
    rng = np.random.default_rng(seed)
    fold = [0] * len(articles)
    by_language: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(articles):
        by_language[original_language(a)].append(i)
    for indices in by_language.values():
        for n, i in enumerate(rng.permutation(indices)):
            fold[int(i)] = n % k
    return fold


def cross_validate(taxonomy: Taxonomy, articles: list[LabelledArticle], docs: list[Document],
                   spaces: tuple[str, ...], k: int, seed: int, budget: int) -> tuple[list[list[str]], list[list[str]]]:
    fold = folds_by_language(articles, k, seed)
    coarse: list[list[str]] = [[] for _ in articles]
    fine: list[list[str]] = [[] for _ in articles]
    for f in range(k):
        train = [i for i in range(len(articles)) if fold[i] != f]
        test = [i for i in range(len(articles)) if fold[i] == f]
        model = TaxonomyClassifier(taxonomy, spaces=spaces, e5_char_budget=budget)
        model.fit([docs[i] for i in train], [articles[i] for i in train])
        for i, (c, fi) in zip(test, model.predict_labels([docs[i] for i in test]), strict=True):
            coarse[i], fine[i] = c, fi
    return coarse, fine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--budget", type=int, default=1200, help="characters of each article e5 reads")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"{DATA} absent: the shared benchmark data lives beside the checkout")
    taxonomy, articles, docs = load(args.budget)
    languages = sorted({original_language(a) for a in articles})
    print(f"{len(articles)} articles, {len(taxonomy.coarse)} coarse and {len(taxonomy.fine)} fine labels, "
          f"{args.folds}-fold CV (seed {args.seed}), e5 budget {args.budget} characters")
    header = f"{'space':<10} {'level':<7}" + "".join(f"{lang:>7}" for lang in languages) + f"{'all':>7}"
    print(header)
    print("-" * len(header))
    for name, spaces in SPACE_CHOICES.items():
        coarse, fine = cross_validate(taxonomy, articles, docs, spaces, args.folds, args.seed, args.budget)
        for level, predicted, gold in (("coarse", coarse, [a.coarse for a in articles]),
                                       ("fine", fine, [a.fine for a in articles])):
            cells = []
            for lang in languages:
                idx = [i for i, a in enumerate(articles) if original_language(a) == lang]
                cells.append(samples_f1([gold[i] for i in idx], [predicted[i] for i in idx]) if idx else float("nan"))
            overall = samples_f1(gold, predicted)
            print(f"{name:<10} {level:<7}" + "".join(f"{c:>7.3f}" for c in cells) + f"{overall:>7.3f}")


if __name__ == "__main__":
    main()
