"""Fact-check retrieval: CLEF-2020 CheckThat! Task 2 (tweets against 10,375 Snopes verified
claims) and a cross-lingual check on WMT21 translations.

Usage: python benchmarks/claim_retrieval.py [--split dev|train] [--tune] [--no-crosslingual] [--calibrate]

Issue 6's first acceptance: MAP@1, MAP@5 and MRR of BM25 alone, embeddings alone and
the final fused ranking, on the dev split (197 tweets), target MAP@5 >= 0.95. The
verified claims go through the importer's own reader (TSV with a field mapping) and
the product's `FactCheckIndex`; only the vectors come from a cache under
`benchmarks/.cache/` (e5 reads ~20 texts/s here: the 20k claims and titles take
15-30 minutes once), one matrix per model and role ("passage: " or "query: ") with
the list of texts its rows encode.

`--tune` searches the fusion weights on the *train* split (800 tweets) and prints
the best; the constants in `narratrace.factchecks.retrieval` were set from it, so dev
is never looked at while choosing them.

The cross-lingual part is the second acceptance: no translated tweets exist offline,
so the first body sentence of each WMT21 source document is a query and the first
four sentences of every human translation are the fact-check database (de->fr,
ru->en, is->en mixed: the translation's neighbouring sentences and every other
same-day article are distractors). It reports S@1 and S@10 (is the translation
first, in the first ten). Icelandic is outside USE's 16 languages, so those pairs
are judged by e5 alone.

`--calibrate` prints, for each suggestion threshold and margin of `factchecks match`,
the share of train tweets whose fact-check is suggested, the share of suggestions that
are right, and the suggestions per 100 demo-corpus claims, which no fact-check checks.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from narratrace.enrich.embeddings import E5Encoder, Encoder, e5_encoder, use_encoder
from narratrace.factchecks.importer import language_of, read_factchecks
from narratrace.factchecks.records import FactCheck, FieldMap
from narratrace.factchecks.retrieval import FactCheckIndex, Scores
from narratrace.factchecks.text import clean_query
from narratrace.store.base import StoredVectors

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CLEF = SHARED / "clef2020-checkthat-task2"
WMT = SHARED / "wmt21-parallel"
CACHE = Path(__file__).resolve().parent / ".cache"
MAPPING = FieldMap(id="#1", claim="vclaim", title="title")
WMT_FILES = ("newstest2021.de-fr.docs.jsonl", "newstest2021.ru-en.part1.docs.jsonl", "newstest2021.is-en.docs.jsonl")
# The headline is segment 0; the first body sentence is about a claim's length, and its
# document's neighbouring sentences are the hardest distractors.
QUERY_SEGMENT = 1
TARGET_SEGMENTS = 4
TITLE_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
DEMO = Path(__file__).resolve().parents[1] / "demo" / "corpus"
TOP_SUGGESTIONS = 3
MATCH_THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.8)
MATCH_MARGINS = (0.02, 0.05, 0.1, 1.0)
BM25_WEIGHTS = tuple(round(w, 2) for w in np.arange(0.0, 0.61, 0.05))


def cached(encoder: Encoder, role: str, texts: Sequence[str]) -> np.ndarray:
    """The texts' vectors; each text is encoded once per model and role, ever, and kept in the cache."""
    matrix_path = CACHE / f"claim-retrieval-{encoder.name}-{role}.npy"
    texts_path = CACHE / f"claim-retrieval-{encoder.name}-{role}.json"
    known: list[str] = json.loads(texts_path.read_text(encoding="utf-8")) if texts_path.exists() else []
    matrix = np.load(matrix_path) if matrix_path.exists() else np.zeros((0, encoder.dim), dtype=np.float16)
    row = {text: i for i, text in enumerate(known)}
    missing = list(dict.fromkeys(t for t in texts if t not in row))
    if missing:
        started = time.time()
        encode = encoder.passages if role == "passage" else encoder.queries
        matrix = np.concatenate([matrix, encode(missing).astype(np.float16)])
        known += missing
        row.update({text: len(row) + i for i, text in enumerate(missing)})
        CACHE.mkdir(exist_ok=True)
        (CACHE / ".gitignore").write_text("*\n")
        np.save(matrix_path, matrix)
        texts_path.write_text(json.dumps(known, ensure_ascii=False), encoding="utf-8")
        print(f"  encoded {len(missing)} {role} texts with {encoder.name} in {time.time() - started:.0f} s",
              file=sys.stderr, flush=True)
    return matrix[[row[t] for t in texts]]


