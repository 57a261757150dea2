"""Claims as stored: grouping the ones no pass has grouped yet, and reading them back with their group.

Ingest extracts each document's claims (cheap: 4 ms a document) and stores them
with it. Grouping is a pass of its own, run by `narratrace claims`, not by ingest: comparing claims across
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


def group_members(store: Store) -> dict[str, list[str]]:
    """Each group's member claim ids, read from the saved state without decoding its vectors:
    pages and exports only need who is in which group, not the grouper."""
    saved = store.cluster_state(STATE)
    return {} if saved is None else {g["id"]: g["members"] for g in saved[0]["groups"]}


def group_reach(store: Store) -> dict[str, int]:
    """How many documents carry each group's claim."""
    saved = store.cluster_state(STATE)
    return {} if saved is None else {g["id"]: len(g["documents"]) for g in saved[0]["groups"]}


def group_pending(store: Store, threads: int = 2) -> int:
    """Group the stored claims no pass has grouped, in ingestion order; returns how many."""
    grouper = load_grouper(store)
    pending: list[tuple[Document, list[Claim]]] = []
    for doc in store.documents():
        claims = claims_of(doc)
        if any(c.id not in grouper.group_of for c in claims):
            doc.vectors = store.vectors_of(doc.id)
            pending.append((doc, claims))
    fresh = [c for _, claims in pending for c in claims if c.id not in grouper.group_of]
    if not fresh:
        return 0
    grouper.add(fresh, claim_vectors([doc for doc, _ in pending], fresh, threads))
    # Each claim keeps why it joined its group on its document first: a pass killed between
    # the two writes leaves claims the state does not know yet, and the next pass groups them again.
    store.update_meta([(doc.id, META_KEY, [c.to_dict() for c in claims]) for doc, claims in pending])
    store.save_clusters(STATE, grouper.to_dict(), {}, [], [], [])
    return len(fresh)


def stored_claims(store: Store, docs: Iterable[Document] | None = None) -> list[Claim]:
    """The claims of the given documents (all stored ones by default), each with its group or None."""
    group_of = {claim: group for group, members in group_members(store).items() for claim in members}
    out = []
    for doc in store.documents() if docs is None else docs:
        for claim in claims_of(doc):
            claim.group = group_of.get(claim.id)
            out.append(claim)
    return out


def claims_of_ids(store: Store, doc_ids: Sequence[str]) -> list[Claim]:
    docs = [doc for doc_id in doc_ids if (doc := store.get(doc_id)) is not None]
    return stored_claims(store, docs)
