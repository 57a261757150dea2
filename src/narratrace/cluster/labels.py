"""Labels readable in English whatever a group's languages.

Each document offers one sentence: the one closest to its own lead-weighted centroid,
a summary of what it says. A group keeps a few of these offers (the most central
English ones and the most central others) and its label is the offer closest to
the group centroid, an English one when there is one. Otherwise the label is that
sentence plus the group's key names, which are written the same in every language
(the anchors are case-folded, so they are shown title-cased).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from narratrace.cluster.members import calibrated
from narratrace.model import Document

MIN_CHARS, MAX_CHARS = 40, 300
KEY_NAMES = 4

Centroid = Callable[[str], np.ndarray | None]


@dataclass(slots=True)
class Offer:
    doc: str
    text: str
    language: str | None
    space: str
    vector: np.ndarray


def offer(doc: Document) -> Offer | None:
    """The document's most central sentence of label length, in its fullest space (USE over e5 leads)."""
    for space in ("use-m3", "e5-small"):
        vectors = doc.vectors.get(space)
        if vectors is None or not len(vectors.rows):
            continue
        matrix = vectors.matrix.astype(np.float32)
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
        sims = matrix @ vectors.centroid()
        texts = [" ".join(doc.sentence_text(doc.sentences[r]).split()) for r in vectors.rows]
        fitting = [i for i, t in enumerate(texts) if MIN_CHARS <= len(t) <= MAX_CHARS] or list(range(len(texts)))
        best = max(fitting, key=lambda i: sims[i])
        return Offer(doc.id, texts[best][:MAX_CHARS], doc.language, space, matrix[best].astype(np.float16))
    return None


class Labels:
    def __init__(self, keep: int = 12) -> None:
        self.keep = keep
        self.offers: dict[str, list[Offer]] = {}

    def add(self, group: str, item: Offer | None, centroid: Centroid) -> None:
        if item is not None:
            self.offers.setdefault(group, []).append(item)
            self._trim(group, centroid)

    def remove(self, group: str, doc_id: str) -> None:
        self.offers[group] = [o for o in self.offers.get(group, []) if o.doc != doc_id]

    def merge(self, survivor: str, gone: str, centroid: Centroid) -> None:
        self.offers.setdefault(survivor, []).extend(self.offers.pop(gone, []))
        self._trim(survivor, centroid)

    def ranked(self, group: str, centroid: Centroid) -> list[Offer]:
        def centrality(o: Offer) -> float:
            c = centroid(o.space)
            return -1.0 if c is None else float(calibrated(o.space, float(o.vector.astype(np.float32) @ c)))

        return sorted(self.offers.get(group, []), key=centrality, reverse=True)

    def label(self, group: str, centroid: Centroid, names: list[str]) -> str:
        ranked = self.ranked(group, centroid)
        english = [o for o in ranked if o.language == "en"]
        if english:
            return english[0].text
        shown = ", ".join(n.removeprefix("name:").title() for n in names[:KEY_NAMES])
        if not ranked:
            return shown
        return f"{ranked[0].text} [{shown}]" if shown else ranked[0].text

    def _trim(self, group: str, centroid: Centroid) -> None:
        """Keep the most central half of the budget in English and half in other languages."""
        ranked = self.ranked(group, centroid)
        half = max(1, self.keep // 2)
        english = [o for o in ranked if o.language == "en"][:half]
        others = [o for o in ranked if o.language != "en"][:half]
        self.offers[group] = english + others

    def state(self) -> dict[str, Any]:
        """Offers as JSON and their vectors as one float16 matrix per space, under "arrays": as
        JSON lists each offer took ~10 kB, most of the saved state (synthetic 10k documents:
        97 MB of JSON, and 2.6 s to write it on every clustering pass)."""
        vectors: dict[str, list[np.ndarray]] = {}
        offers: dict[str, list[dict[str, Any]]] = {}
        for group, items in self.offers.items():
            offers[group] = []
            for o in items:
                rows = vectors.setdefault(o.space, [])
                offers[group].append({"doc": o.doc, "text": o.text, "language": o.language, "space": o.space,
                                      "row": len(rows)})
                rows.append(o.vector)
        return {"offers": offers,
                "arrays": {space: np.stack(rows).astype(np.float16) for space, rows in vectors.items()}}

    @classmethod
    def from_state(cls, keep: int, state: dict[str, Any]) -> Labels:
        """Also reads a store saved before the vectors moved out of the JSON (a list of offers
        per group, each with its vector)."""
        labels = cls(keep)
        if "offers" in state:
            groups, vector = state["offers"], lambda o: state["arrays"][o["space"]][o["row"]]
        else:
            groups, vector = {g: o for g, o in state.items() if g != "arrays"}, lambda o: o["vector"]
        labels.offers = {g: [Offer(o["doc"], o["text"], o["language"], o["space"], np.asarray(vector(o), np.float16))
                             for o in offers] for g, offers in groups.items()}
        return labels
        arrays = state["arrays"]
        labels.offers = {g: [Offer(o["doc"], o["text"], o["language"], o["space"],
                                   np.asarray(arrays[o["space"]][o["row"]], np.float16)) for o in offers]
                         for g, offers in state["offers"].items()}
        return labels
