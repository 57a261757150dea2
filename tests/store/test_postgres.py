"""The PostgreSQL store against a real server (see conftest.py), and the behaviour both stores share.

Tests taking the `store` fixture run once on SQLite and once on PostgreSQL: they are
the protocol's contract. The others exercise what only a server has: language-aware
full-text search, pgvector and its fallback, concurrent writers, migrations under a
lock, and the command line on a `postgresql://` URL.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import numpy as np
import psycopg
import pytest

from narratrace.factchecks.records import FactCheck, FactCheckMatch
from narratrace.model import (
    Cluster,
    Document,
    Fingerprint,
    Link,
    Published,
    Sentence,
    Vectors,
)
from narratrace.provenance.citations import Citation
from narratrace.store import StoreError, open_store
from narratrace.store import postgres as pg_module
from narratrace.store.base import Store
from narratrace.store.pg_migrations import MIGRATIONS
from narratrace.store.postgres import PostgresStore


def _doc(text: str, origin: str, language: str | None = "fr", vector: np.ndarray | None = None) -> Document:
    doc = Document(origin=origin, text=text, title=text.split(".")[0], language=language,
                   published=Published("2021-03", "month", "line 1: 'date 2021-03'"))
    doc.sentences = [Sentence(0, text.index(".") + 1, 0)]
    matrix = np.eye(2, 4, dtype=np.float16)[:1] if vector is None else vector.reshape(1, -1).astype(np.float16)
    doc.vectors["m"] = Vectors("m", matrix, [0])
    return doc


def _link(a: str, b: str, score: float = 0.9) -> Link:
    return Link(a, b, "translation", score, 0.8, 0.95, "a->b",
                {"pairs": [[0, 0, 0.91]], "note": "évidence"})


# The contract, on both stores.


def test_roundtrip_keeps_every_field(store: Store) -> None:
    doc = _doc("Le fleuve Ostra charrie des poissons morts. Suite.", "a.txt")
    doc.url, doc.outlet, doc.meta = "https://example.org/a", "Le Monde", {"feed": "x", "n": 2}
    doc.fingerprint = Fingerprint(np.array([1, 2**63 + 5], dtype=np.uint64), frozenset({"Ostra", "2021"}))
    doc.citations = [Citation("Sputnik", "Sputnik", "according_to", False, "selon Sputnik", 3, 10, 0.9)]
    store.add_documents([doc])
    back = store.get("a.txt")
    assert back is not None and back.id == doc.id and store.get(doc.id).id == doc.id
    assert (back.title, back.language, back.published, back.url, back.outlet, back.meta) == (
        doc.title, "fr", doc.published, doc.url, doc.outlet, doc.meta)
    assert back.sentences == doc.sentences
    assert back.sentence_text(back.sentences[0]) == "Le fleuve Ostra charrie des poissons morts."
    vec = store.vectors_of(doc.id)["m"]
    assert vec.rows == [0] and vec.matrix.shape == (1, 4)
    [(doc_id, language, fingerprint)] = list(store.fingerprints())
    assert (doc_id, language, fingerprint.anchors) == (doc.id, "fr", doc.fingerprint.anchors)
    assert fingerprint.minhash.tolist() == [1, 2**63 + 5]
    assert store.citations(doc.id) == [(doc.id, doc.citations[0])] == store.citations()
    assert store.get("missing") is None
    assert store.integrity() == "ok"


def test_same_text_twice_is_one_row_and_both_origins_resolve(store: Store) -> None:
    first, again = _doc("Une seule et même dépêche. Fin.", "one.txt"), _doc("Une seule et même dépêche. Fin.", "again")
    first.fingerprint = again.fingerprint = Fingerprint(np.arange(4, dtype=np.uint64), frozenset({"x"}))
    store.add_documents([first, again])
    store.add_documents([_doc("Une  seule et même DÉPÊCHE. Fin.", "two.txt")])
    store.add_origins([("two.txt", first.id)])
    assert store.count() == 1
    assert store.get("two.txt").id == first.id
    assert store.known([first.id, "nope"]) == {first.id} and store.known([]) == set()
    assert len(list(store.fingerprints())) == 1


def test_fingerprints_of_chosen_documents_come_in_ingestion_order(store: Store) -> None:
    docs = [_doc(f"Dépêche numéro {i}. Fin.", f"{i}.txt") for i in range(5)]
    for i, doc in enumerate(docs):
        doc.fingerprint = Fingerprint(np.full(4, i, dtype=np.uint64), frozenset({f"anchor {i}"}))
    store.add_documents(docs)
    asked = [docs[3].id, "missing", docs[1].id]
    assert [(i, set(fp.anchors)) for i, _, fp in store.fingerprints(asked)] == [
        (docs[1].id, {"anchor 1"}), (docs[3].id, {"anchor 3"})]
    assert list(store.fingerprints([])) == []
    assert [i for i, _, _ in store.fingerprints()] == [d.id for d in docs]


def test_keyword_search_and_language_filter(store: Store) -> None:
    store.add_documents([
        _doc("Merensk ferme son usine. Fin.", "fr.txt", "fr"),
        _doc("Merensk closes its plant. End.", "en.txt", "en"),
        _doc("Nothing related here. End.", "x.txt", "en"),
    ])
    fr, en = store.get("fr.txt").id, store.get("en.txt").id
    assert {h.id for h in store.keyword_search("merensk", 10)} == {fr, en}
    assert [h.id for h in store.keyword_search('merensk" OR *', 10, "en")] == [en]
    assert store.keyword_search("!!!", 10) == []
    [hit] = store.keyword_search("usine", 10)
    assert hit.id == fr and hit.score > 0
    assert len(store.keyword_search("merensk", 1)) == 1
    both = store.keyword_search("merensk usine", 10)
    assert [h.id for h in both] == [fr, en] and both[0].score > both[1].score > 0


def test_documents_stream_in_ingestion_order_with_a_language_filter(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pg_module, "PAGE", 2)
    docs = [_doc(f"Article numéro {i}. Fin.", f"{i}.txt", "fr" if i % 2 else "en") for i in range(7)]
    for doc in docs:
        store.add_documents([doc])
    assert [d.id for d in store.documents()] == [d.id for d in docs]
    assert [d.id for d in store.documents("fr")] == [d.id for d in docs if d.language == "fr"]
    assert [d.id for d in store.documents(after=docs[2].id)] == [d.id for d in docs[3:]]
    assert [d.id for d in store.documents("fr", after=docs[2].id)] == [d.id for d in docs[3:] if d.language == "fr"]
    assert [d.id for d in store.documents(newest_first=True)] == [d.id for d in reversed(docs)]
    assert [d.id for d in store.documents(after=docs[4].id, newest_first=True)] == [d.id for d in reversed(docs[:4])]
    with pytest.raises(KeyError):
        next(store.documents(after="no such document"))
    assert store.unlinked() == [d.id for d in docs]


def test_links_are_upserted_and_linking_resumes(store: Store) -> None:
    a, b, c = (_doc(f"Texte {n}. Fin.", f"{n}.txt") for n in "abc")
    store.add_documents([a, b, c])
    store.add_links([_link(a.id, b.id, 0.5)], [a.id])
    store.add_links([_link(a.id, b.id, 0.9), _link(b.id, c.id)], [a.id, b.id])
    assert [(x.a, x.b, x.score) for x in store.links()] == sorted(
        [(a.id, b.id, 0.9), (b.id, c.id, 0.9)])
    assert store.links(c.id) == [_link(b.id, c.id)]
    assert store.links_of([c.id]) == [_link(b.id, c.id)]
    assert [(x.a, x.b) for x in store.links_of([c.id, a.id, b.id])] == sorted([(a.id, b.id), (b.id, c.id)])
    assert store.links_of([]) == [] == store.links_of([a.id, c.id], within=True)
    assert store.links_of([c.id, b.id], within=True) == [_link(b.id, c.id)]
    assert store.count_links() == 2
    assert store.unlinked() == [c.id]


def test_vector_rows_are_replaced_centroids_kept_and_stacked_per_model_and_language(store: Store) -> None:
    fr = _doc("Un. Fin.", "fr.txt", "fr", np.array([1, 0, 0, 0]))
    en = _doc("One. End.", "en.txt", "en", np.array([0, 1, 0, 0]))
    store.add_documents([fr, en])
    store.put_vectors([(fr.id, Vectors("m", np.array([[0, 0, 3, 4]], dtype=np.float16), [0])),
                       (fr.id, Vectors("other", np.ones((2, 3), dtype=np.float16), [0, 1]))])
    stacked = store.document_vectors("m")
    assert stacked.owners == sorted([fr.id, en.id]) and stacked.matrix.dtype == np.float16
    # Rows encoded later replace the stored ones; the ingest centroid stays, so neighbours do not move.
    assert np.allclose(stacked.matrix[stacked.owners.index(fr.id)], [1, 0, 0, 0], atol=1e-3)
    assert np.allclose(store.vectors_of(fr.id)["m"].matrix, [[0, 0, 3, 4]])
    assert np.allclose(store.document_vectors("other").matrix, [np.ones(3) / np.sqrt(3)], atol=1e-3)
    only_en = store.document_vectors("m", "en")
    assert only_en.owners == [en.id] and only_en.matrix.shape == (1, 4)
    assert store.document_vectors("absent").owners == []
    assert set(store.vectors_of(fr.id)) == {"m", "other"}


def test_stats_count_per_language_outlet_and_month(store: Store) -> None:
    docs = [_doc("A. Fin.", "a", "fr"), _doc("B. Fin.", "b", "fr"), _doc("C. End.", "c", None)]
    docs[0].outlet = "Zeta"
    docs[2].published = None
    store.add_documents(docs)
    assert store.stats() == {
        "language": [("fr", 2), ("?", 1)],
        "outlet": [("?", 2), ("Zeta", 1)],
        "month": [("2021-03", 2), ("?", 1)],
    }


def test_rejections_and_source_files(store: Store) -> None:
    store.record_rejections([("bad.bin", "binary file")])
    store.add_source_file("reg.json", False, "{}")
    store.add_source_file("reg.csv", True, "name\nX\n")
    store.add_source_file("reg.json", False, '{"a": 1}')
    assert sorted(store.source_files()) == [("reg.csv", True, "name\nX\n"), ("reg.json", False, '{"a": 1}')]


def test_factchecks_are_added_once_and_keep_their_vector_rows(store: Store) -> None:
    one = FactCheck(id="fc-1", claim="Claim one", origin="f.json", title="Title one",
                    vectors={"m": np.ones((2, 3), dtype=np.float32)})
    two = FactCheck(id="fc-0", claim="Claim two", origin="f.json", vectors={"m": np.zeros((1, 3))})
    assert store.add_factchecks([one, two]) == 2
    assert store.add_factchecks([one]) == 0
    assert store.known_factchecks(["fc-1", "fc-9"]) == {"fc-1"}
    assert store.count_factchecks() == 2
    assert [f.id for f in store.factchecks()] == ["fc-1", "fc-0"]
    assert store.factchecks()[0].title == "Title one" and store.factchecks()[0].vectors == {}
    stacked = store.factcheck_vectors("m")
    assert stacked.owners == ["fc-1", "fc-1", "fc-0"] and stacked.matrix.shape == (3, 3)


def test_a_reviewed_match_keeps_its_state_when_matching_runs_again(store: Store) -> None:
    doc = _doc("Le fleuve Ostra charrie des poissons morts. Suite.", "a.txt")
    store.add_documents([doc])
    store.add_factchecks([FactCheck(id=f"fc-{i}", claim=f"Claim {i}", origin="f.json") for i in range(2)])
    first = [FactCheckMatch("c1", "fc-0", doc.id, 0.7, evidence={"bm25": 3.5, "terms": ["ostra"]}),
             FactCheckMatch("c1", "fc-1", doc.id, 0.9), FactCheckMatch("c2", "fc-0", doc.id, 0.5)]
    assert store.add_matches(first) == 3
    assert [(m.claim, m.factcheck) for m in store.matches()] == [("c1", "fc-1"), ("c1", "fc-0"), ("c2", "fc-0")]
    assert store.matches()[1].evidence == {"bm25": 3.5, "terms": ["ostra"]}
    assert store.review_match("c1", "fc-0", "confirmed") and not store.review_match("c9", "fc-0", "rejected")
    assert store.add_matches([FactCheckMatch("c1", "fc-0", doc.id, 0.8, evidence={"bm25": 4.0})]) == 0
    kept = store.matches(state="confirmed")
    assert [(m.claim, m.score, m.state, m.evidence) for m in kept] == [("c1", 0.8, "confirmed", {"bm25": 4.0})]
    assert len(store.matches(document=doc.id)) == 3 and store.matches(document="nope") == []


def test_meta_updates_and_taxonomies(store: Store) -> None:
    doc = _doc("Le fleuve Ostra charrie des poissons morts. Suite.", "a.txt")
    doc.meta["claims"] = [{"id": "c1"}]
    store.add_documents([doc])
    store.update_meta([(doc.id, "labels", [{"label": "URW: Amplifying war-related fears", "score": 0.6}])])
    assert store.get(doc.id).meta == {"claims": [{"id": "c1"}],
                                      "labels": [{"label": "URW: Amplifying war-related fears", "score": 0.6}]}
    store.update_meta([(doc.id, "labels", [])])
    assert store.get(doc.id).meta["labels"] == []
    store.save_taxonomy("semeval", {"labels": ["A"]})
    store.save_taxonomy("other", {"labels": []})
    store.save_taxonomy("semeval", {"labels": ["A", "B"]})
    assert sorted(store.taxonomies()) == [("other", {"labels": []}), ("semeval", {"labels": ["A", "B"]})]


def test_cluster_passes_replace_levels_keep_state_and_resolve_merged_ids(store: Store) -> None:
    dated, undated, late = (_doc(f"Texte {n}. Fin.", f"{n}.txt") for n in "abc")
    undated.published = None
    late.published = Published("2023-01-02", "day", "x")
    store.add_documents([dated, undated, late])
    assert store.cluster_state("online") is None and store.unclustered() == [dated.id, undated.id, late.id]
    assert store.published_of([late.id, undated.id, "absent"]) == {late.id: "2023-01-02", undated.id: None}

    def story(cid: str, first: str | None, docs: list[Document]) -> Cluster:
        return Cluster("story", cid, f"label {cid}", [d.id for d in docs], first, None, ["fr"], {"events": [1]},
                       {d.id: {"score": 0.5, "evidence": {"why": cid}} for d in docs})

    assert store.cluster_state_version("online") is None
    store.save_clusters("online", {"k": 1}, {"centroids": np.eye(2, dtype=np.float32)},
                        [story("s1", "2021-03", [dated]), story("s2", "2021-01", [late])], [], [dated.id, late.id])
    assert store.cluster_state_version("online") == 0
    store.save_clusters("online", {"k": 2}, {"centroids": np.ones((1, 2))},
                        [story("s3", "2021-03", [late, undated, dated]), story("s0", None, [])],
                        [("story", "s1", "s3"), ("story", "s2", "s1")], [dated.id, late.id, undated.id])
    assert store.cluster_state_version("online") == 1
    meta, arrays = store.cluster_state("online")
    assert meta == {"k": 2} and arrays["centroids"].tolist() == [[1.0, 1.0]]
    assert [c.id for c in store.clusters("story")] == ["s0", "s3"]
    [merged] = store.clusters("story", ["s2"])
    assert store.resolve_cluster("story", "s2") == "s3" == merged.id
    assert merged.documents == [undated.id, dated.id, late.id]
    assert merged.membership[late.id] == {"score": 0.5, "evidence": {"why": "s3"}}
    assert (merged.label, merged.first_seen, merged.languages, merged.details) == (
        "label s3", "2021-03", ["fr"], {"events": [1]})
    assert store.clusters("narrative") == [] and store.clusters("story", []) == []
    assert store.unclustered() == []


def test_a_cluster_pass_can_replace_only_the_clusters_it_changed(store: Store) -> None:
    a, b, c = (_doc(f"Texte {n}. Fin.", f"{n}.txt") for n in "abc")
    store.add_documents([a, b, c])

    def cluster(level: str, cid: str, docs: list[Document], label: str = "") -> Cluster:
        return Cluster(level, cid, label or cid, [d.id for d in docs], None, None, ["fr"], {},
                       {d.id: {"score": 0.5, "evidence": {"in": cid}} for d in docs})

    store.save_clusters("online", {}, {}, [cluster("story", "s1", [a]), cluster("story", "s2", [b]),
                                           cluster("story", "s3", [c]), cluster("narrative", "n1", [a, b, c])],
                        [], [a.id, b.id, c.id])
    # b leaves s2 (gone) for s1; s3 and the narrative are untouched and passed as nothing.
    store.save_clusters("online", {}, {}, [cluster("story", "s1", [a, b], "grown")], [("story", "s2", "s1")], [],
                        gone=[("story", "s2")])
    assert [(x.id, x.label, x.documents) for x in store.clusters("story")] == [
        ("s1", "grown", [a.id, b.id]), ("s3", "s3", [c.id])]
    [grown] = store.clusters("story", ["s2"])
    assert grown.membership[b.id] == {"score": 0.5, "evidence": {"in": "s1"}}
    assert [x.documents for x in store.clusters("narrative")] == [[a.id, b.id, c.id]]


def test_clustering_state_items_are_replaced_deleted_or_replaced_all_together(store: Store) -> None:
    assert store.cluster_items("online") == []
    store.save_clusters("online", {"k": 1}, {}, [], [], [], items=[
        ("s/member", "a", '{"g": 1}', b"\x00\x01"), ("s/group", "g", "{}", b"")])
    store.save_clusters("online", {"k": 2}, {}, [], [], [], items=[
        ("s/group", "g", None, b""), ("s/member", "a", '{"g": 2}', b"\x02"), ("n/member", "a", "{}", b"")])
    assert sorted(store.cluster_items("online")) == [("n/member", "a", "{}", b""), ("s/member", "a", '{"g": 2}', b"\x02")]
    store.save_clusters("online", {"k": 3}, {}, [], [], [], items=[("s/member", "b", "{}", b"\xff")],
                        replace_items=True)
    assert store.cluster_items("online") == [("s/member", "b", "{}", b"\xff")]
    assert store.cluster_state("online")[0] == {"k": 3} and store.cluster_state_version("online") == 2


# PostgreSQL only.


def test_schema_is_versioned_and_newer_databases_are_refused(pg_url: str) -> None:
    PostgresStore(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        assert conn.execute("SELECT max(version), count(*) FROM schema_version").fetchone() == (
            len(MIGRATIONS), len(MIGRATIONS))
        conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (len(MIGRATIONS) + 1,))
    with pytest.raises(RuntimeError, match="newer"):
        PostgresStore(pg_url)


def test_concurrent_opens_of_a_new_database_migrate_it_once(pg_url: str) -> None:
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            PostgresStore(pg_url).close()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)


def test_full_text_search_stems_each_document_in_its_own_language(pg_url: str) -> None:
    with PostgresStore(pg_url) as store:
        store.add_documents([
            _doc("Les usines de Merensk ferment. Fin.", "fr.txt", "fr"),
            _doc("Merensk is closing factories. End.", "en.txt", "en"),
            _doc("Pabrik Merensk ditutup. Selesai.", "id.txt", "id"),
            _doc("Merensk zavody. Konec.", "xx.txt", "xx"),
        ])
        ids = {name: store.get(f"{name}.txt").id for name in ("fr", "en", "id", "xx")}
        assert [h.id for h in store.keyword_search("usine", 10)] == [ids["fr"]]
        assert [h.id for h in store.keyword_search("factory closes", 10)] == [ids["en"]]
        assert [h.id for h in store.keyword_search("zavody", 10)] == [ids["xx"]]
        assert {h.id for h in store.keyword_search("Merensk", 10)} == set(ids.values())
        assert [h.id for h in store.keyword_search("merensk", 10, "id")] == [ids["id"]]
    with psycopg.connect(pg_url) as conn:
        configs = dict(conn.execute("SELECT language, fts_config::text FROM documents").fetchall())
    assert configs == {"fr": "french", "en": "english", "id": "indonesian", "xx": "simple"}


def _random_documents(n: int, dim: int, seed: int) -> list[Document]:
    rng = np.random.default_rng(seed)
    return [_doc(f"Document {i}. Fin.", f"{i}.txt", ("fr", "en", "id")[i % 3], rng.normal(size=dim))
            for i in range(n)]


def test_pgvector_and_the_numpy_fallback_find_the_same_neighbours(new_pg_database: Callable[[], str]) -> None:
    with_index = PostgresStore(new_pg_database())
    fallback = PostgresStore(new_pg_database(), pgvector=False)
    assert (with_index.pgvector, fallback.pgvector) == (True, False)
    docs = _random_documents(300, 48, seed=7)
    for store in (with_index, fallback):
        for lo in range(0, len(docs), 64):
            store.add_documents(docs[lo : lo + 64])
        assert store.integrity() == "ok"
    with psycopg.connect(with_index.url, autocommit=True) as conn:
        conn.execute("ANALYZE vectors")  # what autovacuum does soon after a load; the planner costs HNSW with it
    queries = np.random.default_rng(8).normal(size=(15, 48))
    for query in queries:
        for language in (None, "id"):
            expected = fallback.nearest("m", query, 10, language)
            got = with_index.nearest("m", query, 10, language)
            assert [i for i, _ in got] == [i for i, _ in expected]
            assert np.allclose([s for _, s in got], [s for _, s in expected], atol=1e-4)
            assert len(got) == 10 and all(a[1] >= b[1] for a, b in pairwise(got))
    assert fallback.nearest("absent", queries[0], 5) == [] == with_index.nearest("absent", queries[0], 5)
    url = with_index.url
    with_index.close()
    fallback.close()
    with psycopg.connect(url, autocommit=True) as conn:
        deadline = time.monotonic() + 20
        while (scans := conn.execute(
            "SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes WHERE indexrelname LIKE %s",
            ("vectors_hnsw_%",)).fetchone()[0]) < len(queries) and time.monotonic() < deadline:
            time.sleep(0.2)
            conn.execute("SELECT pg_stat_clear_snapshot()")
    assert scans >= len(queries), "the unfiltered queries did not use the HNSW index"


def test_integrity_names_an_orphan(pg_url: str) -> None:
    with PostgresStore(pg_url) as store:
        store.add_documents([_doc("Texte. Fin.", "a.txt")])
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("ALTER TABLE origins DROP CONSTRAINT origins_document_fkey")
            conn.execute("INSERT INTO origins VALUES ('lost.txt', 'no-such-document')")
        assert store.integrity() == "origins row pointing to a missing document: no-such-document"


def test_a_batch_that_fails_midway_leaves_nothing(pg_url: str) -> None:
    with PostgresStore(pg_url) as store:
        store.add_documents([_doc("Premier. Fin.", "first.txt", vector=np.ones(4))])
        good = _doc("Bon texte. Fin.", "good.txt", vector=np.ones(4))
        bad = _doc("Mauvais texte. Fin.", "bad.txt", vector=np.ones(3))
        # The model's HNSW index fixed its dimension at 4: the second document's vectors fail on the server.
        with pytest.raises(psycopg.errors.DataException, match="dimensions"):
            store.add_documents([good, bad])
        assert store.count() == 1 and store.get("good.txt") is None
        store.add_documents([good])
        assert store.count() == 2 and store.integrity() == "ok"


_WRITER = """
import sys, time
from pathlib import Path
import numpy as np
from narratrace.model import Document, Link, Sentence, Vectors
from narratrace.store.postgres import PostgresStore

