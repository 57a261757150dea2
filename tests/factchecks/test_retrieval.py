"""Hybrid retrieval over the fixture fact-checks, across languages, with its evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from narratrace.enrich.embeddings import encoders
from narratrace.factchecks.retrieval import FactCheckIndex
from narratrace.factchecks.text import clean_query
from narratrace.store.sqlite import SQLiteStore


@pytest.fixture(scope="module")
def index(factcheck_db: Path) -> FactCheckIndex:
    with SQLiteStore(factcheck_db) as store:
        return FactCheckIndex.from_store(store, encoders())


def test_a_french_post_finds_the_al_tanf_checks_in_three_languages(index: FactCheckIndex) -> None:
    [hits] = index.search(["Les Américains ont envoyé des combattants de Daech d'Al-Tanf se battre en Ukraine"], top=3)
    assert hits[0].factcheck.language == "fr"
    assert {h.factcheck.language for h in hits[1:]} == {"en", "id"}
    assert all("Tanf" in h.factcheck.claim for h in hits)
    best = hits[0]
    assert {"combattants", "Tanf", "Ukraine"} <= set(best.words)
    assert set(best.dense) == {"use-m3", "e5-small"}
    assert best.bm25 > 0 and best.bm25_share == 1.0
    assert 0 < hits[2].score < hits[1].score < best.score <= 1


def test_a_query_in_a_language_no_factcheck_shares_is_matched_by_meaning(index: FactCheckIndex) -> None:
    [hits] = index.search(["Wer alle 15 Minuten heißes Wasser trinkt, tötet das Coronavirus"], top=2)
    assert {h.factcheck.url for h in hits} == {
        "https://healthcheck.example.com/hot-water", "https://verifica.example.it/acqua-calda"}


def test_since_keeps_only_newer_dated_factchecks(index: FactCheckIndex) -> None:
    [hits] = index.search(["hot water kills the coronavirus"], top=20, since="2023-01-01")
    assert hits and all(h.factcheck.date and h.factcheck.date >= "2023-01-01" for h in hits)


def test_an_empty_database_answers_nothing(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "empty.db") as store:
        assert FactCheckIndex.from_store(store, encoders()).search(["anything"]) == [[]]


def test_a_pasted_tweet_keeps_its_claim_and_author_but_not_its_links_and_date() -> None:
    tweet = ("OMG! a bounty on @realDonaldTrump for killing Soleimani #FreeIran2020pic.twitter.com/uB3zOG5EKA "
             "https://t.co/zwLPPXniQh — M. Hanif Jazayeri (@HanifJazayeri) January 5, 2020")
    assert clean_query(tweet) == "OMG! a bounty on real Donald Trump for killing Soleimani Free Iran 2020 M. Hanif Jazayeri"
    assert clean_query("write to a@b.com, not #") == "write to a@b.com, not #"
