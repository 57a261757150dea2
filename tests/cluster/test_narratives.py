"""Narratives on the seeds and the demo corpus: membership, first sighting, label, timeline, events,
ids that survive incremental runs, and review decisions."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from narratrace.alerts.narrative_events import narrative_events
from narratrace.cluster.batch import chronological, cluster, must_link, stored_documents
from narratrace.cluster.narratives import NarrativeTracker
from narratrace.cluster.stories import StoryClusterer
from narratrace.model import Document
from narratrace.pipeline import Pipeline
from narratrace.provenance.registry import SourceRegistry
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
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo") / "d.db"


@pytest.fixture(scope="module")
def demo(demo_db: Path) -> Demo:
    docs, links = _ingest(demo_db, str(DEMO / "corpus"))
    truth = {a["location"]: a for a in json.loads((DEMO / "truth.json").read_text())["articles"]}
    return docs, links, {d.id: truth["corpus/" + d.origin.split("corpus/", 1)[1]] for d in docs}


@pytest.fixture(scope="module")
def seed_docs(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Seeds:
    return _ingest(tmp_path_factory.mktemp("seeds") / "s.db", str(seeds))


def test_the_seeds_are_one_narrative_first_seen_in_2017(seed_docs: Seeds) -> None:
    docs, links = seed_docs
    _, narratives = cluster(docs, links)
    ids = {narratives.engine.group_of(d.id) for d in docs}
    assert len(ids) == 1
    narrative = narratives.narrative(ids.pop())
    assert narrative.first_seen == "2017-11-15"
    assert narrative.languages == ["fr", "id"]
    assert sorted(narrative.documents) == sorted(d.id for d in docs)
    assert narrative.events[0] == {"kind": "birth", "date": "2017-11-15", "languages": ["fr"]}
    assert narrative.label


def test_demo_narrative_holds_its_stories_and_not_the_distractors(demo: Demo) -> None:
    docs, links, truth = demo
    _, narratives = cluster(docs, links)
    carrying = {narratives.engine.group_of(d.id) for d in docs if truth[d.id]["narrative"]}
    assert len(carrying) == 1
    n1 = narratives.narrative(carrying.pop())
    distractors = {d.id for d in docs if not truth[d.id]["narrative"]}
    assert not distractors & set(n1.documents)
    assert n1.first_seen == min(truth[d]["published"] for d in n1.documents if truth[d]["published"])
    assert set(n1.languages) == {truth[d]["language"] for d in n1.documents}
    assert len(n1.stories) >= 4 and len(n1.outlets) >= 5
    assert any(n1.label in d.text for d in docs if d.language == "en"), n1.label
    dated = {d.id for d in docs if d.published}
    assert sum(n for month in n1.timeline.values() for n in month.values()) == len(dated & set(n1.documents))
    kinds = {e["kind"] for e in n1.events}
    assert {"birth", "language", "dormancy", "re-emergence"} <= kinds


def test_merge_tests_reusing_kept_similarities_decide_as_full_products(demo: Demo, seed_docs: Seeds) -> None:
    """`GroupDots` adds a narrative's kept similarities and its new member's instead of multiplying
    its centroid with every other narrative's: the merge tests must score as the full product does."""
    from narratrace.cluster import group_dots

    full_calls: list[int] = []

    class FullProduct(group_dots.GroupDots):
        def _grown(self, vectors, space, total, changes, kept, member):  # type: ignore[no-untyped-def]
            full_calls.append(1)
            return vectors.sums[space].matrix @ total

    docs = demo[0] + seed_docs[0]
    links = demo[1] | seed_docs[1]
    _, kept = cluster(docs, links)
    reused = kept.engine._group_dots._kept
    original = group_dots.GroupDots
    try:
        group_dots.GroupDots = FullProduct  # type: ignore[misc]
        import narratrace.cluster.online as online

        online.GroupDots = FullProduct  # type: ignore[attr-defined]
        _, full = cluster(docs, links)
    finally:
        online.GroupDots = original  # type: ignore[attr-defined]
        group_dots.GroupDots = original  # type: ignore[misc]
    assert len(full_calls) >= len(docs) and reused
    assert [kept.narrative(g) for g in kept.engine.groups] == [full.narrative(g) for g in full.engine.groups]
    assert kept.recorded == full.recorded


