from __future__ import annotations

import json
from pathlib import Path

import pytest

from narratrace.provenance.aliases import AlignedPair, apply_aliases, propose_aliases
from narratrace.provenance.entities import Entity, extract_entities
from narratrace.provenance.gazetteer import TYPES, Gazetteer
from narratrace.provenance.transliterate import word_key

ALIAS_GROUPS = {
    "islamic-state": ["ISIS", "EI", "EIIL", "Daesh", "Daech", "État islamique", "Etat islamique", "Negara Islam",
                      "Islamic State", "ИГИЛ", "داعش", "IŞİD", "ISIL", "Islamischer Staat"],
    "hts": ["HTS", "HTŞ", "Hay'at Tahrir al-Sham", "Hayat Tahrir al-Cham", "Hayat Tahrir al-Sham", "هيئة تحرير الشام"],
    "sdf": ["SDF", "FDS", "Forces démocratiques syriennes", "Pasukan Demokratik Suriah", "Syrian Democratic Forces"],
    "kyiv": ["Kiev", "Kyiv", "Київ", "Киев", "Kijów", "Kiew"],
    "nato": ["NATO", "OTAN", "НАТО"],
    "un": ["UN", "ONU", "ООН", "PBB", "Nations unies", "Perserikatan Bangsa-Bangsa"],
    "eu": ["EU", "UE", "ЕС", "Union européenne", "Europäische Union"],
}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def names(entities: list[Entity]) -> list[tuple[str, str]]:
    return [(e.name, e.canonical_id) for e in entities]


@pytest.mark.parametrize(("entity_id", "aliases"), ALIAS_GROUPS.items())
def test_alias_groups_resolve_to_one_entity(gazetteer: Gazetteer, entity_id: str, aliases: list[str]) -> None:
    assert {a: getattr(gazetteer.resolve(a), "id", None) for a in aliases} == dict.fromkeys(aliases, entity_id)


def test_packaged_data_is_well_formed(gazetteer: Gazetteer) -> None:
    assert len(gazetteer) >= 300
    assert all(entry.type in TYPES and entry.name for entry in gazetteer)


def test_spans_point_at_the_written_names(gazetteer: Gazetteer) -> None:
    text = "Selon l'OTAN, les combattants de Daech et de Hay'at Tahrir al-Sham ont quitté Kiev."
    found = extract_entities(text, "fr", gazetteer)
    assert names(found) == [("OTAN", "nato"), ("Daech", "islamic-state"), ("Hay'at Tahrir al-Sham", "hts"),
                            ("Kiev", "kyiv")]
    assert all(text[e.start : e.end] == e.name for e in found)
    assert [e.type for e in found] == ["organisation", "organisation", "organisation", "place"]


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Боевики ИГИЛ покинули Киев, сообщил Лавров.", "ru",
     [("ИГИЛ", "islamic-state"), ("Киев", "kyiv"), ("Лавров", "sergei-lavrov")]),
    ("Меркель встретилась с Навальным в Берлине.", "ru",
     [("Меркель", "angela-merkel"), ("Навальным", "alexei-navalny"), ("Берлине", "berlin")]),
    ("Зеленський прибув до Києва.", "uk", [("Зеленський", "volodymyr-zelensky"), ("Києва", "kyiv")]),
    ("قال مسؤول إن داعش هاجم مواقع قوات سوريا الديمقراطية", "ar",
     [("داعش", "islamic-state"), ("قوات سوريا الديمقراطية", "sdf")]),
    ("Ο πρωθυπουργός επισκέφθηκε την Αθήνα.", "el", [("Αθήνα", "athens")]),
    ("IŞİD ve HTŞ militanları Kiev'e ulaştı.", "tr",
     [("IŞİD", "islamic-state"), ("HTŞ", "hts"), ("Kiev", "kyiv")]),
    ("Hún er í Bandaríkjunum en hann frá Kúbu.", "is", [("Bandaríkjunum", "united-states"), ("Kúbu", "cuba")]),
])
def test_each_script_resolves(gazetteer: Gazetteer, text: str, language: str, expected: list[tuple[str, str]]) -> None:
    assert names(extract_entities(text, language, gazetteer)) == expected


def test_names_outside_the_gazetteer_meet_through_transliteration(gazetteer: Gazetteer) -> None:
    russian = extract_entities("Об этом заявил губернатор Михаил Дегтярев.", "ru", gazetteer)
    english = extract_entities("This was stated by governor Mikhail Degtyarev.", "en", gazetteer)
    assert [e.canonical_id for e in russian] == [e.canonical_id for e in english] == ["~" + word_key("Degtyarev")]
    assert not russian[0].known and russian[0].type == "other"


