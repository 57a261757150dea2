"""What counts as check-worthy: factual assertions with something to look up, not questions,
opinions, calls to action or credit lines, in any language."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from narratrace.claims import extract_claims
from narratrace.enrich.sentences import split_sentences
from narratrace.model import Document


def doc(text: str, language: str) -> Document:
    d = Document(origin="test", text=text, language=language)
    d.sentences = split_sentences(text)
    return d


def claim_texts(text: str, language: str) -> list[str]:
    return [c.text for c in extract_claims(doc(text, language))]


@pytest.mark.parametrize(
    ("language", "claim", "not_claims"),
    [
        ("en", "The ministry said 340 tonnes of fish died near Merensk in August 2019.",
         ["Is the river really safe?", "I think this is a disgrace and we should act!", "Share this article with your friends."]),
        ("fr", "Selon l'agence VNA, 27 enfants ont été hospitalisés à Dolvany le 5 juin 2023.",
         ["Faut-il vraiment croire le gouvernement ?", "À mon avis, c'est scandaleux.", "Lire aussi : notre dossier complet."]),
        ("id", "Menurut kantor berita VNA, sekitar 15.000 orang berunjuk rasa di Tarvola pada 18 Juni 2024.",
         ["Apakah air sungai itu aman?", "Menurut saya, ini sangat memalukan.", "Baca juga: berita lainnya."]),
        ("de", "Laut der Nachrichtenagentur VNA verendeten rund 340 Tonnen Fisch bei Merensk.",
         ["Ist das Wasser wirklich sicher?", "Meiner Meinung nach ist das ein Skandal.", "Lesen Sie auch: Unser Dossier."]),
    ],
)
def test_assertions_pass_and_questions_opinions_calls_do_not(language: str, claim: str, not_claims: list[str]) -> None:
    text = "\n".join([claim, *not_claims])
    assert claim_texts(text, language) == [claim]


def test_claims_carry_span_score_and_the_features_that_made_them() -> None:
    text = "Title line\nSource : The Cradle\nThe army moved 90 fighters to the Al-Tanf base in 2022, a source told Sputnik."
    d = doc(text, "en")
    [claim] = extract_claims(d)
    assert text[claim.start : claim.end] == claim.text
    assert claim.text.startswith("The army moved 90 fighters")
    assert 0.5 <= claim.score <= 1.0
    assert {"quantities", "dates", "names", "attributed"} <= set(claim.evidence["features"])
    assert set(claim.record()) == {"id", "document", "text", "score", "start", "end", "group"}
    assert extract_claims(d)[0].id == claim.id


def test_a_language_without_markers_is_scored_on_numbers_names_and_form() -> None:
    claims = claim_texts("Kwa mujibu wa ripoti, watu 340 walikufa karibu na Merensk mwaka 2019.\nNini kinaendelea?", "sw")
    assert claims == ["Kwa mujibu wa ripoti, watu 340 walikufa karibu na Merensk mwaka 2019."]


def test_most_verified_claims_of_checkthat_pass(shared_data: Path) -> None:
    """Claims fact-checkers did check (Snopes, via CheckThat! 2020) mostly score as check-worthy:
    measured 0.80 on 2,000; the rest state no number, date or name (urban legends)."""
    path = shared_data / "clef2020-checkthat-task2" / "verified_claims.docs.tsv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))[1:]
    sample = random.Random(0).sample(rows, 500)
    passed = sum(bool(extract_claims(doc(row[1], "en"))) for row in sample)
    assert passed / len(sample) >= 0.75
