"""Alert rules: each looks at the documents a watch cycle just stored and names the events worth a look.

A rule is any object with a `name`, a `kind` and `evaluate(context, documents)`
yielding `Alert`s; the list of rules is built from a YAML file (`alerts.config`).
An alert's `key` identifies the event within its rule (a document, a pair of
documents, a narrative and a language), so the outbox can raise each event once
however often the same documents are looked at again.

`narrative` rules read the narratives the cycle's ingest updated
(`alerts.narrative_events`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol
from urllib.parse import urlsplit

from narratrace.model import Document, Link
from narratrace.provenance.registry import SourceRegistry
from narratrace.store.base import Store

DEFAULT_UI = "http://127.0.0.1:8000"


@dataclass(slots=True)
class Alert:
    rule: str
    kind: str
    key: str
    title: str
    document: dict[str, Any]
    link: str
    evidence: dict[str, Any]

    def record(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "kind": self.kind, "key": self.key, "title": self.title,
            "document": self.document, "link": self.link, "evidence": self.evidence,
        }


@dataclass(slots=True)
class AlertContext:
    """What rules read: the store, the registry of outlets, and where the UI is for links."""

    store: Store
    registry: SourceRegistry
    ui: str = DEFAULT_UI

    def link(self, doc_id: str) -> str:
        return f"{self.ui.rstrip('/')}/documents/{doc_id}"


class Rule(Protocol):
    name: str
    kind: ClassVar[str]

    def evaluate(self, context: AlertContext, documents: Sequence[Document]) -> Iterator[Alert]: ...


def document_record(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id, "title": doc.title, "url": doc.url, "origin": doc.origin, "outlet": doc.outlet,
        "language": doc.language, "published": doc.published.value if doc.published else None,
    }


@dataclass(slots=True)
class SavedSearchRule:
    """A new document that `narratrace search QUERY` would return with at least `min_score`.

    Each new document is scored as a search of the whole store would score it, so it is
    judged on the same calibrated scale as the stored ones, but whether it alerts does
    not depend on how many stored documents rank above it: at 10k documents the top
    hundred hits had left out a probe that alerted in a small store.
    """

    name: str
    query: str
    min_score: float = 0.35
    language: str | None = None
    kind: ClassVar[str] = "saved_search"

    def evaluate(self, context: AlertContext, documents: Sequence[Document]) -> Iterator[Alert]:
        from narratrace.search import search

        new = {doc.id: doc for doc in documents}
        for hit in search(context.store, self.query, top=len(new), language=self.language, among=new.keys()):
            doc = new.get(hit.id)
            if doc is None or hit.score < self.min_score:
                continue
            yield Alert(
                self.name, self.kind, doc.id, f"saved search {self.query!r} matches {doc.title or doc.id}",
                document_record(doc), context.link(doc.id),
                {"query": self.query, "score": round(hit.score, 4), "semantic": round(hit.semantic, 4),
                 "keyword": round(hit.keyword, 4), "matched": hit.evidence},
            )


@dataclass(slots=True)
class RegistryCopyRule:
    """A listed outlet published a copy or translation of another outlet's article.

    Outlets are listed by any name, alias or domain the source registry knows
    (so "Sputnik France" and sputniknews.com count as Sputnik), or all at once
    with `state_affiliated`. A link whose direction says the listed outlet's
    article is the original is not a copy by that outlet; an unknown direction
    still alerts, and the evidence says it is unknown.
    """

    name: str
    outlets: tuple[str, ...] = ()
    state_affiliated: bool = False
    kind: ClassVar[str] = "registry_copy"

    def evaluate(self, context: AlertContext, documents: Sequence[Document]) -> Iterator[Alert]:
        targets = self._listed(context.registry)
        for doc in documents:
            for link in context.store.links(doc.id):
                other_id = link.b if link.a == doc.id else link.a
                other = context.store.get(other_id)
                if other is None:
                    continue
                for copy, original in ((doc, other), (other, doc)):
                    listed = _listed_as(copy, targets, context.registry)
                    if listed and _may_copy(link, copy.id):
                        yield self._alert(context, link, copy, original, listed)

    def _listed(self, registry: SourceRegistry) -> set[str]:
        names = {registry.resolve(outlet) or outlet for outlet in self.outlets}
        if self.state_affiliated:
            names |= {source.name for source in registry if source.state_affiliated}
        return {name.casefold() for name in names}

    def _alert(self, context: AlertContext, link: Link, copy: Document, original: Document, listed: str) -> Alert:
        direction = "unknown" if link.direction is None else "copy"
        return Alert(
            self.name, self.kind, f"{copy.id}|{original.id}",
            f"{listed} published a {link.kind} of {_named(original)}",
            document_record(copy), context.link(copy.id),
            {"listed_outlet": listed, "link_kind": link.kind, "score": round(link.score, 4),
             "coverage_copy": round(link.coverage_a if copy.id == link.a else link.coverage_b, 4),
             "coverage_original": round(link.coverage_b if copy.id == link.a else link.coverage_a, 4),
             "direction": direction, "original": document_record(original),
             "original_link": context.link(original.id), "link_evidence": link.evidence},
        )


def _named(doc: Document) -> str:
    title = f"“{doc.title}”" if doc.title else doc.url or doc.id
    return f"{title} ({doc.outlet})" if doc.outlet else title


def _may_copy(link: Link, copy_id: str) -> bool:
    """False only when the link's direction names `copy_id` as the original."""
    original_side = {"a->b": link.a, "b->a": link.b}.get(link.direction or "")
    return original_side != copy_id


