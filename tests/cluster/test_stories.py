"""Stories on the demo corpus and the seeds: grouping, copies, evidence, state and review decisions."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from narratrace.cluster.batch import chronological, cluster, must_link, stored_documents
from narratrace.cluster.stories import StoryClusterer
from narratrace.model import Document
from narratrace.pipeline import Pipeline
from narratrace.settings import Settings
from narratrace.store.sqlite import SQLiteStore

DEMO = Path(__file__).resolve().parents[2] / "demo"
Seeds = tuple[list[Document], dict[str, list[str]]]
Demo = tuple[list[Document], dict[str, list[str]], dict[str, dict]]


def _ingest(db: Path, *inputs: str) -> tuple[list[Document], dict[str, list[str]]]:
    store = SQLiteStore(db)
    Pipeline(Settings(db=str(db))).ingest(list(inputs), store)
    docs = stored_documents(store)
    links = must_link(store.links())
    store.close()
    return docs, links


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    docs, links = _ingest(tmp_path_factory.mktemp("demo") / "d.db", str(DEMO / "corpus"))
    truth = {a["location"]: a for a in json.loads((DEMO / "truth.json").read_text())["articles"]}
    by_id = {d.id: truth["corpus/" + d.origin.split("corpus/", 1)[1]] for d in docs}
    return docs, links, by_id


@pytest.fixture(scope="module")
def seed_docs(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Seeds:
    return _ingest(tmp_path_factory.mktemp("seeds") / "s.db", str(seeds))


def _pairs(labels: dict[str, str | None]) -> set[frozenset[str]]:
    return {frozenset((a, b)) for a, b in itertools.combinations(sorted(labels), 2)
            if labels[a] is not None and labels[a] == labels[b]}


def test_demo_stories_match_the_truth(demo: Demo) -> None:
    docs, links, truth = demo
    stories, _ = cluster(docs, links)
    found = _pairs({d.id: stories.group_of(d.id) for d in docs})
    gold = _pairs({d.id: truth[d.id]["story"] for d in docs})
    precision, recall = len(found & gold) / len(found), len(found & gold) / len(gold)
    assert precision >= 0.95 and recall >= 0.8, (precision, recall)


def test_copies_always_share_a_story(demo: Demo) -> None:
    docs, links, _ = demo
    stories, _ = cluster(docs, links)
    assert links
    for a, others in links.items():
        assert all(stories.group_of(a) == stories.group_of(b) for b in others)


def test_seed_translation_shares_the_story_of_its_original(seed_docs: Seeds) -> None:
    docs, links = seed_docs
    stories, _ = cluster(docs, links)
    name = {d.id: Path(d.origin).name[:3] for d in docs}
    story = {name[d.id]: stories.group_of(d.id) for d in docs}
    assert story["000"] == story["004"]


def test_documents_placed_before_the_first_e5_only_one_gain_e5_vectors(seeds: Path, tmp_path: Path) -> None:
    """A French-only store needs no bridge; an Indonesian document arriving later needs every French one in e5."""
    files = sorted(seeds.iterdir())
    store = SQLiteStore(tmp_path / "b.db")
    pipeline = Pipeline(Settings(db=str(tmp_path / "b.db")))
    pipeline.ingest([str(f) for f in files[:4]], store)
    assert not store.document_vectors("e5-small").owners
    pipeline.ingest([str(files[4])], store)
    ids = [d.id for d in store.documents()]
    assert sorted(store.document_vectors("e5-small").owners) == sorted(ids)
    items = store.cluster_items("clusters")
    for level in ("s", "n"):
        members = [json.loads(value) for kind, _, value, _ in items if kind == f"{level}/member"]
        groups = [json.loads(value) for kind, _, value, _ in items if kind == f"{level}/group"]
        assert len(members) == len(ids) and all("e5-small" in m["rows"] for m in members)
        assert sum(g["counts"].get("e5-small", 0) for g in groups) == len(ids)
    store.close()


def test_a_join_carries_its_evidence(demo: Demo) -> None:
    docs, _, _ = demo
    clusterer = StoryClusterer()
    joins = [a for d in chronological(docs) if (a := clusterer.add(d)).evidence["reason"] == "similarity"]
    assert joins
    evidence = joins[0].evidence
    assert evidence["nearest"] and evidence["shared_anchors"]
    assert {"centroid", "anchors", "gap_days"} <= set(evidence["similarity"])
    assert all(j.group_id.startswith("s-") for j in joins)


def test_state_round_trip_continues_exactly_as_one_run(demo: Demo) -> None:
    docs, links, _ = demo
    ordered = chronological(docs)
    whole, _ = cluster(ordered, links)
    first = StoryClusterer()
    for d in ordered[:15]:
        first.add(d, links.get(d.id, ()))
    state = json.loads(json.dumps({k: v for k, v in first.state().items() if k != "arrays"}))
    state["arrays"] = {k: np.array(v) for k, v in first.state()["arrays"].items()}
    resumed = StoryClusterer.from_state(state)
    for d in ordered[15:]:
        resumed.add(d, links.get(d.id, ()))
    assert {d.id: resumed.group_of(d.id) for d in docs} == {d.id: whole.group_of(d.id) for d in docs}


def test_a_state_saved_as_changed_items_resumes_exactly_as_one_run(demo: Demo) -> None:
    """Members and groups saved a row each, the second save only those its documents changed."""
    docs, links, _ = demo
    ordered = chronological(docs)
    whole, _ = cluster(ordered, links)
    first = StoryClusterer()
    stored: dict[tuple[str, str], tuple[str, bytes]] = {}
    for part in (ordered[:10], ordered[10:15]):
        for d in part:
            first.add(d, links.get(d.id, ()))
        changed = first.items()
        # The first save says everything; the second only its five documents and their groups.
        assert len(changed) == (len(first.members) + len(first.groups) if not stored else 5 + len(
            {first.group_of(d.id) for d in part}))
        for kind, key, value, data in changed:
            if value is None:
                stored.pop((kind, key), None)
            else:
                stored[kind, key] = (value, data)
    assert first.items() == []
    core = json.loads(json.dumps(first.state(core=True)))
    resumed = StoryClusterer.from_items(core, [(kind, key, v, data) for (kind, key), (v, data) in stored.items()])
    for d in ordered[15:]:
        resumed.add(d, links.get(d.id, ()))
    assert {d.id: resumed.group_of(d.id) for d in docs} == {d.id: whole.group_of(d.id) for d in docs}


def test_review_decisions_hold_in_later_adds_and_replays(demo: Demo) -> None:
    docs, links, _ = demo
    ordered = chronological(docs)
    clusterer = StoryClusterer()
    for d in ordered[:20]:
        clusterer.add(d, links.get(d.id, ()))
    big = max(clusterer.groups.values(), key=lambda g: len(g.members))
    moved, kept = big.members[-1], big.members[0]
    other = next(g.id for g in clusterer.groups.values() if g.id != big.id)
    clusterer.move(moved, other)
    assert clusterer.group_of(moved) == other
    assert clusterer.add(next(d for d in docs if d.id == moved)).group_id == other
    split_id = clusterer.split(big.id, [kept])
    # The founding member named the story it leaves: the new story's id is fresh, never a reused one.
    assert split_id.startswith(f"s-{kept}") and split_id != big.id and clusterer.group_of(kept) == split_id
    survivor = clusterer.merge(split_id, big.id)
    assert clusterer.resolve(split_id) == clusterer.resolve(big.id) == survivor
    for d in ordered[20:]:
        clusterer.add(d, links.get(d.id, ()))
    assert clusterer.group_of(moved) == other
    replay = StoryClusterer.replaying(clusterer.settings, clusterer)
    for d in ordered:
        replay.add(d, links.get(d.id, ()))
    assert replay.group_of(moved) == other
    assert replay.group_of(kept) == survivor
