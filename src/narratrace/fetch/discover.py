"""The article URLs a feed or a sitemap lists.

Only the links are taken: the article itself is fetched and read from its own
page, so a feed that carries a two-line summary and one that carries the full
text give the same Document. A sitemap index lists further sitemaps, which the
watcher fetches in the same poll.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field

import feedparser
import httpx

from narratrace.fetch.client import Fetched
from narratrace.ingest.sniff import head_text, looks_like_feed

SITEMAP_ROOTS = ("urlset", "sitemapindex")


class NotAListing(ValueError):
    """The response is neither a feed nor a sitemap."""


@dataclass(slots=True)
class Listing:
    kind: str
    entries: list[tuple[str, str | None]] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


def listing(fetched: Fetched, kind: str | None, max_bytes: int) -> Listing:
    """(url, published) of every entry, in the source's order, and any child sitemaps."""
    body = _gunzipped(fetched.content(max_bytes), max_bytes)
    kind = kind or _kind_of(body)
    found = _feed(body) if kind == "feed" else _sitemap(body)
    base = httpx.URL(fetched.final_url)
    entries: dict[str, str | None] = {}
    for url, when in found.entries:
        absolute = _absolute(base, url)
        if absolute and absolute not in entries:
            entries[absolute] = when
    found.entries = list(entries.items())
    found.sitemaps = [url for url in (_absolute(base, u) for u in found.sitemaps) if url]
    return found


def _kind_of(body: bytes) -> str:
    if looks_like_feed(body[:4096]):
        return "feed"
    head = head_text(body[:4096])
    if any(f"<{root}" in head for root in SITEMAP_ROOTS):
        return "sitemap"
    raise NotAListing("neither an RSS/Atom feed nor a sitemap")


def _feed(body: bytes) -> Listing:
    parsed = feedparser.parse(io.BytesIO(body), resolve_relative_uris=False)
    if not parsed.entries and parsed.bozo:
        raise NotAListing(f"malformed feed: {parsed.bozo_exception}")
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        if isinstance(link, str):
            entries.append((link, entry.get("published") or entry.get("updated")))
    return Listing("feed", entries)


def _sitemap(body: bytes) -> Listing:
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise NotAListing(f"malformed sitemap: {exc}") from None
    found = Listing("sitemap")
    for item in root:
        values = {_local(child.tag): (child.text or "").strip() for child in item}
        if not values.get("loc"):
            continue
        if _local(root.tag) == "sitemapindex":
            found.sitemaps.append(values["loc"])
        else:
            found.entries.append((values["loc"], values.get("lastmod") or None))
    return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _absolute(base: httpx.URL, url: str) -> str | None:
    """An http(s) URL resolved against the listing's own, without fragment; None for anything else."""
    try:
        joined = base.join(url.strip()).copy_with(fragment=None)
    except (httpx.InvalidURL, ValueError):
        return None
    return str(joined) if joined.scheme in ("http", "https") and joined.host else None


def _gunzipped(body: bytes, limit: int) -> bytes:
    """Sitemaps are often served as .xml.gz files, gzip bytes with no Content-Encoding."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    data = zlib.decompressobj(wbits=31).decompress(body, limit + 1)
    if len(data) > limit:
        raise NotAListing(f"decompressed sitemap larger than {limit} bytes")
    return data
