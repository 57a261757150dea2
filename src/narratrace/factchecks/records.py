"""One fact-check, whatever format it came in, and the field mapping that finds its parts.

Every reader (ClaimReview, Google Fact Check Tools, CSV/TSV) turns a record into a
`FactCheck` through `build_factcheck`, so the checks a record must pass (a claim in
plain text, fields of the right type, a date that is a date) and the stable id are
the same for every format.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime

import numpy as np

from narratrace.ingest.dates import language_hint, parse_date
from narratrace.ingest.decode import clean_text, repair_text
from narratrace.ingest.records import lookup

# A record field holding a named thing ({"@type": "Organization", "name": "AFP"}) is read by its name.
NAME_KEYS = ("name", "alternateName", "title", "value")


class RecordError(ValueError):
    """Why one record cannot be imported; the reader names the record."""


@dataclass(slots=True)
class FactCheck:
    id: str
    claim: str
    origin: str
    title: str | None = None
    rating: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    language: str | None = None
    # The declared language of the record, a hint for detection.
    declared_language: str | None = None
    # model name -> one row per text of `texts()`, as stored.
    vectors: dict[str, np.ndarray] = field(default_factory=dict)

    def texts(self) -> list[str]:
        """What is encoded: the claim, and the title apart, because fact-checkers title
        their article with a question or a rewording that a query may match better."""
        return [self.claim, self.title] if self.title and self.title != self.claim else [self.claim]

    def record(self) -> dict[str, str | None]:
        return {
            "id": self.id, "claim": self.claim, "title": self.title, "rating": self.rating,
            "author": self.author, "date": self.date, "url": self.url, "language": self.language,
        }


MATCH_STATES = ("suggested", "confirmed", "rejected")


@dataclass(slots=True)
class FactCheckMatch:
    """A claim of a stored document and a fact-check that may have checked it.

    Matching only ever suggests; an analyst's review makes it `confirmed` or
    `rejected`, and that decision survives any later re-matching.
    """

    claim: str
    factcheck: str
    document: str
    score: float
    state: str = "suggested"
    evidence: dict[str, object] = field(default_factory=dict)

    def record(self) -> dict[str, object]:
        """The export shape of `factcheck_matches` in CLI.md."""
        return {"claim": self.claim, "factcheck": self.factcheck, "score": self.score, "state": self.state}


@dataclass(slots=True)
class FieldMap:
    """Which field holds each part of a fact-check: a name or a dotted path ("reviewRating.alternateName");
    `None` means the format's usual names. CSV/TSV columns may also be named `#N` (1-based position)."""

    id: str | None = None
    claim: str | None = None
    title: str | None = None
    rating: str | None = None
    author: str | None = None
    url: str | None = None
    date: str | None = None
    lang: str | None = None
    date_format: str | None = None

    def roles(self) -> dict[str, str | None]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "date_format"}


def stable_id(claim: str, url: str | None) -> str:
    """A review is its URL and the claim it reviews, so re-importing it anywhere gives the same id."""
    digest = hashlib.sha256(f"{url or ''}\x1f{' '.join(claim.split())}".encode()).hexdigest()
    return f"fc-{digest[:16]}"


def text_of(value: object, name: str) -> str | None:
    """A field as one line of text; numbers as written; named objects by their name, several joined
    ("author": [{"name": "AFP"}, {"name": "Reuters"}] reads "AFP, Reuters")."""
    if value is None:
        return None
    if isinstance(value, str):
        text = " ".join(clean_text(repair_text(value)).split())
        return text or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, Mapping):
        for key in NAME_KEYS:
            if isinstance(value.get(key), str):
                return text_of(value[key], name)
        raise RecordError(f"field {name!r} is an object without a name")
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        return ", ".join(dict.fromkeys(t for v in value if (t := text_of(v, name)))) or None
    raise RecordError(f"field {name!r} is {_kind(value)}, not text")


def pick(record: Mapping[str, object], names: tuple[str, ...], mapped: str | None) -> tuple[str, object]:
    """(field name, value): the mapped field, else the first of the usual names present."""
    if mapped:
        return mapped, lookup(record, mapped)
    for name in names:
        value = lookup(record, name)
        if value not in (None, ""):
            return name, value
    return (names[0] if names else ""), None


def build_factcheck(
    origin: str,
    fields_found: Mapping[str, tuple[str, object]],
    date_format: str | None = None,
) -> FactCheck:
    """A FactCheck from (field name, raw value) per role, or a RecordError naming what is wrong."""
    values = {role: text_of(raw, name) for role, (name, raw) in fields_found.items() if role != "date"}
    claim = values.get("claim")
    if not claim:
        name = fields_found["claim"][0]
        raise RecordError(f"missing claim (field {name!r})")
    date_name, raw_date = fields_found.get("date", ("date", None))
    url = values.get("url")
    if url and not url.startswith(("http://", "https://")):
        raise RecordError(f"field {fields_found['url'][0]!r} is not a URL: {url[:60]!r}")
    return FactCheck(
        id=values.get("id") or stable_id(claim, url),
        claim=claim,
        origin=origin,
        title=values.get("title"),
        rating=values.get("rating"),
        author=values.get("author"),
        date=_date(raw_date, date_name, date_format, values.get("lang")),
        url=url,
        declared_language=values.get("lang"),
    )


def _date(raw: object, name: str, date_format: str | None, lang: str | None) -> str | None:
    """ISO 8601 at the precision written; an empty field is no date, an unreadable one an error."""
    text = text_of(raw, name)
    if text is None:
        return None
    if date_format:
        try:
            return datetime.strptime(text, date_format).date().isoformat()
        except ValueError as exc:
            raise RecordError(f"field {name!r} does not match --date-format {date_format!r}: {text!r}") from exc
    published = parse_date(text, name, language_hint(lang))
    if published is None:
        raise RecordError(f"field {name!r} holds no date I can read: {text[:40]!r} (give --date-format)")
    return published.value


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"
