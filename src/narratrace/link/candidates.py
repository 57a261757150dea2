"""Cheap candidate pairs for the aligner: never all pairs, and no encoder call.

Three sources, each catching what the others miss: MinHash LSH (same-language
republications), shared language-independent anchors weighted by rarity
(translations, even between languages whose vectors live in different spaces),
and nearest document centroids within one encoder's space. The index holds the
documents linked so far; a new document is compared with them, then added, so each
pair is considered once, when its later member arrives.
"""

from __future__ import annotations

import math
from array import array
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from narratrace.link.minhash import NearDuplicateIndex
from narratrace.model import Fingerprint


# Documents sharing the most anchor weight whose full score is computed, per `anchors_top` kept:
# a short excerpt shares little weight but scores high over its own small weight.
ANCHOR_SHORTLIST = 4


@dataclass(slots=True)
class CandidateSettings:
    # Embedded excerpts share only part of their host's anchors: look further down the list.
    anchors_top: int = 8
    # Anchors carried by more documents than this share say nothing about a pair.
    anchor_max_df: float = 0.02
    anchor_min_df_cap: int = 50
    neighbours_top: int = 5
    # Below this centroid cosine (calibrated) two documents are not worth aligning.
    neighbour_min: float = 0.35
    # A pair the fast encoder cannot compare costs e5 on both documents (~1 s each),
    # so it is verified only with this much anchor evidence: on WMT21 translations
    # scored 0.34-0.57 (median per file), the best other article 0.04-0.08, at most 0.24.
    # Profiled on the ingest benchmark, completing e5 vectors for such pairs took 83% of
    # linking, so only the best `cross_space_top` such candidates of a document are verified.
    # An excerpt shares few of its host's anchors: Icelandic sources of WMT21 excerpts
    # scored a median 0.155 with their host. At 0.1 rather than 0.2, `copies.py` found 4
    # more of them (recall 0.675 -> 0.699), every other scenario as before, and the 1k
    # ingest benchmark ran 7.7 documents/s against 7.5.
    cross_space_anchor_min: float = 0.1
    cross_space_top: int = 3


@dataclass(slots=True)
class Candidate:
    reasons: list[str] = field(default_factory=list)
    anchor_score: float = 0.0
    # Found near in an encoder space both documents already have vectors in.
    neighbour: bool = False


class _Space:
    """Document centroids of one encoder, in a matrix that grows by doubling."""

    def __init__(self, dim: int) -> None:
        self.ids: list[str] = []
        self.matrix = np.zeros((1024, dim), dtype=np.float32)
        # Similarities to the centroids held when `prefetch` ran, per asking document.
        self._asked: dict[str, np.ndarray] = {}
        self._asked_at = 0

    def add(self, doc_id: str, vector: np.ndarray) -> None:
        if len(self.ids) == len(self.matrix):
            self.matrix = np.vstack([self.matrix, np.zeros_like(self.matrix)])
        self.matrix[len(self.ids)] = vector
        self.ids.append(doc_id)

    def prefetch(self, asking: dict[str, np.ndarray]) -> None:
        """Similarities of several documents about to ask, in one product: asked one by one, each
        question read the whole matrix (200 MB at 100k documents), and linking spent its time there."""
        self._asked_at = len(self.ids)
        if not asking or not self.ids:
            self._asked = {}
            return
        sims = self.matrix[: self._asked_at] @ np.stack(list(asking.values())).T
        self._asked = {doc_id: sims[:, column] for column, doc_id in enumerate(asking)}

    def nearest(self, vector: np.ndarray, top: int, asking: str | None = None) -> list[tuple[str, float]]:
        if not self.ids:
            return []
        held = self._asked.pop(asking, None) if asking is not None else None
        if held is None:
            sims = self.matrix[: len(self.ids)] @ vector
        else:
            sims = np.concatenate([held, self.matrix[self._asked_at : len(self.ids)] @ vector])
        best = np.argpartition(-sims, min(top, len(sims) - 1))[:top]
        return [(self.ids[i], float(sims[i])) for i in best]


