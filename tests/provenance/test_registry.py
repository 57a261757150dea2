from __future__ import annotations

import json
from pathlib import Path

import pytest

from narratrace.provenance import Source, SourceRegistry


@pytest.mark.parametrize(("written", "canonical"), [
    ("l’agence russe Novosti", "RIA Novosti"),
    ("РИА Новости", "RIA Novosti"),
    ("Спутника", "Sputnik"),
    ("سبوتنيك", "Sputnik"),
    ("RT Arabic TV", "RT Arabic"),
    ("RT", "RT"),
    ("Reseau international", "Réseau International"),
    ("http://www.fort-russ.com/2017/11/x.html", "Fort Russ"),
    ("https://fr.sputniknews.com/afrique/", "Sputnik"),
    ("le ministère russe de la Défense", "Russian Ministry of Defence"),
    ("agencji Reutera", "Reuters"),
    ("L'Associated Press", "Associated Press"),
])
def test_written_names_and_domains_resolve(registry: SourceRegistry, written: str, canonical: str) -> None:
    assert registry.resolve(written) == canonical


@pytest.mark.parametrize("written", ["rt", "ap news is a phrase", "who said", "the cradle of civilisation in iraq"[:3]])
def test_short_capital_aliases_count_only_as_written(registry: SourceRegistry, written: str) -> None:
    assert registry.resolve(written) is None


def test_entries_carry_public_facts(registry: SourceRegistry) -> None:
    sputnik = registry.get("Sputnik")
    assert sputnik is not None and sputnik.state_affiliated is True and sputnik.country == "RU"
    assert len(registry) >= 50
    assert all(s.basis and s.as_of for s in registry)


def test_import_json_extends_and_adds(tmp_path: Path, registry: SourceRegistry) -> None:
    reg = SourceRegistry(list(registry))
    path = tmp_path / "extra.json"
    path.write_text(json.dumps({"sources": [
        {"name": "Sputnik", "aliases": ["Sputnik Srbija"], "domains": ["sputnikportal.rs"]},
        {"name": "Voice of Europe", "domains": ["voiceofeurope.com"], "country": "CZ", "state_affiliated": "yes"},
    ]}), encoding="utf-8")
    assert reg.import_file(path) == 2
    assert reg.resolve("Sputnik Srbija") == "Sputnik"
    assert reg.resolve_domain("https://sputnikportal.rs/x") == "Sputnik"
    assert reg.get("Sputnik").state_affiliated is True
    assert reg.get("Voice of Europe").state_affiliated is True


def test_import_csv_with_pipe_lists(tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    path.write_text("name,aliases,domains,country,type,state_affiliated\n"
                    "Pravda Network,Portal Kombat|Pravda EN,pravda-en.com|pravda-fr.com,RU,website,true\n", encoding="utf-8")
    reg = SourceRegistry()
    assert reg.import_file(path) == 1
    assert reg.resolve("portal kombat") == "Pravda Network"
    assert reg.resolve_domain("pravda-fr.com") == "Pravda Network"


def test_a_source_needs_a_name() -> None:
    with pytest.raises(ValueError):
        Source.from_mapping({"aliases": "x"})
