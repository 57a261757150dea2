"""Article text and metadata out of HTML, shared by the HTML, WARC and feed readers.

One extraction for every source of HTML means a page read from a file, from a
crawl or from a feed gives the same text, hence the same document id.
trafilatura is tuned for precision: menus, share counters and "read also" boxes
would otherwise make unrelated articles look like copies of each other.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml.etree import ParserError
from trafilatura.settings import Document as Extraction
from trafilatura.utils import load_html

from narratrace.ingest.decode import clean_text
from narratrace.model import Published

CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I
)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
BROWSER_CHARSETS = dict.fromkeys(("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"), "cp1252")
JSON_LD_DATE = re.compile(r'"(datePublished|dateCreated|dateModified)"\s*:\s*"([^"]+)"')
BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article", "pre")
MIN_FALLBACK_CHARS = 200
DROPPED = ("script", "style", "noscript", "template")
MARKUP = re.compile(r"</?(?:p|br|div|span|a|li|h[1-6]|strong|em|b|i)\b[^>]*>", re.I)


@dataclass(slots=True)
class Article:
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: Published | None = None
    declared_language: str | None = None


def declared_charset(head: bytes, content_type: str | None = None) -> str | None:
    """The charset an HTTP Content-Type or the HTML/XML head names, as browsers read it (latin-1 means cp1252)."""
    header = HEADER_CHARSET.search(content_type or "")
    match = CHARSET.search(head[:4096])
    if header:
        name = header[1].lower()
    elif match:
        name = (match[1] or match[2]).decode("ascii").lower()
    else:
        return None
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return BROWSER_CHARSETS.get(name, name)


def extract_article(html: str, url: str | None = None) -> Article | None:
    """The main text and metadata of a page, or None when the page has no article text."""
    tree = load_html(html)
    if tree is None:
        return None
    language = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip() or None
    date_sources = _date_sources(tree)
    result = _extract(html, url, fast=True) or _extract(html, url, fast=False, min_chars=MIN_FALLBACK_CHARS)
    text = clean_text(result.text or "").strip() if result is not None else ""
    if result is None or not text:
        return None
    return Article(
        text=text,
        title=_clean(result.title),
        url=_clean(result.url),
        outlet=_clean(result.sitename),
        published=_published(result.date, date_sources, result.url),
        declared_language=language,
    )


def _extract(html: str, url: str | None, fast: bool, min_chars: int = 1) -> Extraction | None:
    """trafilatura's own extractor (fast) is precise; its fallbacks rescue odd layouts but also grab menus,
    so what they alone find must be long enough to be an article."""
    result = trafilatura.bare_extraction(
        html,
        url=url,
        fast=fast,
        with_metadata=True,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
    )
    if not isinstance(result, Extraction) or len((result.text or "").strip()) < min_chars:
        return None
    return result


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one line per block as trafilatura writes it: for fragments trafilatura skips."""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return ""
    for element in list(root.iter(*DROPPED)):
        element.drop_tree()
    for element in root.iter(*BLOCKS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in clean_text(root.text_content()).split("\n"))
    return "\n".join(line for line in lines if line)


def has_markup(text: str, min_tags: int = 2) -> bool:
    """Whether a string said to be plain text is HTML after all (exports and broken feeds mislabel it)."""
    return len(MARKUP.findall(text, 0, 100_000)) >= min_tags


def _clean(value: str | None) -> str | None:
    return (" ".join(value.split()) or None) if value else None


def _date_sources(tree: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """Where a date can be written in a page, as (evidence label, raw value), most telling first."""
    sources: list[tuple[str, str]] = []
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content:
            sources.append((f"html metadata: {key}", content))
    for script in tree.xpath('//script[contains(@type, "ld+json")]'):
        for key, value in JSON_LD_DATE.findall(script.text or ""):
            sources.append((f"html metadata: json-ld {key}", value))
    for element in tree.iter("time"):
        if element.get("datetime"):
            sources.append(("html markup: <time datetime>", element.get("datetime", "")))
    return sorted(sources, key=lambda source: _date_rank(source[0]))


def _date_rank(label: str) -> int:
    label = label.lower()
    if "modif" in label or "updat" in label:
        return 2
    return 0 if any(word in label for word in ("publish", "creat", "issued")) else 1


def _published(found: str | None, sources: list[tuple[str, str]], url: str | None) -> Published | None:
    """htmldate gives the day, not where it read it: the evidence is the first source carrying that day."""
    if not found:
        return None
    day = found[:10]
    evidence = "html text: htmldate"
    for label, raw in sources:
        if raw.strip().startswith(day):
            evidence = label
            break
    else:
        if url and (day.replace("-", "/") in url or day in url):
            evidence = f"url: {url}"
    return Published(value=day, precision="day", evidence=evidence)

