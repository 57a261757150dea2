"""`narratrace watch` against the demo corpus served as a website: new entries once, robots, restarts."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from website import Page, Site, rss, serve_articles

from narratrace.cli import main
from narratrace.fetch.state import FetchState
from narratrace.store import open_store

SLUGS = [
    "tarvola-ledger-project-nightwater",
    "courrier-ostra-documents-nightwater",
    "ostracheck-kastrel-lab-false",
    "tarvola-ledger-tram-line",
    "ostra-bote-nightwater-zweifel",
]


def _sources(tmp_path: Path, *urls: str, extra: str = "") -> str:
    path = tmp_path / "sources.yaml"
    path.write_text("interval: 0s\nsources:\n" + "".join(f"  - {url}\n" for url in urls) + extra, encoding="utf-8")
    return str(path)


def _watch(sources: str, db: Path, *more: str) -> int:
    return main(["watch", sources, "--db", str(db), "--once", "--allow-private", "--delay", "0", *more])


def _origins(db: Path) -> list[str]:
    with open_store(str(db)) as store:
        return sorted(doc.origin for doc in store.documents())


def test_watch_once_twice_ingests_new_entries_once_and_honours_robots(site: Site, tmp_path: Path) -> None:
    serve_articles(site, SLUGS)
    site.routes["/robots.txt"] = Page(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    listed = [*SLUGS[:3], "/private/hidden"]
    site.routes["/feed.xml"] = Page(rss(site, listed), content_type="application/rss+xml")
    site.routes["/sitemap.xml"] = Page(
        (f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{site.url("/articles/" + SLUGS[3] + ".html")}'
         f"</loc><lastmod>2023-10-02</lastmod></url><url><loc>{site.url('/articles/' + SLUGS[0] + '.html')}</loc></url>"
         "</urlset>").encode(), content_type="application/xml")
    sources = _sources(tmp_path, site.url("/feed.xml"), extra=f"  - {{url: {site.url('/sitemap.xml')}, type: sitemap}}\n")
    db = tmp_path / "watch.db"

    assert _watch(sources, db) == 0
    first = _origins(db)
    assert first == sorted(site.url(f"/articles/{slug}.html") for slug in SLUGS[:4])
    assert site.requested("/private/hidden") == []
    assert len(site.requested("/articles/" + SLUGS[0] + ".html")) == 1

    assert _watch(sources, db) == 0
    assert _origins(db) == first
    assert [hit.status for hit in site.requested("/feed.xml")] == [200, 304]
    assert all(len(site.requested(f"/articles/{slug}.html")) == 1 for slug in SLUGS[:4])

    site.routes["/feed.xml"] = Page(rss(site, [*listed, SLUGS[4]]), content_type="application/rss+xml")
    assert _watch(sources, db) == 0
    assert _origins(db) == sorted([*first, site.url(f"/articles/{SLUGS[4]}.html")])
    assert all(len(site.requested(f"/articles/{slug}.html")) == 1 for slug in SLUGS)
    state = FetchState.beside(str(db))
    assert state.counts() == {"done": 5, "failed": 1}
    state.close()


def test_a_killed_watch_resumes_without_refetching_or_losing_anything(site: Site, tmp_path: Path) -> None:
    """Killed while the third page hangs: the two pages already archived are ingested from the WARC, not fetched again."""
    serve_articles(site, SLUGS[:4])
    hold = threading.Event()
    feed_order = list(reversed(SLUGS[:4]))
    hanging = f"/articles/{feed_order[2]}.html"
    site.routes[hanging].hold = hold
    site.routes["/feed.xml"] = Page(rss(site, SLUGS[:4]), content_type="application/rss+xml")
    sources = _sources(tmp_path, site.url("/feed.xml"))
    db = tmp_path / "watch.db"
    command = [sys.executable, "-m", "narratrace.cli", "watch", sources, "--db", str(db), "--once",
               "--allow-private", "--delay", "0"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not site.requested(hanging) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        assert site.requested(hanging), process.stderr.read().decode() if process.poll() is not None else "timeout"
        process.kill()
        process.wait(30)
    finally:
        hold.set()
        site.routes[hanging].hold = None
        if process.poll() is None:
            process.kill()
    state = FetchState.beside(str(db))
    assert state.counts() == {"fetched": 2, "pending": 2}

    assert _watch(sources, db) == 0
    assert _origins(db) == sorted(site.url(f"/articles/{slug}.html") for slug in SLUGS[:4])
    assert [len(site.requested(f"/articles/{slug}.html")) for slug in feed_order] == [1, 1, 2, 1]
    assert state.counts() == {"done": 4}
    state.close()


def test_sources_file_errors_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - {url: ftp://example.org/feed}\n", encoding="utf-8")
    assert _watch(str(bad), tmp_path / "x.db") == 2
    assert "source 1: not an http(s) URL: ftp://example.org/feed" in capsys.readouterr().err
