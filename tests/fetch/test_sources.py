"""Sources files (YAML, OPML) and what feeds and sitemaps list."""

from __future__ import annotations

import gzip
from pathlib import Path

import httpx
import pytest

from narratrace.fetch.client import Fetched
from narratrace.fetch.discover import NotAListing, listing
from narratrace.fetch.sources import SourcesError, load_sources, parse_duration


def test_yaml_sources_with_defaults_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("interval: 30m\nuser_agent: test-agent\nsources:\n  - https://a.example/rss\n"
                    "  - {url: https://b.example/sitemap.xml, type: sitemap, interval: 2h, name: B}\n")
    watched = load_sources(path, 900)
    assert watched.user_agent == "test-agent"
    assert [(s.url, s.kind, s.interval, s.name) for s in watched.sources] == [
        ("https://a.example/rss", None, 1800.0, None), ("https://b.example/sitemap.xml", "sitemap", 7200.0, "B")]


def test_opml_from_a_feed_reader(tmp_path: Path) -> None:
    path = tmp_path / "s.opml"
    path.write_text('<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="News">'
                    '<outline type="rss" text="A" xmlUrl="https://a.example/rss"/>'
                    '<outline type="sitemap" text="B" url="https://b.example/sitemap.xml" interval="1h"/>'
                    "</outline></body></opml>")
    assert [(s.url, s.kind, s.interval, s.name) for s in load_sources(path, 60).sources] == [
        ("https://a.example/rss", "feed", 60, "A"), ("https://b.example/sitemap.xml", "sitemap", 3600.0, "B")]


@pytest.mark.parametrize(
    ("text", "message"),
    [("sources: []", "lists no sources"), ("sources: [https://a.example/x, https://a.example/x]", "listed twice"),
     ("sources: [{url: https://a.example/x, type: podcast}]", "type must be one of"),
     ("interval: soon\nsources: [https://a.example/x]", "not a duration")],
)
def test_sources_mistakes(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(SourcesError, match=message):
        load_sources(path, 60)


def test_durations() -> None:
    assert [parse_duration(v) for v in (90, "90s", "15m", "2h", "1d", "0.5m")] == [90, 90, 900, 7200, 86400, 30]


def _fetched(body: bytes, url: str = "https://news.example/sitemaps/index.xml") -> Fetched:
    return Fetched(url, url, 200, httpx.Headers({"content-type": "application/xml"}), body)


def test_sitemap_index_and_gzipped_sitemap() -> None:
    index = (b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b"<sitemap><loc>/sitemaps/2024.xml.gz</loc></sitemap></sitemapindex>")
    assert listing(_fetched(index), None, 10_000).sitemaps == ["https://news.example/sitemaps/2024.xml.gz"]
    urlset = gzip.compress(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                           b"<url><loc>https://news.example/a#top</loc><lastmod>2024-06-18</lastmod></url>"
                           b"<url><loc>https://news.example/a</loc></url><url><loc>mailto:x@y</loc></url></urlset>")
    found = listing(_fetched(urlset), None, 10_000)
    assert (found.kind, found.entries) == ("sitemap", [("https://news.example/a", "2024-06-18")])


def test_neither_feed_nor_sitemap() -> None:
    with pytest.raises(NotAListing, match="neither"):
        listing(_fetched(b"<html><body>hi</body></html>"), None, 10_000)
