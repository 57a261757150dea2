"""How likely two documents tell the same story, as a score in [0, 1] with its evidence.

"Same story" is what SemEval-2022 Task 8 annotators rated (its Overall score follows
shared places, people, time and narrative), so the score combines signals that each
see part of it, in every encoder space the two documents share:

- `centroid`: the calibrated cosine of the mean sentence vectors, sentence i weighted
  1 / (1 + i): a news article states its event first and spends the rest on
  background that other events of its kind share (on SemEval, USE: 0.64 Pearson
  unweighted, 0.68 weighted).
- `lead`: the calibrated cosine of the first sentences: a headline states the event.
- `sentences`: soft sentence matching, the mean of each sentence's best calibrated
  match in the other document, taken both ways: two reports of one event share
  statements, two articles on one topic only share vocabulary.
- `anchors`: shared names and numbers (`link.anchors`), weighted by rarity; they
  survive translation and separate two events of the same kind, which embeddings blur.

Every document in a USE language carries USE vectors and any other one e5 vectors of
its lead. A pair that shares no space (Hindi with French) gets the e5 vectors of each
side's lead encoded (~0.4 s per document on idle cores) and added to the document,
exactly as the embedding stage makes them: a caller holding a store can keep them
(`Store.put_vectors`) and compare that document again for free. Pairs sharing USE are
not encoded again: adding e5 to USE raised the SemEval 5-fold CV Pearson only from
0.683 to 0.695 (USE + anchors, USE + e5 + anchors), not worth ~0.4 s per document.

The weights are a least-squares fit of the annotators' score, one set per combination
of shared spaces; `benchmarks/similarity.py` reports their cross-validated Pearson.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from narratrace.enrich.embeddings import (
    E5Encoder,
    UseEncoder,
    calibrate,
    e5_encoder,
    leading_rows,
)
from narratrace.link.anchors import anchors, shared_anchor_score
from narratrace.model import Document, Link, Vectors

USE, E5 = UseEncoder.name, E5Encoder.name
# Class attributes hold each encoder's calibration levels: no model is loaded to read them.
_LEVELS: dict[str, Any] = {USE: UseEncoder, E5: E5Encoder}
# How many aligned sentence pairs and shared anchors the evidence lists.
EVIDENCE_PAIRS = 3
EVIDENCE_ANCHORS = 12
# A calibrated match below half-way from "unrelated" to "translation" shows no shared statement.
EVIDENCE_MIN_SIMILARITY = 0.5

# Fitted by `benchmarks/similarity.py` (which prints this refit) on all 550 SemEval-2022
# Task 8 training pairs with text: non-negative least squares of (4 - Overall) / 3.
# Keyed by the encoder spaces a pair shares. The Pearson it reports is that of the same
# fit refitted on each training part of a 5-fold split, scored on the held-out part.
WEIGHTS: dict[frozenset[str], dict[str, float]] = {
    frozenset(): {"anchors": 0.9521, "intercept": 0.2292},
    frozenset({USE}): {f"{USE}:centroid": 0.7713, f"{USE}:lead": 0.0324, f"{USE}:sentences": 0.0,
                       "anchors": 0.1639, "intercept": -0.0298},
    frozenset({E5}): {f"{E5}:centroid": 0.2838, f"{E5}:lead": 0.4922, f"{E5}:sentences": 0.0,
                      "anchors": 0.4319, "intercept": -0.1197},
    frozenset({USE, E5}): {f"{USE}:centroid": 0.6429, f"{USE}:lead": 0.0, f"{USE}:sentences": 0.0,
                           f"{E5}:centroid": 0.0434, f"{E5}:lead": 0.1996, f"{E5}:sentences": 0.0325,
                           "anchors": 0.1043, "intercept": -0.0711},
}


@dataclass(frozen=True, slots=True)
class Similarity:
    """The score and what it rests on: components, the space(s) used, shared anchors, aligned sentences."""

    score: float
    evidence: dict[str, Any] = field(default_factory=dict)


def similarity(
    a: Document,
    b: Document,
    idf: Mapping[str, float] | None = None,
    encode: bool = True,
    threads: int = 2,
    e5_char_budget: int = 1200,
    link: Link | None = None,
) -> Similarity:
    """Score a pair of documents.

    `idf` weighs anchors by rarity (`link.anchors.anchor_idf` over the store); without it
    every anchor weighs the same. With `encode` False nothing is encoded: a pair sharing
    no encoder space is scored on its anchors alone (cheap, for ranking many candidates).

    `link`, the linker's copy or translation link between the two (`Store.links`), is a
    floor: a copy always tells its original's story (issue 4), but SemEval holds too few
    copies for the fit to learn that, and the fitted weights leave sentence matching out.
    """
    if encode and not _shared_spaces(a, b):
        ensure_e5([a, b], threads, e5_char_budget)
    values, spaces, shared, aligned = _measure(a, b, idf)
    weights = WEIGHTS[frozenset(spaces)]
    total = weights["intercept"] + sum(w * values[k] for k, w in weights.items() if k != "intercept")
    evidence: dict[str, Any] = {
        "components": {k: round(v, 4) for k, v in values.items()},
        "spaces": spaces,
        "shared_anchors": shared,
        "aligned": aligned,
    }
    if (days := _days_apart(a, b)) is not None:
        evidence["days_apart"] = days
    if link is not None and {link.a, link.b} == {a.id, b.id}:
        evidence["link"] = {"kind": link.kind, "score": link.score}
        total = max(total, link.score)
    return Similarity(float(np.clip(total, 0.0, 1.0)), evidence)


def ensure_e5(docs: Sequence[Document], threads: int = 2, budget: int = 1200) -> list[Document]:
    """Add e5 vectors of the leading sentences where missing, as the embedding stage makes
    them for languages USE lacks; returns the documents that got them (to persist).

    One call for many documents lets the encoder spread them over its worker processes.
    """
    todo = [(doc, leading_rows(doc, budget)) for doc in docs if E5 not in doc.vectors and doc.sentences]
    texts = [doc.sentence_text(doc.sentences[r]) for doc, rows in todo for r in rows]
    if not texts:
        return []
    matrix = e5_encoder(threads).passages(texts).astype(np.float16)
    at = 0
    for doc, rows in todo:
        doc.vectors[E5] = Vectors(E5, matrix[at : at + len(rows)], rows)
        at += len(rows)
    return [doc for doc, _ in todo]


def components(a: Document, b: Document, idf: Mapping[str, float] | None = None) -> dict[str, float]:
    """Every raw component in the spaces the pair shares now, for benchmarks that weigh them anew."""
    return _measure(a, b, idf)[0]


def _measure(
    a: Document, b: Document, idf: Mapping[str, float] | None
) -> tuple[dict[str, float], list[str], list[str], list[dict[str, Any]]]:
    """Components, the shared spaces, the shared anchors and the aligned sentences (from the first space)."""
    spaces = _shared_spaces(a, b)
    values: dict[str, float] = {}
    aligned: list[dict[str, Any]] = []
    for model in spaces:
        space, pairs = _space_components(a, b, model)
        values.update({f"{model}:{k}": v for k, v in space.items()})
        aligned = aligned or pairs
    shared, values["anchors"] = _anchor_component(a, b, idf)
    return values, spaces, shared, aligned


def _shared_spaces(a: Document, b: Document) -> list[str]:
    return [m for m in (USE, E5) if m in a.vectors and m in b.vectors]


def _space_components(a: Document, b: Document, model: str) -> tuple[dict[str, float], list[dict[str, Any]]]:
    va, vb = a.vectors[model], b.vectors[model]
    levels = _LEVELS[model]
    ma, mb = _unit(va.matrix), _unit(vb.matrix)
    calibrated = calibrate(levels, ma @ mb.T)
    values = {
        "centroid": float(calibrate(levels, float(_lead_weighted(ma) @ _lead_weighted(mb)))),
        "lead": float(calibrated[0, 0]),
        "sentences": 0.5 * float(calibrated.max(axis=1).mean() + calibrated.max(axis=0).mean()),
    }
    return values, _aligned(a, b, va, vb, calibrated)


def _unit(matrix: np.ndarray) -> np.ndarray:
    m = matrix.astype(np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms > 0, norms, 1.0)


def _lead_weighted(unit_rows: np.ndarray) -> np.ndarray:
    v = (unit_rows / (1.0 + np.arange(len(unit_rows)))[:, None]).sum(axis=0)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


def _aligned(
    a: Document, b: Document, va: Vectors, vb: Vectors, calibrated: np.ndarray
) -> list[dict[str, Any]]:
    """The best mutual sentence matches: what a reader checks to see why two articles score high."""
    best_b, best_a = calibrated.argmax(axis=1), calibrated.argmax(axis=0)
    mutual = [(float(calibrated[i, j]), i, int(j)) for i, j in enumerate(best_b)
              if best_a[j] == i and calibrated[i, j] >= EVIDENCE_MIN_SIMILARITY]
    out = []
    for sim, i, j in sorted(mutual, reverse=True)[:EVIDENCE_PAIRS]:
        sa, sb = a.sentences[va.rows[i]], b.sentences[vb.rows[j]]
        out.append({"a": va.rows[i], "b": vb.rows[j], "similarity": round(sim, 4),
                    "a_text": a.sentence_text(sa), "b_text": b.sentence_text(sb)})
    return out


def _anchor_component(
    a: Document, b: Document, idf: Mapping[str, float] | None
) -> tuple[list[str], float]:
    """Shared anchors, rarest first, and `shared_anchor_score` (every anchor weighs 1 without `idf`)."""
    fa = a.fingerprint.anchors if a.fingerprint else anchors(a)
    fb = b.fingerprint.anchors if b.fingerprint else anchors(b)
    weights = idf if idf is not None else dict.fromkeys(fa | fb, 1.0)
    shared = sorted(fa & fb, key=lambda anchor: (-weights.get(anchor, 0.0), anchor))
    return shared[:EVIDENCE_ANCHORS], shared_anchor_score(fa, fb, weights)


def _days_apart(a: Document, b: Document) -> int | None:
    """Shown, not scored: no benchmark here has dates to weigh it against."""
    if not (a.published and b.published and a.published.precision == b.published.precision == "day"):
        return None
    return abs((date.fromisoformat(a.published.value) - date.fromisoformat(b.published.value)).days)
