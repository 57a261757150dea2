from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from narratrace.ingest.text_metadata import TextMetadata, read_text_metadata
from narratrace.model import Published

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
TODAY = date(2025, 1, 1)

BODIES = {
    "fr": "Le ministre a déclaré que le gouvernement allait présenter un nouveau projet de loi sur l'énergie avant la "
    "fin de l'année.\n\nLes syndicats ont immédiatement dénoncé une réforme jugée injuste par une majorité de Français.",
    "en": "The minister said the government would present a new energy bill before the end of the year.\n\n"
    "Unions immediately denounced a reform that a majority of voters consider unfair.",
    "id": "Menteri mengatakan pemerintah akan mengajukan rancangan undang-undang energi baru sebelum akhir tahun karena "
    "harga terus naik.\n\nSerikat pekerja langsung mengecam reformasi yang dinilai tidak adil.",
    "ru": "Министр заявил, что правительство представит новый законопроект об энергетике до конца года.\n\n"
    "Профсоюзы сразу же осудили реформу, которую большинство считает несправедливой.",
    "uk": "Президент України заявив у вівторок, що уряд підготує нову програму відновлення зруйнованих міст до кінця року.",
    "de": "Der Minister sagte, die Regierung werde noch vor Jahresende ein neues Energiegesetz vorlegen.\n\n"
    "Die Gewerkschaften kritisierten die Reform umgehend als ungerecht.",
    "es": "El presidente del Gobierno anunció este martes un paquete de medidas para frenar la subida de los precios de la energía.",
    "it": "Il ministro dell'Economia ha presentato ieri in Parlamento la nuova legge di bilancio, che prevede tagli alle tasse.",
    "tr": "Dışişleri Bakanlığı salı günü yaptığı açıklamada, iki ülke arasındaki müzakerelerin gelecek hafta yeniden başlayacağını duyurdu.",
    "ar": "أعلنت وزارة الخارجية يوم الثلاثاء أن المفاوضات بين الجانبين ستستأنف الأسبوع المقبل في العاصمة القطرية الدوحة.",
    "zh": "中国外交部发言人周二表示，双方将于下周在北京恢复贸易谈判，并讨论关税问题。",
}
TITLES = {
    "fr": "Le gouvernement présente sa réforme de l'énergie",
    "en": "The government presents its energy reform",
    "id": "Pemerintah ajukan RUU energi baru",
    "ru": "Правительство представит новый закон об энергетике",
    "uk": "Уряд представив програму відновлення міст",
    "de": "Regierung legt neues Energiegesetz vor",
    "es": "El Gobierno presenta su reforma energética",
    "it": "Il governo presenta la nuova legge di bilancio",
    "tr": "Hükümet yeni müzakere takvimini açıkladı",
    "ar": "الحكومة تعلن استئناف المفاوضات",
    "zh": "外交部：双方将于下周恢复贸易谈判",
}


def article(language: str, *header: str, footer: tuple[str, ...] = ()) -> str:
    return "\n".join([TITLES[language], *header, "", BODIES[language], "", *footer])


def read(text: str) -> TextMetadata:
    return read_text_metadata(text, today=TODAY)


