"""The fetcher against a real local server: robots.txt, conditional requests, retries, caps, rate limits, WARC."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from website import Page, Site, demo_pages

from narratrace.fetch.client import FetchConfig, Fetcher, FetchError
from narratrace.fetch.guard import AddressPolicy
from narratrace.fetch.record import WarcRecorder
from narratrace.fetch.state import FetchState
from narratrace.ingest import read_inputs
from narratrace.model import Document

LOCAL = AddressPolicy(allow_private=True)


def _fetcher(state: FetchState | None = None, **options: object) -> Fetcher:
    settings: dict[str, object] = {"delay": 0, "backoff": 0.01, "policy": LOCAL, **options}
    return Fetcher(FetchConfig(**settings), state)  # type: ignore[arg-type]


def test_robots_disallow_is_respected_and_nothing_is_requested(site: Site) -> None:
    site.routes["/robots.txt"] = Page(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.routes["/private/page.html"] = Page(b"<html>secret</html>")
    site.routes["/public.html"] = Page(b"<html>open</html>")
    with _fetcher() as fetcher:
        assert fetcher.fetch(site.url("/public.html")).status == 200
        with pytest.raises(FetchError, match="disallowed by robots.txt") as refused:
            fetcher.fetch(site.url("/private/page.html"))
    assert refused.value.permanent
    assert site.requested("/private/page.html") == []
    assert len(site.requested("/robots.txt")) == 1


def test_robots_for_our_agent_and_an_unreachable_robots_txt(site: Site) -> None:
    """Rules for "narratrace" apply to us; a robots.txt answering 5xx means: stay away (RFC 9309)."""
    site.routes["/robots.txt"] = Page(b"User-agent: narratrace\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    site.routes["/a.html"] = Page(b"<html>a</html>")
    with _fetcher() as fetcher, pytest.raises(FetchError, match="robots.txt"):
        fetcher.fetch(site.url("/a.html"))
    site.routes["/robots.txt"] = Page(b"down", 503)
    with _fetcher(retries=0) as fetcher, pytest.raises(FetchError) as unreachable:
        fetcher.fetch(site.url("/a.html"))
    assert unreachable.value.reason.startswith("robots.txt unreachable (HTTP 503)")
    assert not unreachable.value.permanent
    assert site.requested("/a.html") == []


def test_conditional_request_gets_304(site: Site, tmp_path: Path) -> None:
    site.routes["/feed.xml"] = Page(b"<rss>unchanged</rss>", content_type="application/rss+xml")
    state = FetchState(tmp_path / "state.sqlite")
    with _fetcher(state) as fetcher:
        first = fetcher.fetch(site.url("/feed.xml"))
        state.remember(first.final_url, first.etag, first.last_modified)
        second = fetcher.fetch(site.url("/feed.xml"))
        unconditional = fetcher.fetch(site.url("/feed.xml"), conditional=False)
    assert (first.status, second.status, unconditional.status) == (200, 304, 200)
    assert second.not_modified and second.body == b""
    assert site.requested("/feed.xml")[1].headers["If-None-Match"] == first.etag


def test_retries_with_backoff_on_503_then_succeeds(site: Site) -> None:
    answers = [Page(b"busy", 503, headers={"Retry-After": "0"}), Page(b"busy", 429), Page(b"<html>ok</html>")]
    site.routes["/flaky.html"] = lambda: answers.pop(0)
    with _fetcher(retries=2) as fetcher:
        assert fetcher.fetch(site.url("/flaky.html")).body == b"<html>ok</html>"
    assert [hit.status for hit in site.requested("/flaky.html")] == [503, 429, 200]


def test_a_server_that_stays_broken_is_a_transient_failure(site: Site) -> None:
    site.routes["/broken.html"] = Page(b"oops", 500)
    with _fetcher(retries=1) as fetcher, pytest.raises(FetchError) as failed:
        fetcher.fetch(site.url("/broken.html"))
    assert failed.value.reason == "HTTP 500" and not failed.value.permanent
    assert len(site.requested("/broken.html")) == 2


def test_not_found_is_permanent_and_not_retried(site: Site) -> None:
    with _fetcher(retries=2) as fetcher, pytest.raises(FetchError) as failed:
        fetcher.fetch(site.url("/missing.html"))
    assert failed.value.reason == "HTTP 404" and failed.value.permanent
    assert len(site.requested("/missing.html")) == 1


def test_size_cap_by_header_and_by_stream(site: Site) -> None:
    site.routes["/big.html"] = Page(b"x" * 5000)
    with _fetcher(max_bytes=1000) as fetcher, pytest.raises(FetchError, match="larger than 1000 bytes"):
        fetcher.fetch(site.url("/big.html"))
    site.routes["/lying.html"] = Page(b"x" * 5000, headers={"X-Pad": "1"}, chunk_delay=0.001)
    with _fetcher(max_bytes=1000) as fetcher, pytest.raises(FetchError, match="larger than 1000 bytes"):
        fetcher.fetch(site.url("/lying.html"))


def test_time_cap_on_a_slow_drip(site: Site) -> None:
    site.routes["/slow.html"] = Page(b"x" * 640, chunk_delay=0.2)
    with _fetcher(max_seconds=0.5) as fetcher, pytest.raises(FetchError, match="longer than 0.5 s"):
        fetcher.fetch(site.url("/slow.html"))


def test_redirects_are_followed_and_bounded(site: Site) -> None:
    site.routes["/old"] = Page(b"", 301, headers={"Location": "/new"})
    site.routes["/new"] = Page(b"<html>new</html>")
    site.routes["/loop"] = Page(b"", 302, headers={"Location": "/loop"})
    with _fetcher(max_redirects=3) as fetcher:
        fetched = fetcher.fetch(site.url("/old"))
        assert fetched.final_url == site.url("/new") and fetched.url == site.url("/old")
        with pytest.raises(FetchError, match="more than 3 redirects"):
            fetcher.fetch(site.url("/loop"))
    assert len(site.requested("/loop")) == 4


def test_requests_to_one_host_are_spaced_by_the_delay_and_crawl_delay(site: Site) -> None:
    site.routes["/robots.txt"] = Page(b"User-agent: *\nCrawl-delay: 0.4\n", content_type="text/plain")
    for n in range(3):
        site.routes[f"/{n}.html"] = Page(b"<html>n</html>")
    with _fetcher(delay=0.2) as fetcher:
        for n in range(3):
            fetcher.fetch(site.url(f"/{n}.html"))
    times = [hit.at for hit in site.hits]
    gaps = [b - a for a, b in pairwise(times[1:])]
    assert all(gap >= 0.38 for gap in gaps), gaps


def test_every_response_is_archived_and_reads_back_as_a_document(site: Site, tmp_path: Path) -> None:
    slug, page = next(iter(demo_pages().items()))
    site.routes["/moved.html"] = Page(b"", 301, headers={"Location": f"/{slug}.html"})
    site.routes[f"/{slug}.html"] = Page(page)
    recorder = WarcRecorder(tmp_path / "warc", "test")
    with _fetcher() as fetcher:
        fetched = fetcher.fetch(site.url("/moved.html"), recorder)
    recorder.close()
    assert fetched.archive == recorder.path
    [result] = list(read_inputs([str(recorder.path)]))
    assert isinstance(result, Document)
    assert result.origin == f"{recorder.path}#{site.url(f'/{slug}.html')}"
    assert result.meta["fetched"]
    with recorder.path.open("rb") as stream:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.rec_headers.get_header(
            "WARC-IP-Address")) for r in ArchiveIterator(stream)]
    assert sorted(kind for kind, _, _ in records) == ["request"] * 3 + ["response"] * 3
    assert {uri for _, uri, _ in records} == {site.url(p) for p in ("/robots.txt", "/moved.html", f"/{slug}.html")}
    assert {ip for kind, _, ip in records if kind == "response"} == {"127.0.0.1"}
