"""Stored claims against the fact-check database: suggestions an analyst confirms or rejects.

Each claim is a query to the same hybrid retrieval as `factchecks search`; its best
fact-checks scoring at least the threshold become `suggested` matches, with the
retrieval's evidence (shared words, BM25, each encoder's cosine) and both texts, so
a reviewer sees why without opening anything. Matching again refreshes scores and
never touches what a reviewer decided. Claims with the same words (a copy's claims)
are searched once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from narratrace.claims.model import Claim
from narratrace.claims.run import stored_claims
from narratrace.enrich.embeddings import Encoder
from narratrace.factchecks.records import FactCheckMatch
from narratrace.factchecks.retrieval import FactCheckIndex
from narratrace.factchecks.text import same_words
from narratrace.store.base import Store

# The fused score (`retrieval.FactCheckIndex.fuse`: calibrated cosines, 1 = translation level,
# mixed with normalised BM25 within a language) from which a fact-check is suggested, and how
# far below a claim's best one its others may fall. Chosen with `benchmarks/claim_retrieval.py
# --calibrate` on the CheckThat! train split (each tweet has its fact-check) and the demo
# corpus's 411 claims (none has one): at 0.6 and 0.05, 83.9% of the tweets get their
# fact-check suggested, 71% of suggestions are right (CheckThat! holds near-identical
# verified claims, which cap it at 79%), and 1 unrelated claim in 100 gets a suggestion;
# without the margin precision fell to 57%, at 0.55 false alarms doubled, at 0.65 recall fell to 75%.
THRESHOLD = 0.6
MARGIN = 0.05
TOP = 3
# Claims searched per round: bounds the query-by-fact-check score matrices.
CHUNK = 256


@dataclass(slots=True)
class MatchSummary:
    claims: int = 0
    searched: int = 0
    suggested: int = 0
    new: int = 0


def suggestions(index: FactCheckIndex, claims: Sequence[Claim], threshold: float = THRESHOLD, top: int = TOP,
                since: str | None = None) -> list[FactCheckMatch]:
    """The matches of each claim: of its best `top` fact-checks, those scoring at least `threshold`
    and within MARGIN of its best."""
    first: dict[str, int] = {}
    texts: list[str] = []
    query_of = []
    for claim in claims:
        key = same_words(claim.text)
        if key not in first:
            first[key] = len(texts)
            texts.append(claim.text)
        query_of.append(first[key])
    hits = index.search(texts, top=top, since=since)
    out = []
    for claim, q in zip(claims, query_of, strict=True):
        floor = max(threshold, hits[q][0].score - MARGIN) if hits[q] else threshold
        for hit in hits[q]:
            if hit.score < floor:
                break
            evidence = hit.record()["evidence"] | {"claim": claim.text, "factcheck_claim": hit.factcheck.claim,
                                                   "rating": hit.factcheck.rating, "url": hit.factcheck.url}
            out.append(FactCheckMatch(claim.id, hit.factcheck.id, claim.document, round(hit.score, 4),
                                      evidence=evidence))
    return out


def match_claims(store: Store, encoders: Sequence[Encoder], threshold: float = THRESHOLD, top: int = TOP,
                 since: str | None = None, progress: Callable[[MatchSummary], None] | None = None) -> MatchSummary:
    """Suggest matches for every stored claim, writing each chunk in one transaction."""
    index = FactCheckIndex.from_store(store, encoders)
    claims = stored_claims(store)
    summary = MatchSummary(claims=len(claims))
    if not index.factchecks:
        return summary
    for lo in range(0, len(claims), CHUNK):
        chunk = claims[lo : lo + CHUNK]
        found = suggestions(index, chunk, threshold, top, since)
        summary.searched += len(chunk)
        summary.suggested += len(found)
        summary.new += store.add_matches(found)
        if progress:
            progress(summary)
    return summary