DATED_LINES = [
    ("fr", "Publié le 15 novembre 2017", "2017-11-15", "day"),
    ("en", "Published 18 June 2024", "2024-06-18", "day"),
    ("en", "Published on: June 18, 2024, 10:30 AM", "2024-06-18", "day"),
    ("id", "Diterbitkan 3 Maret 2023", "2023-03-03", "day"),
    ("id", "Senin, 3 Maret 2023 | 10:15 WIB", "2023-03-03", "day"),
    ("ru", "Опубликовано 5 марта 2022", "2022-03-05", "day"),
    ("uk", "Опубліковано 5 березня 2022", "2022-03-05", "day"),
    ("de", "veröffentlicht am 18. Juni 2024", "2024-06-18", "day"),
    ("de", "18.06.2024, 14:05 Uhr", "2024-06-18", "day"),
    ("fr", "18 juin 2024 à 10h30", "2024-06-18", "day"),
    ("fr", "mercredi 15 novembre 2017", "2017-11-15", "day"),
    ("en", "2021-03-12T10:00:00Z", "2021-03-12", "day"),
    ("en", "Tuesday, June 18, 2024", "2024-06-18", "day"),
    ("fr", "Date : 12/03/2021", "2021-03-12", "day"),
    ("en", "Date: 12/03/2021", "2021-12-03", "day"),
    ("en", "Date: 25/03/2021", "2021-03-25", "day"),
    ("en", "Date: 3/13/2021", "2021-03-13", "day"),
    ("fr", "Date : 03/25/2021", "2021-03-25", "day"),
    ("fr", "Le 15 novembre 2017", "2017-11-15", "day"),
    ("ru", "05.03.22", "2022-03-05", "day"),
    ("es", "Publicado el 18 de junio de 2024", "2024-06-18", "day"),
    ("it", "Pubblicato il 18 giugno 2024", "2024-06-18", "day"),
    ("tr", "Yayınlanma tarihi: 18 Haziran 2024", "2024-06-18", "day"),
    ("ar", "نشر في 18 يونيو 2024", "2024-06-18", "day"),
    ("zh", "2024年6月18日 10:30", "2024-06-18", "day"),
    ("fr", "juillet 2022", "2022-07", "month"),
    ("en", "date 2022-07", "2022-07", "month"),
    ("de", "Datum: März 2021", "2021-03", "month"),
    ("en", "Published: 2017", "2017", "year"),
]


@pytest.mark.parametrize(("language", "line", "value", "precision"), DATED_LINES)
def test_dated_header_lines(language: str, line: str, value: str, precision: str) -> None:
    found = read(article(language, line))
    assert found.published == Published(value, precision, f"line 2: {line!r}")
    assert found.title == TITLES[language]


def test_date_label_before_the_title_is_stripped_from_it() -> None:
    text = " date 2022-07 Les États-Unis ont été accusés de recruter des militants.\n\n" + BODIES["fr"]
    found = read(text)
    assert found.title == "Les États-Unis ont été accusés de recruter des militants."
    assert found.published == Published("2022-07", "month", "line 1: 'date 2022-07'")


def test_dated_line_among_the_last_lines() -> None:
    found = read(article("en", footer=("Published 18 June 2024",)))
    assert found.published is not None and found.published.value == "2024-06-18"
    assert found.published.evidence.startswith("line 7: ")


NOT_PUBLICATION_DATES = {
    "story sentence starting with a date": "\n".join(
        ["Le 12 mars 2021, le ministre a déclaré que la réforme serait adoptée avant l'été.", "", BODIES["fr"]]
    ),
    "date inside a header sentence": article("fr", "La réunion a eu lieu le 18 juin 2024 à Paris, selon le ministère."),
    "unlabelled date followed by text": article("fr", "15 novembre 2017 Le ministre a parlé devant les députés."),
    "check-also box at the end": article(
        "fr", footer=("Check Also", "", "Russian Offensive Campaign Assessment, November 18, 2024", "", "Russian officials continued …")
    ),
    "read-also box with a bare date": article("fr", footer=("Lire aussi", "Les sanctions frappent Moscou", "12 mars 2021")),
    "baca juga box": article("id", footer=("Baca juga:", "Harga BBM naik lagi", "3 Maret 2023")),
    "bare year without a label": article("en", "2017"),
    "labelled year followed by text": article("en", "Date 2017 was a year of reforms in the energy sector"),
    "update label": article("fr", "Mis à jour le 16 novembre 2017"),
    "a word before the date that is not a weekday": article("fr", "Depuis juillet 2022"),
    "impossible day": article("fr", "Date : 31/02/2021"),
    "future date": article("en", "Published 18 June 2099"),
    "before 1990": article("en", "Published 12 March 1985"),
    "copyright line": article("en", footer=("© 2024 Daily Planet",)),
    "date line in the middle of the story": "\n".join(
        [TITLES["en"], *(f"Paragraph {n} of the story goes on about the reform." for n in range(12)), "18 June 2024", *(f"More text {n} about the bill." for n in range(5))]
    ),
}


@pytest.mark.parametrize("case", sorted(NOT_PUBLICATION_DATES))
def test_dates_that_are_not_the_publication_date(case: str) -> None:
    assert read(NOT_PUBLICATION_DATES[case]).published is None


def test_dates_up_to_tomorrow_are_accepted() -> None:
    assert read_text_metadata(article("en", "2025-01-02"), today=TODAY).published is not None
    assert read_text_metadata(article("en", "2025-01-03"), today=TODAY).published is None


