"""The pipeline stage: each document's check-worthy claims, grouped across the corpus.

Runs after the sentence, embedding and citation stages (it reads their output).
The claims of a document go to `doc.meta["claims"]` as plain records, so they
travel with the document through any store or Spark partition as they are;
`claims_of` reads them back. The grouper is optional: a Spark partition extracts
claims alone, and the grouping (which needs every earlier group) runs where the
store is.
"""

from __future__ import annotations

from typing import Any

from narratrace.claims.grouping import ClaimGrouper
from narratrace.claims.model import Claim
from narratrace.claims.scorer import THRESHOLD, extract_claims
from narratrace.claims.vectors import claim_vectors
from narratrace.model import Document

META_KEY = "claims"


def claims_of(doc: Document) -> list[Claim]:
    return [Claim.from_dict(record) for record in doc.meta.get(META_KEY, [])]


def records(docs: list[Document]) -> list[dict[str, Any]]:
    """The export rows (`claims` in CLI.md) of the documents' claims."""
    return [claim.record() for doc in docs for claim in claims_of(doc)]


class ClaimStage:
    """Extracts claims and, with a grouper, assigns each to its group of variants."""

    def __init__(self, grouper: ClaimGrouper | None = None, threads: int = 2, threshold: float = THRESHOLD) -> None:
        self.grouper = grouper
        self.threads = threads
        self.threshold = threshold

    def __call__(self, docs: list[Document]) -> list[Document]:
        found = {doc.id: extract_claims(doc, self.threshold) for doc in docs}
        if self.grouper is not None:
            claims = [c for doc in docs for c in found[doc.id]]
            self.grouper.add(claims, claim_vectors(docs, claims, self.threads))
        for doc in docs:
            doc.meta[META_KEY] = [claim.to_dict() for claim in found[doc.id]]
        return docs

    def records(self, docs: list[Document]) -> list[dict[str, Any]]:
        return records(docs)
