"""Linking end to end: the seeds' one translation, and every copy relation of the demo corpus
(ingested in steps by two pipelines, as a watcher and another process would)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narratrace.pipeline import Pipeline
from narratrace.settings import Settings
from narratrace.store.sqlite import SQLiteStore

DEMO = Path(__file__).resolve().parents[2] / "demo"


def _ingest(db: Path, *inputs: str) -> SQLiteStore:
    store = SQLiteStore(db)
    Pipeline(Settings(db=str(db))).ingest(list(inputs), store)
    return store


@pytest.fixture(scope="module")
def seeds_store(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    return _ingest(tmp_path_factory.mktemp("seeds") / "s.db", str(seeds))


def test_seeds_have_exactly_one_link_the_translation(seeds_store: SQLiteStore) -> None:
    links = seeds_store.links()
    assert len(links) == 1
    link = links[0]
    names = {seeds_store.get(link.a).origin[-40:][-24:-21], seeds_store.get(link.b).origin[-24:-21]}
    assert names == {"000", "004"}
    assert link.kind == "translation"
    source = link.a if seeds_store.get(link.a).language == "fr" else link.b
    assert link.direction == ("a->b" if source == link.a else "b->a")
    assert min(link.coverage_a, link.coverage_b) < 0.92 < max(link.coverage_a, link.coverage_b)


def test_the_dropped_paragraph_is_what_the_translation_lacks(seeds_store: SQLiteStore) -> None:
    link = seeds_store.links()[0]
    french = seeds_store.get(link.a if seeds_store.get(link.a).language == "fr" else link.b)
    dropped_key = "unaligned_a" if french.id == link.a else "unaligned_b"
    dropped = [french.sentence_text(french.sentences[i]) for i in link.evidence[dropped_key]]
    assert any("Casques blancs" in s for s in dropped)
    assert len(link.evidence["pairs"]) >= 10


def _truth() -> tuple[dict[str, dict], list[tuple[str, str]]]:
    articles = {a["id"]: a for a in json.loads((DEMO / "truth.json").read_text())["articles"]}
    pairs = [(a["id"], a[key]) for a in articles.values()
             for key in ("translation_of", "duplicate_of", "partial_copy_of") if a.get(key)]
    return articles, pairs


def _families(articles: dict[str, dict], pairs: list[tuple[str, str]]) -> dict[str, str]:
    parent = {a: a for a in articles}

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for x, y in pairs:
        parent[root(x)] = root(y)
    return {a: root(a) for a in articles}


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[SQLiteStore, dict[str, str]]:
    corpus = DEMO / "corpus"
    db = tmp_path_factory.mktemp("demo") / "d.db"
    store = SQLiteStore(db)
    # In steps, so each part is linked incrementally against the earlier ones. One pipeline keeps its
    # candidate index between runs, as a watcher's does; another pipeline, as another process would,
    # adds the HTML pages between two of its runs: the crawl's copy of a page is found only if the
    # kept index notices it is stale, the feed's copy only if the rebuilt one is kept right.
    watcher = Pipeline(Settings(db=str(db)))
    watcher.ingest([str(corpus / "text")], store)
    Pipeline(Settings(db=str(db))).ingest([str(corpus / "html")], store)
    for part in ("crawl", "feeds", ""):
        watcher.ingest([str(corpus / part)], store)
    articles, _ = _truth()
    ids = {}
    for key, article in articles.items():
        doc = store.get(f"{DEMO}/{article['location']}")
        assert doc is not None, article["location"]
        ids[key] = doc.id
    return store, ids


def test_demo_copies_are_all_linked_with_the_right_kind(demo_store) -> None:  # noqa: ANN001
    store, ids = demo_store
    articles, pairs = _truth()
    linked = {frozenset((x.a, x.b)): x for x in store.links()}
    for x, y in pairs:
        link = linked.get(frozenset((ids[x], ids[y])))
        assert link is not None, f"{x} and {y} are not linked"
        same = articles[x]["language"] == articles[y]["language"]
        assert link.kind == ("duplicate" if same else "translation"), (x, y)


def test_demo_links_never_join_different_articles(demo_store) -> None:  # noqa: ANN001
    store, ids = demo_store
    articles, pairs = _truth()
    family = _families(articles, pairs)
    by_id = {doc_id: key for key, doc_id in ids.items()}
    wrong = [(by_id[x.a], by_id[x.b]) for x in store.links() if family[by_id[x.a]] != family[by_id[x.b]]]
    assert wrong == []


def test_every_document_keeps_one_story_and_one_narrative_across_pipelines(demo_store) -> None:  # noqa: ANN001
    """The watcher-like pipeline keeps its clustering state between runs; the other pipeline's
    save in between must make it read the state back, or its next save drops those documents."""
    store, _ = demo_store
    stored = sorted(d.id for d in store.documents())
    for level in ("story", "narrative"):
        placed = [d for c in store.clusters(level) for d in c.documents]
        assert sorted(placed) == stored, level


def test_a_pass_keeping_its_state_stores_what_a_pass_reading_it_back_stores(demo_store, tmp_path: Path) -> None:  # noqa: ANN001
    """The watcher-like pipeline writes only the clusters its pass changed; a new pipeline per
    step reads the state back and rewrites every cluster. The tables must end the same."""
    store, _ = demo_store
    fresh = SQLiteStore(tmp_path / "fresh.db")
    for part in ("text", "html", "crawl", "feeds", ""):
        Pipeline(Settings(db=str(fresh.path))).ingest([str(DEMO / "corpus" / part)], fresh)
    for level in ("story", "narrative"):
        assert _rows(store, level) == _rows(fresh, level), level


def _rows(store: SQLiteStore, level: str) -> list[tuple]:
    return sorted((c.id, c.label, c.documents, c.first_seen, c.last_seen, c.languages, c.details,
                   dict(c.membership)) for c in store.clusters(level))


def test_relinking_changes_nothing(demo_store) -> None:  # noqa: ANN001
    store, _ = demo_store
    before = store.links()
    Pipeline(Settings(db=str(store.path))).ingest([str(DEMO / "corpus")], store)
    assert store.links() == before


def test_prefetched_neighbours_are_the_ones_asked_one_by_one(demo_store) -> None:  # noqa: ANN001
    """Linking asks the neighbours of a chunk of documents in one product; the answers must be
    those of asking each in turn, the chunk's earlier documents included."""
    from narratrace.enrich.embeddings import E5Encoder, UseEncoder, calibrate
    from narratrace.link.candidates import CandidateIndex
    from narratrace.link.linker import own_space

    store, _ = demo_store
    calibrators = {e.name: (lambda c, e=e: calibrate(e, c)) for e in (UseEncoder, E5Encoder)}  # type: ignore[misc]
    prints = list(store.fingerprints())
    vectors = {model: dict(zip(s.owners, s.matrix)) for model in (UseEncoder.name, E5Encoder.name)
               for s in [store.document_vectors(model)]}
    centroids = {doc_id: {own_space(language): vectors[own_space(language)][doc_id]}
                 for doc_id, language, _ in prints if doc_id in vectors[own_space(language)]}
    one_by_one, prefetched = CandidateIndex(), CandidateIndex()
    asked = found = 0
    for lo in range(0, len(prints), 7):
        chunk = prints[lo : lo + 7]
        prefetched.prefetch({doc_id: centroids.get(doc_id, {}) for doc_id, _, _ in chunk})
        for doc_id, _, fp in chunk:
            want = one_by_one.candidates(fp, centroids.get(doc_id, {}), calibrators)
            got = prefetched.candidates(fp, centroids.get(doc_id, {}), calibrators, asking=doc_id)
            assert {k: v.reasons for k, v in got.items()} == {k: v.reasons for k, v in want.items()}
            asked += 1
            found += sum(v.neighbour for v in want.values())
            for index in (one_by_one, prefetched):
                index.add(doc_id, fp, centroids.get(doc_id, {}))
    assert asked == len(prints) >= 25 and found >= 50


def test_a_pass_in_small_batches_places_as_one_batch(demo_store, tmp_path: Path,  # noqa: ANN001
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A pass reads, bridges and places its documents a batch at a time, so that 100k new
    documents are never all in memory; the batches must not change where any document goes."""
    import sqlite3

    from narratrace.cluster import run

    store, _ = demo_store
    copies = []
    for name in ("whole.db", "batched.db"):
        target = sqlite3.connect(tmp_path / name)
        sqlite3.connect(store.path).backup(target)
        for table in ("cluster_state", "clustered", "clusters", "cluster_members", "cluster_aliases", "cluster_items"):
            target.execute(f"DELETE FROM {table}")
        target.commit()
        target.close()
        copies.append(SQLiteStore(tmp_path / name))
    assert run.ClusterPass().run(copies[0]) == store.count()
    monkeypatch.setattr(run, "BATCH", 7)
    assert run.ClusterPass().run(copies[1]) == store.count()
    for level in ("story", "narrative"):
        assert _rows(copies[0], level) == _rows(copies[1], level), level
    assert len(_rows(copies[0], "story")) >= 5
