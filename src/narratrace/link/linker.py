"""Linking as a resumable pass over the documents not linked yet.

Every stored document that was linked before goes into the candidate index; each
pending one is compared with the index, verified pair by pair, then added, so new
documents are linked against everything stored without recomputing old pairs.
Links, the vectors encoded on demand to find them and the "linked" marks of a chunk
are written in one transaction: a killed run resumes at the first chunk it had not
finished, from the very state an uninterrupted run had there, so it ends with the
same links (`benchmarks/kills.py`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from narratrace.enrich.embeddings import USE_LANGUAGES, E5Encoder, UseEncoder, calibrate, encoders
from narratrace.link.candidates import Candidate, CandidateIndex, CandidateSettings
from narratrace.link.fingerprints import fingerprint_of
from narratrace.link.recent import Recent
from narratrace.link.verify import CACHE, LinkThresholds, Verifier
from narratrace.model import Document, Fingerprint, Link
from narratrace.store.base import Store

CHUNK = 64


@dataclass
class LinkSummary:
    documents: int = 0
    candidates: int = 0
    # A count, not the links: they are in the store, and at 10k documents holding them
    # all (with their aligned pairs) for the summary cost hundreds of MB.
    links: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: {"candidates": 0.0, "verify": 0.0})


class LinkPass(Protocol):
    """Links every stored document not linked yet: the embedded `Linker`, or a Spark job's links (`spark.load`)."""

    def run(self, store: Store, progress: Callable[[LinkSummary], None] | None = None) -> LinkSummary: ...


class Linker:
    def __init__(
        self,
        thresholds: LinkThresholds | None = None,
        candidates: CandidateSettings | None = None,
        threads: int = 2,
    ) -> None:
        self.thresholds = thresholds or LinkThresholds()
        self.candidate_settings = candidates or CandidateSettings()
        self.threads = threads
        self._documents: Recent[str, Document] = Recent(CACHE)
        # The candidate index of the last run, for the next run on the same store: a watcher links
        # a few dozen new documents at a time, and rebuilding the index from every stored
        # fingerprint took 1.4 s at 2,700 documents, more than linking the new ones.
        self._store: Store | None = None
        self._index: CandidateIndex | None = None

    def _document(self, store: Store, doc_id: str) -> Document | None:
        """Recently read documents stay in memory: a story's documents are each other's candidates."""
        if (doc := self._documents.get(doc_id)) is not None:
            return doc
        doc = store.get(doc_id)
        if doc is not None:
            doc.meta = {}  # claims and labels: linking reads none of it, and the cache holds 2,048 documents
            self._documents.put(doc_id, doc)
        return doc

    def run(self, store: Store, progress: Callable[[LinkSummary], None] | None = None) -> LinkSummary:
        summary = LinkSummary()
        pending = store.unlinked()
        if not pending:
            return summary
        calibrators = calibrators_of(self.threads)
        if self._store is not store:
            self._store, self._documents, self._index = store, Recent(CACHE), None
        warm, self._index = self._index, None
        # The index holds the documents this linker linked; if the store holds as many linked
        # ones, no other process linked any since, and the index is the store's.
        if warm is not None and len(warm) != store.count() - len(pending):
            warm = None
        languages: dict[str, str | None] = {}
        prints: dict[str, Fingerprint] = {}
        for doc_id, language, fp in store.fingerprints(None if warm is None else pending):
            languages[doc_id], prints[doc_id] = language, fp
        centroids = own_centroids(store, languages, self.threads, None if warm is None else set(pending))
        if warm is not None:
            index = warm
        else:
            index = CandidateIndex(self.candidate_settings)
            waiting = set(pending)
            for doc_id, fp in prints.items():
                if doc_id not in waiting:
                    index.add(doc_id, fp, centroids.get(doc_id, {}))
        verifier = Verifier(store, self.thresholds, self.threads)
        for lo in range(0, len(pending), CHUNK):
            chunk = pending[lo : lo + CHUNK]
            links: list[Link] = []
            index.prefetch({doc_id: centroids.get(doc_id, {}) for doc_id in chunk})
            for doc_id in chunk:
                links.extend(self._link_one(store, doc_id, prints, centroids, calibrators, index, verifier, summary))
            store.add_links(links, chunk, verifier.take_unsaved())
            summary.links += len(links)
            if progress:
                progress(summary)
        self._index = index
        return summary

    def _link_one(self, store: Store, doc_id: str, prints: dict[str, Fingerprint],
                  centroids: dict[str, dict[str, np.ndarray]], calibrators: dict,
                  index: CandidateIndex, verifier: Verifier, summary: LinkSummary) -> list[Link]:
        doc = self._document(store, doc_id)
        if doc is None:
            return []
        fp = prints.get(doc_id) or fingerprint_of(doc)
        start = time.perf_counter()
        found = index.candidates(fp, centroids.get(doc_id, {}), calibrators, asking=doc_id)
        summary.seconds["candidates"] += time.perf_counter() - start
        start = time.perf_counter()
        others = {other_id: self._document(store, other_id) for other_id in sorted(found)}
        links = verify_found(doc, found, others, verifier, self.candidate_settings)
        summary.seconds["verify"] += time.perf_counter() - start
        index.add(doc_id, fp, centroids.get(doc_id, {}))
        summary.documents += 1
        summary.candidates += len(found)
        return links