def test_navigation_lines_are_not_titles() -> None:
    text = "Skip to content\nMenu\nHome > World > Europe > France\nRSS Feed\nBy Jane Doe\n" + article("en")
    assert read(text).title == TITLES["en"]


def test_link_lines_and_empty_text() -> None:
    assert read("image: https://example.com/photo.jpg\n" + article("fr")).title == TITLES["fr"]
    assert read("") == TextMetadata()
    assert read("\n \n***\n") == TextMetadata()


def test_titles_in_scripts_without_spaces() -> None:
    assert read(article("zh")).title == TITLES["zh"]


def test_long_first_line_is_capped_at_a_word_boundary() -> None:
    line = " ".join(["Nouvelles accusations contre le gouvernement"] * 12)
    title = read(line + "\n\n" + BODIES["fr"]).title
    assert title is not None and 250 < len(title) <= 300 and line.startswith(title) and not title.endswith(" ")


def test_outlet_line_next_to_the_header_date() -> None:
    assert read(article("fr", "15 novembre 2017", "Réseau International")).outlet == "Réseau International"
    assert read("Le Monde\n18 juin 2024\n" + article("fr")).outlet == "Le Monde"
    assert read(article("fr", "15 novembre 2017", "Par Samer Hussein")).outlet is None


@pytest.mark.parametrize(
    ("language", "line", "outlet"),
    [
        ("fr", "source : The Cradle", "The Cradle"),
        ("fr", "Source: Médias...", "Médias"),
        ("id", "Sumber: Kompas.com", "Kompas.com"),
        ("de", "Quelle: dpa", "dpa"),
        ("es", "Fuente: EFE", "EFE"),
        ("ru", "Источник: ТАСС", "ТАСС"),
        ("en", "Source: https://www.rt.com/news/123-reform/", "rt.com"),
    ],
)
def test_trailing_source_line(language: str, line: str, outlet: str) -> None:
    assert read(article(language, footer=(line,))).outlet == outlet


def test_translation_credits_and_source_sentences_are_not_outlets() -> None:
    assert read(article("fr", footer=("traduction Réseau International",))).outlet is None
    long_source = "Source: a senior official told us that the army was moving troops across the border during the night."
    assert read(article("en", footer=(long_source,))).outlet is None


def _seed(prefix: str) -> str:
    folder = SHARED_DATA / "seeds"
    if not folder.is_dir():
        pytest.skip(f"seed articles absent: {folder} does not exist (shared/data sits beside the repository)")
    return next(folder.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_seed_000_month_from_the_date_label() -> None:
    found = read_text_metadata(_seed("000"))
    assert found.published == Published("2022-07", "month", "line 1: 'date 2022-07'")
    assert found.title is not None and found.title.startswith("Les États-Unis ont été accusés")
    assert found.outlet == "The Cradle"


def test_seed_002_day_and_outlet_from_the_header() -> None:
    found = read_text_metadata(_seed("002"))
    assert found.published is not None
    assert (found.published.value, found.published.precision) == ("2017-11-15", "day")
    assert found.outlet == "Réseau International"
    assert found.title == "Le Ministère de la Défense russe livre les détails de la coopération US-Etat Islamique"


@pytest.mark.parametrize("prefix", ["001", "003", "004"])
def test_seeds_without_a_publication_date(prefix: str) -> None:
    found = read_text_metadata(_seed(prefix))
    assert found.published is None
    assert found.title


def test_seed_003_title() -> None:
    assert read_text_metadata(_seed("003")).title == "À court de chair à canon, Kiev demande des combattants à HTŞ (une branche de Daesh)"


def test_lone_surrogates_never_reach_what_is_stored() -> None:
    """Found by benchmarks/fuzz.py: a title or dated line holding "\\ud800" could not be written to the store."""
    found = read_text_metadata("Le fleuve \ud800 Ostra\n\nCourrier \udfff d'Ostra — 12 juillet 2022\n\nUn texte.",
                               today=date(2024, 1, 1))
    assert found.title == "Le fleuve \ufffd Ostra"
    assert found.published is not None and found.published.value == "2022-07-12"
    for value in (found.title, found.outlet, found.published.evidence):
        value.encode("utf-8")
