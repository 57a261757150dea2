"""What the clusterers read from a document: one unit vector per encoder space, its
anchors, its date, its language and outlet.

A document's vector in a space is the mean of its sentence vectors with the lead
weighted up: a news article states its event in the title and first sentences and
spends the rest on background that other events of the same kind share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from narratrace.link.anchors import anchors as anchors_of
from narratrace.model import Document

# The weight of sentence i is 1 / (1 + i / LEAD_DECAY).
LEAD_DECAY = 3.0


@dataclass(slots=True)
class DocFeatures:
    id: str
    vectors: dict[str, np.ndarray]
    anchors: frozenset[str]
    day: int | None
    published: str | None
    language: str | None
    outlet: str | None
    sentences: int = 1  # sentences averaged into its fullest vector


def lead_centroid(matrix: np.ndarray, rows: list[int]) -> np.ndarray:
    weights = 1.0 / (1.0 + np.asarray(rows, dtype=np.float32) / LEAD_DECAY)
    v = (matrix.astype(np.float32) * weights[:, None]).sum(axis=0)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


def day_of(published: str | None) -> int | None:
    """Days since year 1 of an ISO date of any precision (its first day): windows need a number."""
    if not published:
        return None
    parts = [int(p) for p in published.split("-")[:3]]
    parts += [1] * (3 - len(parts))
    try:
        return date(*parts).toordinal()
    except ValueError:
        return None


def features(doc: Document) -> DocFeatures:
    # At the precision a member's vector is kept (float16): a one-member group's sum is then the
    # document's vector exactly, and so are the similarities computed for either.
    vectors = {name: lead_centroid(v.matrix, v.rows).astype(np.float16).astype(np.float32)
               for name, v in doc.vectors.items() if len(v.rows)}
    found = doc.fingerprint.anchors if doc.fingerprint is not None else anchors_of(doc)
    published = doc.published.value if doc.published else None
    sentences = max((len(v.rows) for v in doc.vectors.values()), default=1)
    return DocFeatures(doc.id, vectors, found, day_of(published), published, doc.language, doc.outlet, sentences)
