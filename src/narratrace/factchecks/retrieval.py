"""Which stored fact-checks answer a text: BM25 over words and multilingual embeddings, fused.

Reciprocal-rank fusion throws away how sure each side is, so a BM25 list of near-ties
votes as loudly as a clear dense winner. Here each side keeps its scores: BM25
divided by the query's best BM25 score, cosines calibrated per encoder
(`enrich.embeddings.calibrate`) and averaged over the encoders that know both
languages, then a convex combination whose weights were fitted on the CheckThat!
*train* split. A fact-check's dense score mixes its claim and its title, which
fact-checkers write as a question or a rewording a post may echo more closely.
On CheckThat! 2020 dev this gives MAP@5 0.911, against 0.786 for BM25, 0.878 for
e5 and 0.896 for naive rank fusion (`benchmarks/claim_retrieval.py`).

BM25 only meets words of the query's language (names and numbers cross over), so
across languages the embeddings decide alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from narratrace.enrich.embeddings import Encoder, calibrate
from narratrace.enrich.language import detect_language
from narratrace.factchecks.records import FactCheck
from narratrace.factchecks.text import clean_query, same_words, terms, words
from narratrace.store.base import Store, StoredVectors

# Fitted on the CheckThat! 2020 train split (800 tweets): MAP@5 peaked at BM25 0.15 for every
# title weight, and was flat (0.9055-0.9064) for title weights 0.3-0.7; 0.5 is the plateau's middle.
TITLE_WEIGHT = 0.5
BM25_WEIGHT = 0.15
QUERY_CHUNK = 256
# A document with no words still needs a token for bm25s; no query ever holds this one.
EMPTY = "\x00"


@dataclass(slots=True)
class FactCheckHit:
    factcheck: FactCheck
    score: float
    bm25: float
    bm25_share: float
    dense: dict[str, float]
    words: list[str]

    def record(self) -> dict[str, object]:
        fc = self.factcheck
        return {
            "factcheck": fc.id, "score": round(self.score, 4),
            "claim": fc.claim, "title": fc.title, "rating": fc.rating, "author": fc.author,
            "date": fc.date, "url": fc.url, "language": fc.language,
            "evidence": {
                "words": self.words,
                "bm25": round(self.bm25, 4),
                "bm25_normalised": round(self.bm25_share, 4),
                "dense": {model: round(cos, 4) for model, cos in self.dense.items()},
            },
        }


@dataclass(slots=True)
class Scores:
    """Per query (rows) and fact-check (columns): raw BM25, its share of the query's best, and cosines per model."""

    languages: list[str | None]
    bm25: np.ndarray
    bm25_share: np.ndarray
    cosine: dict[str, np.ndarray]


