"""HTML pages saved to disk: the article, not the page around it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from narratrace.ingest.base import ReadOptions, ReadResult, Rejection
from narratrace.ingest.decode import decode_bytes
from narratrace.ingest.extract import declared_charset, extract_article
from narratrace.ingest.results import build_document, rejecting
from narratrace.ingest.sniff import looks_like_html
from narratrace.ingest.source import load_bytes


class HtmlReader:
    name = "html"

    def sniff(self, path: Path, head: bytes) -> bool:
        return looks_like_html(head)

    @rejecting
    def read(self, path: Path, origin: str, options: ReadOptions) -> Iterator[ReadResult]:
        data = load_bytes(path, options.max_bytes)
        yield html_document(data, origin, options, reader=self.name)


def html_document(
    data: bytes,
    origin: str,
    options: ReadOptions,
    *,
    reader: str,
    url: str | None = None,
    charset: str | None = None,
    meta: dict[str, Any] | None = None,
) -> ReadResult:
    """One page to one Document; `url` is where it was fetched, kept unless the page names a canonical one."""
    html = decode_bytes(data, charset or declared_charset(data))
    article = extract_article(html, url)
    if article is None:
        return Rejection(origin, "no article text found")
    return build_document(
        origin,
        article.text,
        options,
        reader=reader,
        title=article.title,
        url=article.url or url,
        outlet=article.outlet,
        published=article.published,
        meta={"declared_language": article.declared_language, **(meta or {})},
    )
