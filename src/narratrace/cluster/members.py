"""What a clusterer remembers of each document it placed, and of each group of documents.

A group (a story, and through its stories a narrative) keeps running sums rather than
its members' texts: one centroid sum per encoder space, anchor and language counts,
and its date span. Adding or removing a member updates the sums, so a review move
never re-reads the documents. Each member's own vectors are kept too (float16): they
give the "nearest members" evidence and let a move subtract exactly what it added.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from narratrace.cluster.features import DocFeatures
from narratrace.cluster.index import Rows
from narratrace.enrich.embeddings import E5Encoder, UseEncoder, calibrate

# Cosine levels per space, read from the encoder classes without loading a model.
LEVELS = {UseEncoder.name: UseEncoder, E5Encoder.name: E5Encoder}
DIMS = {UseEncoder.name: UseEncoder.dim, E5Encoder.name: E5Encoder.dim}


def calibrated(space: str, cosine: np.ndarray | float) -> np.ndarray:
    return calibrate(LEVELS[space], cosine)


@dataclass(slots=True)
class Member:
    """One placed document: what removing it from its group must subtract."""

    group: str
    day: int | None
    published: str | None
    language: str | None
    outlet: str | None
    anchors: frozenset[str]
    weight: float
    rows: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"group": self.group, "day": self.day, "published": self.published, "language": self.language,
                "outlet": self.outlet, "anchors": sorted(self.anchors), "weight": self.weight, "rows": self.rows}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Member:
        return cls(d["group"], d["day"], d["published"], d["language"], d["outlet"],
                   frozenset(d["anchors"]), d["weight"], dict(d["rows"]))


@dataclass(slots=True)
class Group:
    """A story: its members in arrival order and the sums that stand for them."""

    id: str
    row: int
    members: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)  # members with a vector, per space
    anchors: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)
    days: Counter[int] = field(default_factory=Counter)
    dates: Counter[str] = field(default_factory=Counter)
    timeline: Counter[tuple[str, str]] = field(default_factory=Counter)  # (language, published) pairs
    anchor_weight: float = 0.0  # sum of the members' anchor weights

    @property
    def first_day(self) -> int | None:
        return min(self.days) if self.days else None

    @property
    def last_day(self) -> int | None:
        return max(self.days) if self.days else None

    @property
    def first_seen(self) -> str | None:
        return min(self.dates, key=_date_key) if self.dates else None

    @property
    def last_seen(self) -> str | None:
        return max(self.dates, key=_date_key) if self.dates else None

    def share(self, anchor: str) -> float:
        return self.anchors.get(anchor, 0) / len(self.members) if self.members else 0.0

    def count(self, member: Member, sign: int) -> None:
        """Add (sign 1) or subtract (sign -1) a member's counts."""
        for counter, key in ((self.languages, member.language), (self.outlets, member.outlet),
                             (self.days, member.day), (self.dates, member.published)):
            if key is not None:
                counter[key] += sign
                if counter[key] <= 0:
                    del counter[key]
        if member.published is not None:
            key = (member.language or "?", member.published)
            self.timeline[key] += sign
            if self.timeline[key] <= 0:
                del self.timeline[key]
        for anchor in member.anchors:
            self.anchors[anchor] += sign
            if self.anchors[anchor] <= 0:
                del self.anchors[anchor]
        for space in member.rows:
            self.counts[space] += sign
        self.anchor_weight += sign * member.weight

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "row": self.row, "members": self.members, "counts": dict(self.counts),
                "anchors": dict(self.anchors), "languages": dict(self.languages), "outlets": dict(self.outlets),
                "days": {str(k): v for k, v in self.days.items()}, "dates": dict(self.dates),
                "timeline": [[lang, day, n] for (lang, day), n in self.timeline.items()],
                "anchor_weight": self.anchor_weight}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Group:
        return cls(d["id"], d["row"], list(d["members"]), Counter(d["counts"]), Counter(d["anchors"]),
                   Counter(d["languages"]), Counter(d["outlets"]), Counter({int(k): v for k, v in d["days"].items()}),
                   Counter(d["dates"]),
                   Counter({(lang, day): n for lang, day, n in d["timeline"]}), d["anchor_weight"])


def _date_key(published: str) -> tuple[str, int]:
    """"2019" sorts before "2019-08-15" and is not later than any day of 2019."""
    return published, len(published)


