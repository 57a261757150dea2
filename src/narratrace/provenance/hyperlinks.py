"""Hyperlinks as citations: an article that links to its source cites it, even without a phrase.

HTML readers hand over (anchor text, href) pairs. A link is a citation when its
target resolves to a registry source, or when its anchor is a name rather than
navigation; links to the page's own site (`own_domain`) are navigation, not
provenance. Offsets are those of the anchor in the document text when it occurs
there, else -1: the anchor may sit in markup the text extractor dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from narratrace.provenance.citations import Citation
from narratrace.provenance.registry import SourceRegistry

HYPERLINK_SCORE = 0.7
RESOLVED_SCORE = 0.9


def _host(href: str) -> str:
    return (urlsplit(href).hostname or "").casefold().removeprefix("www.")


def hyperlink_citations(
    links: Iterable[tuple[str, str]],
    registry: SourceRegistry,
    text: str = "",
    own_domain: str | None = None,
) -> list[Citation]:
    """One `hyperlink` citation per external link; the anchor text is the source as written."""
    own = _host(own_domain if "//" in (own_domain or "") else f"//{own_domain}") if own_domain else None
    out: list[Citation] = []
    for anchor, href in links:
        host = _host(href)
        if not host or host == own or (own and host.endswith("." + own)):
            continue
        anchor = " ".join(anchor.split())
        canonical = registry.resolve_domain(href) or (registry.resolve(anchor) if anchor else None)
        start = text.find(anchor) if anchor else -1
        out.append(Citation(
            source=anchor or href,
            canonical=canonical,
            kind="hyperlink",
            anonymous=False,
            phrase=href,
            start=start,
            end=start + len(anchor) if start >= 0 else -1,
            score=RESOLVED_SCORE if canonical else HYPERLINK_SCORE,
        ))
    return out