class CandidateIndex:
    def __init__(self, settings: CandidateSettings | None = None) -> None:
        self.settings = settings or CandidateSettings()
        self.near = NearDuplicateIndex()
        # Each anchor's documents by number, in adding order: a document's anchor candidates are
        # counted over them in numpy (counted in Python, they took a third of linking at 50k documents).
        self.postings: dict[str, array[int]] = defaultdict(lambda: array("q"))
        self.numbers: dict[str, int] = {}
        self.names: list[str] = []
        # Anchors as numbers, so a document's anchor weight is one vectorised sum: summed
        # anchor by anchor it took two thirds of candidate search (3,000 documents).
        self.anchor_ids: dict[str, int] = {}
        self.df = np.zeros(1024, dtype=np.float64)
        self.anchors: dict[str, np.ndarray] = {}
        self.spaces: dict[str, _Space] = {}

    def __len__(self) -> int:
        return len(self.anchors)

    def add(self, doc_id: str, fingerprint: Fingerprint, centroids: dict[str, np.ndarray]) -> None:
        self.near.add(doc_id, fingerprint.minhash)
        number = self.numbers.setdefault(doc_id, len(self.names))
        if number == len(self.names):
            self.names.append(doc_id)
        for anchor in fingerprint.anchors:
            self.postings[anchor].append(number)
        self.anchors[doc_id] = ids = self._ids(fingerprint.anchors)
        if len(self.anchor_ids) > len(self.df):
            self.df = np.concatenate([self.df, np.zeros(max(len(self.df), len(self.anchor_ids)))])
        np.add.at(self.df, ids, 1)
        for model, vector in centroids.items():
            self.spaces.setdefault(model, _Space(len(vector))).add(doc_id, vector.astype(np.float32))

    def prefetch(self, asking: dict[str, dict[str, np.ndarray]]) -> None:
        """Prepare the neighbour search of the documents (id: centroids) that will ask next, in this
        order, each added after it asked: `candidates` then finds the same neighbours for less."""
        by_model: dict[str, dict[str, np.ndarray]] = defaultdict(dict)
        for doc_id, centroids in asking.items():
            for model, vector in centroids.items():
                by_model[model][doc_id] = vector.astype(np.float32)
        for model, space in self.spaces.items():
            space.prefetch(by_model.get(model, {}))

    def candidates(
        self, fingerprint: Fingerprint, centroids: dict[str, np.ndarray], calibrators: dict,
        asking: str | None = None,
    ) -> dict[str, Candidate]:
        """Stored documents worth aligning with this one, each with why it was picked (`asking`:
        its id, when `prefetch` was told it would ask)."""
        found: dict[str, Candidate] = defaultdict(Candidate)
        for other in self.near.query(fingerprint.minhash):
            found[other].reasons.append("minhash")
        for other, score in self._by_anchors(fingerprint.anchors):
            found[other].reasons.append(f"anchors {score:.2f}")
            found[other].anchor_score = score
        for model, vector in centroids.items():
            space = self.spaces.get(model)
            if space is None:
                continue
            for other, cosine in space.nearest(vector.astype(np.float32), self.settings.neighbours_top, asking):
                similarity = float(calibrators[model](cosine))
                if similarity >= self.settings.neighbour_min:
                    found[other].reasons.append(f"{model} neighbour {similarity:.2f}")
                    found[other].neighbour = True
        return dict(found)

    def _ids(self, anchors: frozenset[str]) -> np.ndarray:
        ids = self.anchor_ids
        return np.array([ids.setdefault(a, len(ids)) for a in sorted(anchors)], dtype=np.int64)

    def _idf(self, ids: np.ndarray, n: int, cap: float) -> np.ndarray:
        """Rarity weights of these anchors now; anchors carried by more than `cap` documents weigh nothing."""
        df = self.df[ids]
        return np.where(df <= cap, np.log1p(n / np.maximum(df, 1)), 0.0)

    def _by_anchors(self, anchors: frozenset[str]) -> list[tuple[str, float]]:
        """`shared_anchor_score` of the documents sharing at least two anchors, computed in one
        pass over the postings: the other side's weight is summed only for the best-sharing
        few, since idf lookups over every candidate's anchors dominated linking at 1k documents."""
        n = len(self.anchors)
        if not n or not anchors:
            return []
        cap = max(self.settings.anchor_min_df_cap, self.settings.anchor_max_df * n)
        carriers, lengths, weights = array("q"), [], []
        for anchor in sorted(anchors):
            posting = self.postings.get(anchor)
            if posting and len(posting) <= cap:
                carriers.extend(posting)
                lengths.append(len(posting))
                weights.append(math.log(1 + n / len(posting)))
        if not carriers:
            return []
        # Summed in the order the postings are read, as a loop over them would add.
        numbers, first, inverse = np.unique(np.frombuffer(carriers, dtype=np.int64), return_index=True,
                                            return_inverse=True)
        shared = np.bincount(inverse, weights=np.repeat(weights, lengths))
        keep = (np.bincount(inverse) >= 2) & (shared > 0)
        if not keep.any():
            return []
        # Best sharing first; among equals, the first met in that reading.
        met = np.argsort(first[keep], kind="stable")
        numbers, shared = numbers[keep][met], shared[keep][met]
        best = np.argsort(-shared, kind="stable")[: ANCHOR_SHORTLIST * self.settings.anchors_top]
        shortlist = [self.names[i] for i in numbers[best]]
        sharing = shared[best]
        known = np.array([self.anchor_ids[a] for a in anchors if a in self.anchor_ids], dtype=np.int64)
        own = float(self._idf(known, n, cap).sum()) + math.log(1 + n) * (len(anchors) - len(known))
        # Each shortlisted document shares two anchors or more, so no segment below is empty.
        theirs = np.add.reduceat(self._idf(np.concatenate([self.anchors[o] for o in shortlist]), n, cap),
                                 np.cumsum([0] + [len(self.anchors[o]) for o in shortlist[:-1]]))
        ranked = [(other, float(both) / math.sqrt(own * float(weight)))
                  for other, both, weight in zip(shortlist, sharing, theirs)]
        ranked.sort(key=lambda pair: -pair[1])
        return ranked[: self.settings.anchors_top]
