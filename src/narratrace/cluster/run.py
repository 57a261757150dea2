"""The clustering pass after linking: place the documents no pass has placed yet.

The two online clusterers live in the store between runs (their state, saved with
the clusters in one transaction), so a new batch is placed among the stories and
narratives that exist, ids never change, and review decisions stay applied. Their
members and groups are saved as items, each rewritten only when a pass changed it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from narratrace.cluster.batch import CHUNK, must_link, place
from narratrace.cluster.bridge import bridge_for_clustering
from narratrace.cluster.narratives import NarrativeTracker
from narratrace.cluster.stories import StoryClusterer
from narratrace.enrich.embeddings import USE_LANGUAGES
from narratrace.model import Cluster
from narratrace.store.base import Store

STATE = "clusters"
# Documents read, bridged and placed at a time: whole chunks of `place`, which then computes what one batch would.
BATCH = 32 * CHUNK


@dataclass
class _Kept:
    """What a pass saved, as it holds it in memory."""

    store: Store
    version: int
    stories: StoryClusterer
    narratives: NarrativeTracker
    story_evidence: dict[str, dict[str, Any]]
    narrative_evidence: dict[str, dict[str, Any]]
    # The clusters as saved, so the next pass writes only those that differ.
    clusters: dict[tuple[str, str], Cluster]


class ClusterPass:
    """Places the documents no pass has placed yet, keeping the state it saved for its next pass.

    A watcher clusters a few new documents at a time; reading the whole state back each
    time (clusterers and every membership, 1.9 s and 0.8 s at 10k documents) cost more
    than placing them. The state is read again when another process saved since. For the
    same reason a pass that kept the state writes only the clusters that changed.
    """

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads
        self._kept: _Kept | None = None

    def run(self, store: Store) -> int:
        """Place every unclustered document; returns how many were placed."""
        pending = store.unclustered()
        if not pending:
            return 0
        version = store.cluster_state_version(STATE)
        kept, self._kept = self._kept, None
        saved: dict[tuple[str, str], Cluster] | None = None
        if kept is not None and kept.store is store and kept.version == version:
            stories, narratives = kept.stories, kept.narratives
            story_evidence, narrative_evidence = kept.story_evidence, kept.narrative_evidence
            saved = kept.clusters
        else:
            stories, narratives = _load(store)
            story_evidence, narrative_evidence = _membership(store, "story"), _membership(store, "narrative")
        prints = {doc_id: (language, fp) for doc_id, language, fp in store.fingerprints(pending)}
        # A store mixing USE's languages with others is bridged from its first document on, as a
        # pass holding every new document at once would see (`bridge_for_clustering`).
        mixed = any(language not in USE_LANGUAGES for language, _ in prints.values())
        titles: dict[str, str | None] = {}
        if saved is not None:
            # A story is labelled with its first member's title: as saved, rather than read from the
            # store again for every story of every pass.
            titles |= {c.documents[0]: c.label for (level, _), c in saved.items() if level == "story" and c.documents}
        placed: list[str] = []
        for ids in _in_order(store, pending):
            docs = []
            for doc_id in ids:
                doc = store.get(doc_id)
                if doc is not None:
                    doc.vectors, doc.fingerprint = store.vectors_of(doc_id), prints.get(doc_id, (None, None))[1]
                    # Claims and labels ride in meta (~25 kB a demo article, three times the rest of the
                    # document); clustering reads none of it.
                    doc.meta = {}
                    docs.append(doc)
            bridge_for_clustering(store, docs, [stories, narratives.engine], self.threads, needed=mixed)
            links = must_link(store.links_of(ids))
            titles |= {doc.id: doc.title for doc in docs}
            for doc, assignment, joined in place(docs, links, stories, narratives):
                story_evidence[doc.id] = {"score": assignment.score, "evidence": assignment.evidence}
                narrative_evidence[doc.id] = {"score": joined.score, "evidence": joined.evidence}
            placed += [doc.id for doc in docs]
        clusters = _stories(store, stories, story_evidence, titles) + _narratives(narratives, narrative_evidence)
        aliases = [("story", old, new) for old, new in stories.aliases.items()]
        aliases += [("narrative", old, new) for old, new in narratives.engine.aliases.items()]
        meta, arrays = _flatten(stories.state(core=True), narratives.state(core=True))
        # Another process saved since this pass read the state: the items it wrote may be ones
        # this state lacks, so this save replaces them all, as a whole state would.
        concurrent = store.cluster_state_version(STATE) != version
        items = [(f"s/{kind}", *rest) for kind, *rest in stories.items(everything=concurrent)]
        items += [(f"n/{kind}", *rest) for kind, *rest in narratives.engine.items(everything=concurrent)]
        now = {(c.level, c.id): c for c in clusters}
        if saved is None:
            store.save_clusters(STATE, meta, arrays, clusters, aliases, placed, items=items,
                                replace_items=concurrent)
        else:
            changed = [c for key, c in now.items() if saved.get(key) != c]
            store.save_clusters(STATE, meta, arrays, changed, aliases, placed,
                                gone=[key for key in saved if key not in now], items=items, replace_items=concurrent)
        # The version this save made, unless another process saved between the read above and
        # this save: then the next pass finds a higher one and reads the state back.
        made = 0 if version is None else version + 1
        self._kept = _Kept(store, made, stories, narratives, story_evidence, narrative_evidence, now)
        return len(placed)


def _in_order(store: Store, pending: list[str]) -> Iterator[list[str]]:
    """The pending documents in publication order (undated last, in ingestion order), a batch at a
    time: a pass of 100k documents held them all, texts and vectors, in 4.8 GB."""
    dates = store.published_of(pending)
    ordered = sorted(pending, key=lambda doc_id: (dates.get(doc_id) is None, dates.get(doc_id) or ""))
    for lo in range(0, len(ordered), BATCH):
        yield ordered[lo : lo + BATCH]


def _load(store: Store) -> tuple[StoryClusterer, NarrativeTracker]:
    saved = store.cluster_state(STATE)
    if saved is None:
        return StoryClusterer(), NarrativeTracker()
    meta, arrays = saved
    story_state, narrative_state = meta["stories"], meta["narratives"]
    narrative_state["labels"]["arrays"] = {k[2:]: v for k, v in arrays.items() if k.startswith("l/")}
    if "members" in story_state:
        # Saved whole, before members and groups were items: read whole, and saved as items next.
        story_state["arrays"] = {k[2:]: v for k, v in arrays.items() if k.startswith("s/")}
        narrative_state["engine"]["arrays"] = {k[2:]: v for k, v in arrays.items() if k.startswith("n/")}
        return StoryClusterer.from_state(story_state), NarrativeTracker.from_state(narrative_state)
    items: dict[str, list[tuple[str, str, str, bytes]]] = {"s": [], "n": []}
    for kind, key, value, data in store.cluster_items(STATE):
        level, _, kind = kind.partition("/")
        items[level].append((kind, key, value, data))
    return StoryClusterer.from_items(story_state, items["s"]), NarrativeTracker.from_items(narrative_state, items["n"])


def _flatten(story_state: dict[str, Any], narrative_state: dict[str, Any]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    arrays = {f"l/{k}": v for k, v in narrative_state["labels"].pop("arrays").items()}
    return {"stories": story_state, "narratives": narrative_state}, arrays


def _stories(store: Store, stories: StoryClusterer, evidence: dict[str, dict[str, Any]],
             titles: dict[str, str | None]) -> list[Cluster]:
    out = []
    for group in stories.groups.values():
        if not group.members:
            continue
        first = group.members[0]
        title = titles.get(first)
        if title is None and (doc := store.get(first)) is not None:
            title = doc.title
        out.append(Cluster("story", group.id, title or first, list(group.members), group.first_seen,
                           group.last_seen, sorted(group.languages),
                           {"outlets": sorted(group.outlets)},
                           {d: evidence.get(d, {}) for d in group.members}))
    return out


def _membership(store: Store, level: str) -> dict[str, dict[str, Any]]:
    """Why each stored document joined its cluster at this level, as recorded when it was placed."""
    return {d: m for c in store.clusters(level) for d, m in c.membership.items()}


def _narratives(narratives: NarrativeTracker, evidence: dict[str, dict[str, Any]]) -> list[Cluster]:
    return [Cluster("narrative", n.id, n.label, n.documents, n.first_seen, n.last_seen, n.languages,
                    {"stories": n.stories, "outlets": n.outlets, "timeline": n.timeline, "events": n.events},
                    {d: evidence.get(d, {}) for d in n.documents})
            for n in narratives.narratives() if n.documents]
