"""JSON, JSON Lines, CSV and TSV exports: one Document per record, one Rejection per bad record."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from narratrace.ingest.base import FieldMapping, ReadOptions
from ingest_samples import PARAGRAPHS, documents, only_document, only_rejection, read, rejections, write

ARTICLE = "\n".join(PARAGRAPHS)


def test_jsonl_with_field_mapping(tmp_path: Path) -> None:
    lines = [
        {"corps": ARTICLE, "titre": "Un titre", "quand": "15 juillet 2022", "lien": "https://a.fr/1", "media": "A"},
        {"corps": "Deuxième article.", "titre": "Autre", "quand": "2022-07-16", "media": {"name": "B"}},
    ]
    for line in lines:
        line["langue"] = "fr"
    path = write(tmp_path, "export.jsonl", "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n")
    fields = FieldMapping(text="corps", title="titre", date="quand", url="lien", outlet="media", lang="langue")
    first, second = read(path, options=ReadOptions(fields=fields))
    assert first.origin == f"{path}#1" and second.origin == f"{path}#2"
    assert (first.text, first.title, first.url, first.outlet) == (ARTICLE, "Un titre", "https://a.fr/1", "A")
    assert first.published is not None
    assert (first.published.value, first.published.precision) == ("2022-07-15", "day")
    assert first.published.evidence == "field quand: 15 juillet 2022"
    assert first.meta == {"format": "json", "declared_language": "fr"}
    assert second.outlet == "B" and second.published is not None and second.published.value == "2022-07-16"


def test_jsonl_guesses_common_field_names(tmp_path: Path) -> None:
    line = {"maintext": ARTICLE, "headline": "H", "date_publish": "2017-05", "link": "https://x.id/a", "site_name": "X"}
    line["id"] = 7
    doc = only_document(read(write(tmp_path, "news.jsonl", json.dumps(line))))
    assert (doc.title, doc.url, doc.outlet, doc.meta["source_id"]) == ("H", "https://x.id/a", "X", "7")
    assert doc.published is not None and (doc.published.value, doc.published.precision) == ("2017-05", "month")


def test_jsonl_broken_line_among_good_ones(tmp_path: Path) -> None:
    lines = ['{"text": "first article"}', '{"text": "broken', "", '{"title": "no text here"}', '{"text": "fourth"}']
    path = write(tmp_path, "mixed.jsonl", "\n".join(lines))
    results = read(path)
    assert [doc.text for doc in documents(results)] == ["first article", "fourth"]
    assert [doc.origin for doc in documents(results)] == [f"{path}#1", f"{path}#5"]
    broken, textless = rejections(results)
    assert broken.origin == f"{path}#2" and "invalid JSON line" in broken.reason
    assert textless.origin == f"{path}#4" and textless.reason.startswith("no text field")


def test_json_list(tmp_path: Path) -> None:
    records = [{"content": "one"}, {"content": "two"}, "not an object", {"content": "   "}]
    path = write(tmp_path, "list.json", json.dumps(records, indent=2))
    results = read(path)
    assert [(doc.origin, doc.text) for doc in documents(results)] == [(f"{path}#1", "one"), (f"{path}#2", "two")]
    assert [(r.origin, r.reason) for r in rejections(results)] == [
        (f"{path}#3", "not a JSON object"),
        (f"{path}#4", "empty text in field 'content'"),
    ]


def test_json_object_holding_a_list(tmp_path: Path) -> None:
    articles = [{"body": "a", "source": {"id": None, "name": "BBC"}}, {"body": "b"}]
    data = {"status": "ok", "totalResults": 2, "articles": articles}
    results = read(write(tmp_path, "api.json", json.dumps(data)))
    assert [(doc.text, doc.outlet) for doc in documents(results)] == [("a", "BBC"), ("b", None)]


def test_invalid_json_document_is_one_rejection(tmp_path: Path) -> None:
    rejection = only_rejection(read(write(tmp_path, "bad.json", '[\n  {"text": "a"},\n  {"text": \n]')))
    assert rejection.reason.startswith("invalid JSON:")


def test_json_escaped_mojibake_and_html_are_cleaned(tmp_path: Path) -> None:
    mojibake = "Les États-Unis ont été accusés".encode("utf-8").decode("cp1252")
    line = {"text": f"<p>{mojibake}</p><p>Second <b>paragraphe</b>.</p>"}
    doc = only_document(read(write(tmp_path, "m.jsonl", json.dumps(line))))
    assert doc.text == "Les États-Unis ont été accusés\nSecond paragraphe."


def test_csv(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "title", "text", "published_at", "url", "source", "language"])
        writer.writerow(["a1", "Titre", ARTICLE, "2022-07-15T09:30:00Z", "https://a.fr/1", "A", "fr"])
        writer.writerow([])
        writer.writerow(["a2", "Multi", 'Line one, "quoted"\nLine two', "Fri, 15 Jul 2022 10:00 +0200", "", "B", "en"])
        writer.writerow(["a3", "Empty", "", "2022", "", "C", "en"])
    results = read(path)
    first, second = documents(results)
    assert (first.origin, first.text, first.meta["source_id"]) == (f"{path}#1", ARTICLE, "a1")
    assert first.published is not None and first.published.evidence == "field published_at: 2022-07-15T09:30:00Z"
    assert (second.origin, second.text, second.url) == (f"{path}#2", 'Line one, "quoted"\nLine two', None)
    assert [(r.origin, r.reason) for r in rejections(results)] == [(f"{path}#3", "empty text in field 'text'")]


def test_tsv_with_unknown_names_and_huge_field(tmp_path: Path) -> None:
    huge = "mot " * 60_000
    path = write(tmp_path, "dump.tsv", f"Headline\tBody Text\tWhen\nA title\t{huge}\t2022-07-15\n")
    fields = FieldMapping(text="Body Text", title="Headline", date="When")
    doc = only_document(read(path, options=ReadOptions(fields=fields)))
    assert doc.title == "A title" and len(doc.text) == len(huge.strip())
    assert doc.published is not None and doc.published.value == "2022-07-15"


def test_csv_row_with_too_many_fields(tmp_path: Path) -> None:
    path = write(tmp_path, "rows.csv", "title,text\nA,first\nB,second,extra\n")
    results = read(path)
    assert [doc.text for doc in documents(results)] == ["first"]
    assert only_rejection(rejections(results)).origin == f"{path}#2"


def test_record_over_the_char_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "long.jsonl", json.dumps({"text": "x" * 50}) + "\n" + json.dumps({"text": "ok"}))
    results = read(path, options=ReadOptions(max_record_chars=10))
    assert rejections(results)[0].reason == "text too long (50 chars > limit of 10)"
    assert [doc.text for doc in documents(results)] == ["ok"]


def test_prose_is_not_taken_for_structured_data(tmp_path: Path) -> None:
    bracket = write(tmp_path, "a.txt", "[BREAKING] Ukraina mulai kehabisan pasukan, kata sumber.\n\nParagraf kedua.")
    comma = write(tmp_path, "b.txt", "Selon Sputnik, la CIA recrute.\nDeuxième ligne, avec virgule.")
    assert [doc.meta["format"] for doc in documents(read(bracket, comma))] == ["text", "text"]


def test_jsonl_sniffed_from_content_not_name(tmp_path: Path) -> None:
    path = write(tmp_path, "export.txt", '{"text": "one"}\n{"text": "two"}\n')
    found = [(doc.origin, doc.meta["format"]) for doc in documents(read(path))]
    assert found == [(f"{path}#1", "json"), (f"{path}#2", "json")]


def test_line_separators_inside_json_strings_do_not_split_lines(tmp_path: Path) -> None:
    lines = [json.dumps({"text": "first\u2028second\u2029third"}, ensure_ascii=False), '{"text": "next"}']
    path = write(tmp_path, "sep.jsonl", "\r\n".join(lines))
    first, second = read(path)
    assert (first.origin, first.text) == (f"{path}#1", "first\nsecond\nthird")
    assert (second.origin, second.text) == (f"{path}#2", "next")


def test_unreadable_date_is_kept_as_unparsed(tmp_path: Path) -> None:
    doc = only_document(read(write(tmp_path, "d.jsonl", json.dumps({"text": "t", "date": "n/a", "language": "fr"}))))
    assert doc.published is None and doc.meta["unparsed_date"] == "n/a"
