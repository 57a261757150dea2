"""One real-style attribution per cue family and language, as news in that language phrases it."""

from __future__ import annotations

import pytest

CASES = [
    # language, text, expected source, canonical, kind, anonymous
    ("en", "Three people were arrested, police said.", "police", None, "quoted", False),
    ("en", "The unit was redeployed, according to The Associated Press.", "The Associated Press", "Associated Press", "according_to", False),
    ("en", "“We will not stop,” said a senior official who asked not to be named.", "a senior official", None, "quoted", True),
    ("en", "VATICAN CITY (Reuters) - Pope Francis apologized on Wednesday.", "Reuters", "Reuters", "republished_from", False),
    ("fr", "Les États-Unis recrutent, a rapporté l’agence russe Sputnik.", "l’agence russe Sputnik", "Sputnik", "reported", False),
    ("fr", "Selon une source informée, les transferts ont lieu.", "une source informée", None, "according_to", True),
    ("fr", "Des sources locales ont rapporté qu’une délégation s’est rendue à Idlib.", "Des sources locales", None, "reported", True),
    ("de", "Die Lage sei ernst, sagte ein Sprecher des Auswärtigen Amtes.", "ein Sprecher des Auswärtigen Amtes", None, "quoted", False),
    ("de", "Laut Spiegel wurde der Vertrag nicht verlängert.", "Spiegel", "Der Spiegel", "according_to", False),
    ("de", "Das verlautete aus Regierungskreisen, hieß es am Abend.", "hieß es", None, "reported", True),
    ("es", "Según fuentes de la Presidencia, el acuerdo está cerrado.", "fuentes de la Presidencia", None, "according_to", True),
    ("es", "La reunión fue aplazada, informó la agencia EFE.", "la agencia EFE", "EFE", "reported", False),
    ("it", "Secondo fonti diplomatiche, l'incontro è saltato.", "fonti diplomatiche", None, "according_to", True),
    ("it", "Il vertice è rinviato, ha detto il ministro degli Esteri Antonio Tajani.", "il ministro degli Esteri Antonio Tajani", None, "quoted", False),
    ("pt", "Segundo a agência Lusa, o acordo foi assinado.", "a agência Lusa", None, "according_to", False),
    ("pt", "O governo vai recuar, disse uma fonte do Planalto.", "uma fonte do Planalto", None, "quoted", True),
    ("ru", "Об этом сообщает ТАСС.", "ТАСС", "TASS", "reported", False),
    ("ru", "По словам источника, переговоры зашли в тупик.", "источника", None, "according_to", True),
    ("uk", "Про це повідомляє Укрінформ.", "Укрінформ", "Ukrinform", "reported", False),
    ("uk", "За даними джерел, удар було завдано вночі.", "джерел", None, "according_to", True),
    ("ar", "وقال المتحدث باسم الوزارة إن الوضع مستقر.", "المتحدث باسم الوزارة", None, "quoted", False),
    ("ar", "وبحسب مصادر مطلعة، فإن الاجتماع تأجل.", "مصادر مطلعة", None, "according_to", True),
    ("ar", "وفقا لسبوتنيك، فإن القوات انسحبت.", "لسبوتنيك", "Sputnik", "according_to", False),
    ("tr", "Sağlık Bakanlığının açıklamasına göre, vaka sayısı arttı.", "Sağlık Bakanlığının", None, "according_to", False),
    ("tr", "Brent petrolde yükseliş sürdüğü bildirildi.", "bildirildi", None, "reported", True),
    ("tr", "Haber metni sonu. Kaynak: AA", "AA", "Anadolu Agency", "republished_from", False),
    ("pl", "Według źródeł rządowych, decyzja zapadnie w piątek.", "źródeł rządowych", None, "according_to", True),
    ("pl", "Epidemia słabnie – powiedział minister zdrowia Adam Niedzielski.", "minister zdrowia Adam Niedzielski", None, "quoted", False),
    ("id", "Menurut sumber informasi, tentara AS memindahkan militan.", "sumber informasi", None, "according_to", True),
    ("id", "Harga naik, kata juru bicara Kementerian Perdagangan.", "juru bicara Kementerian Perdagangan", None, "quoted", False),
]


@pytest.mark.parametrize(("language", "text", "source", "canonical", "kind", "anonymous"), CASES)
def test_attribution_is_found(cite, language, text, source, canonical, kind, anonymous) -> None:
    found = {c.source: c for c in cite(text, language)}
    assert source in found, f"{source!r} not in {list(found)}"
    c = found[source]
    assert (c.canonical, c.kind, c.anonymous) == (canonical, kind, anonymous)
    assert text[c.start : c.end] == source
    assert c.phrase


@pytest.mark.parametrize(("language", "text"), [
    ("en", "He said he would return next year."),
    ("fr", "Il a déclaré qu'il reviendrait."),
    ("en", "The mayor opened the new bridge on Monday."),
    ("ru", "Он сказал, что вернется."),
])
def test_pronouns_and_plain_statements_cite_nobody(cite, language, text) -> None:
    assert cite(text, language) == []


def test_unknown_language_runs_every_lexicon(cite) -> None:
    sources = {c.canonical for c in cite("Selon l'AFP, la frontière est fermée.", None)}
    assert "Agence France-Presse" in sources
