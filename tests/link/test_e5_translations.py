"""Translations between a language the fast encoder lacks (Icelandic) and English: only e5
compares them, and its cosines crowd together, so the verifier aligns centred vectors.
Real WMT21 is-en articles, both sides ingested as separate documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narratrace.pipeline import Pipeline
from narratrace.settings import Settings
from narratrace.store.sqlite import SQLiteStore
from narratrace.ingest.base import FieldMapping, ReadOptions

ARTICLES = 8


@pytest.fixture(scope="module")
def linked(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[SQLiteStore, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("is-en")
    corpus = tmp / "is-en.jsonl"
    sides: dict[str, str] = {}
    with (shared_data / "wmt21-parallel" / "newstest2021.is-en.docs.jsonl").open(encoding="utf-8") as fh, \
            corpus.open("w", encoding="utf-8") as out:
        for line in list(fh)[:ARTICLES]:
            record = json.loads(line)
            for side in ("src", "ref"):
                out.write(json.dumps({"text": "\n".join(record[f"{side}_segments"])}, ensure_ascii=False) + "\n")
                sides[f"{corpus}#{len(sides) + 1}"] = record["docid"]
    settings = Settings(db=str(tmp / "t.db"), read=ReadOptions(fields=FieldMapping(text="text")))
    store = SQLiteStore(settings.db)
    Pipeline(settings).ingest([str(corpus)], store)
    article = {store.get(origin).id: docid for origin, docid in sides.items()}
    return store, article


def test_icelandic_english_translations_link_and_nothing_else(linked) -> None:  # noqa: ANN001
    store, article = linked
    links = store.links()
    assert all(article[link.a] == article[link.b] for link in links)
    assert all(link.kind == "translation" and link.evidence["model"] == "e5-small" for link in links)
    assert len(links) >= ARTICLES - 1
    for link in links:
        assert min(link.coverage_a, link.coverage_b) >= 0.4
        assert link.evidence["longest_run"] >= 4
