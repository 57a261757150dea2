"""RSS and Atom feeds: every entry is an article, the feed's title is its outlet."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from pathlib import Path

import feedparser
from feedparser import FeedParserDict

from narratrace.ingest.base import ReadOptions, ReadResult, Rejection
from narratrace.ingest.dates import language_hint, parse_date
from narratrace.ingest.decode import clean_text, repair_text
from narratrace.ingest.extract import extract_article, has_markup, html_to_text
from narratrace.ingest.results import build_document, reason_of, rejecting
from narratrace.ingest.sniff import looks_like_feed
from narratrace.ingest.source import load_bytes
from narratrace.model import Published

HTML_TYPES = ("text/html", "application/xhtml+xml")
NUMERIC_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
REPLACEMENT = b"&#xFFFD;"
MIN_EXTRACTED_SHARE = 0.5


def _no_surrogate(m: re.Match[bytes]) -> bytes:
    """A reference to a surrogate or beyond Unicode as U+FFFD: feedparser's fallback parser encodes
    every reference it meets and died on "&#xd800;", losing the whole feed (found by fuzzing)."""
    value = int(m[1], 16) if m[1] else int(m[2])
    return REPLACEMENT if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF else m[0]


class FeedReader:
    name = "feed"

    def sniff(self, path: Path, head: bytes) -> bool:
        return looks_like_feed(head)

    @rejecting
    def read(self, path: Path, origin: str, options: ReadOptions) -> Iterator[ReadResult]:
        data = NUMERIC_REFERENCE.sub(_no_surrogate, load_bytes(path, options.max_bytes))
        parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)
        if not parsed.entries:
            problem = f"malformed feed: {reason_of(parsed.bozo_exception)}" if parsed.bozo else "feed has no entries"
            yield Rejection(origin, problem)
            return
        outlet = _one_line(parsed.feed.get("title"))
        language = parsed.feed.get("language")
        for index, entry in enumerate(parsed.entries, 1):
            entry_origin = f"{origin}#{entry.get('link') or index}"
            try:
                result = self._entry(entry, entry_origin, options, outlet, language)
            except Exception as exc:  # one odd entry must not end the feed
                result = Rejection(entry_origin, reason_of(exc))
            yield result

    def _entry(
        self, entry: FeedParserDict, origin: str, options: ReadOptions, outlet: str | None, language: str | None
    ) -> ReadResult:
        language = _entry_language(entry) or language
        return build_document(
            origin,
            _entry_text(entry),
            options,
            reader=self.name,
            title=_one_line(entry.get("title")),
            url=_web_link(entry.get("link")),
            outlet=outlet,
            published=_entry_date(entry, language),
            meta={"declared_language": language},
        )


def _entry_text(entry: FeedParserDict) -> str:
    """The fullest body the entry carries: content:encoded or Atom content, else the summary."""
    bodies = [item for item in entry.get("content", []) if item.get("value")]
    if entry.get("summary"):
        bodies.append({"value": entry["summary"], "type": entry.get("summary_detail", {}).get("type", "text/html")})
    if not bodies:
        return ""
    body = max(bodies, key=lambda item: len(item["value"]))
    if body.get("type") not in HTML_TYPES and not has_markup(body["value"]):
        return clean_text(repair_text(body["value"]))
    return fragment_text(body["value"])


def fragment_text(fragment: str) -> str:
    """trafilatura drops share links and footers, but on a short fragment it may find little: then plain text wins."""
    plain = html_to_text(fragment)
    article = extract_article(f"<html><body><article>{fragment}</article></body></html>")
    if article is not None and len(article.text) >= MIN_EXTRACTED_SHARE * len(plain):
        return article.text
    return plain


def _entry_language(entry: FeedParserDict) -> str | None:
    for detail in [*entry.get("content", []), entry.get("summary_detail") or {}, entry.get("title_detail") or {}]:
        if detail.get("language"):
            return str(detail["language"])
    return None


def _entry_date(entry: FeedParserDict, language: str | None) -> Published | None:
    """The raw string first, with the feed's language: feedparser reads neither "lun., 15 juil." nor local days."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        published = parse_date(raw, f"feed {key}: {raw}", language_hint(language))
        if published is not None:
            return published
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return Published(time.strftime("%Y-%m-%d", parsed), "day", f"feed {key}: {raw}")
    return None


def _web_link(link: object) -> str | None:
    """feedparser falls back to an Atom id ("urn:uuid:...") for the link; that is no URL."""
    return link if isinstance(link, str) and link.startswith(("http://", "https://")) else None


def _one_line(value: object) -> str | None:
    return (" ".join(value.split()) or None) if isinstance(value, str) else None
