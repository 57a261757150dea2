"""Importing a taxonomy in the SemEval-2025 Task 10 layout, the shared one and a hand-made one."""

from __future__ import annotations

from pathlib import Path

import pytest

from narratrace.taxonomy.classifier import samples_f1
from narratrace.taxonomy.semeval import TaxonomyError, import_semeval


def test_the_shared_taxonomy_imports_with_both_levels_descriptions_and_articles(semeval: Path) -> None:
    taxonomy, articles = import_semeval([semeval])
    assert len(taxonomy.coarse) == 22 and "Other" in taxonomy.coarse
    assert len(taxonomy.fine) == 96
    assert taxonomy.parent["URW: Discrediting Ukraine: Ukraine is associated with nazism"] == "URW: Discrediting Ukraine"
    assert taxonomy.parent["CC: Hidden plots by secret schemes of powerful groups: Blaming global elites"] == (
        "CC: Hidden plots by secret schemes of powerful groups")
    # Descriptions name narratives without their domain; "Ukraine’s" is written with two apostrophes.
    assert len(taxonomy.descriptions["URW: Discrediting Ukraine: Rewriting Ukraine’s history"]) == 6
    assert sum(map(len, taxonomy.descriptions.values())) >= 200
    assert len(articles) == 626
    first = next(a for a in articles if a.id == "EN_UA_104876.txt")
    assert first.coarse == ["Other"] and first.fine == ["Other"]
    assert all(a.coarse and a.fine for a in articles)
    for a in articles:
        assert {taxonomy.parent[f] for f in a.fine} <= set(a.coarse)


def test_a_hand_made_taxonomy_in_the_layout_imports(tmp_path: Path) -> None:
    (tmp_path / "coarse.csv").write_text('narrative\n"X: Blame"\n"Other"\n', encoding="utf-8")
    (tmp_path / "fine.csv").write_text('narrative\n"X: Blame: They did it"\n"X: Blame: Other"\n"Other"\n', encoding="utf-8")
    (tmp_path / "descriptions.tsv").write_text(
        "Narrative\tSubnarrative\tDescription\nBlame\tThey did it\tThey are behind the floods.\n", encoding="utf-8")
    (tmp_path / "articles.csv").write_text(
        'id,text,X: Blame,X: Blame: They did it,Other\na1,"They flooded us.",1,1,0\na2,"Nice weather.",0,0,1\n',
        encoding="utf-8")
    taxonomy, articles = import_semeval([tmp_path])
    assert taxonomy.coarse == ["X: Blame", "Other"]
    assert taxonomy.children("X: Blame") == ["X: Blame: They did it", "X: Blame: Other"]
    assert taxonomy.descriptions == {"X: Blame: They did it": ["They are behind the floods."]}
    assert [(a.id, a.coarse, a.fine) for a in articles] == [
        ("a1", ["X: Blame"], ["X: Blame: They did it"]), ("a2", ["Other"], ["Other"])]


def test_files_outside_the_layout_are_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="no such file"):
        import_semeval([tmp_path / "absent"])
    (tmp_path / "articles.csv").write_text("id,text,label\n1,hello,1\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="no label list"):
        import_semeval([tmp_path])
    (tmp_path / "coarse.csv").write_text('narrative\n"X: Blame"\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match="articles.csv"):
        import_semeval([tmp_path])


def test_samples_f1_is_the_mean_of_per_document_f1() -> None:
    assert samples_f1([["a", "b"], ["c"]], [["a"], ["c"]]) == pytest.approx((2 / 3 + 1) / 2)
    assert samples_f1([["a"]], [["b"]]) == 0.0