class FactCheckIndex:
    """The fact-checks, their BM25 index and their stored vectors, held in memory for a batch of queries."""

    def __init__(
        self,
        factchecks: Sequence[FactCheck],
        vectors: Mapping[str, StoredVectors],
        encoders: Sequence[Encoder],
        title_weight: float = TITLE_WEIGHT,
        bm25_weight: float = BM25_WEIGHT,
    ) -> None:
        self.factchecks = list(factchecks)
        self.title_weight = title_weight
        self.bm25_weight = bm25_weight
        self._encoders = [e for e in encoders if vectors.get(e.name) and vectors[e.name].owners]
        self._rows = {e.name: _claim_and_title_rows(self.factchecks, vectors[e.name]) for e in self._encoders}
        self._matrix = {e.name: vectors[e.name].matrix.astype(np.float32) for e in self._encoders}
        indexed = [words(" ".join(fc.texts()), fc.language) for fc in self.factchecks]
        self._terms = [set(t) for t in indexed]
        self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
        if self.factchecks:
            self._bm25.index([t or [EMPTY] for t in indexed], show_progress=False)

    @classmethod
    def from_store(cls, store: Store, encoders: Sequence[Encoder]) -> FactCheckIndex:
        return cls(store.factchecks(), {e.name: store.factcheck_vectors(e.name) for e in encoders}, encoders)

    def search(self, texts: Sequence[str], top: int = 10, since: str | None = None) -> list[list[FactCheckHit]]:
        """The best `top` fact-checks for each text, best first; `since` (ISO date) keeps newer dated ones only."""
        if not self.factchecks:
            return [[] for _ in texts]
        too_old = np.array([not (fc.date and fc.date >= since) for fc in self.factchecks]) if since else None
        hits: list[list[FactCheckHit]] = []
        # Score matrices are queries x fact-checks: chunks keep a 10k-query batch within memory.
        for lo in range(0, len(texts), QUERY_CHUNK):
            cleaned = [clean_query(t) for t in texts[lo : lo + QUERY_CHUNK]]
            scores = self.scores(cleaned)
            fused = self.fuse(scores)
            if too_old is not None:
                fused[:, too_old] = -np.inf
            for q, text in enumerate(cleaned):
                order = [int(j) for j in np.argsort(-fused[q], kind="stable")[:top] if np.isfinite(fused[q, j])]
                hits.append([self._hit(scores, fused, q, j, terms(text, scores.languages[q])) for j in order])
        return hits

    def scores(self, cleaned: Sequence[str], query_vectors: Mapping[str, np.ndarray] | None = None) -> Scores:
        """The evidence of every fact-check for already cleaned queries; vectors are encoded unless given."""
        bm25 = np.zeros((len(cleaned), len(self.factchecks)), dtype=np.float32)
        languages = [detect_language(text)[0] for text in cleaned]
        for q, text in enumerate(cleaned):
            query_words = words(text, languages[q])
            if query_words:
                bm25[q] = self._bm25.get_scores(query_words)
        best = bm25.max(axis=1, keepdims=True)
        share = np.divide(bm25, best, out=np.zeros_like(bm25), where=best > 0)
        cosine = {}
        for encoder in self._encoders:
            given = query_vectors.get(encoder.name) if query_vectors else None
            vectors = given if given is not None else encoder.queries(list(cleaned))
            cosine[encoder.name] = self._cosines(encoder.name, np.asarray(vectors, dtype=np.float32))
        return Scores(languages, bm25, share, cosine)

    def dense(self, scores: Scores) -> np.ndarray:
        """Calibrated cosines onto [0, 1], averaged over the encoders that know both languages.

        USE scores text in a language it was not trained on as noise, so an Icelandic
        query against an English fact-check is judged by e5 alone.
        """
        total = np.zeros_like(scores.bm25)
        weight = np.zeros_like(scores.bm25)
        for encoder in self._encoders:
            known = np.outer([encoder.covers(lang) for lang in scores.languages],
                             [encoder.covers(fc.language) for fc in self.factchecks])
            total += known * calibrate(encoder, scores.cosine[encoder.name], search=True)
            weight += known
        return np.divide(total, weight, out=np.zeros_like(total), where=weight > 0)

    def fuse(self, scores: Scores) -> np.ndarray:
        """Dense and BM25 mixed where query and fact-check share a language; dense alone across languages.

        Across languages BM25 meets names and numbers only, which neighbouring sentences of
        the same story share too: on the WMT21 check (`benchmarks/claim_retrieval.py`) mixing
        it in dropped S@1 from 0.994 to 0.964.
        """
        if not scores.cosine:
            return scores.bm25_share
        dense = self.dense(scores)
        query = np.array([lang or "?" for lang in scores.languages])
        same = query[:, None] == np.array([fc.language or "" for fc in self.factchecks])[None, :]
        return np.where(same, (1 - self.bm25_weight) * dense + self.bm25_weight * scores.bm25_share, dense)

    def _cosines(self, model: str, queries: np.ndarray) -> np.ndarray:
        claim, title = self._rows[model]
        sims = queries @ self._matrix[model].T
        return (1 - self.title_weight) * sims[:, claim] + self.title_weight * sims[:, title]

    def _hit(self, scores: Scores, fused: np.ndarray, q: int, j: int, query_terms: list[tuple[str, str]]) -> FactCheckHit:
        shared = list(dict.fromkeys(word for word, term in query_terms if term in self._terms[j]))
        return FactCheckHit(
            self.factchecks[j], float(fused[q, j]), float(scores.bm25[q, j]), float(scores.bm25_share[q, j]),
            {m: float(c[q, j]) for m, c in scores.cosine.items()}, shared,
        )


def _claim_and_title_rows(factchecks: Sequence[FactCheck], stored: StoredVectors) -> tuple[np.ndarray, np.ndarray]:
    """Each fact-check's claim row and title row (its claim row again when it has no title).

    Fact-checks whose words are the same (a database imported from two exports, one
    quoting with "" and the other with '') share the rows of the first imported, so
    they tie and rank together, the first imported first (searches sort stably).
    CheckThat! holds such pairs, and its gold names the first of each.
    """
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for row, owner in enumerate(stored.owners):
        first.setdefault(owner, row)
        count[owner] = count.get(owner, 0) + 1
    missing = [fc.id for fc in factchecks if fc.id not in first]
    if missing:
        raise ValueError(f"{len(missing)} fact-checks have no {stored.model} vectors (first: {missing[0]})")
    canonical: dict[str, str] = {}
    owner = [canonical.setdefault(same_words(" ".join(fc.texts())), fc.id) for fc in factchecks]
    claim = np.array([first[o] for o in owner])
    title = np.array([first[o] + (count[o] > 1) for o in owner])
    return claim, title