def stored_vectors(encoder: Encoder, factchecks: Sequence[FactCheck]) -> StoredVectors:
    """What the importer would store: per fact-check its claim row, then its title row if it has one."""
    claims = cached(encoder, "passage", [fc.claim for fc in factchecks])
    titled = [i for i, fc in enumerate(factchecks) if len(fc.texts()) == 2]
    titles = cached(encoder, "passage", [factchecks[i].title or "" for i in titled])
    title_of = dict(zip(titled, titles))
    owners, rows = [], []
    for i, fc in enumerate(factchecks):
        owners.append(fc.id)
        rows.append(claims[i])
        if i in title_of:
            owners.append(fc.id)
            rows.append(title_of[i])
    return StoredVectors(encoder.name, owners, np.stack(rows))


def verified_claims() -> list[FactCheck]:
    factchecks = [fc for fc in read_factchecks(CLEF / "verified_claims.docs.tsv", MAPPING)
                  if isinstance(fc, FactCheck)]
    for fc in factchecks:
        fc.language = language_of(fc)
    return factchecks


def tweets(split: str) -> tuple[list[str], list[str], dict[str, set[str]]]:
    """Query ids, tweet texts and the relevant verified-claim ids of each query."""
    gold: dict[str, set[str]] = {}
    for line in (CLEF / split / "tweet-vclaim-pairs.qrels").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[0].isdigit():
            gold.setdefault(parts[0], set()).add(parts[2])
    with (CLEF / split / "tweets.queries.tsv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh, delimiter="\t") if len(r) == 2 and r[0] in gold]
    return [r[0] for r in rows], [r[1] for r in rows], gold


def measures(ranking: np.ndarray, qids: Sequence[str], ids: Sequence[str], gold: dict[str, set[str]]) -> tuple[float, ...]:
    """MAP@1, MAP@5 and MRR as the CheckThat! scorer computes them."""
    map1 = map5 = mrr = 0.0
    for row, qid in zip(ranking, qids):
        relevant = gold[qid]
        found = [ids[j] in relevant for j in row]
        hits, precision = 0, 0.0
        for k, hit in enumerate(found[:5], 1):
            if hit:
                hits += 1
                precision += hits / k
        map5 += precision / min(len(relevant), 5)
        map1 += found[0] / min(len(relevant), 1)
        mrr += next((1 / k for k, hit in enumerate(found, 1) if hit), 0.0)
    n = len(qids)
    return map1 / n, map5 / n, mrr / n


def rank(matrix: np.ndarray) -> np.ndarray:
    """Best first; ties keep import order, as searches do."""
    return np.argsort(-matrix, axis=1, kind="stable")


def reciprocal_rank_fusion(*matrices: np.ndarray, k: int = 60) -> np.ndarray:
    """The naive baseline: 1 / (k + rank) summed over the rankings, scores thrown away."""
    fused = np.zeros_like(matrices[0], dtype=np.float64)
    for matrix in matrices:
        positions = np.empty_like(matrix, dtype=np.int64)
        np.put_along_axis(positions, rank(matrix), np.arange(matrix.shape[1])[None, :], axis=1)
        fused += 1.0 / (k + 1 + positions)
    return fused


def checkthat_index(factchecks: list[FactCheck], encoders: list[Encoder]) -> FactCheckIndex:
    return FactCheckIndex(factchecks, {e.name: stored_vectors(e, factchecks) for e in encoders}, encoders)


def split_scores(index: FactCheckIndex, encoders: list[Encoder], split: str) -> tuple[Scores, list[str], dict[str, set[str]]]:
    qids, texts, gold = tweets(split)
    cleaned = [clean_query(t) for t in texts]
    vectors = {e.name: cached(e, "query", cleaned) for e in encoders}
    return index.scores(cleaned, vectors), qids, gold


def tune(index: FactCheckIndex, encoders: list[Encoder]) -> None:
    """The fusion weights with the best train MAP@5 (ties: the higher MRR)."""
    ids = [fc.id for fc in index.factchecks]
    rows: list[tuple[float, float, float, float]] = []
    for title_weight in TITLE_WEIGHTS:
        index.title_weight = title_weight
        scores, qids, gold = split_scores(index, encoders, "train")
        for bm25_weight in BM25_WEIGHTS:
            index.bm25_weight = bm25_weight
            _, map5, mrr = measures(rank(index.fuse(scores))[:, :50], qids, ids, gold)
            rows.append((map5, mrr, title_weight, bm25_weight))
    rows.sort(reverse=True)
    print("train split, best fusion weights (MAP@5, MRR, title weight, BM25 weight):")
    for map5, mrr, title_weight, bm25_weight in rows[:5]:
        print(f"  {map5:.4f}  {mrr:.4f}  title {title_weight:.2f}  bm25 {bm25_weight:.2f}")


def checkthat(split: str, encoders: list[Encoder], tuning: bool) -> None:
    started = time.time()
    factchecks = verified_claims()
    index = checkthat_index(factchecks, encoders)
    if tuning:
        tune(index, encoders)
        index = checkthat_index(factchecks, encoders)
    scores, qids, gold = split_scores(index, encoders, split)
    ids = [fc.id for fc in factchecks]
    table = [("BM25 alone", scores.bm25)]
    table += [(f"{model} dense alone", cosine) for model, cosine in scores.cosine.items()]
    table += [("naive RRF (BM25, e5)", reciprocal_rank_fusion(scores.bm25, scores.cosine[E5Encoder.name])),
              ("dense (all encoders)", index.dense(scores)), ("final (fused)", index.fuse(scores))]
    print(f"\nCheckThat! 2020 task 2, {split} split: {len(qids)} tweets against {len(factchecks)} verified claims "
          f"(title weight {index.title_weight}, BM25 weight {index.bm25_weight})")
    print(f"{'ranking':<26}{'MAP@1':>8}{'MAP@5':>8}{'MRR':>8}")
    for name, matrix in table:
        map1, map5, mrr = measures(rank(matrix), qids, ids, gold)
        print(f"{name:<26}{map1:>8.4f}{map5:>8.4f}{mrr:>8.4f}")
    print(f"({time.time() - started:.0f} s with cached vectors)")


def wmt_sentences() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Queries: (language, first body sentence) of every source document. Targets: (id, language,
    sentence) of the first reference sentences of every document; query i's translation is target `gold[i]`."""
    queries, targets, gold = [], [], []
    for name in WMT_FILES:
        for line in (WMT / name).read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            if len(doc["src_segments"]) <= QUERY_SEGMENT:
                continue
            queries.append((doc["src_lang"], doc["src_segments"][QUERY_SEGMENT]))
            gold.append(len(targets) + QUERY_SEGMENT)
            for number, segment in enumerate(doc["ref_segments"][:TARGET_SEGMENTS]):
                targets.append((f"{doc['docid']}#{number}", doc["tgt_lang"], segment))
    return queries, targets, gold


def crosslingual(encoders: list[Encoder]) -> None:
    queries, targets, gold = wmt_sentences()
    factchecks = [FactCheck(id=key, claim=text, origin="wmt", language=lang) for key, lang, text in targets]
    index = FactCheckIndex(factchecks, {e.name: stored_vectors(e, factchecks) for e in encoders}, encoders)
    texts = [text for _, text in queries]
    scores = index.scores(texts, {e.name: cached(e, "query", texts) for e in encoders})
    rows = np.arange(len(queries))
    print(f"\nCross-lingual: WMT21, the first body sentence of {len(queries)} source documents (de->fr, ru->en, "
          f"is->en) against {len(targets)} reference sentences (each document's first {TARGET_SEGMENTS})")
    print(f"{'ranking':<26}{'S@1':>8}{'S@10':>8}")
    table = [("BM25 alone", scores.bm25)] + [(f"{m} dense alone", c) for m, c in scores.cosine.items()]
    table += [("dense (all encoders)", index.dense(scores)), ("final (fused)", index.fuse(scores))]
    for name, matrix in table:
        position = (matrix > matrix[rows, gold][:, None]).sum(axis=1)
        print(f"{name:<26}{np.mean(position < 1):>8.4f}{np.mean(position < 10):>8.4f}")


def demo_claims() -> list[str]:
    """The claims of the demo corpus: fictional stories, so no CheckThat! claim checks any of them."""
    from narratrace.claims import extract_claims
    from narratrace.ingest import read_inputs
    from narratrace.model import Document
    from narratrace.pipeline import build_stages
    from narratrace.settings import Settings

    docs = [d for d in read_inputs([str(DEMO)]) if isinstance(d, Document)]
    for name, stage in build_stages(Settings()):
        if name in ("language", "sentences"):
            docs = stage(docs)
    return [c.text for d in docs for c in extract_claims(d)]


def calibrate_matching(encoders: list[Encoder]) -> None:
    """What each suggestion threshold of `factchecks match` keeps: the train tweets (each has its
    fact-check) for recall and precision, the demo corpus's claims (none has one) for false alarms."""
    factchecks = verified_claims()
    index = checkthat_index(factchecks, encoders)
    ids = np.array([fc.id for fc in factchecks])
    scores, qids, gold = split_scores(index, encoders, "train")
    fused = index.fuse(scores)
    cleaned = [clean_query(t) for t in demo_claims()]
    unrelated = index.fuse(index.scores(cleaned, {e.name: cached(e, "query", cleaned) for e in encoders}))
    top = np.argsort(-fused, axis=1)[:, :TOP_SUGGESTIONS]
    unrelated_top = -np.sort(-unrelated, axis=1)[:, :TOP_SUGGESTIONS]
    print(f"\nSuggestion thresholds (top {TOP_SUGGESTIONS} per claim): {len(qids)} CheckThat! train tweets, "
          f"{len(cleaned)} demo-corpus claims with no fact-check")
    print(f"{'threshold':>10}{'margin':>8}{'recall':>9}{'precision':>11}{'false per 100 unrelated':>25}")
    for threshold in MATCH_THRESHOLDS:
        for margin in MATCH_MARGINS:
            found = right = wrong = 0
            for q, qid in enumerate(qids):
                best = fused[q, top[q, 0]]
                kept = [ids[j] for j in top[q] if fused[q, j] >= max(threshold, best - margin)]
                hits = sum(fc in gold[qid] for fc in kept)
                found += hits > 0
                right += hits
                wrong += len(kept) - hits
            kept_unrelated = (unrelated_top >= np.maximum(threshold, unrelated_top[:, :1] - margin)).sum()
            false = 100 * float(kept_unrelated) / len(cleaned)
            precision = right / (right + wrong) if right + wrong else 1.0
            print(f"{threshold:>10.2f}{margin:>8.2f}{found / len(qids):>9.3f}{precision:>11.3f}{false:>25.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument("--tune", action="store_true", help="search the fusion weights on train first")
    parser.add_argument("--no-crosslingual", action="store_true")
    parser.add_argument("--calibrate", action="store_true",
                        help="only the suggestion thresholds of `factchecks match`, on the train split")
    args = parser.parse_args()
    if not CLEF.is_dir():
        print(f"{CLEF} is absent: the shared benchmark data lives beside the checkout", file=sys.stderr)
        return 1
    encoders: list[Encoder] = [use_encoder(), e5_encoder()]
    if args.calibrate:
        calibrate_matching(encoders)
        return 0
    checkthat(args.split, encoders, args.tune)
    if not args.no_crosslingual and WMT.is_dir():
        crosslingual(encoders)
    return 0


if __name__ == "__main__":
    sys.exit(main())
