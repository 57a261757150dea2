"""The Google Fact Check Tools `claims:search` response: `{"claims": [{"text", "claimant",
"claimDate", "claimReview": [{"publisher", "url", "title", "reviewDate", "textualRating",
"languageCode"}]}], "nextPageToken"}`.

One claim may be reviewed by several fact-checkers, each with its own verdict and
language, so each review becomes a fact-check of its own, named `file#claim.review`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from narratrace.factchecks.records import (
    FactCheck,
    FieldMap,
    RecordError,
    build_factcheck,
    pick,
)
from narratrace.ingest.base import Rejection

USUAL: dict[str, tuple[str, ...]] = {
    "id": (),
    "claim": ("text",),
    "title": ("title",),
    "rating": ("textualRating",),
    "author": ("publisher.name", "publisher.site"),
    "url": ("url",),
    "date": ("reviewDate", "claimDate"),
    "lang": ("languageCode",),
}


def is_gfc(data: object) -> bool:
    """A `claims:search` response: an object whose `claims` items carry `claimReview` lists."""
    if not isinstance(data, Mapping) or not isinstance(data.get("claims"), list):
        return False
    return any(isinstance(c, Mapping) and "claimReview" in c for c in data["claims"])


def read_gfc(data: object, origin: str, mapping: FieldMap) -> Iterator[FactCheck | Rejection]:
    if not isinstance(data, Mapping) or not isinstance(data.get("claims"), list):
        yield Rejection(origin, "not a claims:search response (no \"claims\" list)")
        return
    for number, claim in enumerate(data["claims"], 1):
        where = f"{origin}#{number}"
        if not isinstance(claim, Mapping):
            yield Rejection(where, f"claim is a {type(claim).__name__}, not an object")
            continue
        reviews = claim.get("claimReview")
        if not isinstance(reviews, list) or not reviews:
            yield Rejection(where, "no claimReview list")
            continue
        for index, review in enumerate(reviews, 1):
            yield _factcheck(claim, review, f"{where}.{index}", mapping)


def _factcheck(claim: Mapping[str, object], review: object, origin: str, mapping: FieldMap) -> FactCheck | Rejection:
    if not isinstance(review, Mapping):
        return Rejection(origin, f"claimReview item is a {type(review).__name__}, not an object")
    # The review's own fields win; the claim's (text, claimant, claimDate) fill in.
    merged = {**claim, **review}
    try:
        found = {role: pick(merged, names, mapping.roles()[role]) for role, names in USUAL.items()}
        return build_factcheck(origin, found, mapping.date_format)
    except RecordError as exc:
        return Rejection(origin, str(exc))
