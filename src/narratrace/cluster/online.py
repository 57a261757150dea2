"""The online clustering engine shared by stories and narratives.

Documents arrive one at a time and are scored against the groups alive around
their date; the best group takes the document when the score passes a calibrated
threshold, else the document starts a group named by a prefix and its own id, a
name that never changes (a merged group's id resolves to the survivor). The score:

- the calibrated cosine of the document's vectors (lead weighted up) to the group
  centroid in each encoder space both have, USE and e5 mixed by `e5_weight`;
- optionally the nearest member beside the centroid (`member_weight`);
- the rarity-weighted anchors (names, numbers, links) the document shares with the
  group, which survive translation and tell two events of one kind apart;
- a penalty per window of days between the document and the group's span.

Documents linked as copies (`linked`) join their copy's group whatever the score,
and review decisions (moves, splits, merges) are kept as pins and aliases that
every later `add`, and a replay from scratch, follow.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from narratrace.cluster.features import DocFeatures, features
from narratrace.cluster.group_dots import GroupDots
from narratrace.cluster.index import TimeBuckets
from narratrace.cluster.members import Group, Member, VectorStore, calibrated
from narratrace.model import Document

# Members scanned for the nearest-member score: the most recent ones, so a huge group costs what a small one does.
RECENT_MEMBERS = 64
# Sentences past which a longer text's averaged vector is no less specific.
LONG_TEXT = 16


@dataclass
class ScoreSettings:
    """How a document is scored against a group and when it joins the best one."""

    threshold: float = 0.6
    anchor_weight: float = 1.2
    member_weight: float = 0.0
    # Weight of e5 (leads) beside USE (whole texts) where a document and a group share both spaces.
    e5_weight: float = 0.3
    # Only groups within about this many days of a dated document are candidates; 0: no window.
    window_days: int = 10
    # Score lost per window of days between a document and the nearest day of a group.
    gap_weight: float = 0.1
    candidates: int = 8
    # Averaged vectors of long texts sit closer to every other text than single sentences do: the
    # threshold rises by this much per doubling of the sentences averaged (up to LONG_TEXT).
    length_slope: float = 0.15


@dataclass(slots=True)
class Assignment:
    group_id: str
    score: float
    evidence: dict[str, Any] = field(default_factory=dict)


class OnlineClusterer:
    prefix = "g-"
    settings_type: type[ScoreSettings] = ScoreSettings

    def __init__(self, settings: ScoreSettings | None = None) -> None:
        self.settings = settings or ScoreSettings()
        self.groups: dict[str, Group] = {}
        self.members: dict[str, Member] = {}
        self.aliases: dict[str, str] = {}
        self.pins: dict[str, str] = {}
        self.decisions: list[dict[str, Any]] = []
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        self._vectors = VectorStore()
        self._row_group: list[str] = []
        self._buckets = TimeBuckets(self.settings.window_days or 1)
        # Each member's place in arrival order (the members' order, which later placements
        # follow), and what changed since `items` last said: a save writes only those.
        self._arrival: dict[str, int] = {}
        self._changed_members: set[str] = set()
        self._changed_groups: set[str] = set()
        # Set by `prefetch`: the features of the documents about to be placed and, per space, the
        # number of groups then with each document's similarity to their sums.
        self._ready: dict[str, DocFeatures] = {}
        self._held: dict[str, tuple[int, dict[str, np.ndarray]]] = {}
        # Which rows hold a group, built on first use: an undated document is scored against every
        # group, and listing them from `groups` cost a Python loop over tens of thousands a document.
        self._alive: np.ndarray | None = None
        # The last document scored, and per space its dots with every group sum and the clock then
        # (`score(grown=...)`): the merge test of the group it joins reuses them.
        self._scored_id: str | None = None
        self._scored: dict[str, tuple[np.ndarray, int]] = {}
        self._group_dots = GroupDots()

    # ---- reading

    def resolve(self, group_id: str) -> str:
        while group_id in self.aliases:
            group_id = self.aliases[group_id]
        return group_id

    def group_of(self, doc_id: str) -> str | None:
        member = self.members.get(doc_id)
        return member.group if member else None

    def centroid(self, group_id: str, space: str) -> np.ndarray | None:
        return self._vectors.centroid(space, self.groups[self.resolve(group_id)].row)

    def idf(self, anchor: str) -> float:
        return math.log(1 + (self.n_docs + 1) / (self.df.get(anchor, 0) + 1))

    # ---- adding

    def add(self, doc: Document, linked: Iterable[str] = ()) -> Assignment:
        """Place a document; `linked` names documents it is a copy or translation of (they share its group)."""
        if doc.id in self.members:
            return Assignment(self.members[doc.id].group, 1.0, {"reason": "known"})
        pinned = self.pins.get(doc.id)
        if pinned is not None:
            return self.add_to(doc, pinned, "review")
        f = self._features(doc)
        assignment = self._choose(f, [self.members[d].group for d in linked if d in self.members])
        self._place(f, assignment.group_id)
        return assignment

    def add_to(self, doc: Document, group_id: str, reason: str) -> Assignment:
        """Place a document in a given group (created if new), whatever its score."""
        if doc.id in self.members:
            return Assignment(self.members[doc.id].group, 1.0, {"reason": "known"})
        assignment = Assignment(self.resolve(group_id), 1.0, {"reason": reason})
        self._place(self._features(doc), assignment.group_id)
        return assignment

    def prefetch(self, docs: Sequence[Document]) -> None:
        """Get ready to place these documents: their features, and their similarity to every group
        sum held now, one matrix product per space. Placing a document read the whole sum matrix
        (tens of thousands of groups at 100k documents) and changed one row of it; the
        similarities are now computed once a chunk, and only the rows changed since again."""
        self._ready = {doc.id: features(doc) for doc in docs if doc.id not in self.members}
        self._vectors.track()
        self._held = {}
        for space, table in self._vectors.sums.items():
            asking = [(doc_id, f.vectors[space]) for doc_id, f in self._ready.items() if space in f.vectors]
            if asking and table.size:
                # Each document's similarities in one contiguous row: read as a column of the product,
                # copying them out was a seventh of placing at 75k documents (py-spy).
                dots = np.ascontiguousarray((table.matrix @ np.stack([v for _, v in asking]).T).T)
                self._held[space] = (table.size, {doc_id: dots[i] for i, (doc_id, _) in enumerate(asking)})

    def _features(self, doc: Document) -> DocFeatures:
        return self._ready.pop(doc.id, None) or features(doc)

    def _choose(self, f: DocFeatures, linked_groups: list[str]) -> Assignment:
        rows = [self.groups[s].row for s in dict.fromkeys(linked_groups)]
        forced = bool(rows)
        if not forced:
            day = f.day if self.settings.window_days else None
            rows = self.live_rows() if day is None else self._buckets.near(day, ())
        scored = self.score(f, rows) if len(rows) else []
        if scored and (forced or scored[0][1]["score"] >= self.threshold(f)):
            row, evidence = scored[0]
            evidence["reason"] = "must_link" if forced else "similarity"
            return Assignment(self._row_group[row], evidence["score"], evidence)
        best = scored[0][1] if scored else {}
        return Assignment(self.resolve(f"{self.prefix}{f.id}"), 0.0, {"reason": "new", "best_other": best})

    def threshold(self, f: DocFeatures) -> float:
        return self.settings.threshold + self.settings.length_slope * math.log2(min(f.sentences, LONG_TEXT))

    def score(self, f: DocFeatures, rows: Sequence[int] | np.ndarray,
              grown: str | None = None) -> list[tuple[int, dict[str, Any]]]:
        """Candidates ranked by centroid similarity, then the best few scored in full, best first.

        `grown`: `f` is a group's profile (its id, its centroids), tested after it gained this
        document: the similarities kept from its last test and the document's own are reused
        (`GroupDots`)."""
        rows_array = np.asarray(rows)
        centroid = self._centroid_similarity(f, rows_array, grown)
        order = top(centroid, self.settings.candidates)
        idf = {a: self.idf(a) for a in f.anchors}
        scored = [(int(rows_array[i]), self._evidence(f, idf, int(rows_array[i]), float(centroid[i]))) for i in order]
        scored.sort(key=lambda x: -x[1]["score"])
        if scored and not scored[0][1]["nearest"]:
            scored[0][1]["nearest"] = self._nearest_members(f, self.groups[scored[0][1]["group"]])[:3]
        return scored

    def _centroid_similarity(self, f: DocFeatures, rows: np.ndarray, grown: str | None = None) -> np.ndarray:
        total = np.zeros(len(rows), np.float32)
        weight = np.zeros(len(rows), np.float32)
        member = self._scored if grown is not None and grown == self._scored_id else {}
        if grown is None:
            self._scored_id, self._scored = f.id, {}
        for space, v in f.vectors.items():
            table = self._vectors.sums[space]
            if grown is not None:
                row = self.groups[f.id].row
                dots = self._group_dots.normalised(self._vectors, space, row, member.get(space))[rows]
            else:
                held = self._held_dots(space, f.id, v)
                # Most groups (narratives have no window): one product over the whole matrix beats copying rows.
                every = held if held is not None else table.matrix @ v if 2 * len(rows) > table.size else None
                dots = every[rows] if every is not None else table[rows] @ v
                if every is not None:
                    self._scored[space] = (every, self._vectors.clock)
            norms = self._vectors.norms(space)[rows]
            present = norms > 0
            w = self._space_weight(space) * present
            total += w * calibrated(space, dots / np.where(present, norms, 1.0))
            weight += w
        return np.where(weight > 0, total / np.maximum(weight, 1e-9), -1.0)

    def _held_dots(self, space: str, doc_id: str, v: np.ndarray) -> np.ndarray | None:
        """The similarities `prefetch` computed for the document, with the sums changed or added since redone."""
        held = self._held.get(space)
        column = held[1].pop(doc_id, None) if held is not None else None
        touched = self._vectors.touched
        if held is None or column is None or touched is None:
            return None
        table = self._vectors.sums[space]
        dots = np.empty(table.size, np.float32)
        dots[: held[0]] = column
        changed = [row for row in touched[space] if row < held[0]]
        if changed:
            dots[changed] = table[changed] @ v
        dots[held[0] :] = table.matrix[held[0] :] @ v
        return dots

    def _space_weight(self, space: str) -> float:
        return max(self.settings.e5_weight, 1e-6) if space == "e5-small" else 1.0

    def _evidence(self, f: DocFeatures, idf: dict[str, float], row: int, centroid: float) -> dict[str, Any]:
        s = self.settings
        group = self.groups[self._row_group[row]]
        # The nearest members are the evidence of the winner; they score every candidate only when weighted.
        nearest = self._nearest_members(f, group) if s.member_weight else []
        member = nearest[0][1] if nearest else centroid
        anchors, shared = self._anchor_score(f, idf, group)
        gap = _gap(f.day, group.first_day, group.last_day)
        semantic = (1 - s.member_weight) * centroid + s.member_weight * max(member, centroid)
        score = semantic + s.anchor_weight * anchors
        if s.window_days:
            score -= s.gap_weight * gap / s.window_days
        return {"score": round(float(score), 4), "group": group.id, "nearest": nearest[:3],
                "shared_anchors": shared[:8],
                "similarity": {"centroid": round(centroid, 4), "member": round(float(member), 4),
                               "anchors": round(anchors, 4), "gap_days": gap}}

    def _nearest_members(self, f: DocFeatures, group: Group) -> list[tuple[str, float]]:
        best: dict[str, float] = {}
        recent = group.members[-RECENT_MEMBERS:]
        total_weight: dict[str, float] = {}
        for space, v in f.vectors.items():
            ids = [m for m in recent if space in self.members[m].rows]
            if not ids:
                continue
            matrix = self._vectors.members[space][[self.members[m].rows[space] for m in ids]].astype(np.float32)
            sims = calibrated(space, matrix @ v)
            w = self._space_weight(space)
            for m, sim in zip(ids, sims.tolist()):
                best[m] = best.get(m, 0.0) + w * sim
                total_weight[m] = total_weight.get(m, 0.0) + w
        ranked = sorted(((m, round(best[m] / total_weight[m], 4)) for m in best), key=lambda x: -x[1])
        return ranked

    def _anchor_score(self, f: DocFeatures, idf: dict[str, float], group: Group) -> tuple[float, list[str]]:
        """Rarity-weighted anchors the document shares with the group, each counted by the share of
        members that have it, over the geometric mean of the document's and an average member's weight.
        `idf` holds the document's anchor weights, computed once for all candidate groups."""
        shared = [a for a in sorted(f.anchors) if a in group.anchors]
        if not shared or not group.members:
            return 0.0, []
        weight = math.fsum(idf.values())
        common = math.fsum(idf[a] * group.share(a) for a in shared)
        mean_member = group.anchor_weight / len(group.members)
        score = common / math.sqrt(max(weight * mean_member, 1e-9))
        return min(1.0, score), sorted(shared, key=lambda a: (-idf[a] * group.share(a), a))

    def _place(self, f: DocFeatures, group_id: str) -> None:
        group = self.groups.get(group_id) or self._new_group(group_id)
        weight = math.fsum(self.idf(a) for a in f.anchors)
        member = Member(group.id, f.day, f.published, f.language, f.outlet, f.anchors, weight,
                        self._vectors.add_member(f))
        self._arrival[f.id] = len(self.members)
        self.members[f.id] = member
        self.df.update(f.anchors)
        self.n_docs += 1
        self._join(f.id, member, group)

    def extend(self, doc_id: str, space: str, vector: np.ndarray) -> None:
        """A placed member gains a vector in a space it lacked (the bridge's back-fill); its group's sum follows."""
        member = self.members[doc_id]
        if space in member.rows:
            return
        member.rows[space] = self._vectors.members[space].append(vector)
        group = self.groups[member.group]
        group.counts[space] += 1
        self._vectors.shift(group.row, {space: member.rows[space]}, 1)
        self._changed_members.add(doc_id)
        self._changed_groups.add(group.id)

    def _new_group(self, group_id: str) -> Group:
        row = self._vectors.new_group()
        self._row_group.append(group_id)
        group = self.groups[group_id] = Group(group_id, row)
        if self._alive is not None:
            if row >= len(self._alive):
                self._alive = np.concatenate([self._alive, np.zeros(max(1024, len(self._alive)), bool)])
            self._alive[row] = True
        return group

    def live_rows(self) -> np.ndarray:
        """The rows of every group, in row order (the order groups were created, and `groups` keeps)."""
        if self._alive is None:
            self._alive = np.zeros(max(1024, 2 * len(self._row_group)), bool)
            self._alive[[g.row for g in self.groups.values()]] = True
        return np.flatnonzero(self._alive[: len(self._row_group)])

    def _join(self, doc_id: str, member: Member, group: Group) -> None:
        self._changed_members.add(doc_id)
        self._changed_groups.add(group.id)
        member.group = group.id
        group.members.append(doc_id)
        group.count(member, 1)
        self._vectors.shift(group.row, member.rows, 1)
        self._buckets.place(group.row, group.first_day, group.last_day)

    def _leave(self, doc_id: str) -> None:
        member = self.members[doc_id]
        group = self.groups[member.group]
        self._changed_groups.add(group.id)
        group.members.remove(doc_id)
        group.count(member, -1)
        self._vectors.shift(group.row, member.rows, -1)
        if group.members:
            self._buckets.place(group.row, group.first_day, group.last_day)
        else:
            self._buckets.remove(group.row)
            del self.groups[group.id]
            if self._alive is not None:
                self._alive[group.row] = False

    # ---- review

    def move(self, doc_id: str, group_id: str) -> None:
        """An analyst's decision: the document belongs to that group (created if new), in every later run."""
        target = self.resolve(group_id)
        self._leave(doc_id)
        self._join(doc_id, self.members[doc_id], self.groups.get(target) or self._new_group(target))
        self.pins[doc_id] = target
        self.decisions.append({"op": "move", "doc": doc_id, "group": target})

    def split(self, group_id: str, doc_ids: list[str]) -> str:
        """Move some members into a new group; its id comes from the first of them."""
        new_id = self.fresh_id(doc_ids)
        for doc_id in doc_ids:
            self.move(doc_id, new_id)
        self.decisions.append({"op": "split", "group": self.resolve(group_id), "into": new_id, "docs": doc_ids})
        return new_id

    def fresh_id(self, doc_ids: list[str]) -> str:
        """A new group's id from the first of its documents whose name is not taken (ids are never reused)."""
        taken = set(self.groups) | set(self.aliases)
        for doc_id in doc_ids:
            if f"{self.prefix}{doc_id}" not in taken:
                return f"{self.prefix}{doc_id}"
        k = 2
        while f"{self.prefix}{doc_ids[0]}.{k}" in taken:
            k += 1
        return f"{self.prefix}{doc_ids[0]}.{k}"

    def merge(self, a: str, b: str) -> str:
        """Merge two groups; the older id survives and the other resolves to it."""
        a, b = self.resolve(a), self.resolve(b)
        if a == b:
            return a
        survivor, gone = sorted((a, b), key=lambda s: self.groups[s].row)
        for doc_id in list(self.groups[gone].members):
            self.move(doc_id, survivor)
        self.aliases[gone] = survivor
        self.decisions.append({"op": "merge", "groups": [a, b], "into": survivor})
        return survivor

    # ---- state

    def state(self, core: bool = False) -> dict[str, Any]:
        """JSON-able dicts plus numpy arrays under "arrays": everything `from_state` needs. With
        `core`, the members, groups and their vectors are left out: `items` gives them one by one."""
        state = {"settings": asdict(self.settings), "rows": self._row_group, "aliases": self.aliases,
                 "pins": self.pins, "decisions": self.decisions, "df": dict(self.df), "n_docs": self.n_docs}
        if core:
            return state
        return {**state, "groups": [g.to_json() for g in self.groups.values()],
                "members": {d: m.to_json() for d, m in self.members.items()}, "arrays": self._vectors.state()}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> OnlineClusterer:
        c = cls(cls.settings_type(**state["settings"]))
        c.groups = {g["id"]: Group.from_json(g) for g in state["groups"]}
        c.members = {d: Member.from_json(m) for d, m in state["members"].items()}
        c._row_group = list(state["rows"])
        c.aliases, c.pins = dict(state["aliases"]), dict(state["pins"])
        c.decisions = list(state["decisions"])
        c.df, c.n_docs = Counter(state["df"]), state["n_docs"]
        c._vectors = VectorStore.from_state(state["arrays"])
        c._arrival = {d: i for i, d in enumerate(c.members)}
        # Read whole (as a store saved before items were), so the next `items` must say everything.
        c._changed_members, c._changed_groups = set(c.members), set(c.groups)
        for g in c.groups.values():
            c._buckets.place(g.row, g.first_day, g.last_day)
        return c

    def items(self, everything: bool = False) -> list[tuple[str, str, str | None, bytes]]:
        """(kind, key, JSON, vectors) of each member and group changed since the last call, or of
        all; a group that no longer exists has no JSON (delete it). Saving a state this way
        costs what changed: whole, it was ~60 MB at 10k documents, rewritten on every pass."""
        members = set(self.members) if everything else self._changed_members
        groups = set(self.groups) if everything else self._changed_groups
        self._changed_members, self._changed_groups = set(), set()
        out: list[tuple[str, str, str | None, bytes]] = []
        for doc_id in members:
            m = self.members[doc_id]
            out.append(("member", doc_id, json.dumps({**m.to_json(), "arrival": self._arrival[doc_id]},
                                                     ensure_ascii=False), self._vectors.member_bytes(m.rows)))
        for group_id in groups:
            g = self.groups.get(group_id)
            out.append(("group", group_id, None, b"") if g is None else
                       ("group", group_id, json.dumps(g.to_json(), ensure_ascii=False), self._vectors.sum_bytes(g.row)))
        return out

    @classmethod
    def from_items(cls, core: dict[str, Any], items: Iterable[tuple[str, str, str, bytes]]) -> OnlineClusterer:
        """A clusterer from `state(core=True)` and every stored item: the one `from_state(state())` gives."""
        c = cls(cls.settings_type(**core["settings"]))
        members: list[tuple[int, str, Member, bytes]] = []
        groups: list[Group] = []
        sums: list[tuple[int, bytes]] = []
        for kind, key, value, data in items:
            d = json.loads(value)
            if kind == "member":
                members.append((d["arrival"], key, Member.from_json(d), data))
            else:
                groups.append(Group.from_json(d))
                sums.append((groups[-1].row, data))
        members.sort(key=lambda m: m[0])
        c.members = {doc_id: member for _, doc_id, member, _ in members}
        c._arrival = {doc_id: arrival for arrival, doc_id, _, _ in members}
        # Groups were created in row order, and later placements score candidates in that order.
        c.groups = {g.id: g for g in sorted(groups, key=lambda g: g.row)}
        c._row_group = list(core["rows"])
        c.aliases, c.pins = dict(core["aliases"]), dict(core["pins"])
        c.decisions = list(core["decisions"])
        c.df, c.n_docs = Counter(core["df"]), core["n_docs"]
        c._vectors = VectorStore.from_items([(m.rows, data) for _, _, m, data in members], sums, len(c._row_group))
        for g in c.groups.values():
            c._buckets.place(g.row, g.first_day, g.last_day)
        return c

    @classmethod
    def replaying(cls, settings: ScoreSettings, decisions_of: OnlineClusterer) -> OnlineClusterer:
        """A fresh clusterer that keeps another one's review decisions (pins and merges) for a re-run."""
        c = cls(settings)
        c.pins, c.aliases = dict(decisions_of.pins), dict(decisions_of.aliases)
        c.decisions = list(decisions_of.decisions)
        return c


def top(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k largest values, largest first, ties in position order: a full sort of
    the similarities to every narrative (50,000 at 100k documents) cost more than scoring."""
    if len(values) <= k:
        return np.argsort(-values, kind="stable")
    cut = np.partition(values, len(values) - k)[len(values) - k]
    above = np.flatnonzero(values > cut)
    tied = np.flatnonzero(values == cut)[: k - len(above)]
    chosen = np.concatenate([above, tied])
    return chosen[np.argsort(-values[chosen], kind="stable")]


def _gap(day: int | None, first: int | None, last: int | None) -> int:
    if day is None or first is None or last is None:
        return 0
    return max(0, first - day, day - last)

