"""In-memory indexes that keep adding a document cheap however large the state grows.

`Rows` is a matrix that grows by doubling, so appending a vector is amortised O(1)
and a story centroid is updated in place. `TimeBuckets` files each story under the
windows its dates span, so a dated document is compared only with the stories alive
around its date: the cost of one addition depends on how much happened that month,
not on how many years the state covers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np


class Rows:
    def __init__(self, dim: int, dtype: type = np.float32, matrix: np.ndarray | None = None) -> None:
        self.dim = dim
        self._data = np.zeros((16, dim), dtype=dtype) if matrix is None else matrix.astype(dtype)
        self.size = 0 if matrix is None else len(matrix)

    def append(self, vector: np.ndarray) -> int:
        if self.size == len(self._data):
            grown = np.zeros((max(16, 2 * len(self._data)), self.dim), dtype=self._data.dtype)
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size] = vector
        self.size += 1
        return self.size - 1

    def __getitem__(self, index: int | np.ndarray | list[int]) -> np.ndarray:
        return self._data[index]

    def __setitem__(self, index: int, vector: np.ndarray) -> None:
        self._data[index] = vector

    @property
    def matrix(self) -> np.ndarray:
        return self._data[: self.size]


class TimeBuckets:
    """Stories by the windows their [first, last] days touch; undated stories are always candidates."""

    def __init__(self, width: int) -> None:
        self.width = max(1, width)
        self._buckets: dict[int, set[int]] = defaultdict(set)
        self._undated: set[int] = set()
        self._span: dict[int, tuple[int, int] | None] = {}

    def place(self, row: int, first: int | None, last: int | None) -> None:
        old = self._span.get(row)
        span = None if first is None or last is None else (first // self.width, last // self.width)
        if row in self._span and old == span:
            return
        if old is None:
            self._undated.discard(row)
        else:
            for b in range(old[0], old[1] + 1):
                self._buckets[b].discard(row)
        self._span[row] = span
        if span is None:
            self._undated.add(row)
        else:
            for b in range(span[0], span[1] + 1):
                self._buckets[b].add(row)

    def remove(self, row: int) -> None:
        self.place(row, None, None)
        self._undated.discard(row)
        self._span.pop(row, None)

    def near(self, day: int | None, every: Iterable[int]) -> list[int]:
        """Rows whose span is within one window of `day`; every row for an undated document."""
        if day is None:
            return list(every)
        b = day // self.width
        found = set(self._undated)
        for k in (b - 1, b, b + 1):
            found |= self._buckets.get(k, set())
        return sorted(found)
