"""Document similarity over a store: one pair (`similarity`), or a document's nearest (`similar`).

The score itself is `cluster.similarity` (what SemEval-2022 Task 8 annotators call the
same story); this module gives it what a store holds: the stored vectors, anchor
rarity over the whole store, and a place to keep e5 vectors encoded on the way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from narratrace.cluster.similarity import Similarity, ensure_e5, similarity
from narratrace.enrich.embeddings import calibrate, encoders
from narratrace.link.anchors import anchor_idf, document_frequency
from narratrace.model import Document
from narratrace.store.base import Store

# Documents nearest by centroid in each space, re-scored in full: the centroid is cheap
# and finds the neighbourhood; the full score orders it.
SHORTLIST = 50


@dataclass(slots=True)
class Neighbour:
    document: Document
    similarity: Similarity


def with_vectors(store: Store, doc: Document) -> Document:
    doc.vectors = store.vectors_of(doc.id)
    return doc


def idf_of(store: Store) -> dict[str, float]:
    anchors = [fp.anchors for _, _, fp in store.fingerprints()]
    return anchor_idf(document_frequency(anchors), max(1, len(anchors)))


def pair_similarity(store: Store, a: Document, b: Document, threads: int = 2) -> Similarity:
    a, b = with_vectors(store, a), with_vectors(store, b)
    store.put_vectors([(doc.id, doc.vectors["e5-small"]) for doc in ensure_e5([a, b], threads)])
    link = next((x for x in store.links(a.id) if b.id in (x.a, x.b)), None)
    return similarity(a, b, idf_of(store), encode=False, threads=threads, link=link)


def nearest(store: Store, doc: Document, top: int = 10, threads: int = 2) -> list[Neighbour]:
    doc = with_vectors(store, doc)
    shortlist: dict[str, float] = {}
    for encoder in encoders(threads):
        mine = doc.vectors.get(encoder.name)
        if mine is None:
            continue
        stored = store.document_vectors(encoder.name)
        if not stored.owners:
            continue
        cosines = stored.matrix.astype(np.float32) @ mine.centroid()
        for i in np.argsort(-cosines)[: SHORTLIST + 1]:
            owner = stored.owners[int(i)]
            if owner != doc.id:
                shortlist[owner] = max(shortlist.get(owner, 0.0), float(calibrate(encoder, cosines[i])))
    idf = idf_of(store)
    out = []
    for other_id in sorted(shortlist, key=lambda k: -shortlist[k])[:SHORTLIST]:
        other = store.get(other_id)
        if other is not None:
            out.append(Neighbour(other, similarity(doc, with_vectors(store, other), idf, encode=False)))
    out.sort(key=lambda n: -n.similarity.score)
    return out[:top]
