"""Document vectors for the narrative classifier, in the spaces the ingest already fills.

The ingest gives a document in a USE language USE vectors for every sentence, and
any other document e5 vectors for its lead (`Settings.e5_char_budget`). The
classifier reads a document in those same spaces, so labelling a stored document
costs no encoding: one model per space, each trained on the documents that space
can read (USE on USE-language articles, e5 on all of them, lead only). Training
articles come as text, so `encode_missing` fills both spaces for them, the way
the ingest would, without re-encoding what a document already has.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from narratrace.enrich.embeddings import (
    USE_LANGUAGES,
    E5Encoder,
    UseEncoder,
    e5_encoder,
    leading_rows,
    use_encoder,
)
from narratrace.model import Document, Vectors

SPACES = (UseEncoder.name, E5Encoder.name)
DIMS = {UseEncoder.name: UseEncoder.dim, E5Encoder.name: E5Encoder.dim}


def rows_for(doc: Document, space: str, budget: int) -> list[int]:
    """The sentences a space reads of a document: every one for USE (in its languages), the lead for e5."""
    if space == UseEncoder.name:
        return list(range(len(doc.sentences))) if doc.language in USE_LANGUAGES else []
    return leading_rows(doc, budget) if doc.sentences else []


def sentence_vectors(doc: Document, space: str, budget: int) -> tuple[list[int], np.ndarray] | None:
    """(rows, unit vectors) of the sentences the space reads and the document has vectors for."""
    stored = doc.vectors.get(space)
    wanted = set(rows_for(doc, space, budget))
    if stored is None or not wanted:
        return None
    keep = [i for i, row in enumerate(stored.rows) if row in wanted]
    if not keep:
        return None
    matrix = stored.matrix[keep].astype(np.float32)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    return [stored.rows[i] for i in keep], matrix


def document_vector(doc: Document, space: str, budget: int) -> np.ndarray | None:
    """The unit mean of the document's sentence vectors in a space, or None where it has none."""
    found = sentence_vectors(doc, space, budget)
    if found is None:
        return None
    mean = found[1].mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-9)


def encode_missing(docs: Sequence[Document], budget: int, threads: int = 2) -> None:
    """Give each document vectors in both spaces for the sentences `rows_for` names, encoding only what is missing."""
    encoders = {UseEncoder.name: use_encoder, E5Encoder.name: e5_encoder}
    for space in SPACES:
        work: list[tuple[Document, list[int]]] = []
        for doc in docs:
            have = set(doc.vectors[space].rows) if space in doc.vectors else set()
            todo = [r for r in rows_for(doc, space, budget) if r not in have]
            if todo:
                work.append((doc, todo))
        texts = [doc.sentence_text(doc.sentences[r]) for doc, rows in work for r in rows]
        if not texts:
            continue
        matrix = encoders[space](threads).passages(texts)
        at = 0
        for doc, rows in work:
            _merge(doc, space, rows, matrix[at : at + len(rows)])
            at += len(rows)


def _merge(doc: Document, space: str, rows: list[int], matrix: np.ndarray) -> None:
    old = doc.vectors.get(space)
    if old is None:
        doc.vectors[space] = Vectors(space, matrix.astype(np.float16), rows)
        return
    merged = sorted(zip(old.rows + rows, list(old.matrix) + list(matrix.astype(np.float16)), strict=True), key=lambda x: x[0])
    doc.vectors[space] = Vectors(space, np.stack([v for _, v in merged]), [r for r, _ in merged])
