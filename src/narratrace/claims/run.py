"""Claims as stored: grouping the ones no pass has grouped yet, and reading them back with their group.

Ingest extracts each document's claims (cheap: 4 ms a document) and stores them
with it. Grouping is a pass of its own, run by the commands that need groups
(`narratrace claims`, `factchecks match`), not by ingest: comparing claims across
languages needs an e5 vector of each, and encoding them costs about five times the
rest of ingest (22 s for the 411 claims of the 30 demo documents, against 4.6 s
for every other stage), which would sink the ingest rate far below its target.

The grouper's state is saved in the store with the same call as the clusterers'
(under its own name, touching no cluster level), in one transaction, so a killed
pass leaves the previous one whole and ids never change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from narratrace.claims.grouping import ClaimGrouper
from narratrace.claims.model import Claim
from narratrace.claims.stage import META_KEY, claims_of
from narratrace.claims.vectors import claim_vectors
from narratrace.model import Document
from narratrace.store.base import Store

STATE = "claims"


def load_grouper(store: Store) -> ClaimGrouper:
    saved = store.cluster_state(STATE)
    return ClaimGrouper() if saved is None else ClaimGrouper.from_dict(saved[0])


def group_pending(store: Store, threads: int = 2) -> int:
    """Group the stored claims no pass has grouped, in ingestion order; returns how many."""
    grouper = load_grouper(store)
    pending: list[Document] = []
    claims: list[Claim] = []
    for doc in store.documents():
        fresh = [c for c in claims_of(doc) if c.id not in grouper.group_of]
        if fresh:
            doc.vectors = store.vectors_of(doc.id)
            pending.append(doc)
            claims.extend(fresh)
    if not claims:
        return 0
    grouper.add(claims, claim_vectors(pending, claims, threads))
    # Each claim keeps why it joined its group on its document first: a pass killed between
    # the two writes leaves claims the state does not know yet, and the next pass groups them again.
    by_doc: dict[str, list[Claim]] = {}
    for claim in claims:
        by_doc.setdefault(claim.document, []).append(claim)
    updates = []
    for doc in pending:
        grouped = {c.id: c for c in by_doc[doc.id]}
        updates.append((doc.id, META_KEY, [grouped.get(c.id, c).to_dict() for c in claims_of(doc)]))
    store.update_meta(updates)
    store.save_clusters(STATE, grouper.to_dict(), {}, [], [], [])
    return len(claims)


def stored_claims(store: Store, docs: Iterable[Document] | None = None) -> list[Claim]:
    """The claims of the given documents (all stored ones by default), each with its group or None."""
    group_of = load_grouper(store).group_of
    out = []
    for doc in store.documents() if docs is None else docs:
        for claim in claims_of(doc):
            claim.group = group_of.get(claim.id)
            out.append(claim)
    return out


def claims_of_ids(store: Store, doc_ids: Sequence[str]) -> list[Claim]:
    docs = [doc for doc_id in doc_ids if (doc := store.get(doc_id)) is not None]
    return stored_claims(store, docs)
