"""A document's provenance: whom it cites, which copies it has, and what each copy stripped.

Laundering shows as a copy that keeps the text and drops the attribution: 000 cites
The Cradle, its Indonesian translation does not. So for every copy or translation
link the sources cited on each side are compared by canonical name (the written
form differs across languages), and the difference is reported with the link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from narratrace.model import Document, Link
from narratrace.provenance.citations import Citation
from narratrace.store.base import Store


@dataclass(slots=True)
class CopyNode:
    document: Document
    link: Link
    # this document is the source of the copy (the link's direction points away from it)
    is_source: bool | None
    citations: list[Citation]
    only_here: list[str]
    only_there: list[str]

    @property
    def stripped(self) -> list[str]:
        """Sources the copy no longer names, when the direction says which side is the copy."""
        if self.is_source is None:
            return []
        return self.only_here if self.is_source else self.only_there


@dataclass(slots=True)
class Provenance:
    document: Document
    citations: list[Citation]
    copies: list[CopyNode] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        return {
            "document": self.document.id,
            "sources": sorted(_names(self.citations)),
            "anonymous": sum(c.anonymous for c in self.citations),
            "citations": [_citation(c) for c in self.citations],
            "copies": [{
                "document": n.document.id, "language": n.document.language, "kind": n.link.kind,
                "score": n.link.score, "direction": _direction(n),
                "sources": sorted(_names(n.citations)), "only_here": n.only_here, "only_there": n.only_there,
                "stripped": n.stripped,
            } for n in self.copies],
        }


def provenance(store: Store, doc: Document) -> Provenance:
    own = [c for _, c in store.citations(doc.id)]
    result = Provenance(doc, own)
    for link in store.links(doc.id):
        other_id = link.b if link.a == doc.id else link.a
        other = store.get(other_id)
        if other is None:
            continue
        theirs = [c for _, c in store.citations(other_id)]
        mine, their_names = _names(own), _names(theirs)
        is_source = None
        if link.direction:
            source_id = link.a if link.direction == "a->b" else link.b
            is_source = source_id == doc.id
        result.copies.append(CopyNode(other, link, is_source, theirs,
                                      only_here=sorted(mine - their_names), only_there=sorted(their_names - mine)))
    return result


def _names(citations: list[Citation]) -> set[str]:
    """Named sources by canonical name where the registry knows them, else as written."""
    return {c.canonical or c.source for c in citations if not c.anonymous and c.kind != "hyperlink"}


def _direction(node: CopyNode) -> str:
    if node.is_source is None:
        return "unknown"
    return "copied from this document" if node.is_source else "this document copies it"


def _citation(c: Citation) -> dict[str, Any]:
    return {"source": c.source, "canonical": c.canonical, "kind": c.kind, "anonymous": c.anonymous,
            "phrase": c.phrase, "start": c.start, "end": c.end, "score": c.score}
