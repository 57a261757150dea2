"""schema.org ClaimReview as fact-checkers publish it: JSON-LD objects, lists, `@graph`
documents, JSON Lines exports, and HTML pages carrying it in `<script type="application/ld+json">`.

Fact-checkers embed ClaimReview next to Organization, BreadcrumbList and WebPage
nodes, sometimes nested inside an Article's `review`, so every object is searched.
In a page or an `@graph` those other nodes are expected, and only a page or graph
without any ClaimReview is an error; in a list of records exported as ClaimReview,
a record that holds none is an error of its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

import regex

from narratrace.factchecks.records import (
    FactCheck,
    FieldMap,
    RecordError,
    build_factcheck,
    pick,
)
from narratrace.ingest.base import Rejection
from narratrace.ingest.tabular import load_json

LD_SCRIPT = regex.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>", regex.S | regex.I
)
HTML_START = regex.compile(r"^\s*(?:<!--.*?-->\s*)*<", regex.S)
USUAL: dict[str, tuple[str, ...]] = {
    "id": (),
    "claim": ("claimReviewed", "itemReviewed.text", "itemReviewed.name"),
    "title": ("name", "headline"),
    "rating": ("reviewRating.alternateName", "reviewRating.name"),
    "author": ("author", "publisher"),
    "url": ("url",),
    "date": ("datePublished", "dateCreated"),
    "lang": ("inLanguage",),
}


def read_claimreview(text: str, origin: str, mapping: FieldMap) -> Iterator[FactCheck | Rejection]:
    """Every ClaimReview in a JSON, JSON Lines or HTML text; each bad record or block a Rejection."""
    if HTML_START.match(text):
        yield from _read_page(text, origin, mapping)
        return
    try:
        data = load_json(text)
    except json.JSONDecodeError as exc:
        lines = [line for line in text.split("\n") if line.strip()]
        if len(lines) > 1 and _parses(lines[0]):
            yield from _read_lines(text, origin, mapping)
        else:
            yield Rejection(origin, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    if isinstance(data, Mapping) and isinstance(data.get("@graph"), list):
        yield from _read_graph(data["@graph"], origin, mapping)
    else:
        yield from _read_records(data if isinstance(data, list) else [data], origin, mapping)


def has_claimreview(data: object) -> bool:
    return any(True for _ in _claimreviews(data))


def _read_page(text: str, origin: str, mapping: FieldMap) -> Iterator[FactCheck | Rejection]:
    blocks = LD_SCRIPT.findall(text)
    found = 0
    for number, block in enumerate(blocks, 1):
        try:
            data = load_json(block)
        except json.JSONDecodeError as exc:
            yield Rejection(f"{origin}#script{number}", f"invalid JSON-LD: {exc.msg} (line {exc.lineno})")
            continue
        for index, node in enumerate(_claimreviews(data), 1):
            found += 1
            yield _factcheck(node, f"{origin}#script{number}.{index}", mapping)
    if not found:
        where = f"{len(blocks)} JSON-LD block{'s' if len(blocks) > 1 else ''}" if blocks else "no JSON-LD block"
        yield Rejection(origin, f"HTML page without ClaimReview ({where})")


def _read_graph(nodes: list[object], origin: str, mapping: FieldMap) -> Iterator[FactCheck | Rejection]:
    found = 0
    for number, node in enumerate(nodes, 1):
        reviews = list(_claimreviews(node))
        found += len(reviews)
        for index, review in enumerate(reviews, 1):
            yield _factcheck(review, f"{origin}#{number}" if len(reviews) == 1 else f"{origin}#{number}.{index}", mapping)
    if not found:
        yield Rejection(origin, f"@graph of {len(nodes)} nodes without ClaimReview")


def _read_lines(text: str, origin: str, mapping: FieldMap) -> Iterator[FactCheck | Rejection]:
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            data = load_json(line)
        except json.JSONDecodeError as exc:
            yield Rejection(f"{origin}#{number}", f"invalid JSON line: {exc.msg} (column {exc.colno})")
            continue
        yield from _read_records([data], f"{origin}#{number}", mapping, numbered=False)


def _read_records(
    records: list[object], origin: str, mapping: FieldMap, numbered: bool = True
) -> Iterator[FactCheck | Rejection]:
    for number, record in enumerate(records, 1):
        where = f"{origin}#{number}" if numbered else origin
        nodes = list(_claimreviews(record))
        if not nodes:
            yield Rejection(where, f"not a ClaimReview ({_described(record)})")
        for index, node in enumerate(nodes, 1):
            yield _factcheck(node, where if len(nodes) == 1 else f"{where}.{index}", mapping)


def _factcheck(node: Mapping[str, object], origin: str, mapping: FieldMap) -> FactCheck | Rejection:
    try:
        _check_rating(node, mapping)
        found = {role: pick(node, names, mapping.roles()[role]) for role, names in USUAL.items()}
        return build_factcheck(origin, found, mapping.date_format)
    except RecordError as exc:
        return Rejection(origin, str(exc))


def _check_rating(node: Mapping[str, object], mapping: FieldMap) -> None:
    """A ClaimReview's verdict is what makes it a fact-check, so its absence is an error."""
    if mapping.rating:
        return
    rating = node.get("reviewRating")
    if rating is None:
        raise RecordError("missing reviewRating")
    if isinstance(rating, list):
        raise RecordError("field 'reviewRating' is a list, not one Rating")
    if not isinstance(rating, Mapping) or not any(
        isinstance(rating.get(key), str) and rating[key].strip() for key in ("alternateName", "name")
    ):
        raise RecordError("reviewRating has no alternateName (the verdict in words)")


def _claimreviews(data: object) -> Iterator[Mapping[str, object]]:
    """ClaimReview nodes at any depth, in document order, none inside another.

    Walked with a stack rather than recursion: JSON that json accepts may still be
    nested deeper than Python lets a function recurse."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, Mapping):
            if _is_claimreview(node):
                yield node
            else:
                stack.extend(reversed(list(node.values())))


def _is_claimreview(node: Mapping[str, object]) -> bool:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == "ClaimReview" for k in kinds)


def _described(record: object) -> str:
    if isinstance(record, Mapping):
        kind = record.get("@type")
        return f"@type {kind!r}" if kind else "an object without @type"
    return f"a {type(record).__name__}"


def _parses(line: str) -> bool:
    try:
        load_json(line)
    except json.JSONDecodeError:
        return False
    return True
