"""e5 vectors of each document's lead, so that every document can meet every other one.

USE covers all sentences of its 16 languages and e5 only the leads of the others, so a
French and an Indonesian article about one event share no vector space. One e5 pass
over the opening sentences of the USE documents bridges them: the lead is where a news
article states its story, and its first sentences cost ~0.04 s. Documents that
already carry e5 vectors are left alone.

A corpus whose every language is USE's needs no bridge, and 10k documents would pay
~8 minutes for it: `bridge_for_clustering` encodes only once the clusterers hold, or
are about to place, a document with e5 alone. From then on every document placed
carries both spaces, and the members placed before gain their e5 vector (encoded
once, stored like the linker's on-demand vectors, so an interrupted run reads them back).
"""

from __future__ import annotations

from collections.abc import Sequence

from narratrace.cluster.features import lead_centroid
from narratrace.cluster.online import OnlineClusterer
from narratrace.enrich.embeddings import E5Encoder, Encoder, UseEncoder, e5_encoder, leading_rows, passages_once
from narratrace.model import Document, Vectors
from narratrace.store.base import Store

BRIDGE_MODEL = E5Encoder.name
# Characters of a document's lead the bridge encodes (at least its first sentence). ECB+ stories held out
# (benchmarks/clustering.py) scored pairwise F1 0.765 with 400, 0.805 with 300, 0.807 with 200 and 0.805 with
# 100: past the first sentences a lead adds background that events of one kind share. With 200, though, the
# demo corpus lost the stories of two German follow-ups (recall 0.77, 0.93 with 300): e5 costs by the
# character, and 300 is where both hold.
BRIDGE_CHARS = 300
# Documents placed before the bridge was needed are read and encoded this many at a time (each holds its text).
BACKFILL_CHUNK = 500


class BridgeStage:
    def __init__(self, threads: int = 2, char_budget: int = BRIDGE_CHARS, encoder: Encoder | None = None) -> None:
        self.threads = threads
        self.char_budget = char_budget
        self._encoder = encoder

    def __call__(self, docs: list[Document]) -> list[Document]:
        work = [(doc, leading_rows(doc, self.char_budget)) for doc in docs
                if doc.sentences and BRIDGE_MODEL not in doc.vectors]
        texts = [doc.sentence_text(doc.sentences[r]) for doc, rows in work for r in rows]
        if not texts:
            return docs
        encoder = self._encoder or e5_encoder(self.threads)
        matrix = passages_once(encoder, texts)
        at = 0
        for doc, rows in work:
            doc.vectors[BRIDGE_MODEL] = Vectors(BRIDGE_MODEL, matrix[at : at + len(rows)].astype("float16"), rows)
            at += len(rows)
        return docs


def bridge_for_clustering(store: Store, pending: list[Document], clusterers: Sequence[OnlineClusterer],
                          threads: int = 2, needed: bool = False) -> None:
    """Give the pending documents, and the placed members lacking one, an e5 vector when some
    document has e5 alone (`needed`: the caller knows one will, in a later batch)."""
    # The class names the space; `use_encoder()` would load the USE model in a pass that encodes nothing with it.
    fast = UseEncoder.name
    placed = clusterers[0].members if clusterers else {}
    e5_only = needed or any(BRIDGE_MODEL in d.vectors and fast not in d.vectors for d in pending) or any(
        fast not in m.rows and BRIDGE_MODEL in m.rows for m in placed.values())
    if not e5_only:
        return
    stage = BridgeStage(threads)
    fresh = [d for d in pending if BRIDGE_MODEL not in d.vectors]
    _keep(store, stage(fresh))
    lacking = [doc_id for doc_id, m in placed.items() if BRIDGE_MODEL not in m.rows]
    for lo in range(0, len(lacking), BACKFILL_CHUNK):
        chunk = lacking[lo : lo + BACKFILL_CHUNK]
        kept = store.vectors_in(BRIDGE_MODEL, chunk)
        earlier = [doc for doc_id in chunk if doc_id not in kept and (doc := store.get(doc_id)) is not None]
        _keep(store, stage(earlier))
        kept.update({doc.id: doc.vectors[BRIDGE_MODEL] for doc in earlier if BRIDGE_MODEL in doc.vectors})
        for doc_id, vectors in kept.items():
            vector = lead_centroid(vectors.matrix, vectors.rows)
            for clusterer in clusterers:
                clusterer.extend(doc_id, BRIDGE_MODEL, vector)


def _keep(store: Store, docs: list[Document]) -> None:
    store.put_vectors([(doc.id, doc.vectors[BRIDGE_MODEL]) for doc in docs if BRIDGE_MODEL in doc.vectors])
