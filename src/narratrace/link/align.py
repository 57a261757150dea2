"""Sentence alignment: the evidence that one document is a copy or translation of another.

Two articles on the same event share a topic, so their document vectors are close;
a translation also shares its sentences, one after another. So a pair is judged by
how much of each side aligns sentence to sentence (coverage) and how well (quality),
never by a single document similarity.

Translators keep the order of their source but split, merge, drop and add
sentences, so `align_monotonic` searches the best monotonic path with 1-1, 1-2 and
2-1 blocks and free skips (as vecalign and bertalign do). Same-language copies
are re-edited and reordered, so `match_unordered` pairs sentences one to one
regardless of order. Both report the same `Alignment`.

Scores are calibrated similarities in [0, 1] supplied by the caller, because
each encoder's cosine scale differs; `threshold` is where aligning two sentences
stops being evidence. Gains are weighted by the characters both sides can share,
so that a dropped headline counts less than a dropped paragraph.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from narratrace.model import AlignedPair

Calibration = Callable[[np.ndarray], np.ndarray]

# Move codes stored per DP cell for the backtrack; SKIP_B means "the best is to the left".
SKIP_B, SKIP_A, ONE_ONE, ONE_TWO, TWO_ONE = range(5)
# Cells of similarity scored at once: bounds memory for documents of thousands of sentences.
_CHUNK_CELLS = 1 << 20
# Calibrated similarity saturates at 1, so a merged block scores as high as its better
# half: without a cost, merges absorb the neighbours a copy dropped and inflate coverage.
# On WMT21 de-fr half copies, no cost let 105 of 478 blocks absorb a dropped segment;
# 0.1 leaves 13 and still finds 54 of 61 segments a translator merged.
MERGE_COST = 0.1


@dataclass
class Alignment:
    """Aligned blocks of a and b, what each side left out, and how much and how well they align."""

    pairs: list[AlignedPair]
    unaligned_a: list[int]
    unaligned_b: list[int]
    coverage_a: float
    coverage_b: float
    quality: float

    @property
    def longest_run(self) -> int:
        """An excerpt embedded in another article aligns as consecutive blocks even where coverage is low."""
        return _longest_run(self.pairs)

    @property
    def mutual(self) -> int:
        """Blocks whose sentences are each other's most similar (`align_monotonic` marks them): a
        translation's sentence finds its own counterpart first, while two articles on one event
        share a topic that many sentences match about as well."""
        return sum(p.mutual for p in self.pairs)

    @property
    def mutual_run(self) -> int:
        """The longest run of consecutive blocks that are all mutually best."""
        return _longest_run(self.pairs, mutual=True)


def _longest_run(pairs: list[AlignedPair], mutual: bool = False) -> int:
    """Blocks in a row, each at most one sentence past the previous on both sides."""
    best = run = 0
    prev = None
    for cur in sorted(pairs, key=lambda p: p.a[0]):
        if mutual and not cur.mutual:
            run, prev = 0, None
            continue
        follows = prev is not None and 1 <= cur.a[0] - prev.a[-1] <= 2 and 1 <= cur.b[0] - prev.b[-1] <= 2
        run = run + 1 if follows else 1
        best, prev = max(best, run), cur
    return best


def align_monotonic(
    va: np.ndarray, vb: np.ndarray, len_a: Sequence[int], len_b: Sequence[int],
    calibrate: Calibration, threshold: float,
) -> Alignment:
    """The order-preserving alignment maximising the character-weighted gain over `threshold`."""
    a, b, la, lb = _inputs(va, vb, len_a, len_b)
    if not len(a) or not len(b):
        return _summarise([], np.zeros(0), la, lb)
    moves, best_in_b, best_in_a = _fill(a, b, la, lb, calibrate, threshold)
    blocks = _backtrack(moves)
    sims = _block_similarities(blocks, a, b, la, lb, calibrate)
    keep = [k for k, s in enumerate(sims) if s >= threshold]
    alignment = _summarise([blocks[k] for k in keep], sims[keep], la, lb)
    for pair in alignment.pairs:
        pair.mutual = int(best_in_b[pair.a[0]]) in pair.b and int(best_in_a[pair.b[0]]) in pair.a
    return alignment


def match_unordered(
    va: np.ndarray, vb: np.ndarray, len_a: Sequence[int], len_b: Sequence[int],
    calibrate: Calibration, threshold: float,
) -> Alignment:
    """Greedy one-to-one matching by descending similarity, for copies whose sentences were moved."""
    a, b, la, lb = _inputs(va, vb, len_a, len_b)
    if not len(a) or not len(b):
        return _summarise([], np.zeros(0), la, lb)
    return match_similarities(np.asarray(calibrate(a @ b.T), dtype=np.float32), la, lb, threshold)


def match_similarities(sims: np.ndarray, len_a: Sequence[int], len_b: Sequence[int], threshold: float) -> Alignment:
    """`match_unordered` on similarities already computed (e.g. from sparse word vectors)."""
    la, lb = np.asarray(len_a, dtype=np.float64).reshape(-1), np.asarray(len_b, dtype=np.float64).reshape(-1)
    if not sims.size:
        return _summarise([], np.zeros(0), la, lb)
    a, b = sims.shape
    rows, cols = np.nonzero(sims >= threshold)
    order = np.argsort(-sims[rows, cols], kind="stable")
    used_a, used_b = np.zeros(a, bool), np.zeros(b, bool)
    blocks: list[tuple[list[int], list[int]]] = []
    values: list[float] = []
    for i, j in zip(rows[order].tolist(), cols[order].tolist()):
        if used_a[i] or used_b[j]:
            continue
        used_a[i] = used_b[j] = True
        blocks.append(([i], [j]))
        values.append(float(sims[i, j]))
        if len(blocks) == min(a, b):
            break
    pairs_in_order = sorted(range(len(blocks)), key=lambda k: blocks[k][0][0])
    return _summarise([blocks[k] for k in pairs_in_order], np.asarray(values)[pairs_in_order], la, lb)


def _inputs(
    va: np.ndarray, vb: np.ndarray, len_a: Sequence[int], len_b: Sequence[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    la, lb = np.asarray(len_a, dtype=np.float64).reshape(-1), np.asarray(len_b, dtype=np.float64).reshape(-1)
    a, b = _unit_rows(va, la), _unit_rows(vb, lb)
    if len(a) and len(b) and a.shape[1] != b.shape[1]:
        raise ValueError(f"vectors of different dimensions: {a.shape[1]} and {b.shape[1]}")
    return a, b, la, lb


def _unit_rows(v: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """float32 rows of unit norm: float16 products are slow and imprecise, and rounding denormalises."""
    matrix = np.asarray(v, dtype=np.float32)
    if not len(lengths):
        return np.zeros((0, matrix.shape[-1] if matrix.ndim == 2 else 1), dtype=np.float32)
    if matrix.ndim != 2 or len(matrix) != len(lengths):
        raise ValueError(f"{len(lengths)} sentence lengths for vectors of shape {matrix.shape}")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


def _merge_weights(v: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per consecutive pair, w1 and w2 with cos(merged, x) = w1·cos(first, x) + w2·cos(second, x).

    The merged vector is the length-weighted sum of the two unit vectors, normalised;
    its norm follows from the dot product of the two, so a merge costs no matrix product.
    """
    total = lengths[:-1] + lengths[1:]
    w1 = np.divide(lengths[:-1], total, out=np.full_like(total, 0.5), where=total > 0)
    w2 = 1.0 - w1
    dots = np.einsum("ij,ij->i", v[:-1], v[1:])
    norm = np.sqrt(np.maximum(w1 * w1 + w2 * w2 + 2 * w1 * w2 * dots, 1e-12))
    return w1 / norm, w2 / norm


