"""Claim vectors in the encoder spaces where claims are compared.

Grouping compares claims across languages, and the two encoders cover different
ones: USE (fast, wide separation) only 16 languages, e5 (slow) all of them. A
French claim and its Indonesian translation share only the e5 space, so every
claim gets an e5 vector and, where its language is covered, a USE vector. The
ingest already encoded most sentences (all of a USE-language document, the lead
of any other); only the claims it did not encode are encoded here, each once.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from narratrace.claims.model import Claim
from narratrace.enrich.embeddings import (
    USE_LANGUAGES,
    E5Encoder,
    Encoder,
    UseEncoder,
    e5_encoder,
    use_encoder,
)
from narratrace.model import Document

# The spaces claims live in, by the encoder name doc.vectors uses, with the levels `calibrate` reads.
SPACES: dict[str, type[Encoder]] = {UseEncoder.name: UseEncoder, E5Encoder.name: E5Encoder}

ClaimVectors = dict[str, np.ndarray]


def unit(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


def spaces_for(language: str | None) -> list[str]:
    """e5 for every claim; USE too where it knows the language."""
    return [UseEncoder.name, E5Encoder.name] if language in USE_LANGUAGES else [E5Encoder.name]


def claim_vectors(docs: Iterable[Document], claims: Iterable[Claim], threads: int = 2) -> dict[str, ClaimVectors]:
    """Unit vectors of each claim (by claim id) in its spaces, reusing the document's sentence vectors."""
    by_doc = {doc.id: doc for doc in docs}
    out: dict[str, ClaimVectors] = {}
    missing: dict[str, list[Claim]] = {name: [] for name in SPACES}
    where: dict[str, dict[tuple[int, int], dict[str, int]]] = {}
    for claim in claims:
        doc = by_doc[claim.document]
        if doc.id not in where:
            where[doc.id] = _stored_rows(doc)
        stored = where[doc.id].get((claim.start, claim.end), {})
        out[claim.id] = {}
        for name in spaces_for(claim.language):
            if name in stored:
                out[claim.id][name] = unit(doc.vectors[name].matrix[stored[name]])
            else:
                missing[name].append(claim)
    encoders = {UseEncoder.name: use_encoder, E5Encoder.name: e5_encoder}
    for name, todo in missing.items():
        if todo:
            matrix = encoders[name](threads).passages([c.text for c in todo])
            for claim, vector in zip(todo, matrix, strict=True):
                out[claim.id][name] = unit(vector)
    return out


def _stored_rows(doc: Document) -> dict[tuple[int, int], dict[str, int]]:
    """For each sentence span, the matrix row of each encoder that encoded it."""
    found: dict[tuple[int, int], dict[str, int]] = {}
    for name, vectors in doc.vectors.items():
        for position, row in enumerate(vectors.rows):
            s = doc.sentences[row]
            found.setdefault((s.start, s.end), {})[name] = position
    return found