url, first, last, step, tag, flags = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], Path(sys.argv[6])
docs = []
for i in range(first, last)[::step]:
    doc = Document(origin=f"{tag}/{i}.txt", text=f"Dépêche numéro {i}. Fin.", language="fr")
    doc.sentences = [Sentence(0, doc.text.index(".") + 1, 0)]
    doc.vectors["m"] = Vectors("m", np.random.default_rng(i).normal(size=(1, 16)).astype(np.float16), [0])
    docs.append(doc)
store = PostgresStore(url)
(flags / f"{tag}.ready").touch()
while not (flags / "go").exists():
    time.sleep(0.01)
for lo in range(0, len(docs), 7):
    batch = docs[lo : lo + 7]
    store.add_documents(batch)
    ids = sorted(d.id for d in batch)
    store.add_links([Link(a, b, "duplicate", 0.5, 1.0, 1.0, None, {"by": tag}) for a, b in zip(ids, ids[1:])], ids)
store.close()
"""


def test_concurrent_writers_with_overlapping_inputs_store_each_document_once(pg_url: str, tmp_path: Path) -> None:
    plans = {"p1": (0, 300, 1), "p2": (100, 400, -1), "p3": (50, 350, 1), "p4": (0, 400, -1)}
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, pg_url, str(a), str(b), str(step), tag, str(tmp_path)],
                              stderr=subprocess.PIPE, text=True)
             for tag, (a, b, step) in plans.items()]
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"{tag}.ready").exists() for tag in plans) and time.monotonic() < deadline:
        assert all(p.poll() is None for p in procs), [p.stderr.read() for p in procs if p.poll() is not None]
        time.sleep(0.05)
    (tmp_path / "go").touch()
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    with PostgresStore(pg_url) as store:
        assert store.count() == 400 == len({d.id for d in store.documents()})
        assert store.integrity() == "ok"
        assert store.document_vectors("m").matrix.shape == (400, 16)
        assert store.unlinked() == []
        for tag, (a, b, _) in plans.items():
            assert all(store.get(f"{tag}/{i}.txt") is not None for i in range(a, b))
        assert len({(x.a, x.b) for x in store.links()}) == len(store.links())
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM origins").fetchone()[0] == sum(b - a for a, b, _ in plans.values())


def test_unreachable_server_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"cannot connect to PostgreSQL at 127\.0\.0\.1:1/x: .*refused"):
        open_store("postgresql://someone:secret@127.0.0.1:1/x")
    proc = subprocess.run([sys.executable, "-m", "narratrace.cli", "stats", "--db", "postgres://someone:secret@127.0.0.1:1/x"],
                          check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "cannot connect to PostgreSQL" in proc.stderr
    assert "secret" not in proc.stderr


def _narratrace(*args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "narratrace.cli", *args],
                          check=False, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_cli_on_postgres_stores_and_exports_what_sqlite_does(seeds: Path, pg_url: str, tmp_path: Path) -> None:
    if not seeds.is_dir():
        pytest.skip(f"{seeds} absent: the seed corpus lives in the shared data beside the checkout")
    sqlite_db = str(tmp_path / "seeds.db")
    for db in (sqlite_db, pg_url):
        assert "new 5" in _narratrace("ingest", str(seeds), "--db", db, "--quiet").stdout
    exports = [json.loads(_narratrace("export", "--db", db, "--format", "json").stdout) for db in (sqlite_db, pg_url)]
    assert len(exports[0]["documents"]) == 5 and len(exports[0]["links"]) >= 1
    for table in exports[0]:
        assert exports[1][table] == exports[0][table], table
    again = _narratrace("ingest", str(seeds), "--db", pg_url, "--quiet").stdout
    assert "new 0, duplicate of stored 5" in again
    assert json.loads(_narratrace("export", "--db", pg_url, "--format", "json").stdout) == exports[1]
