"""The `Store` protocol: everything a stage, the CLI or the API may ask of storage.

SQLite is the first implementation; PostgreSQL implements the same protocol, so no
caller ever writes SQL of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from narratrace.model import Cluster, Document, Fingerprint, Link, Vectors

if TYPE_CHECKING:
    from narratrace.provenance.citations import Citation
    from narratrace.factchecks.records import FactCheck, FactCheckMatch


@dataclass(slots=True)
class StoredVectors:
    """All documents' vectors of one model, stacked: row i of `matrix` belongs to `owners[i]`."""

    model: str
    owners: list[str]
    matrix: np.ndarray


@dataclass(slots=True)
class KeywordHit:
    id: str
    score: float


class VectorSource(Protocol):
    """What verifying a pair reads: a store, or the rows a Spark task holds (`spark.linking`)."""

    def vectors_of(self, doc_id: str) -> dict[str, Vectors]: ...


class Store(Protocol):
    def close(self) -> None: ...

    def known(self, ids: Iterable[str]) -> set[str]: ...

    def add_documents(self, docs: Sequence[Document]) -> None:
        """Write a whole batch in one transaction, vectors included; known ids are skipped."""

    def add_origins(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Record (origin, document id) for inputs whose text was already stored."""

    def put_vectors(self, items: Sequence[tuple[str, Vectors]]) -> None:
        """Add or replace one model's sentence rows of stored documents (e.g. encoded on demand), in
        one transaction: the bridge stores a batch of leads at once, one commit rather than one per
        document (a round trip each on PostgreSQL).

        A centroid already stored is kept: it was computed at ingest, and neighbours
        found through it must not depend on which comparisons completed rows first."""

    def fingerprints(self, ids: Sequence[str] | None = None) -> Iterator[tuple[str, str | None, Fingerprint]]:
        """(id, language, fingerprint) of every stored document in ingestion order, or of the stored ones
        among `ids` (in ingestion order within each few hundred asked)."""

    def unlinked(self) -> list[str]:
        """Stored documents not yet compared with the others, in ingestion order."""

    def add_links(self, links: Sequence[Link], linked: Sequence[str],
                  vectors: Sequence[tuple[str, Vectors]] = ()) -> None:
        """Write links, the vectors encoded to find them (as `put_vectors`) and the linked
        marks in one transaction, so a killed run resumes from a state an uninterrupted
        run also passed through."""

    def links(self, doc_id: str | None = None) -> list[Link]: ...

    def count_links(self) -> int: ...

    def links_of(self, ids: Sequence[str], within: bool = False) -> list[Link]:
        """The links with at least one end (with `within`, both ends) among these documents: a
        pass over a few new documents, or a page of a cluster's members, must not read (and
        decode the aligned pairs of) the links of the whole store."""

    def record_rejections(self, rejections: Sequence[tuple[str, str]]) -> None: ...

    def count(self) -> int: ...

    def get(self, key: str) -> Document | None:
        """A document by id or by any origin it was read from."""

    def documents(self, language: str | None = None, after: str | None = None,
                  newest_first: bool = False) -> Iterator[Document]:
        """Stored documents in ingestion order (or newest first), from the one after the
        document `after` when given: a page deep in a big store is read from there, not
        from the start. Raises KeyError when `after` names no stored document."""

    def document_vectors(self, model: str, language: str | None = None) -> StoredVectors:
        """One centroid per document: the first, cheap pass of a semantic search."""

    def vectors_of(self, doc_id: str) -> dict[str, Vectors]: ...

    def vectors_in(self, model: str, doc_ids: Sequence[str]) -> dict[str, Vectors]:
        """The sentence vectors of many documents in one space, read at once: a search
        re-scores a hundred candidates, and a read per document took a sixth of its time."""

    def keyword_search(self, query: str, limit: int, language: str | None = None) -> list[KeywordHit]:
        """Full-text hits, best first, without snippets: building them took two thirds of a
        keyword search at 10k documents, for hits a search mostly drops (it shows each hit's
        best sentence instead)."""

    def stats(self) -> dict[str, list[tuple[str, int]]]: ...

    def citations(self, doc_id: str | None = None) -> list[tuple[str, Citation]]:
        """(document id, citation) pairs, of one document or of all, in text order."""

    def unclustered(self) -> list[str]:
        """Stored documents no clustering pass has placed yet, in ingestion order."""

    def published_of(self, ids: Sequence[str]) -> dict[str, str | None]:
        """Each stored document's publication date (ISO, or None), without reading the document."""

    def cluster_state(self, name: str) -> tuple[dict[str, Any], dict[str, np.ndarray]] | None:
        """The saved state of an online clusterer (JSON part, arrays part), or None before the first pass."""

    def cluster_state_version(self, name: str) -> int | None:
        """How many times the state was saved over (None when never saved): a process keeping the
        state it saved in memory reads it back only when another process saved since."""

    def cluster_items(self, name: str) -> list[tuple[str, str, str, bytes]]:
        """The items (kind, key, JSON, bytes) saved with a clustering state, in no order."""

    def save_clusters(self, name: str, meta: dict[str, Any], arrays: dict[str, np.ndarray],
                      clusters: Sequence[Cluster], aliases: Sequence[tuple[str, str, str]],
                      clustered: Sequence[str], gone: Sequence[tuple[str, str]] | None = None,
                      items: Sequence[tuple[str, str, str | None, bytes]] = (), replace_items: bool = False) -> None:
        """State, clusters, merge aliases (level, old, new) and the documents now placed, in one
        transaction: a killed pass leaves the previous one whole.

        The state is `meta` and `arrays`, plus items (kind, key, JSON, bytes) that each replace
        the stored item of that kind and key (deleted when the JSON is None), or, with
        `replace_items`, all of them.

        Without `gone`, `clusters` are every cluster of the levels they (and the aliases) are
        in, and replace those levels. With it, they are the clusters that changed, each
        replacing its stored self, and `gone` names (level, id) the clusters to delete: a
        pass that places a few documents rewrites a few clusters, not thousands."""

    def clusters(self, level: str, ids: Sequence[str] | None = None) -> list[Cluster]: ...

    def resolve_cluster(self, level: str, cluster_id: str) -> str: ...

    def add_source_file(self, name: str, csv_format: bool, content: str) -> None:
        """Keep an imported registry file, so every later ingest resolves its names."""

    def source_files(self) -> list[tuple[str, bool, str]]: ...

    def integrity(self) -> str:
        """"ok" or the first problem the engine's own consistency check finds."""

    def known_factchecks(self, ids: Iterable[str]) -> set[str]: ...

    def add_factchecks(self, factchecks: Sequence[FactCheck]) -> int:
        """Write a batch with its vectors in one transaction; known ids are skipped. Returns how many were new."""

    def count_factchecks(self) -> int: ...

    def factchecks(self) -> list[FactCheck]:
        """Every stored fact-check, without vectors, in import order."""

    def factcheck_vectors(self, model: str) -> StoredVectors:
        """One model's fact-check rows (claim, then title), in import order; a fact-check owns consecutive rows."""

    def add_matches(self, matches: Sequence[FactCheckMatch]) -> int:
        """Write suggested matches in one transaction. A pair already stored keeps the state an
        analyst gave it; its score and evidence are refreshed. Returns how many pairs were new."""

    def matches(self, state: str | None = None, document: str | None = None) -> list[FactCheckMatch]:
        """Stored matches, best score first."""

    def review_match(self, claim: str, factcheck: str, state: str) -> bool:
        """Set one match's state; False when no such match is stored."""

    def update_meta(self, updates: Sequence[tuple[str, str, Any]]) -> None:
        """Set `doc.meta[key] = value` for each (document id, key, value), in one transaction."""

    def save_taxonomy(self, name: str, state: dict[str, Any]) -> None:
        """Keep an imported taxonomy with its fitted classifier; a name imported again is replaced."""

    def taxonomies(self) -> list[tuple[str, dict[str, Any]]]:
        """(name, state) of every imported taxonomy, in import order."""