class VectorStore:
    """Per space: every member's vector (float16) and every group's centroid sum (float32)."""

    def __init__(self) -> None:
        self.members: dict[str, Rows] = {s: Rows(d, np.float16) for s, d in DIMS.items()}
        self.sums: dict[str, Rows] = {s: Rows(d, np.float32) for s, d in DIMS.items()}
        # Each sum's norm, kept as the sum moves: a narrative's first document is scored against every
        # narrative, and re-normalising all the sums took most of that (2 ms per thousand narratives).
        self._norms: dict[str, Rows] = {s: Rows(1, np.float32) for s in DIMS}
        # Per space, the sums changed since `track` (None: not tracked).
        self.touched: dict[str, set[int]] | None = None
        # Each change of a sum ticks the clock; per space and row, the tick of its last change and how
        # many it had: what `GroupDots` needs to know which similarities it kept still hold.
        self.clock = 0
        self.stamps: dict[str, Rows] = {s: Rows(1, np.int64) for s in DIMS}
        self.changes: dict[str, Rows] = {s: Rows(1, np.int64) for s in DIMS}

    def track(self) -> None:
        """Note from now on which sums change (`OnlineClusterer.prefetch` recomputes those only)."""
        self.touched = {s: set() for s in DIMS}

    def new_group(self) -> int:
        rows = [table.append(np.zeros(table.dim, np.float32)) for table in self.sums.values()]
        for norms in self._norms.values():
            norms.append(np.zeros(1, np.float32))
        for counters in (self.stamps, self.changes):
            for table in counters.values():
                table.append(np.zeros(1, np.int64))
        return rows[0]

    def norms(self, space: str) -> np.ndarray:
        return self._norms[space].matrix[:, 0]

    def add_member(self, f: DocFeatures) -> dict[str, int]:
        return {s: self.members[s].append(v) for s, v in f.vectors.items() if s in self.members}

    def shift(self, group_row: int, member_rows: dict[str, int], sign: int) -> None:
        for space, row in member_rows.items():
            moved = self.sums[space][group_row] + sign * self.members[space][row].astype(np.float32)
            self.sums[space][group_row] = moved
            self._norms[space][group_row] = _row_norms(moved[None, :])
            self.clock += 1
            self.stamps[space][group_row] = self.clock
            self.changes[space][group_row] = self.changes[space][group_row] + 1
            if self.touched is not None:
                self.touched[space].add(group_row)

    def centroid(self, space: str, group_row: int) -> np.ndarray | None:
        v = self.sums[space][group_row]
        norm = float(np.linalg.norm(v))
        return v / norm if norm else None

    def state(self) -> dict[str, np.ndarray]:
        out = {f"members/{s}": t.matrix for s, t in self.members.items()}
        out |= {f"sums/{s}": t.matrix for s, t in self.sums.items()}
        return out

    @classmethod
    def from_state(cls, arrays: dict[str, np.ndarray]) -> VectorStore:
        return cls._of({s: arrays[f"members/{s}"] for s in DIMS}, {s: arrays[f"sums/{s}"] for s in DIMS})

    def member_bytes(self, rows: dict[str, int]) -> bytes:
        """A member's vectors, space by space in name order, for `from_items`."""
        return b"".join(self.members[s][rows[s]].astype(np.float16).tobytes() for s in sorted(rows))

    def sum_bytes(self, group_row: int) -> bytes:
        return b"".join(self.sums[s][group_row].astype(np.float32).tobytes() for s in sorted(DIMS))

    @classmethod
    def from_items(cls, members: list[tuple[dict[str, int], bytes]], groups: list[tuple[int, bytes]],
                   n_groups: int) -> VectorStore:
        """The matrices from each member's and each group's bytes. A group that no longer exists
        keeps a zero sum in its row: no score reads it."""
        member_rows = {s: np.zeros((sum(s in rows for rows, _ in members), d), np.float16) for s, d in DIMS.items()}
        for rows, data in members:
            at = 0
            for s in sorted(rows):
                member_rows[s][rows[s]] = np.frombuffer(data, np.float16, DIMS[s], at)
                at += 2 * DIMS[s]
        sums = {s: np.zeros((n_groups, d), np.float32) for s, d in DIMS.items()}
        for row, data in groups:
            at = 0
            for s in sorted(DIMS):
                sums[s][row] = np.frombuffer(data, np.float32, DIMS[s], at)
                at += 4 * DIMS[s]
        return cls._of(member_rows, sums)

    @classmethod
    def _of(cls, members: dict[str, np.ndarray], sums: dict[str, np.ndarray]) -> VectorStore:
        store = cls()
        store.members = {s: Rows(d, np.float16, members[s]) for s, d in DIMS.items()}
        store.sums = {s: Rows(d, np.float32, sums[s]) for s, d in DIMS.items()}
        store._norms = {s: Rows(1, np.float32, _row_norms(t.matrix)[:, None]) for s, t in store.sums.items()}
        store.stamps = {s: Rows(1, np.int64, np.zeros((t.size, 1), np.int64)) for s, t in store.sums.items()}
        store.changes = {s: Rows(1, np.int64, np.zeros((t.size, 1), np.int64)) for s, t in store.sums.items()}
        return store


def _row_norms(matrix: np.ndarray) -> np.ndarray:
    """One formula for a moved row and for a reloaded state, so a resumed run scores to the last bit as one run."""
    return np.sqrt(np.einsum("ij,ij->i", matrix, matrix))
