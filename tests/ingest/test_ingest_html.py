"""HTML pages: the article comes out, the page furniture around it does not."""

from __future__ import annotations

from pathlib import Path

from ingest_samples import (
    BOILERPLATE,
    MAIN_MARKER,
    PARAGRAPHS,
    news_page,
    only_document,
    only_rejection,
    read,
    write,
)


def test_news_page_main_text_without_boilerplate(tmp_path: Path) -> None:
    doc = only_document(read(write(tmp_path, "page.html", news_page())))
    assert MAIN_MARKER in doc.text
    assert all(paragraph in doc.text for paragraph in PARAGRAPHS)
    for furniture in BOILERPLATE:
        assert furniture not in doc.text, furniture
    assert doc.title == "La CIA recruterait des militants en Syrie pour l'Ukraine"
    assert doc.outlet == "Example News"
    assert doc.url == "https://www.example-news.fr/monde/2022/07/15/cia-syrie-ukraine"
    assert doc.published is not None
    assert (doc.published.value, doc.published.precision) == ("2022-07-15", "day")
    assert doc.published.evidence == "html metadata: article:published_time"
    assert doc.meta == {"format": "html", "declared_language": "fr"}
    assert doc.language is None and doc.sentences == []


def test_origin_is_the_path_as_given(tmp_path: Path) -> None:
    path = write(tmp_path, "page.htm", news_page())
    assert only_document(read(path)).origin == str(path)


def test_html_sniffed_from_content_not_name(tmp_path: Path) -> None:
    doc = only_document(read(write(tmp_path, "saved.txt", news_page())))
    assert doc.meta["format"] == "html"


def test_declared_cp1252_charset(tmp_path: Path) -> None:
    page = news_page().replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    doc = only_document(read(write(tmp_path, "page.html", page.encode("cp1252", errors="replace"))))
    assert "transférés" in doc.text and "\ufffd" not in doc.text


def test_latin1_declared_but_utf8_served_is_repaired(tmp_path: Path) -> None:
    declaration = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    page = news_page().replace('<meta charset="utf-8">', declaration)
    doc = only_document(read(write(tmp_path, "page.html", page)))
    assert "transférés" in doc.text


def test_malformed_html_does_not_crash(tmp_path: Path) -> None:
    broken = news_page().replace("</p>", "").replace("</div>", "").replace("</article>", "<td></tr>")[:-200]
    broken = broken.replace("<p>", "<p><b><i>", 2) + "<<<>>><!-- unclosed <script>"
    doc = only_document(read(write(tmp_path, "broken.html", broken)))
    assert MAIN_MARKER in doc.text


def test_page_without_article_text_is_rejected(tmp_path: Path) -> None:
    page = "<!DOCTYPE html><html><head><title>Menu</title></head><body><nav><a href='/'>Accueil</a></nav></body></html>"
    rejection = only_rejection(read(write(tmp_path, "empty.html", page)))
    assert rejection.reason == "no article text found"


def test_html_date_from_json_ld(tmp_path: Path) -> None:
    json_ld = '{"@type": "NewsArticle", "datePublished": "2017-03-02T08:00:00Z"}'
    page = news_page(extra_head=f'<script type="application/ld+json">{json_ld}</script>').replace('<meta property="article:published_time" content="2022-07-15T09:30:00+02:00">', "")
    page = page.replace('<meta property="article:modified_time" content="2022-07-16T11:00:00+02:00">', "")
    page = page.replace("le 15 juillet 2022", "").replace("/2022/07/15/", "/")
    doc = only_document(read(write(tmp_path, "ld.html", page)))
    assert doc.published is not None
    assert doc.published.value == "2017-03-02"
    assert doc.published.evidence == "html metadata: json-ld datePublished"
