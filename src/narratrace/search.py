"""Cross-lingual semantic search fused with keyword search.

The query is encoded by every encoder, documents are compared in the space their
vectors live in, and cosines are calibrated per encoder (see
`enrich.embeddings.calibrate`) so French documents scored in USE space and
Indonesian ones scored in e5 space rank on one scale. Keywords (FTS5 BM25) add
what embeddings blur: names, numbers, rare words.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from narratrace.enrich.embeddings import Encoder, calibrate, encoders
from narratrace.link.lexical import lexical_vectors
from narratrace.model import Document
from narratrace.store.base import Store

# Keywords match only within one language, so a heavy keyword share ranks a query's
# own language first whatever the meaning; measured on the seeds, 0.75 pushed the
# Indonesian translation of the best French match below two loosely related French
# articles. The DESIGN survey saw the same: naive fusion did worse than dense alone.
SEMANTIC_WEIGHT = 0.85
CANDIDATES = 100


@dataclass(slots=True)
class SearchHit:
    id: str
    title: str | None
    language: str | None
    score: float
    semantic: float
    keyword: float
    evidence: str

    def record(self) -> dict[str, object]:
        return {
            "id": self.id, "title": self.title, "language": self.language,
            "score": round(self.score, 4), "semantic": round(self.semantic, 4),
            "keyword": round(self.keyword, 4), "evidence": self.evidence,
        }


class Centroids:
    """Document centroids per (encoder, language) as float32 matrices, kept between searches
    while the store holds the same documents (stored documents are never removed, so their
    count says when): a server read and converted 10k centroids on every query, a fifth
    of its time."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str | None], tuple[int, list[str], np.ndarray]] = {}
        self._lock = threading.Lock()

    def get(self, store: Store, model: str, language: str | None) -> tuple[list[str], np.ndarray]:
        count = store.count()
        with self._lock:
            kept = self._kept.get((model, language))
        if kept is not None and kept[0] == count:
            return kept[1], kept[2]
        stored = store.document_vectors(model, language)
        matrix = stored.matrix.astype(np.float32)
        with self._lock:
            self._kept[(model, language)] = (count, stored.owners, matrix)
        return stored.owners, matrix


def encode_query(text: str, threads: int = 2) -> dict[str, np.ndarray]:
    """The query in every encoder's space: the one step of a search that needs the models."""
    return {encoder.name: np.asarray(encoder.queries([text])[0], dtype=np.float32) for encoder in encoders(threads)}


def _semantic(
    store: Store, encoder: Encoder, query: np.ndarray, language: str | None, centroids: Centroids,
    among: Collection[str] | None = None,
) -> dict[str, tuple[float, int]]:
    """Best calibrated score per document (of the shortlist, or of `among`) and the sentence (index) that earned it."""
    owners, matrix = centroids.get(store, encoder.name, language)
    if not owners:
        return {}
    coarse = matrix @ query
    if among is not None:
        best_first = np.array([i for i, owner in enumerate(owners) if owner in among], dtype=np.int64)
    else:
        best_first = np.argpartition(-coarse, min(CANDIDATES, len(coarse)) - 1)[:CANDIDATES]
    shortlist = [owners[i] for i in best_first]
    sentences = store.vectors_in(encoder.name, shortlist)
    found: dict[str, tuple[float, int]] = {}
    for i, doc_id in zip(best_first, shortlist):
        vec = sentences.get(doc_id)
        if vec is None:
            continue
        sims = vec.matrix.astype(np.float32) @ query
        best = int(np.argmax(sims))
        cosine = 0.5 * float(sims[best]) + 0.5 * float(coarse[i])
        found[doc_id] = (float(calibrate(encoder, cosine, search=True)), vec.rows[best])
    return found


def search(
    store: Store, text: str, top: int = 10, language: str | None = None, threads: int = 2,
    centroids: Centroids | None = None, queries: dict[str, np.ndarray] | None = None,
    among: Collection[str] | None = None,
) -> list[SearchHit]:
    """Documents are read only for the hits returned: reading every candidate's text took
    most of a query's time once the encoders were warm. A server passes the query already
    encoded (`encode_query`), so that only encoding waits for the shared models.

    With `among`, only those documents are scored, on the scale a search of the whole store
    gives them (keyword scores still relative to the store's best match): an alert on new
    documents must not depend on whether a hundred older ones rank above them."""
    semantic: dict[str, tuple[float, int]] = {}
    centroids = centroids or Centroids()
    queries = queries if queries is not None else encode_query(text, threads)
    for encoder in encoders(threads):
        for doc_id, hit in _semantic(store, encoder, queries[encoder.name], language, centroids, among).items():
            if hit[0] > semantic.get(doc_id, (-1.0, 0))[0]:
                semantic[doc_id] = hit
    keyword_hits = store.keyword_search(text, CANDIDATES, language)
    best_bm25 = max((h.score for h in keyword_hits), default=0.0)
    keyword = {h.id: h.score / best_bm25 if best_bm25 > 0 else 0.0 for h in keyword_hits
               if among is None or h.id in among}
    scored = sorted(
        ((SEMANTIC_WEIGHT * semantic.get(d, (0.0, 0))[0] + (1 - SEMANTIC_WEIGHT) * keyword.get(d, 0.0), d)
         for d in semantic.keys() | keyword.keys()),
        key=lambda pair: (-pair[0], pair[1]),
    )
    hits: list[SearchHit] = []
    for score, doc_id in scored[:top]:
        doc = store.get(doc_id)
        sem, row = semantic.get(doc_id, (0.0, -1))
        if doc is not None and not 0 <= row < len(doc.sentences):
            row = _most_words(doc, text)
        sentence = doc.sentence_text(doc.sentences[row]) if doc and 0 <= row < len(doc.sentences) else ""
        hits.append(SearchHit(doc_id, doc.title if doc else None, doc.language if doc else None,
                              score, sem, keyword.get(doc_id, 0.0), sentence))
    return hits


def _most_words(doc: Document, query: str) -> int:
    """The sentence sharing most words with the query: the evidence of a hit the encoders did not shortlist."""
    if not doc.sentences:
        return -1
    overlap = lexical_vectors(doc.sentence_texts()) @ lexical_vectors([query]).T
    return int(np.argmax(overlap.toarray()[:, 0]))
