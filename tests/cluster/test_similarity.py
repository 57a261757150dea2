"""Document similarity on real documents: the seeds' translation, and the demo corpus's stories."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from narratrace.cluster.similarity import Similarity, similarity
from narratrace.link.anchors import anchor_idf, document_frequency
from narratrace.link.fingerprints import fingerprint_of
from narratrace.model import Document, Link
from narratrace.pipeline import Pipeline
from narratrace.settings import Settings
from narratrace.store.sqlite import SQLiteStore

DEMO = Path(__file__).resolve().parents[2] / "demo"


def _ingested(db: Path, inputs: list[str], origins: dict[str, str]) -> tuple[dict[str, Document], list[Link]]:
    """The stored documents named by `origins` (key -> origin), as `similarity` receives them, and the links."""
    store = SQLiteStore(db)
    Pipeline(Settings(db=str(db))).ingest(inputs, store)
    docs = {}
    for key, origin in origins.items():
        doc = store.get(origin)
        assert doc is not None, origin
        doc.vectors = store.vectors_of(doc.id)
        doc.fingerprint = fingerprint_of(doc)
        docs[key] = doc
    links = store.links()
    store.close()
    return docs, links


def _link(links: list[Link], a: Document, b: Document) -> Link | None:
    return next((link for link in links if {link.a, link.b} == {a.id, b.id}), None)


@pytest.fixture(scope="module")
def seed_docs(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Document], list[Link]]:
    files = {path.name[:3]: str(path) for path in sorted(seeds.glob("*.txt"))}
    return _ingested(tmp_path_factory.mktemp("seeds") / "s.db", [str(seeds)], files)


@pytest.fixture(scope="module")
def demo_docs(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, Document], dict[str, str], list[Link]]:
    articles = json.loads((DEMO / "truth.json").read_text())["articles"]
    origins = {a["id"]: f"{DEMO}/{a['location']}" for a in articles}
    docs, links = _ingested(tmp_path_factory.mktemp("demo") / "d.db", [str(DEMO / "corpus")], origins)
    return docs, {a["id"]: a["story"] for a in articles}, links


def test_a_translation_scores_above_another_article_of_the_narrative(
    seed_docs: tuple[dict[str, Document], list[Link]],
) -> None:
    docs, links = seed_docs
    translation = similarity(docs["000"], docs["004"], link=_link(links, docs["000"], docs["004"]))
    other = similarity(docs["000"], docs["003"], link=_link(links, docs["000"], docs["003"]))
    assert docs["000"].language != docs["004"].language
    assert translation.score > other.score
    assert translation.evidence["aligned"], "a translation shows its aligned sentences"


def test_score_is_bounded_symmetric_and_explained(seed_docs: tuple[dict[str, Document], list[Link]]) -> None:
    a, b = seed_docs[0]["000"], seed_docs[0]["001"]
    forward, backward = similarity(a, b), similarity(b, a)
    assert isinstance(forward, Similarity)
    assert 0.0 <= forward.score <= 1.0
    assert forward.score == pytest.approx(backward.score, abs=1e-6)
    assert set(forward.evidence) >= {"components", "spaces", "shared_anchors", "aligned"}
    assert similarity(a, a).score >= forward.score


def test_same_story_pairs_score_above_different_story_pairs(
    demo_docs: tuple[dict[str, Document], dict[str, str], list[Link]],
) -> None:
    docs, story, links = demo_docs
    idf = anchor_idf(document_frequency(d.fingerprint.anchors for d in docs.values()), len(docs))
    same, different = [], []
    for x, y in combinations(sorted(docs), 2):
        if docs[x].id == docs[y].id:
            continue
        score = similarity(docs[x], docs[y], idf=idf, link=_link(links, docs[x], docs[y])).score
        (same if story[x] == story[y] else different).append(score)
    assert np.mean(same) > np.mean(different) + 0.1
    # Ranked by score, a document's nearest other document tells its story for most documents.
    hits = 0
    for x in docs:
        others = [y for y in docs if y != x and docs[y].id != docs[x].id]
        best = max(others, key=lambda y: similarity(docs[x], docs[y], idf=idf, link=_link(links, docs[x], docs[y])).score)
        hits += story[best] == story[x]
    assert hits >= 0.7 * len(docs)
