"""Word overlap between sentences of one language, as vectors the aligner can use.

Same-language copies reuse wording; articles about the same event paraphrase it.
Sentence encoders score paraphrases high within one language (on the seeds, two
different French articles on one story had USE sentence pairs at 0.55-0.89
calibrated), so same-language copies are judged on shared words instead. Each
sentence becomes a binary vector of hashed word unigrams and bigrams (character
bigrams for scripts written without spaces), L2-normalised: the dot product of two
is their Ochiai overlap, 1.0 for identical wording, ~0.9 for a one-word edit.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import regex
from scipy import sparse

DIM = 4096
_WORD = regex.compile(r"[\p{L}\p{N}]+")
_SPACELESS = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")


def _features(sentence: str) -> set[int]:
    words = [w.casefold() for w in _WORD.findall(sentence)]
    if _SPACELESS.search(sentence):
        chars = "".join(words)
        grams = [chars[i : i + 2] for i in range(max(1, len(chars) - 1))]
    else:
        grams = words + [f"{x} {y}" for x, y in zip(words, words[1:])]
    return {zlib.crc32(g.encode("utf-8")) % DIM for g in grams if g}


def lexical_vectors(sentences: Sequence[str]) -> sparse.csr_matrix:
    """One sparse row per sentence: a document's ~25 sentences touch ~600 of the 4,096 columns."""
    indptr, indices, data = [0], [], []
    for sentence in sentences:
        features = sorted(_features(sentence))
        indices.extend(features)
        data.extend([1.0 / np.sqrt(len(features))] * len(features) if features else [])
        indptr.append(len(indices))
    return sparse.csr_matrix((np.asarray(data, dtype=np.float32), indices, indptr), shape=(len(sentences), DIM))


def overlaps(a: sparse.csr_matrix, b: sparse.csr_matrix) -> np.ndarray:
    """Ochiai overlap of every sentence of one document with every sentence of another."""
    return np.clip((a @ b.T).toarray(), 0.0, 1.0).astype(np.float32)
