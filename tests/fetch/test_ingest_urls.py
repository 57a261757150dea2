"""`narratrace ingest URL... --urls FILE`: fetched pages become Documents whose origin is the URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from website import DEMO, Page, Site, serve_articles

from narratrace.cli import main
from narratrace.fetch.state import fetch_folder
from narratrace.store import open_store

SLUGS = ["tarvola-ledger-project-nightwater", "ostracheck-kastrel-lab-false"]


def _ingest(db: Path, *args: str) -> int:
    return main(["ingest", "--db", str(db), "--quiet", "--delay", "0", *args])


def test_refused_addresses_give_one_line_each_and_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = str(DEMO / "corpus" / "text" / "merensk-festival-livre-jeunesse.txt")
    assert _ingest(tmp_path / "a.db", "http://10.0.0.1/", text, "http://localhost:9/x") == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "narratrace: rejected http://10.0.0.1/: refused: 10.0.0.1 is a private address",
        "narratrace: rejected http://localhost:9/x: refused: localhost resolves to 127.0.0.1, a loopback address",
    ]
    with open_store(str(tmp_path / "a.db")) as store:
        assert [doc.origin for doc in store.documents()] == [text]


def test_urls_are_fetched_archived_and_not_ingested_twice(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serve_articles(site, SLUGS)
    site.routes["/notes.txt"] = Page(b"plain words", content_type="text/plain")
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# to read\n{site.url('/articles/' + SLUGS[1] + '.html')}\n\n{site.url('/gone.html')}\n"
                    f"{site.url('/notes.txt')}\nftp://example.org/x\n", encoding="utf-8")
    db = tmp_path / "urls.db"
    first = site.url(f"/articles/{SLUGS[0]}.html")

    assert _ingest(db, first, "--urls", str(urls), "--allow-private") == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"narratrace: rejected {site.url('/gone.html')}: HTTP 404",
        (f"narratrace: rejected {site.url('/notes.txt')}: not an HTML page (Content-Type text/plain); "
         "feeds and sitemaps are followed by `watch`"),
        "narratrace: rejected ftp://example.org/x: unsupported URL scheme (only http and https): ftp",
    ]
    with open_store(str(db)) as store:
        docs = {doc.origin: doc for doc in store.documents()}
        assert sorted(docs) == sorted(site.url(f"/articles/{slug}.html") for slug in SLUGS)
        assert docs[first].url == "https://tarvolaledger.vl/news/2021/03/13/leaked-project-nightwater-files-kastrel-lab"
        assert docs[first].meta["archive"].endswith(f".warc.gz#{first}")
    assert len(list((fetch_folder(str(db)) / "warc").glob("ingest-*.warc.gz"))) == 1

    assert _ingest(db, first, "--allow-private") == 0
    assert capsys.readouterr().err.splitlines() == [
        f"narratrace: not modified since it was last fetched, nothing new: {first}"]
    assert [hit.status for hit in site.requested(f"/articles/{SLUGS[0]}.html")] == [200, 304]
    with open_store(str(db)) as store:
        assert store.count() == 2


def test_nothing_to_ingest_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["ingest", "--db", str(tmp_path / "x.db")]) == 2