def _gains(
    cos: np.ndarray, lo: int, la: np.ndarray, lb: np.ndarray, merge_a: tuple[np.ndarray, np.ndarray],
    merge_b: tuple[np.ndarray, np.ndarray], calibrate: Calibration, threshold: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gains of 1-1, 1-2 and 2-1 blocks for a chunk of a's rows; `cos` holds the row before the chunk first.

    A block weighs the characters of its shorter side: what both sides can share.
    Row r of each result ends at a-sentence lo+r; a's first sentence has no 2-1 block.
    """
    rows = la[lo : lo + len(cos) - 1, None]
    cur, prev = cos[1:], cos[:-1]
    g11 = (calibrate(cur) - threshold) * np.minimum(rows, lb)
    c12 = cur[:, :-1] * merge_b[0] + cur[:, 1:] * merge_b[1]
    g12 = (calibrate(c12) - threshold - MERGE_COST) * np.minimum(rows, lb[:-1] + lb[1:])
    wa1, wa2 = (_shifted(w)[lo : lo + len(rows), None] for w in merge_a)
    before = _shifted(la)[lo : lo + len(rows), None]
    g21 = (calibrate(prev * wa1 + cur * wa2) - threshold - MERGE_COST) * np.minimum(before + rows, lb)
    if lo == 0:
        g21[0] = -np.inf
    return g11, g12, g21


def _shifted(x: np.ndarray) -> np.ndarray:
    """x moved one place on, so that entry i belongs to the block ending at sentence i."""
    return np.concatenate((np.zeros(1, dtype=x.dtype), x))


def _fill(
    a: np.ndarray, b: np.ndarray, la: np.ndarray, lb: np.ndarray, calibrate: Calibration, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Move codes of the best path into every cell; one vectorised pass per row of a. Also, from the
    same products, each sentence's most similar sentence on the other side (`AlignedPair.mutual`).

    Skipping is free, so the best score at (i, j) is the running maximum over j of
    the best move arriving from the rows above: `np.maximum.accumulate` does a row.
    """
    n, m = len(a), len(b)
    moves = np.zeros((n + 1, m + 1), dtype=np.int8)
    best_in_b = np.zeros(n, dtype=np.int64)
    col_best, best_in_a = np.full(m, -np.inf, dtype=np.float32), np.zeros(m, dtype=np.int64)
    columns = np.arange(m)
    above, two_above = np.zeros(m + 1), np.zeros(m + 1)
    cand = np.full((3, m + 1), -np.inf)
    la32, lb32 = la.astype(np.float32), lb.astype(np.float32)
    merge_a, merge_b = _merge_weights(a, la32), _merge_weights(b, lb32)
    step = max(1, _CHUNK_CELLS // m)
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        cos = a[max(lo - 1, 0) : hi] @ b.T
        cos = np.vstack((np.zeros((1, m), np.float32), cos)) if lo == 0 else cos
        own = cos[1:]
        best_in_b[lo:hi] = own.argmax(axis=1)
        top = own.argmax(axis=0)
        better = own[top, columns] > col_best
        col_best[better], best_in_a[better] = own[top, columns][better], top[better] + lo
        g11, g12, g21 = _gains(cos, lo, la32, lb32, merge_a, merge_b, calibrate, threshold)
        for r in range(hi - lo):
            cand[0, 1:] = above[:-1] + g11[r]
            cand[1, 2:] = above[:-2] + g12[r]
            cand[2, 1:] = two_above[:-1] + g21[r]
            arrive, code = above.copy(), np.full(m + 1, SKIP_A, dtype=np.int8)
            for move, scores in zip((ONE_ONE, ONE_TWO, TWO_ONE), cand):
                better = scores > arrive
                np.copyto(arrive, scores, where=better)
                code[better] = move
            score = np.maximum.accumulate(arrive)
            code[arrive < score] = SKIP_B
            moves[lo + r + 1] = code
            two_above, above = above, score
    return moves, best_in_b, best_in_a


def _backtrack(moves: np.ndarray) -> list[tuple[list[int], list[int]]]:
    i, j = moves.shape[0] - 1, moves.shape[1] - 1
    blocks: list[tuple[list[int], list[int]]] = []
    while i > 0 and j > 0:
        move = moves[i, j]
        if move == SKIP_B:
            j -= 1
        elif move == SKIP_A:
            i -= 1
        elif move == ONE_ONE:
            blocks.append(([i - 1], [j - 1]))
            i, j = i - 1, j - 1
        elif move == ONE_TWO:
            blocks.append(([i - 1], [j - 2, j - 1]))
            i, j = i - 1, j - 2
        else:
            blocks.append(([i - 2, i - 1], [j - 1]))
            i, j = i - 2, j - 1
    return blocks[::-1]


def _block_similarities(
    blocks: list[tuple[list[int], list[int]]], a: np.ndarray, b: np.ndarray,
    la: np.ndarray, lb: np.ndarray, calibrate: Calibration,
) -> np.ndarray:
    if not blocks:
        return np.zeros(0)
    ends = np.asarray([(ia[0], ia[-1], ib[0], ib[-1]) for ia, ib in blocks])
    va = _block_vectors(a, la, ends[:, 0], ends[:, 1])
    vb = _block_vectors(b, lb, ends[:, 2], ends[:, 3])
    return np.asarray(calibrate(np.einsum("ij,ij->i", va, vb)), dtype=np.float64)


def _block_vectors(v: np.ndarray, lengths: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Each block's vector as the aligner scored it: the length-weighted sum of its sentences, normalised."""
    merged = last > first
    w_first, w_last = lengths[first], np.where(merged, lengths[last], 0.0)
    empty = w_first + w_last == 0
    w_first, w_last = np.where(empty, 1.0, w_first), np.where(empty & merged, 1.0, w_last)
    total = v[first] * w_first[:, None] + v[last] * w_last[:, None]
    return total / np.maximum(np.linalg.norm(total, axis=1, keepdims=True), 1e-12)


def _summarise(
    blocks: list[tuple[list[int], list[int]]], sims: np.ndarray, la: np.ndarray, lb: np.ndarray
) -> Alignment:
    in_a = [i for ia, _ in blocks for i in ia]
    in_b = [j for _, jb in blocks for j in jb]
    # Blocks hold one or two sentences: summed in Python lists, since numpy's per-block
    # indexing was the aligner's largest cost on same-language pairs (10k ingest profile).
    len_a, len_b = la.tolist(), lb.tolist()
    weights = np.asarray([min(sum(len_a[i] for i in ia), sum(len_b[j] for j in ib)) for ia, ib in blocks])
    quality = float((weights * sims).sum() / weights.sum()) if blocks and weights.sum() > 0 else 0.0
    free_a, free_b = np.ones(len(la), bool), np.ones(len(lb), bool)
    free_a[in_a], free_b[in_b] = False, False
    return Alignment(
        pairs=[AlignedPair(list(ia), list(ib), float(s)) for (ia, ib), s in zip(blocks, sims.tolist())],
        unaligned_a=np.flatnonzero(free_a).tolist(),
        unaligned_b=np.flatnonzero(free_b).tolist(),
        coverage_a=_share(la, in_a),
        coverage_b=_share(lb, in_b),
        quality=quality,
    )


def _share(lengths: np.ndarray, rows: list[int]) -> float:
    total = float(lengths.sum())
    return float(lengths[rows].sum()) / total if total > 0 else 0.0
