"""The list of things to watch: YAML written by hand, or OPML exported from a feed reader.

    interval: 15m            # default for every source
    user_agent: ...          # optional
    sources:
      - https://example.org/rss.xml
      - {url: https://example.org/sitemap.xml, type: sitemap, interval: 1h, name: Example}

OPML outlines with an `xmlUrl` are feeds; an outline may carry `type="sitemap"`
and an `interval` attribute of its own. A source without a type is recognised
from what it serves.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

KINDS = ("feed", "sitemap")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$", re.IGNORECASE)
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class SourcesError(ValueError):
    """The sources file cannot be used; the message says where."""


@dataclass(frozen=True, slots=True)
class WatchSource:
    url: str
    interval: float
    kind: str | None = None
    name: str | None = None


@dataclass(slots=True)
class WatchList:
    sources: list[WatchSource]
    user_agent: str | None = None


def parse_duration(value: Any) -> float:
    """Seconds from 90, "90s", "15m", "2h" or "1d"."""
    match = _DURATION.match(str(value))
    if match is None:
        raise ValueError(f"not a duration: {value!r} (use e.g. 30s, 15m, 2h)")
    return float(match.group(1)) * _UNIT[(match.group(2) or "s").lower()]


def load_sources(path: Path, default_interval: float) -> WatchList:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: cannot read: {exc}") from None
    try:
        if text.lstrip().startswith("<"):
            watched = _opml(text, default_interval)
        else:
            watched = _yaml(text, default_interval)
    except (ValueError, TypeError, ET.ParseError, yaml.YAMLError) as exc:
        raise SourcesError(f"{path}: {exc}") from None
    if not watched.sources:
        raise SourcesError(f"{path}: lists no sources")
    urls = [source.url for source in watched.sources]
    if len(set(urls)) != len(urls):
        raise SourcesError(f"{path}: a URL is listed twice")
    return watched


def _yaml(text: str, default_interval: float) -> WatchList:
    data = yaml.safe_load(text)
    if isinstance(data, list):
        data = {"sources": data}
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise TypeError("expected a list of sources, or a mapping with 'sources'")
    interval = parse_duration(data["interval"]) if "interval" in data else default_interval
    sources = [_source(item, interval, n) for n, item in enumerate(data["sources"], 1)]
    return WatchList(sources, data.get("user_agent"))


def _source(item: Any, interval: float, n: int) -> WatchSource:
    if isinstance(item, str):
        item = {"url": item}
    if not isinstance(item, dict) or not isinstance(item.get("url"), str):
        raise TypeError(f"source {n}: give a URL, or a mapping with url (type, interval, name)")
    kind = item.get("type")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"source {n}: type must be one of {', '.join(KINDS)}, not {kind!r}")
    if not item["url"].lower().startswith(("http://", "https://")):
        raise ValueError(f"source {n}: not an http(s) URL: {item['url']}")
    own = parse_duration(item["interval"]) if "interval" in item else interval
    return WatchSource(item["url"], own, kind, item.get("name"))


def _opml(text: str, default_interval: float) -> WatchList:
    root = ET.fromstring(text)
    if root.tag.lower() != "opml":
        raise ValueError("an XML sources file must be OPML")
    sources = []
    for n, outline in enumerate(root.iter("outline"), 1):
        url = outline.get("xmlUrl") or (outline.get("url") if outline.get("type") == "sitemap" else None)
        if url:
            kind = "sitemap" if outline.get("type") == "sitemap" else "feed"
            item = {"url": url, "type": kind, "name": outline.get("title") or outline.get("text")}
            if outline.get("interval"):
                item["interval"] = outline.get("interval")
            sources.append(_source(item, default_interval, n))
    return WatchList(sources)
