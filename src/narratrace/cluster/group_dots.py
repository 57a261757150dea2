"""A group's similarities with every other group, kept from one merge test to the next.

After each document it gains, a narrative is tested for a merge (`narratives`): its
centroid against every other narrative's, one product over all their sums per space.
With tens of thousands of narratives that product was most of clustering (52 of 81 s
placing 10k synthetic documents). Between two tests, though, the group's sum gained one
member, whose dots with every sum were computed when that member was scored, and few
other sums changed. So the new dots are the kept ones plus the member's, and only the
rows changed since either was computed are multiplied again: the same numbers, up to
float32 rounding. A group of one member needs nothing kept: its sum is the member.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from narratrace.cluster.members import VectorStore

# Memory for kept similarities, the least recently tested groups dropped first: a narrative's
# documents tend to come together (one story's reports), so its next test usually finds its row.
MAX_BYTES = 64 << 20


class GroupDots:
    def __init__(self) -> None:
        # (row, space) -> (dots of the row's sum with every sum, the clock then, the row's changes then).
        # Keyed by row, never reused, rather than by group id: a group emptied by review moves and
        # made again under its id gets a new row.
        self._kept: OrderedDict[tuple[int, str], tuple[np.ndarray, int, int]] = OrderedDict()
        self._bytes = 0

    def normalised(self, vectors: VectorStore, space: str, row: int,
                   member: tuple[np.ndarray, int] | None) -> np.ndarray:
        """Dots of the group's centroid (its sum over the sum's norm) with every sum of the space.
        `member`: the dots of the member the group has just gained and the clock they were computed at."""
        table = vectors.sums[space]
        total = table[row].astype(np.float32)
        changes = int(vectors.changes[space][row, 0])
        kept = self._kept.pop((row, space), None)
        if kept is not None:
            self._bytes -= kept[0].nbytes
        dots = self._grown(vectors, space, total, changes, kept, member)
        self._keep((row, space), (dots, vectors.clock, changes))
        return dots / np.float32(np.linalg.norm(total))

    def _grown(self, vectors: VectorStore, space: str, total: np.ndarray, changes: int,
               kept: tuple[np.ndarray, int, int] | None, member: tuple[np.ndarray, int] | None) -> np.ndarray:
        table = vectors.sums[space]
        if member is not None and changes == 1:
            base, since = None, member[1]
        elif kept is not None and member is not None and changes == kept[2] + 1:
            base, since = kept[0], min(kept[1], member[1])
        elif kept is not None and changes == kept[2]:
            base, since, member = kept[0], kept[1], None
        else:
            return table.matrix @ total
        valid = min(table.size, *(len(a) for a in (base, member[0] if member else None) if a is not None))
        dots = np.empty(table.size, np.float32)
        dots[:valid] = 0.0 if base is None else base[:valid]
        if member is not None:
            dots[:valid] += member[0][:valid]
        stale = np.flatnonzero(vectors.stamps[space].matrix[:valid, 0] > since)
        if len(stale):
            dots[stale] = table[stale] @ total
        dots[valid:] = table.matrix[valid:] @ total
        return dots

    def _keep(self, key: tuple[int, str], value: tuple[np.ndarray, int, int]) -> None:
        self._kept[key] = value
        self._bytes += value[0].nbytes
        while self._bytes > MAX_BYTES and self._kept:
            _, dropped = self._kept.popitem(last=False)
            self._bytes -= dropped[0].nbytes
