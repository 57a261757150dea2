"""Narratives: the claim that keeps coming back, story after story, over years.

A narrative is a group of the online engine over documents with no time window,
tied to the story level: the first document of a story is scored against every
narrative (centroid and shared anchors) and joins the best one or starts a new one;
every later document of that story follows it. When a story grows enough to look
like another narrative, the two narratives merge: the older id survives, the merge
is recorded with its date, and the other id resolves to the survivor for life.
Nothing is ever renumbered. Analysts move whole stories between narratives, split
and merge narratives; the decisions are kept and replayed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from narratrace.cluster.features import DocFeatures
from narratrace.cluster.labels import Centroid, Labels, offer
from narratrace.cluster.members import Group
from narratrace.cluster.online import Assignment, OnlineClusterer, ScoreSettings
from narratrace.cluster.timeline import events, monthly
from narratrace.model import Document

# Anchors held by at least this share of a narrative's documents describe it in a merge test.
PROFILE_SHARE = 0.25
# Narratives smaller than this get their shared anchors counted afresh for every member.
PROFILE_EXACT_BELOW = 20
PROFILE_DRIFT = 0.1


@dataclass
class NarrativeSettings(ScoreSettings):
    """No window; looser than a story (a narrative spans events); merges need more than a join."""

    threshold: float = 0.45
    window_days: int = 0
    merge_threshold: float = 0.75
    dormancy_days: int = 180
    label_offers: int = 12


class NarrativeClusterer(OnlineClusterer):
    prefix = "n-"
    settings_type = NarrativeSettings


@dataclass
class Narrative:
    """What the CLI, the export and the UI show of one narrative."""

    id: str
    label: str
    documents: list[str]
    stories: list[str]
    first_seen: str | None
    last_seen: str | None
    languages: list[str]
    outlets: list[str]
    timeline: dict[str, dict[str, int]]
    events: list[dict[str, Any]] = field(default_factory=list)


class NarrativeTracker:
    def __init__(self, settings: NarrativeSettings | None = None) -> None:
        self.settings = settings or NarrativeSettings()
        self.engine = NarrativeClusterer(self.settings)
        self.story_of: dict[str, str] = {}  # document → story, as the story level placed it
        self.story_pins: dict[str, str] = {}
        # Narratives an analyst split apart: never merged again by similarity.
        self.apart: list[tuple[str, str]] = []
        self.recorded: dict[str, list[dict[str, Any]]] = {}
        self.labels = Labels(self.settings.label_offers)
        self._story_docs: dict[str, list[str]] = {}
        self._profiles: dict[str, tuple[int, frozenset[str]]] = {}

    def resolve(self, narrative_id: str) -> str:
        return self.engine.resolve(narrative_id)

    def narrative_of_story(self, story_id: str) -> str | None:
        docs = self._story_docs.get(story_id)
        return self.engine.group_of(docs[0]) if docs else None

    def add(self, doc: Document, story_id: str) -> Assignment:
        """Place a document whose story the story level has just decided."""
        if doc.id in self.engine.members:
            return Assignment(self.engine.group_of(doc.id) or "", 1.0, {"reason": "known"})
        pinned = self.story_pins.get(story_id)
        if pinned is not None:
            assignment = self.engine.add_to(doc, self.resolve(pinned), "review")
        else:
            assignment = self.engine.add(doc, self._story_docs.get(story_id, [])[:1])
        self.story_of[doc.id] = story_id
        self._story_docs.setdefault(story_id, []).append(doc.id)
        narrative = assignment.group_id
        self.labels.add(narrative, offer(doc), self._centroid(narrative))
        self._maybe_merge(narrative, doc)
        return assignment

    def _centroid(self, narrative_id: str) -> Centroid:
        return lambda space: self.engine.centroid(narrative_id, space)

    def _maybe_merge(self, narrative_id: str, doc: Document) -> None:
        """Score the narrative's profile against every other narrative; merge past the merge threshold."""
        group = self.engine.groups[narrative_id]
        profile = self._profile(group)
        kept_apart = {self.resolve(b if self.resolve(a) == narrative_id else a) for a, b in self.apart
                      if narrative_id in (self.resolve(a), self.resolve(b))}
        apart = [self.engine.groups[g].row for g in {narrative_id} | kept_apart if g in self.engine.groups]
        others = self.engine.live_rows()
        others = others[~np.isin(others, apart)]
        if not len(others) or not profile.vectors:
            return
        _, evidence = self.engine.score(profile, others, grown=doc.id)[0]
        if evidence["score"] >= self.settings.merge_threshold:
            self.merge(narrative_id, evidence["group"], reason="similarity", on=doc.published.value if doc.published else None,
                       evidence=evidence)

    def _profile(self, group: Group) -> DocFeatures:
        vectors = {s: c for s in group.counts if (c := self.engine.centroid(group.id, s)) is not None}
        return DocFeatures(group.id, vectors, self._shared_anchors(group), None, None, None, None)

    def _shared_anchors(self, group: Group) -> frozenset[str]:
        """The anchors of a quarter of the members. Scanning a large narrative's every anchor for
        each new member made ingest quadratic (7 s of 3k documents), and one member more or
        less barely moves a quarter: the set is kept until the narrative grows or shrinks by a tenth."""
        size = len(group.members)
        kept = self._profiles.get(group.id)
        if kept is not None and size >= PROFILE_EXACT_BELOW and abs(size - kept[0]) <= PROFILE_DRIFT * kept[0]:
            return kept[1]
        need = PROFILE_SHARE * size
        shared = frozenset(a for a, n in group.anchors.items() if n >= need) if size else frozenset()
        self._profiles[group.id] = (size, shared)
        return shared

    # ---- review and merges

    def merge(self, a: str, b: str, reason: str = "review", on: str | None = None,
              evidence: dict[str, Any] | None = None) -> str:
        a, b = self.resolve(a), self.resolve(b)
        if a == b:
            return a
        if reason == "review":
            self.apart = [p for p in self.apart if {self.resolve(p[0]), self.resolve(p[1])} != {a, b}]
        gone = b if self.engine.groups[a].row < self.engine.groups[b].row else a
        survivor = self.engine.merge(a, b)
        self.labels.merge(survivor, gone, self._centroid(survivor))
        history = self.recorded.pop(gone, [])
        event = {"kind": "merge", "date": on, "absorbed": gone, "reason": reason}
        if evidence:
            event["evidence"] = {k: evidence[k] for k in ("score", "shared_anchors", "similarity") if k in evidence}
        self.recorded.setdefault(survivor, []).extend(history + [event])
        return survivor

    def move(self, story_id: str, narrative_id: str) -> None:
        """An analyst's decision: the story belongs to that narrative (created if new), in every later run."""
        target = self.resolve(narrative_id)
        for doc_id in self._story_docs.get(story_id, []):
            self.labels.remove(self.engine.group_of(doc_id) or "", doc_id)
            self.engine.move(doc_id, target)
        self.story_pins[story_id] = target

    def split(self, narrative_id: str, story_ids: list[str]) -> str:
        """Move some stories out into a new narrative named after their first document not naming one already."""
        new_id = self.engine.fresh_id([d for s in story_ids for d in self._story_docs[s]])
        for story_id in story_ids:
            self.move(story_id, new_id)
        self.apart.append((self.resolve(narrative_id), new_id))
        self.engine.decisions.append({"op": "split", "group": self.resolve(narrative_id), "into": new_id,
                                      "stories": story_ids})
        return new_id

    # ---- reading

    def narratives(self) -> list[Narrative]:
        # Found once: per narrative, the newest day made reading them all quadratic (2-3 s at
        # 10k synthetic documents, on every clustering pass).
        today = self._today()
        return [self.narrative(g, today) for g in self.engine.groups]

    def narrative(self, narrative_id: str, today: int | None = None) -> Narrative:
        """`today`: the newest member's day, where dormancy is judged (found when not given)."""
        g = self.engine.groups[self.resolve(narrative_id)]
        today = self._today() if today is None else today
        # Names as frequent and rare tie (in a one-document narrative, all do): the longer
        # name is the more specific ("Moyen-Orient" over "Al"), then the order is alphabetical.
        names = sorted((a for a in g.anchors if a.startswith("name:")),
                       key=lambda a: (-g.anchors[a] * self.engine.idf(a), -len(a), a))
        return Narrative(
            id=g.id, label=self.labels.label(g.id, self._centroid(g.id), names), documents=list(g.members),
            stories=list(dict.fromkeys(self.story_of[d] for d in g.members)),
            first_seen=g.first_seen, last_seen=g.last_seen, languages=sorted(g.languages),
            outlets=sorted(g.outlets), timeline=monthly(g.timeline),
            events=events(g.timeline, self.recorded.get(g.id, []), self.settings.dormancy_days, today),
        )

    def _today(self) -> int | None:
        return max((m.day for m in self.engine.members.values() if m.day is not None), default=None)

    # ---- state

    def state(self, core: bool = False) -> dict[str, Any]:
        """Everything `from_state` needs; with `core`, the engine's members and groups are left to its `items`."""
        return {"settings": asdict(self.settings), "engine": self.engine.state(core),
                "story_of": self.story_of, "story_pins": self.story_pins, "apart": self.apart,
                "recorded": self.recorded, "labels": self.labels.state(),
                "profiles": {g: [size, sorted(shared)] for g, (size, shared) in self._profiles.items()}}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> NarrativeTracker:
        return cls._around(NarrativeClusterer.from_state(state["engine"]), state)

    @classmethod
    def from_items(cls, core: dict[str, Any], items: Iterable[tuple[str, str, str, bytes]]) -> NarrativeTracker:
        """From `state(core=True)` and the engine's stored items."""
        return cls._around(NarrativeClusterer.from_items(core["engine"], items), core)

    @classmethod
    def _around(cls, engine: OnlineClusterer, state: dict[str, Any]) -> NarrativeTracker:
        t = cls(NarrativeSettings(**state["settings"]))
        t.engine = engine
        t.story_of, t.story_pins = dict(state["story_of"]), dict(state["story_pins"])
        t.apart = [tuple(pair) for pair in state["apart"]]
        t.recorded = {k: list(v) for k, v in state["recorded"].items()}
        t.labels = Labels.from_state(t.settings.label_offers, state["labels"])
        t._profiles = {g: (size, frozenset(shared)) for g, (size, shared) in state.get("profiles", {}).items()}
        for doc_id in t.engine.members:
            t._story_docs.setdefault(t.story_of[doc_id], []).append(doc_id)
        return t