def calibrators_of(threads: int) -> dict[str, Callable[[float], float]]:
    """Each encoder's cosine calibration, by name, as candidate search takes them."""
    return {e.name: (lambda c, e=e: calibrate(e, c)) for e in encoders(threads)}


def own_centroids(store: Store, languages: dict[str, str | None], threads: int,
                  only: set[str] | None = None) -> dict[str, dict[str, np.ndarray]]:
    """Each document's (or each of `only`) centroid in the space the embedding stage gave it, and no other.

    Vectors encoded on demand (e5 for a document in a USE language) are stored with
    the links they served; finding neighbours through them would make the links of
    a resumed run depend on which chunks had been committed before it started."""
    out: dict[str, dict[str, np.ndarray]] = {}
    for encoder in encoders(threads):
        stored = store.document_vectors(encoder.name)
        for doc_id, row in zip(stored.owners, stored.matrix):
            if (only is None or doc_id in only) and own_space(languages.get(doc_id)) == encoder.name:
                out.setdefault(doc_id, {})[encoder.name] = row
    return out


def verify_found(doc: Document, found: dict[str, Candidate], others: dict[str, Document | None], verifier: Verifier,
                 settings: CandidateSettings) -> list[Link]:
    """The verified links of a document with its candidates (`others`: the candidates read, None
    where gone): every candidate in a space both share, and the best few of the others.

    The embedded linker and the Spark job's tasks (`spark.linking`) both decide here, so
    the same candidates give the same links wherever they are verified."""
    links = []
    cross_space: list[tuple[float, str, Document]] = []
    verifier.prefetch_overlaps(doc, [o for o in others.values() if o is not None])
    for other_id, candidate in sorted(found.items()):
        other = others.get(other_id)
        if other is None:
            continue
        if not same_space(doc, other):
            if candidate.neighbour or candidate.anchor_score >= settings.cross_space_anchor_min:
                cross_space.append((-candidate.anchor_score, other_id, other))
            continue
        if link := verifier.verify(other, doc, candidate.reasons, candidate.anchor_score):
            links.append(link)
    for _, other_id, other in sorted(cross_space, key=lambda item: item[:2])[: settings.cross_space_top]:
        if link := verifier.verify(other, doc, found[other_id].reasons, found[other_id].anchor_score):
            links.append(link)
    return links


def same_space(doc: Document, other: Document) -> bool:
    """Pairs compared without encoding anything new: one language, or both in USE's. (Asked of the
    language list, not of `use_encoder()`, which builds a USE model: this runs for every candidate.)"""
    return doc.language == other.language or own_space(doc.language) == own_space(other.language) == UseEncoder.name


def own_space(language: str | None) -> str:
    """The encoder whose centroid finds a document's neighbours: USE where it knows the language, else e5."""
    return UseEncoder.name if language in USE_LANGUAGES else E5Encoder.name