def test_inflected_names_keep_their_key() -> None:
    assert word_key("Хабаровского") == word_key("Khabarovsk")
    assert word_key("Jóhannessonar") == word_key("Jóhannesson")
    assert word_key("Шольц") == word_key("Scholz")
    assert word_key("EU") != word_key("UE")


def test_only_case_endings_are_cut_to_meet_an_alias(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("Frakklands", "is").id == "france"
    assert gazetteer.resolve("Путина", "ru").id == gazetteer.resolve("Putinowi", "pl").id == "vladimir-putin"
    # WMT21 sentences: a first name, the Icelandic "mother" and a Russian "index" are no inflected aliases.
    for text, language in (("Bernd Riexinger sprach in Kassel.", "de"), ("Móðir hennar sagði það.", "is"),
                           ("Индекс вырос на два процента.", "ru")):
        assert {"bern", "narendra-modi", "india"}.isdisjoint(
            e.canonical_id for e in extract_entities(text, language, gazetteer)), text


def test_transliteration_keys_resolve_inflections_not_lookalikes(gazetteer: Gazetteer) -> None:
    assert [gazetteer.resolve_key(w).id for w in (["Kúbu"], ["Bandaríkjunum"], ["Danmerkur"], ["Северной", "Корее"])] \
        == ["cuba", "united-states", "denmark", "north-korea"]
    # WMT21 names that share a key with an alias: Los Angeles, a Bavarian town, the French "south", a club.
    assert all(gazetteer.resolve_key([w]) is None for w in ("Angeles", "Altötting", "Sud", "Ármanni"))


def test_capitalised_common_words_are_not_names(gazetteer: Gazetteer) -> None:
    german = "Am Wochenende gab es einen Skandal bei der Landesregierung, sagte Martin Pucher."
    assert names(extract_entities(german, "de", gazetteer)) == [("Martin Pucher", "~" + word_key("Pucher"))]
    english = "In July the Russian Government met. The talks took place on Monday."
    assert extract_entities(english, "en", gazetteer) == []


def test_short_aliases_count_only_as_written(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("ei") is None
    assert names(extract_entities("Kurz nach dem Treffen sprach Kurz.", "de", gazetteer)) == [
        ("Kurz", "sebastian-kurz")]


def test_add_alias_extends_or_creates(gazetteer: Gazetteer) -> None:
    local = Gazetteer(gazetteer)
    local.add_alias("islamic-state", "Tanzim ad-Dawla")
    local.add_alias("learned:krnshtd", "Kronstadt", type="place")
    assert local.resolve("Tanzim ad-Dawla").id == "islamic-state"
    assert local.resolve("Kronstadt").type == "place"
    assert gazetteer.resolve("Tanzim ad-Dawla") is None


def test_learned_aliases_from_a_real_translation(gazetteer: Gazetteer, shared_data: Path) -> None:
    path = shared_data / "wmt21-parallel" / "newstest2021.ru-en.part1.docs.jsonl"
    with path.open(encoding="utf-8") as handle:
        doc = next(d for d in map(json.loads, handle) if d["docid"] == "aif.321259")
    pairs = [AlignedPair(s, t) for s, t in zip(doc["src_segments"], doc["ref_segments"], strict=True)]
    proposals = propose_aliases(pairs, "ru", "en", gazetteer)
    kronstadt = next(p for p in proposals if p.target_name == "Kronstadt")
    assert kronstadt.source_name == "Кронштадта" and kronstadt.count >= 2 and kronstadt.dice >= 0.6
    assert all("Кронштадт" in pairs[i].source and "Kronstadt" in pairs[i].target for i in kronstadt.pairs)
    local = Gazetteer(gazetteer)
    assert apply_aliases(local, proposals) == len(proposals)
    russian = extract_entities("Парад прошёл у Кронштадта.", "ru", local)
    english = extract_entities("The parade took place near Kronstadt.", "en", local)
    assert [e.canonical_id for e in russian] == [e.canonical_id for e in english]
    assert russian[0].known


def test_long_tokens_never_reach_the_cached_frequency_lookups(
        gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by benchmarks/fuzz.py: texts of long distinct tokens filled the word-frequency caches
    (ours and wordfreq's, both keyed by the token) past 24 GB."""
    from narratrace.provenance import lexicon

    looked_up: list[str] = []
    lookup = lexicon.zipf_frequency
    monkeypatch.setattr(lexicon, "zipf_frequency", lambda word, lang: (looked_up.append(word), lookup(word, lang))[1])
    lexicon._cached_zipf.cache_clear()
    long_tokens = " ".join(f"Kastrel{chr(97 + i % 26) * 5000}{i}" for i in range(50))
    found = extract_entities(f"{long_tokens} Officials in Moscow said so on Monday.", "en", gazetteer)
    assert "Moscow" in {e.canonical for e in found}
    assert looked_up and max(map(len, looked_up)) <= lexicon.MAX_WORD_CHARS
