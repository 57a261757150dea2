"""The confirmed matches as schema.org ClaimReview JSON-LD, so they travel back into fact-checking tools.

One ClaimReview per fact-check with confirmed matches: the fact-check's own review
(claim reviewed, rating, author, date, URL), and as `itemReviewed.appearance` every
stored document where an analyst confirmed the claim appears, with the claim's
wording there. Only what a reviewer confirmed is exported: suggestions are not
findings. The output reads back through `factchecks import` (`claimreview.py`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from narratrace.factchecks.records import FactCheck, FactCheckMatch
from narratrace.store.base import Store


def confirmed_claimreviews(store: Store) -> list[dict[str, Any]]:
    confirmed = store.matches(state="confirmed")
    by_factcheck: dict[str, list[FactCheckMatch]] = defaultdict(list)
    for m in confirmed:
        by_factcheck[m.factcheck].append(m)
    factchecks = {fc.id: fc for fc in store.factchecks() if fc.id in by_factcheck}
    return [_review(factchecks[fid], matches, store) for fid, matches in by_factcheck.items() if fid in factchecks]


def _review(fc: FactCheck, matches: list[FactCheckMatch], store: Store) -> dict[str, Any]:
    appearances = []
    for m in sorted(matches, key=lambda m: (m.document, m.claim)):
        doc = store.get(m.document)
        appearance: dict[str, Any] = {"@type": "CreativeWork", "text": m.evidence.get("claim")}
        if doc is not None:
            appearance |= {"url": doc.url or doc.origin, "headline": doc.title, "inLanguage": doc.language,
                           "datePublished": doc.published.value if doc.published else None,
                           "publisher": {"@type": "Organization", "name": doc.outlet} if doc.outlet else None}
        appearances.append({k: v for k, v in appearance.items() if v is not None})
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": fc.id,
        "url": fc.url,
        "claimReviewed": fc.claim,
        "name": fc.title,
        "datePublished": fc.date,
        "inLanguage": fc.language,
        "author": {"@type": "Organization", "name": fc.author} if fc.author else None,
        "reviewRating": {"@type": "Rating", "alternateName": fc.rating} if fc.rating else None,
        "itemReviewed": {"@type": "Claim", "appearance": appearances},
    }
    return {k: v for k, v in review.items() if v is not None}
