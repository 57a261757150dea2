"""One JSON or CSV record to one Document, whatever the export calls its fields.

Exports from scrapers, news APIs and research datasets name the same things
differently (body, maintext, full_text...). The user's mapping wins; otherwise
the first common name present is used, compared case-insensitively.
"""

from __future__ import annotations

from collections.abc import Mapping

from narratrace.ingest.base import FieldMapping, ReadOptions, ReadResult, Rejection
from narratrace.ingest.dates import language_hint, parse_date
from narratrace.ingest.decode import clean_text, repair_text
from narratrace.ingest.extract import has_markup, html_to_text
from narratrace.ingest.results import build_document

GUESSES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "full_text", "maintext", "article_text", "fulltext"),
    "title": ("title", "headline"),
    "date": ("date", "published", "published_at", "pubdate", "date_publish", "publish_date", "pub_date"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "site", "site_name", "domain"),
    "lang": ("lang", "language"),
    "id": ("id", "doc_id", "article_id"),
}
KNOWN_FIELD_NAMES = frozenset(name for names in GUESSES.values() for name in names)


def field_keys(keys: list[str], mapping: FieldMapping) -> dict[str, str | None]:
    """Which key of the records holds each role: the mapped name, else the first common name present."""
    by_lower = {key.lower(): key for key in reversed(keys)}
    chosen: dict[str, str | None] = {}
    for role, names in GUESSES.items():
        mapped = getattr(mapping, role)
        if mapped:
            chosen[role] = by_lower.get(mapped.lower(), mapped)
        else:
            chosen[role] = next((by_lower[name] for name in names if name in by_lower), None)
    return chosen


def record_document(record: Mapping[str, object], origin: str, options: ReadOptions, reader: str) -> ReadResult:
    """A Document from one record, or a Rejection saying which field was missing or empty."""
    keys = field_keys(list(record), options.fields)
    if keys["text"] is None:
        return Rejection(origin, f"no text field (looked for {', '.join(GUESSES['text'])})")
    raw_text = lookup(record, keys["text"])
    if raw_text is None:
        return Rejection(origin, f"no field {keys['text']!r}")
    text = _as_text(raw_text)
    if text is None:
        return Rejection(origin, f"field {keys['text']!r} is not text")
    if has_markup(text):
        text = html_to_text(text)
    if not text.strip():
        return Rejection(origin, f"empty text in field {keys['text']!r}")
    language = _field(record, keys["lang"])
    raw_date = lookup(record, keys["date"]) if keys["date"] else None
    if isinstance(raw_date, str):  # kept as evidence, so cleaned like every stored string (JSON may hold "\ud800")
        raw_date = clean_text(repair_text(raw_date))
    published = None
    if raw_date not in (None, ""):
        published = parse_date(raw_date, f"field {keys['date']}: {raw_date}", language_hint(language))
    return build_document(
        origin,
        text,
        options,
        reader=reader,
        title=_field(record, keys["title"]),
        url=_field(record, keys["url"]),
        outlet=_field(record, keys["outlet"]),
        published=published,
        meta={
            "declared_language": language,
            "source_id": _field(record, keys["id"]),
            "unparsed_date": str(raw_date) if raw_date not in (None, "") and published is None else None,
        },
    )


def lookup(record: Mapping[str, object], key: str) -> object:
    """The value under `key`, or under a dotted path into nested objects ("source.name")."""
    if key in record:
        return record[key]
    value: object = record
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _field(record: Mapping[str, object], key: str | None) -> str | None:
    if key is None:
        return None
    text = _as_text(lookup(record, key))
    return (" ".join(text.split()) or None) if text is not None else None


def _as_text(value: object) -> str | None:
    """Strings as they are, numbers as written, and a named object ({"name": "BBC"}) by its name."""
    if isinstance(value, str):
        return clean_text(repair_text(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, Mapping):
        for key in ("name", "title", "value"):
            if isinstance(value.get(key), str):
                return clean_text(repair_text(value[key]))
    return None