def _listed_as(doc: Document, targets: set[str], registry: SourceRegistry) -> str | None:
    """The listed name this document's outlet or site goes by, if any."""
    host = (urlsplit(doc.url).hostname or "").removeprefix("www.") if doc.url else ""
    candidates = [
        registry.resolve(doc.outlet) if doc.outlet else None,
        registry.resolve_domain(doc.url) if doc.url else None,
        doc.outlet, host or None,
    ]
    for name in candidates:
        if name and name.casefold() in targets:
            return name
    return None


@dataclass(slots=True)
class FactCheckRule:
    """A new document repeats a claim a fact-checker already checked.

    The new documents' claims are matched against the fact-check database as
    `narratrace factchecks match` does (the suggestions are stored for review), and a
    suggestion alerts when it scores at least `min_score`, or, with `confirmed_only`,
    only when an analyst has already confirmed that fact-check on another document:
    the strongest signal that a debunked claim is back. Evidence: both claims, the
    rating and fact-checker, the retrieval's scores, the confirmed documents.
    """

    name: str
    min_score: float = 0.7
    confirmed_only: bool = False
    kind: ClassVar[str] = "factcheck"

    def evaluate(self, context: AlertContext, documents: Sequence[Document]) -> Iterator[Alert]:
        from narratrace.claims.stage import claims_of
        from narratrace.enrich.embeddings import encoders
        from narratrace.factchecks.matching import THRESHOLD, suggestions
        from narratrace.factchecks.retrieval import FactCheckIndex

        claims = [claim for doc in documents for claim in claims_of(doc)]
        if not claims or not context.store.count_factchecks():
            return
        index = FactCheckIndex.from_store(context.store, encoders())
        found = suggestions(index, claims, min(THRESHOLD, self.min_score))
        context.store.add_matches(found)
        confirmed: dict[str, list[str]] = {}
        for m in context.store.matches(state="confirmed"):
            confirmed.setdefault(m.factcheck, []).append(m.document)
        by_id = {doc.id: doc for doc in documents}
        for m in found:
            elsewhere = sorted(set(confirmed.get(m.factcheck, [])) - {m.document})
            if m.score < self.min_score or (self.confirmed_only and not elsewhere):
                continue
            doc = by_id[m.document]
            rating = m.evidence.get("rating") or "checked"
            yield Alert(
                self.name, self.kind, f"{m.document}|{m.factcheck}",
                f"{_named(doc)} repeats a claim rated {rating}: {m.evidence.get('factcheck_claim')}",
                document_record(doc), f"{context.link(doc.id)}#factchecks",
                {"claim": m.claim, "factcheck": m.factcheck, "score": m.score, "confirmed_on": elsewhere,
                 **m.evidence},
            )


NARRATIVE_EVENTS = ("new_language", "new_outlet", "new_country", "growth", "reemergence")


@dataclass(slots=True)
class NarrativeRule:
    """Events of tracked narratives: a new language, outlet or country, growth, re-emergence."""

    name: str
    events: tuple[str, ...] = NARRATIVE_EVENTS
    thresholds: dict[str, float] = field(default_factory=dict)
    kind: ClassVar[str] = "narrative"

    def evaluate(self, context: AlertContext, documents: Sequence[Document]) -> Iterator[Alert]:
        from narratrace.alerts.narrative_events import narrative_events

        by_id = {doc.id: doc for doc in documents}
        for event in narrative_events(context.store, context.registry, documents, self.thresholds):
            doc = by_id.get(event.document)
            if event.event in self.events and doc is not None:
                yield Alert(self.name, self.kind, event.key, event.summary, document_record(doc),
                            f"{context.ui.rstrip('/')}/narratives/{event.narrative}",
                            {"narrative": event.narrative, "event": event.event, **event.evidence})
