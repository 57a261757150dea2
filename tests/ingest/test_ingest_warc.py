"""WARC crawls: HTML responses become Documents, everything else is skipped, damage is reported where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from narratrace.ingest.base import ReadOptions
from ingest_samples import MAIN_MARKER, documents, news_page, read, rejections, write_warc

PAGES = [
    ("https://ex.fr/a?utm_source=x", news_page(canonical="https://ex.fr/canonical-a")),
    ("https://ex.fr/b", news_page(canonical="").replace('<link rel="canonical" href="">', "")),
    ("https://ex.fr/c", news_page(canonical="https://ex.fr/canonical-c").replace("Al-Tanf", "Al-Tanf (c)")),
]


@pytest.mark.parametrize("gzip, name", [(False, "crawl.warc"), (True, "crawl.warc.gz")])
def test_html_responses_become_documents(tmp_path: Path, gzip: bool, name: str) -> None:
    path = write_warc(tmp_path / name, gzip, PAGES)
    results = read(path)
    assert rejections(results) == []
    docs = documents(results)
    assert [doc.origin for doc in docs] == [f"{path}#{uri}" for uri, _ in PAGES]
    assert [doc.url for doc in docs] == ["https://ex.fr/canonical-a", "https://ex.fr/b", "https://ex.fr/canonical-c"]
    assert all(MAIN_MARKER in doc.text and "1 254 partages" not in doc.text for doc in docs)
    assert docs[0].meta["format"] == "warc" and docs[0].meta["declared_language"] == "fr"
    assert docs[0].meta["fetched"].startswith("20")
    assert docs[0].published is not None and docs[0].published.value == "2022-07-15"


def test_truncated_warc_gz_keeps_earlier_records(tmp_path: Path) -> None:
    whole = write_warc(tmp_path / "whole.warc.gz", True, PAGES).read_bytes()
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(whole[: len(whole) - 700])
    results = read(path)
    assert [doc.origin for doc in documents(results)] == [f"{path}#{uri}" for uri, _ in PAGES[:2]]
    (rejection,) = rejections(results)
    assert rejection.origin == str(path)
    assert "truncated or corrupt WARC record" in rejection.reason and "at offset" in rejection.reason
    assert results[-1] is rejection


def test_truncated_plain_warc_inside_headers(tmp_path: Path) -> None:
    whole = write_warc(tmp_path / "whole.warc", False, PAGES).read_bytes()
    second_request = whole.index(b"WARC/1.0", whole.index(b"https://ex.fr/b") - 400)
    path = tmp_path / "cut.warc"
    path.write_bytes(whole[: second_request + 30])
    results = read(path)
    assert len(documents(results)) == 1
    assert len(rejections(results)) == 1 and rejections(results)[0].origin == str(path)


def test_garbage_between_records(tmp_path: Path) -> None:
    whole = write_warc(tmp_path / "whole.warc.gz", True, PAGES).read_bytes()
    cut = whole.index(b"\x1f\x8b", len(whole) // 2)
    path = tmp_path / "junk.warc.gz"
    path.write_bytes(whole[:cut] + b"GARBAGE" * 40 + whole[cut:])
    results = read(path)
    assert len(documents(results)) >= 1
    assert "truncated or corrupt WARC" in rejections(results)[-1].reason


def test_compressed_response_over_the_size_limit(tmp_path: Path) -> None:
    padded = news_page().replace("</body>", "<!--" + " " * 3_000_000 + "--></body>")
    path = write_warc(tmp_path / "bomb.warc.gz", True, [("https://ex.fr/bomb", padded), *PAGES[1:2]])
    assert path.stat().st_size < 1_000_000
    results = read(path, options=ReadOptions(max_bytes=1_000_000))
    assert [(r.origin, r.reason) for r in rejections(results)] == [
        (f"{path}#https://ex.fr/bomb", "response too large (> 1000000 bytes)")
    ]
    assert [doc.url for doc in documents(results)] == ["https://ex.fr/b"]
