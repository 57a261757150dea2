"""Importing into a real SQLite store: languages, vectors, re-imports and interrupted imports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from narratrace.enrich.embeddings import use_encoder
from narratrace.factchecks.importer import (
    FactCheckImporter,
    Read,
    language_of,
    read_factchecks,
)
from narratrace.factchecks.records import FactCheck, FieldMap
from narratrace.store.sqlite import SQLiteStore


def test_every_valid_record_is_stored_with_its_language_and_one_vector_per_text(factcheck_db: Path) -> None:
    with SQLiteStore(factcheck_db) as store:
        stored = store.factchecks()
        vectors = store.factcheck_vectors("e5-small")
    assert len(stored) == 9
    languages = {fc.claim.split()[0]: fc.language for fc in stored}
    assert languages["Las"] == "es" and languages["Windräder"] == "de"
    assert languages["Les"] == "fr" and languages["Amerika"] == "id" and languages["The"] == "en"
    rows = {fc.id: vectors.owners.count(fc.id) for fc in stored}
    assert rows == {fc.id: len(fc.texts()) for fc in stored}
    assert vectors.matrix.shape == (sum(rows.values()), 384)
    assert vectors.matrix.dtype == np.float16
    norms = np.linalg.norm(vectors.matrix.astype(np.float32), axis=1)
    assert np.allclose(norms, 1.0, atol=0.01)


def test_reimporting_a_file_changes_nothing(factcheck_db: Path, fixtures: Path) -> None:
    with SQLiteStore(factcheck_db) as store:
        before = [fc.record() for fc in store.factchecks()]
        summary = FactCheckImporter(store, [use_encoder()]).run(
            read_factchecks(fixtures / "claimreview_list.json", FieldMap()))
        assert (summary.read, summary.new, summary.known, len(summary.rejected)) == (2, 0, 2, 6)
        assert [fc.record() for fc in store.factchecks()] == before


def test_a_declared_language_gives_way_to_the_text() -> None:
    case = FactCheck(id="x", origin="o", claim="The recent explosions in the munitions depot in Vinnitsa "
                        "were organized by the Ukrainian soldiers themselves to cover up their traces.",
                        declared_language="Russian")
    assert language_of(case) == "en"
    assert language_of(FactCheck(id="y", origin="o", claim="OK", declared_language="pt-BR")) == "pt"


def test_a_repeated_id_within_a_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("id,claim\n1,The first claim about bridges.\n1,Another claim with the same id.\n", encoding="utf-8")
    with SQLiteStore(tmp_path / "s.db") as store:
        summary = FactCheckImporter(store, [use_encoder()]).run(read_factchecks(path, FieldMap()))
        assert (summary.new, [r.reason for r in summary.rejected]) == (1, [f"id '1' repeats the record {path}#2"])
        assert store.factchecks()[0].claim == "The first claim about bridges."


def test_an_interrupted_import_keeps_its_whole_batches_and_resumes(tmp_path: Path, fixtures: Path) -> None:
    mapping = FieldMap(id="check_id", claim="statement", rating="verdict", url="link")

    def interrupted() -> Iterator[Read]:
        for item in read_factchecks(fixtures / "mapped.tsv", mapping):
            yield item
            if isinstance(item, FactCheck):
                raise KeyboardInterrupt

    with SQLiteStore(tmp_path / "s.db") as store:
        importer = FactCheckImporter(store, [use_encoder()], batch=1)
        with pytest.raises(KeyboardInterrupt):
            importer.run(interrupted())
        assert [fc.id for fc in store.factchecks()] == ["1"]
        summary = importer.run(read_factchecks(fixtures / "mapped.tsv", mapping))
        assert (summary.new, summary.known) == (1, 1)
        assert [fc.id for fc in store.factchecks()] == ["1", "5"]
