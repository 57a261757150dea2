"""Same-language near-duplicates: MinHash signatures of word 5-shingles, found through LSH.

A republished article keeps most of its sentences word for word, whatever the
outlet changed around them (headline, byline, a "Read also" line, a dropped last
paragraph). Five-word shingles of the case-folded, punctuation-free text keep
that overlap high while two articles written independently about the same event
share almost none. Scripts written without spaces (Chinese, Japanese, Thai) are
shingled in character 5-grams instead.

A signature is a fixed-length uint64 vector, so the store keeps it as a blob and
a later run compares with it without the text. Signatures are persisted: the
shingling, the seed and the permutation scheme below must not change without
recomputing them all.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 5
SEED = 1
# 64-bit values: the uint64 the store keeps, with no narrowing to remember when reading it back.
SCHEME = "affine64"
# Measured on 258 WMT21 news articles (sentences grouped in paragraphs of three): a republication
# with a new headline, byline and "Read also" line and without its last paragraph keeps a Jaccard
# of 0.75 with the original (median; 0.56 for the lowest tenth: short articles lose a third), a
# paragraph moved to the end 0.95, an article cut to its first half 0.47, two articles of the same
# day at most 0.055. At 0.4 MinHashLSH uses 32 bands of 4 rows: a pair at 0.56 is a candidate 96%
# of the time, a half copy at 0.47 80%, a pair at 0.2 5% and at 0.055 0.03%. At 0.5 (25 bands of 5)
# the lowest tenth of republications would be found only 76% of the time and half copies 44%.
# Candidates are verified by sentence alignment, so recall is worth a few extra pairs.
THRESHOLD = 0.4
# Fewer spaces than one per this many characters: a script written without spaces.
_CHARS_PER_SPACE = 20
_EMPTY = np.iinfo(np.uint64).max


class _Punctuation(dict[int, int | None]):
    """A str.translate table, filled on first sight: punctuation, symbols and controls become spaces,
    invisible format characters (soft hyphens, joiners) go, so that a copy that lost them still matches."""

    def __missing__(self, code: int) -> int | None:
        category = unicodedata.category(chr(code))
        self[code] = None if category == "Cf" else ord(" ") if category[0] in "PSZC" else code
        return self[code]


_PUNCTUATION = _Punctuation()


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """Word `size`-grams (character ones for unspaced scripts); a text shorter than one shingle is one."""
    text = unicodedata.normalize("NFKC", text).casefold()
    words = text.translate(_PUNCTUATION).split()
    if not words:
        return set()
    if len(text) > _CHARS_PER_SPACE * len(text.split()):
        units: list[str] = list("".join(words))
        joiner = ""
    else:
        units, joiner = words, " "
    if len(units) <= size:
        return {joiner.join(units).encode()}
    return {joiner.join(units[i : i + size]).encode() for i in range(len(units) - size + 1)}


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> np.ndarray:
    """Drawn once per size: MinHash draws them from its seed on every construction otherwise."""
    return MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations


def signature(text: str, num_perm: int = NUM_PERM) -> np.ndarray:
    """The MinHash hash values of the text's shingles; all maximal (empty) for a text without words."""
    minhash = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME, permutations=_permutations(num_perm))
    minhash.update_batch(shingles(text))
    return minhash.hashvalues


def is_empty(sig: np.ndarray) -> bool:
    return bool(np.all(sig == _EMPTY))


def jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets; 0 when either text had no words."""
    if len(sig_a) != len(sig_b):
        raise ValueError(f"signatures of {len(sig_a)} and {len(sig_b)} permutations cannot be compared")
    if is_empty(sig_a) or is_empty(sig_b):
        return 0.0
    return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)


class NearDuplicateIndex:
    """Documents by signature; a query returns those likely above the threshold without comparing all pairs.

    LSH hashes each signature into bands, so a query costs one dictionary look-up
    per band whatever the size of the index. Candidates are approximate: rank or
    filter them with `jaccard`. Texts without words are never indexed nor found.
    """

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)

    def __len__(self) -> int:
        return len(self._lsh.keys)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._lsh

    def add(self, doc_id: str, sig: np.ndarray) -> None:
        """Index a document; adding one already there changes nothing (ingest runs are idempotent)."""
        if is_empty(sig) or doc_id in self._lsh:
            return
        self._lsh.insert(doc_id, self._lean(sig), check_duplication=False)

    def query(self, sig: np.ndarray) -> list[str]:
        """Indexed documents sharing a band with the signature (including itself if it was added)."""
        if is_empty(sig):
            return []
        return sorted(self._lsh.query(self._lean(sig)))

    jaccard = staticmethod(jaccard)

    def _lean(self, sig: np.ndarray) -> LeanMinHash:
        if len(sig) != self.num_perm:
            raise ValueError(f"expected a signature of {self.num_perm} permutations, got {len(sig)}")
        return LeanMinHash(seed=SEED, hashvalues=sig, scheme=SCHEME)
