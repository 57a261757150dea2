"""Search scoped to some documents, as the saved-search alert runs it on each new batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from narratrace import search as search_module
from narratrace.pipeline import Pipeline
from narratrace.search import search
from narratrace.settings import Settings
from narratrace.store.sqlite import SQLiteStore

DEMO = Path(__file__).resolve().parents[1] / "demo" / "corpus"
QUERY = "Project Nightwater leaked files"


def test_documents_searched_among_score_as_in_the_whole_store_however_many_rank_above(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    Pipeline(Settings(db=str(tmp_path / "s.db"))).ingest([str(DEMO / "html")], store)
    ranked = search(store, QUERY, top=100)
    assert len(ranked) == store.count() == 8
    last = ranked[-1]
    monkeypatch.setattr(search_module, "CANDIDATES", 2)
    assert last.id not in {hit.id for hit in search(store, QUERY, top=2)}
    [alone] = search(store, QUERY, top=5, among={last.id})
    assert alone.id == last.id and alone.semantic == pytest.approx(last.semantic)
    assert search(store, QUERY, among=set()) == []
