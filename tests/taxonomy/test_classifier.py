"""Labelling with the SemEval-2025 taxonomy: the seeds carry the discrediting-Ukraine and
blaming-the-West families, the fictional demo corpus carries none, each label with its evidence."""

from __future__ import annotations

import json

from narratrace.model import Document
from narratrace.taxonomy.classifier import from_state, to_state
from narratrace.taxonomy.stage import TaxonomyStage, labels_of, narrative_labels

DISCREDITING_UKRAINE = "URW: Discrediting Ukraine"
BLAMING_THE_WEST = {"URW: Blaming the war on others rather than the invader", "URW: Discrediting the West, Diplomacy"}


def test_the_seeds_carry_discrediting_ukraine_and_blaming_the_west(trained, seed_docs: dict[str, Document]) -> None:
    _, model = trained
    docs = list(seed_docs.values())
    TaxonomyStage([model])(docs)
    coarse = {seed: {l.label for l in labels_of(d) if l.level == "coarse"} for seed, d in seed_docs.items()}
    assert {DISCREDITING_UKRAINE, "URW: Blaming the war on others rather than the invader"} <= coarse["000"]
    assert sum(DISCREDITING_UKRAINE in labels for labels in coarse.values()) >= 3
    assert coarse["001"] & BLAMING_THE_WEST
    narrative = {l.label for l in narrative_labels("seeds", [l for d in docs for l in labels_of(d)])}
    assert DISCREDITING_UKRAINE in narrative and narrative & BLAMING_THE_WEST
    assert "Other" not in narrative


def test_labels_have_the_export_shape_and_evidence_sentences(trained, seed_docs: dict[str, Document]) -> None:
    taxonomy, model = trained
    doc = seed_docs["003"]
    [labels] = model.predict([doc])
    assert {"document", "taxonomy", "label", "level", "score", "evidence"} == set(labels[0].record())
    fine = [l for l in labels if l.level == "fine"]
    assert fine and all(taxonomy.parent[l.label] in {c.label for c in labels if c.level == "coarse"} for l in fine)
    for label in labels:
        assert label.taxonomy == "semeval2025-task10" and 0.0 <= label.score <= 1.0
        assert label.evidence
        for item in label.evidence:
            assert doc.text[item["start"] : item["end"]] == item["text"]
            assert item["weight"] > 0
    # The discrediting label quotes the taxonomy's own description of a sub-narrative beside the sentence.
    discrediting = next(l for l in labels if l.label == DISCREDITING_UKRAINE)
    assert all(item["description"] in taxonomy.descriptions_of(DISCREDITING_UKRAINE) for item in discrediting.evidence)


def test_the_fictional_river_narrative_is_no_narrative_of_the_taxonomy(trained, demo_docs: list[Document]) -> None:
    _, model = trained
    predicted = model.predict_labels(demo_docs)
    other = sum(coarse == ["Other"] for coarse, _ in predicted)
    assert other >= 0.9 * len(demo_docs)
    for doc, (coarse, fine) in zip(demo_docs, predicted, strict=True):
        if any(word in doc.text for word in ("tram", "festival", "manzana")):
            assert coarse == ["Other"] and fine == ["Other"]


def test_the_fitted_classifier_round_trips_through_json(trained, seed_docs: dict[str, Document]) -> None:
    _, model = trained
    restored = from_state(json.loads(json.dumps(to_state(model))))
    docs = list(seed_docs.values())
    assert restored.predict_labels(docs) == model.predict_labels(docs)
    assert [[l.record() for l in ls] for ls in restored.predict(docs)] == [[l.record() for l in ls] for ls in model.predict(docs)]
