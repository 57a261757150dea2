"""Issue 6, acceptance 3: the seeds' claims (the transfer of ISIS fighters to Al-Tanf, their
recruitment for Ukraine) are extracted from 000, 001 and 004 and grouped across French and Indonesian."""

from __future__ import annotations

from collections import defaultdict

from narratrace.claims import claims_of
from narratrace.model import Document


def test_claims_are_extracted_from_the_three_seeds(seed_docs: dict[str, Document]) -> None:
    texts = {seed: [c.text for c in claims_of(seed_docs[seed])] for seed in ("000", "001", "004")}
    assert all(len(claims) >= 5 for claims in texts.values())
    # The transfer to Al-Tanf, in French and Indonesian.
    assert any("Al-Tanf" in t and "transfère" in t for t in texts["000"])
    assert any("Al-Tanf" in t and "memindahkan" in t for t in texts["004"])
    # The recruitment for Ukraine, in all three.
    assert any("recruter" in t for t in texts["000"])
    assert any("recruter" in t and "ukrainiennes" in t for t in texts["001"])
    assert any("merekrut" in t for t in texts["004"])


def test_credit_lines_and_link_boxes_are_not_claims(seed_docs: dict[str, Document]) -> None:
    texts = {c.text for d in seed_docs.values() for c in claims_of(d)}
    assert not texts & {"source : The Cradle", "traduction Réseau International", "Baca juga :", "Source: Médias"}


def test_the_french_and_indonesian_wordings_are_one_claim(seed_docs: dict[str, Document]) -> None:
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for doc in seed_docs.values():
        for c in claims_of(doc):
            members[c.group].append((doc.language, c.text))
    bilingual = [m for m in members.values() if {"fr", "id"} <= {lang for lang, _ in m}]
    assert len(bilingual) >= 4
    texts = [" ".join(text for _, text in m) for m in bilingual]
    assert any("recrut" in t and "merekrut" in t for t in texts)
    assert any("Washington" in t and "Ukraina" in t and "Ukraine" in t for t in texts)


def test_group_evidence_says_how_a_variant_joined(seed_docs: dict[str, Document]) -> None:
    joined = [c for c in claims_of(seed_docs["004"]) if "similarity" in c.evidence.get("group", {})]
    assert joined
    for c in joined:
        evidence = c.evidence["group"]
        assert evidence["spaces"] == ["e5-small"]
        assert evidence["score"] >= 0.88
