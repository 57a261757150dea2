"""RSS and Atom feeds: one Document per entry, dates read even in French."""

from __future__ import annotations

from pathlib import Path

from ingest_samples import (
    MAIN_MARKER,
    PARAGRAPHS,
    atom_feed,
    documents,
    only_rejection,
    read,
    rejections,
    rss_feed,
    write,
)


def test_rss_with_french_weekday_date(tmp_path: Path) -> None:
    path = write(tmp_path, "flux.rss", rss_feed())
    results = read(path)
    assert rejections(results) == []
    main, brief = documents(results)
    assert main.origin == f"{path}#https://veilleur.example.fr/cia-syrie"
    assert all(paragraph in main.text for paragraph in PARAGRAPHS)
    assert "Partager sur Facebook" not in main.text and "Un résumé court" not in main.text
    assert (main.title, main.url, main.outlet) == (
        "La CIA recruterait des militants en Syrie",
        "https://veilleur.example.fr/cia-syrie",
        "Le Veilleur",
    )
    assert main.published is not None
    assert (main.published.value, main.published.precision) == ("2022-07-15", "day")
    assert main.published.evidence == "feed published: lun., 15 juil. 2022 09:30:00 +0200"
    assert main.meta == {"format": "feed", "declared_language": "fr-FR"}
    assert brief.text == "Une brève de deux lignes seulement."
    assert brief.published is not None and brief.published.value == "2022-07-16"


def test_rss_local_date_is_not_shifted_to_utc(tmp_path: Path) -> None:
    results = read(write(tmp_path, "late.xml", rss_feed(pub_date="Sat, 16 Jul 2022 01:30:00 +0200")))
    published = documents(results)[0].published
    assert published is not None and published.value == "2022-07-16"


def test_atom(tmp_path: Path) -> None:
    path = write(tmp_path, "flux.atom", atom_feed())
    first, second = documents(read(path))
    assert first.origin == f"{path}#https://atom.example.org/premier"
    assert MAIN_MARKER in first.text and first.outlet == "Observatoire Atom"
    assert first.published is not None and first.published.value == "2022-07-14"
    assert second.text == "Texte brut du résumé, sans balises." and second.url is None
    assert second.published is not None
    assert (second.published.value, second.published.evidence) == ("2022-07-16", "feed updated: mardi 16 juillet 2022")
    assert second.meta["declared_language"] == "fr"


def test_malformed_feed_is_rejected(tmp_path: Path) -> None:
    rejection = only_rejection(read(write(tmp_path, "bad.xml", '<?xml version="1.0"?>\n<rss><channel><title>x</ti')))
    assert rejection.reason.startswith("malformed feed")


def test_feed_without_entries(tmp_path: Path) -> None:
    empty = "<rss version='2.0'><channel><title>Rien</title></channel></rss>"
    assert only_rejection(read(write(tmp_path, "empty.rss", empty))).reason == "feed has no entries"


def test_entry_without_text_costs_only_itself(tmp_path: Path) -> None:
    feed = rss_feed().replace("<item>", "<item><title>Titre seul</title><link>https://v.fr/seul</link></item><item>", 1)
    path = write(tmp_path, "f.rss", feed)
    results = read(path)
    assert len(documents(results)) == 2
    assert [(r.origin, r.reason) for r in rejections(results)] == [(f"{path}#https://v.fr/seul", "no text")]


def test_references_to_surrogates_cost_nothing_but_themselves(tmp_path: Path) -> None:
    """Found by benchmarks/fuzz.py: "&#xd800;" in a broken feed made feedparser raise, losing every entry."""
    broken = rss_feed().replace("<title>Le Veilleur</title>", "<title>Le Veil&#xd800;leur &#56320;</title>")
    broken = broken.replace("</channel>", "<title>&#x110000;")  # not well-formed: feedparser's loose parser reads it
    results = read(write(tmp_path, "flux.rss", broken))
    assert rejections(results) == []
    main, _ = documents(results)
    assert main.outlet == "Le Veil\ufffdleur \ufffd"
    assert main.title == "La CIA recruterait des militants en Syrie"