def test_a_saved_tracker_reads_back_the_same_narratives_from_either_state_form(seed_docs: Seeds) -> None:
    """Label offers keep their vectors beside the JSON; stores saved before kept them inside it."""
    docs, links = seed_docs
    _, narratives = cluster(docs, links)
    labels = narratives.state()["labels"]
    legacy = {g: [{**{k: v for k, v in o.items() if k != "row"},
                   "vector": labels["arrays"][o["space"]][o["row"]].astype(np.float32).tolist()} for o in offers]
              for g, offers in labels["offers"].items()}
    for form in (labels, legacy):
        state = narratives.state()
        state["engine"]["arrays"] = {k: np.array(v) for k, v in state["engine"]["arrays"].items()}
        state["labels"] = form
        assert NarrativeTracker.from_state(state).narratives() == narratives.narratives()


def test_narrative_ids_from_a_first_half_still_resolve_after_the_second(demo: Demo) -> None:
    docs, links, _ = demo
    ordered = chronological(docs)
    half = len(ordered) // 2
    stories, narratives = cluster(ordered[:half], links)
    first_ids = {narratives.engine.group_of(d.id) for d in ordered[:half]}
    state = narratives.state()
    state["engine"]["arrays"] = {k: np.array(v) for k, v in state["engine"]["arrays"].items()}
    resumed = NarrativeTracker.from_state(state)
    cluster(ordered[half:], links, StoryClusterer.from_state(stories.state()), resumed)
    for narrative_id in first_ids:
        assert resumed.resolve(narrative_id) in resumed.engine.groups
    _, whole = cluster(ordered, links)
    assert {whole.resolve(n) for n in first_ids} <= set(whole.engine.groups)


def test_moves_and_merges_are_kept_and_recorded(demo: Demo) -> None:
    docs, links, _ = demo
    ordered = chronological(docs)
    stories, narratives = cluster(ordered[:12], links)
    story = stories.group_of(ordered[0].id)
    before = narratives.narrative_of_story(story)
    moved_to = narratives.split(before, [story])
    assert moved_to.startswith("n-") and moved_to != before and before in narratives.engine.groups
    cluster(ordered[12:], links, stories, narratives)
    assert narratives.narrative_of_story(story) == moved_to
    assert all(narratives.engine.group_of(d) == moved_to for d in stories.groups[story].members)
    survivor = narratives.merge(moved_to, before)
    assert narratives.resolve(moved_to) == narratives.resolve(before) == survivor == before
    merges = [e for e in narratives.narrative(survivor).events if e["kind"] == "merge"]
    assert merges and merges[-1]["reason"] == "review"


def test_alert_events_say_what_the_latest_members_changed_in_the_stored_narrative(demo: Demo, demo_db: Path) -> None:
    """The members dated from 2023 taken as a watch cycle's news: the narrative, silent since 2021, re-emerges."""
    docs, _, truth = demo
    with SQLiteStore(demo_db) as store:
        (n1,) = [c for c in store.clusters("narrative") if {d for d in c.documents if truth[d]["narrative"]}]
        by_id = {d.id: d for d in docs}
        news = [by_id[d] for d in n1.documents if by_id[d].published and by_id[d].published.value >= "2023"]
        older = [by_id[d] for d in n1.documents if by_id[d] not in news]
        found = list(narrative_events(store, SourceRegistry.load(), news, {"growth_documents": 3}))
    assert news and older and all(e.narrative == n1.id and e.document in {d.id for d in news} for e in found)
    keys = [e.key for e in found]
    assert len(keys) == len(set(keys))
    back = sorted((e for e in found if e.event == "reemergence"), key=lambda e: e.key)
    last_before = max(d.published.value for d in older if d.published)
    assert back and back[0].evidence["previous"]["published"][:len(last_before)] == last_before
    assert all(e.evidence["dormant_days"] >= 180 for e in back)
    assert back[0].key == f"{n1.id}|reemergence|{by_id[back[0].document].published.value}"
    growth = {e.key.rsplit("|", 1)[1]: e.evidence for e in found if e.event == "growth"}
    weeks = {"{}-W{:02d}".format(*date.fromisoformat(d.published.value).isocalendar()[:2]) for d in news
             if len(d.published.value) == 10}
    assert "2023-W23" in growth and set(growth) <= weeks
    assert all(g["documents_in_window"] == 3 and g["window_days"] == 7 for g in growth.values())
    outlets_before = {d.outlet for d in older if d.outlet}
    new_outlets = {e.evidence["outlet"] for e in found if e.event == "new_outlet"}
    assert new_outlets and not new_outlets & outlets_before
    assert {e.evidence["language"] for e in found if e.event == "new_language"} == (
        {d.language for d in news} - {d.language for d in older})
