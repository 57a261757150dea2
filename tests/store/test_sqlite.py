from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from narratrace.model import Document, Published, Sentence, Vectors
from narratrace.store import open_store
from narratrace.store.migrations import MIGRATIONS
from narratrace.store.sqlite import SQLiteStore


def _doc(text: str, origin: str, language: str = "fr") -> Document:
    doc = Document(origin=origin, text=text, title=text.split(".")[0], language=language,
                   published=Published("2021-03", "month", "line 1: 'date 2021-03'"))
    doc.sentences = [Sentence(0, text.index(".") + 1, 0)]
    doc.vectors["m"] = Vectors("m", np.eye(2, 4, dtype=np.float16)[:1], [0])
    return doc


def test_roundtrip_keeps_every_field(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "a.db") as store:
        doc = _doc("Le fleuve Ostra charrie des poissons morts. Suite.", "a.txt")
        store.add_documents([doc])
        back = store.get("a.txt")
        assert back is not None and back.id == doc.id
        assert (back.title, back.language, back.published) == (doc.title, "fr", doc.published)
        assert back.sentences == doc.sentences
        assert back.sentence_text(back.sentences[0]) == "Le fleuve Ostra charrie des poissons morts."
        vec = store.vectors_of(doc.id)["m"]
        assert vec.rows == [0] and vec.matrix.shape == (1, 4)


def test_same_text_twice_is_one_row_and_both_origins_resolve(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "a.db") as store:
        first = _doc("Une seule et même dépêche. Fin.", "one.txt")
        store.add_documents([first])
        store.add_documents([_doc("Une  seule et même DÉPÊCHE. Fin.", "two.txt")])
        store.add_origins([("two.txt", first.id)])
        assert store.count() == 1
        assert store.get("two.txt").id == first.id


def test_keyword_search_and_language_filter(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "a.db") as store:
        store.add_documents([
            _doc("Merensk ferme son usine. Fin.", "fr.txt", "fr"),
            _doc("Merensk closes its plant. End.", "en.txt", "en"),
            _doc("Nothing related here. End.", "x.txt", "en"),
        ])
        assert {h.id for h in store.keyword_search("merensk", 10)} == {
            store.get("fr.txt").id, store.get("en.txt").id}
        assert [h.id for h in store.keyword_search('merensk" OR *', 10, "en")] == [store.get("en.txt").id]
        assert store.keyword_search("!!!", 10) == []


def test_schema_is_versioned_and_newer_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer"):
        SQLiteStore(path)


def test_sqlite_urls_open_the_file_store(tmp_path: Path) -> None:
    assert open_store(f"sqlite:///{tmp_path}/b.db").count() == 0
