"""Issue 5, acceptance 1: the seeds' cited sources are found and resolved, anonymous sourcing flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from narratrace.enrich.language import detect_language
from narratrace.provenance import extract_citations

EXPECTED = {
    "000": {"Sputnik", "RT Arabic", "The Cradle", "Réseau International", "New York Times"},
    "001": {"Sputnik", "RIA Novosti"},
    "002": {"Russian Ministry of Defence", "Fort Russ", "Réseau International"},
    "003": {"Lekolin", "Associated Press", "BBC"},
    "004": {"Sputnik", "RT Arabic", "New York Times"},
}
ANONYMOUS = {"000": True, "001": True, "002": False, "003": True, "004": True}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_sources_are_found_and_resolved(seeds: Path, registry, seed: str) -> None:
    path = next(seeds.glob(f"{seed}_*.txt"))
    text = path.read_text(encoding="utf-8")
    language, _ = detect_language(text)
    citations = extract_citations(text, language, registry)
    assert EXPECTED[seed] <= {c.canonical for c in citations}
    assert any(c.anonymous for c in citations) is ANONYMOUS[seed]
    for c in citations:
        assert text[c.start : c.end] == c.source


def test_the_cradle_and_the_translator_are_credited_by_kind(seeds: Path, registry) -> None:
    text = next(seeds.glob("000_*.txt")).read_text(encoding="utf-8")
    kinds = {c.canonical: c.kind for c in extract_citations(text, "fr", registry)}
    assert kinds["The Cradle"] == "republished_from"
    assert kinds["Réseau International"] == "translated_from"
