"""Documents, links and comparisons as the records the API returns and the pages show.

The API and the UI build their views here, so a page never shows something the
API would describe differently.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from narratrace.compare import Row, side_by_side
from narratrace.export import document_record, link_record
from narratrace.link.align import Alignment
from narratrace.link.verify import Verifier
from narratrace.model import AlignedPair, Cluster, Document, Link
from narratrace.store.base import Store
from narratrace.web.cursors import decode_cursor, encode_cursor
from narratrace.web.errors import ApiError, not_found


def get_document(store: Store, key: str) -> Document:
    doc = store.get(key)
    if doc is None:
        raise not_found("document", key)
    return doc


def get_cluster(store: Store, level: str, key: str) -> Cluster:
    found = store.clusters(level, [store.resolve_cluster(level, key)])
    if not found:
        raise not_found(level, key)
    return found[0]


def cluster_summary(clusters: list[Cluster]) -> list[dict[str, Any]]:
    """Largest first: the narratives carried by most documents are the ones to look at."""
    return [{"id": c.id, "level": c.level, "label": c.label, "size": len(c.documents), "first_seen": c.first_seen,
             "last_seen": c.last_seen, "languages": c.languages}
            for c in sorted(clusters, key=lambda c: (-len(c.documents), c.id))]


# Members a cluster view shows at once: a narrative of a crawl can hold tens of
# thousands of documents, and reading them all took 30 s and 94 MB of JSON at 9,096.
MEMBERS_PAGE = 100


def member_page(cluster: Cluster, cursor: str | None, limit: int) -> tuple[list[str], str | None]:
    """The ids of one page of members, and the cursor of the next page (None on the last).

    A cursor naming no member is refused: silently restarting would show a client the
    same page forever."""
    start = 0
    if cursor is not None:
        try:
            start = cluster.documents.index(decode_cursor(cursor)) + 1
        except ValueError:
            raise ApiError(400, "invalid_cursor", "the cursor names no member of this cluster") from None
    page = cluster.documents[start : start + limit]
    more = start + limit < len(cluster.documents)
    return page, (encode_cursor(page[-1]) if more and page else None)


def cluster_detail(
    store: Store, cluster: Cluster, cursor: str | None = None, limit: int = MEMBERS_PAGE
) -> dict[str, Any]:
    """One page of members, and the copies among them (both sides on the page)."""
    ids, last = member_page(cluster, cursor, limit)
    docs = [doc for doc in (store.get(d) for d in ids) if doc is not None]
    links = store.links_of([doc.id for doc in docs], within=True)
    return {
        **cluster_summary([cluster])[0],
        "members": [_member(doc, cluster.membership.get(doc.id) or {}) for doc in docs],
        "next": last,
        "links": [link_record(x) for x in links],
        "details": cluster.details,
    }


def _member(doc: Document, joined: dict[str, Any]) -> dict[str, Any]:
    return {"document": document_record(doc), "score": joined.get("score"), "evidence": joined.get("evidence") or {}}


def document_detail(store: Store, doc: Document) -> dict[str, Any]:
    return {
        **document_record(doc),
        "published_evidence": doc.published.evidence if doc.published else None,
        "text": doc.text,
        "sentences": [
            {"index": i, "start": s.start, "end": s.end, "paragraph": s.paragraph, "text": doc.sentence_text(s)}
            for i, s in enumerate(doc.sentences)
        ],
        "links": [link_record(link) for link in store.links(doc.id)],
    }


def paragraphs(doc: Document) -> list[str]:
    """The text as its paragraphs, from the sentence spans, so the page keeps the article's layout."""
    grouped: dict[int, list[str]] = {}
    for s in doc.sentences:
        grouped.setdefault(s.paragraph, []).append(doc.sentence_text(s))
    return [" ".join(parts) for _, parts in sorted(grouped.items())] or [doc.text]


def rows_record(rows: list[Row]) -> list[dict[str, Any]]:
    return [{"mark": r.mark, "a": r.a, "b": r.b,
             "similarity": None if r.similarity is None else round(r.similarity, 4)} for r in rows]


def comparison(store: Store, a: Document, b: Document, threads: int) -> dict[str, Any]:
    """Two documents aligned now, the way `narratrace compare` aligns them."""
    alignment, compared_by = Verifier(store, threads=threads).align(a, b)
    return {
        "a": document_record(a), "b": document_record(b), "compared_by": compared_by,
        "coverage_a": round(alignment.coverage_a, 4), "coverage_b": round(alignment.coverage_b, 4),
        "quality": round(alignment.quality, 4), "rows": rows_record(side_by_side(a, b, alignment)),
    }


def stored_alignment(link: Link, this: str) -> Alignment:
    """The alignment a link keeps as evidence, turned so that `this` document is side a.

    Reading it back costs no encoder, so a document page shows every copy's
    side-by-side view at once.
    """
    evidence = link.evidence
    flip = link.a != this
    pairs = [AlignedPair(p["b"], p["a"], p["similarity"], p.get("mutual", False)) if flip
             else AlignedPair(p["a"], p["b"], p["similarity"], p.get("mutual", False))
             for p in evidence.get("pairs", [])]
    un_a, un_b = evidence.get("unaligned_a", []), evidence.get("unaligned_b", [])
    cov_a, cov_b = link.coverage_a, link.coverage_b
    if flip:
        un_a, un_b, cov_a, cov_b = un_b, un_a, cov_b, cov_a
    return Alignment(pairs, list(un_a), list(un_b), cov_a, cov_b, float(evidence.get("quality", 0.0)))


def copies(store: Store, doc: Document) -> Iterator[dict[str, Any]]:
    """Each copy or translation of `doc` with its stored side-by-side view, this document on the left."""
    for link in store.links(doc.id):
        other = store.get(link.b if link.a == doc.id else link.a)
        if other is None:
            continue
        derived = {"a->b": link.b, "b->a": link.a}.get(link.direction or "")
        yield {
            "link": link, "other": document_record(other),
            "source": None if derived is None else ("this" if derived == other.id else "other"),
            "rows": side_by_side(doc, other, stored_alignment(link, doc.id)),
        }
