"""The data carrier that flows through every stage.

A `Document` is created by a reader with what the source says (text, title, url,
outlet, date) and is completed by the enrich stages (language, sentences,
vectors). Stages mutate it in place, the way spaCy components mutate a `Doc`, so
the same objects can be processed inside one process or one Spark partition.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from narratrace.provenance.citations import Citation

PRECISIONS = ("year", "month", "day")


def normalise_text(text: str) -> str:
    """The form the id is computed from: case, Unicode form and spacing do not make a new article."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split())


def document_id(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class Sentence:
    """A span of the document text; offsets are character offsets into `Document.text`."""

    start: int
    end: int
    paragraph: int


@dataclass(slots=True)
class Published:
    """A publication date with how precise it is and the text it was read from."""

    value: str
    precision: str
    evidence: str

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown date precision {self.precision!r}")


@dataclass(slots=True)
class Vectors:
    """Sentence vectors of one document from one encoder (rows follow `Document.sentences`).

    `rows` says which sentences were encoded: an encoder with a character budget
    may encode only the leading sentences of a long document.
    """

    model: str
    matrix: np.ndarray
    rows: list[int]

    def centroid(self) -> np.ndarray:
        v = self.matrix.astype(np.float32).mean(axis=0)
        norm = float(np.linalg.norm(v))
        return v / norm if norm else v


@dataclass(slots=True)
class Fingerprint:
    """What finds copy candidates without an encoder: a MinHash of word shingles
    (same-language copies) and the tokens that survive translation (numbers, names,
    URLs, hashtags) for cross-lingual ones."""

    minhash: np.ndarray
    anchors: frozenset[str]


@dataclass(slots=True)
class Document:
    origin: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: Published | None = None
    language: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    vectors: dict[str, Vectors] = field(default_factory=dict)
    fingerprint: Fingerprint | None = None
    citations: list[Citation] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = document_id(self.text)

    def sentence_text(self, sentence: Sentence) -> str:
        return self.text[sentence.start : sentence.end]

    def sentence_texts(self) -> list[str]:
        return [self.text[s.start : s.end] for s in self.sentences]


LINK_KINDS = ("duplicate", "translation")
DIRECTIONS = ("a->b", "b->a")


@dataclass(slots=True)
class AlignedPair:
    """Sentences of a (indices) aligned to sentences of b: 1-1, or 1-2 / 2-1 where a translator split or merged."""

    a: list[int]
    b: list[int]
    similarity: float
    # Each side's first sentence is the one most similar to the other side's, in the whole
    # other document (see `link.align`): a translation's sentences find their own first.
    mutual: bool = False


@dataclass(slots=True)
class Link:
    """Two documents that share most of their content, with the evidence that says so.

    coverage_a is the share of a's characters aligned to b (what b kept of a), and
    coverage_b the share of b's aligned to a; `evidence` holds the aligned pairs,
    the unaligned sentences of each side, the direction clues, and the model and
    thresholds that decided.
    """

    a: str
    b: str
    kind: str
    score: float
    coverage_a: float
    coverage_b: float
    direction: str | None
    evidence: dict[str, Any]

    def __post_init__(self) -> None:
        if self.kind not in LINK_KINDS:
            raise ValueError(f"unknown link kind {self.kind!r}")
        if self.direction is not None and self.direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {self.direction!r}")


CLUSTER_LEVELS = ("story", "narrative")


@dataclass(slots=True)
class Cluster:
    """A story or a narrative as stored: its members with why each joined, and what it
    looks like over time (`details` holds the timeline, events, outlets and merges)."""

    level: str
    id: str
    label: str
    documents: list[str]
    first_seen: str | None
    last_seen: str | None
    languages: list[str]
    details: dict[str, Any] = field(default_factory=dict)
    # document id -> {"score": float, "evidence": {...}}; a store may decode each entry only when read
    membership: Mapping[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.level not in CLUSTER_LEVELS:
            raise ValueError(f"unknown cluster level {self.level!r}")
