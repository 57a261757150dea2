"""What new documents changed in the narratives they joined: the events a narrative rule alerts on.

A narrative is compared with itself as it was before the documents of this watch
cycle arrived (its other members), then the new members are taken in date order,
each against everything before it, so two new documents in one new language make
one event. Events are keyed by what they are about (the narrative and the language,
outlet or country; the narrative and the week for growth; the narrative and the day
for a re-emergence), so the outbox raises each once, whatever restarts happen.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from narratrace.cluster.features import day_of
from narratrace.cluster.narratives import NarrativeSettings
from narratrace.model import Cluster, Document
from narratrace.provenance.registry import SourceRegistry
from narratrace.store.base import Store

THRESHOLDS = {
    # A narrative silent this long that speaks again has re-emerged, as its timeline says.
    "dormant_days": float(NarrativeSettings().dormancy_days),
    # Growth: this many members published within the window ending at a new member.
    "growth_documents": 5.0,
    "growth_days": 7.0,
}


@dataclass(frozen=True, slots=True)
class NarrativeEvent:
    """`key` is stable for the event; `document` caused it; `evidence` says what changed."""

    narrative: str
    event: str
    key: str
    document: str
    summary: str
    evidence: dict[str, Any]


@dataclass(slots=True)
class _Seen:
    """A narrative as it stood before the next new member: its languages, outlets, countries and dates."""

    members: int = 0
    languages: set[str] = field(default_factory=set)
    outlets: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    dated: list[tuple[int, str]] = field(default_factory=list)

    def add(self, doc: Document, outlet: str | None, country: str | None) -> None:
        self.members += 1
        if doc.language:
            self.languages.add(doc.language)
        if outlet:
            self.outlets.add(outlet)
        if country:
            self.countries.add(country)
        if day := _day(doc):
            self.dated.append((day, doc.id))


def narrative_events(store: Store, registry: SourceRegistry, new: Sequence[Document],
                     thresholds: Mapping[str, float] | None = None) -> Iterator[NarrativeEvent]:
    """The events the `new` documents caused in the narratives they belong to."""
    limits = {**THRESHOLDS, **(thresholds or {})}
    new_ids = {doc.id for doc in new}
    for narrative in store.clusters("narrative"):
        arrived = [d for d in narrative.documents if d in new_ids]
        if not arrived:
            continue
        seen = _Seen()
        for doc_id in narrative.documents:
            if doc_id not in new_ids and (doc := store.get(doc_id)) is not None:
                outlet = _outlet(doc, registry)
                seen.add(doc, outlet, _country(outlet, registry))
        by_id = {doc.id: doc for doc in new}
        for doc in sorted((by_id[d] for d in arrived), key=lambda d: (_day(d) or date.max.toordinal(), d.id)):
            yield from _events(narrative, doc, seen, registry, limits)


def _events(narrative: Cluster, doc: Document, seen: _Seen, registry: SourceRegistry,
            limits: Mapping[str, float]) -> Iterator[NarrativeEvent]:
    outlet = _outlet(doc, registry)
    country = _country(outlet, registry)
    name = narrative.label or narrative.id
    if seen.members:
        if doc.language and doc.language not in seen.languages:
            yield _event(narrative, "new_language", doc.language, doc,
                         f"narrative {name} reached a new language: {doc.language}",
                         {"language": doc.language, "languages_before": sorted(seen.languages)})
        if outlet and outlet not in seen.outlets:
            yield _event(narrative, "new_outlet", outlet.casefold(), doc,
                         f"narrative {name} reached a new outlet: {outlet}",
                         {"outlet": outlet, "outlets_before": len(seen.outlets)})
        if country and country not in seen.countries:
            yield _event(narrative, "new_country", country, doc,
                         f"narrative {name} reached a new country: {country}",
                         {"country": country, "countries_before": sorted(seen.countries)})
    day = _day(doc)
    if day and seen.dated:
        # Only news re-emerges: an archived document dated inside the narrative's history does not.
        last_day, last_id = max(seen.dated)
        if day - last_day >= limits["dormant_days"]:
            yield _event(narrative, "reemergence", _iso(day), doc,
                         f"narrative {name} re-emerged after {day - last_day} days",
                         {"dormant_days": day - last_day, "previous": {"id": last_id, "published": _iso(last_day)}})
    if day:
        window = [d for d, _ in seen.dated if 0 <= day - d < limits["growth_days"]]
        if len(window) + 1 >= limits["growth_documents"] > len(window):
            year, week, _ = date.fromordinal(day).isocalendar()
            yield _event(narrative, "growth", f"{year}-W{week:02d}", doc,
                         f"narrative {name} grew to {len(window) + 1} documents in {limits['growth_days']:g} days",
                         {"documents_in_window": len(window) + 1, "window_days": limits["growth_days"],
                          "threshold": limits["growth_documents"]})
    seen.add(doc, outlet, country)


def _event(narrative: Cluster, kind: str, about: str, doc: Document, summary: str,
           evidence: dict[str, Any]) -> NarrativeEvent:
    return NarrativeEvent(narrative.id, kind, f"{narrative.id}|{kind}|{about}", doc.id, summary,
                          {**evidence, "narrative_label": narrative.label, "members": len(narrative.documents)})


def _day(doc: Document) -> int | None:
    return day_of(doc.published.value) if doc.published else None


def _iso(day: int) -> str:
    return date.fromordinal(day).isoformat()


def _outlet(doc: Document, registry: SourceRegistry) -> str | None:
    """The outlet's canonical name when the registry knows it, else as written, else the site's host."""
    for name in (registry.resolve(doc.outlet) if doc.outlet else None,
                 registry.resolve_domain(doc.url) if doc.url else None):
        if name:
            return name
    if doc.outlet:
        return doc.outlet
    host = (urlsplit(doc.url).hostname or "").removeprefix("www.") if doc.url else ""
    return host or None


def _country(outlet: str | None, registry: SourceRegistry) -> str | None:
    source = registry.get(outlet) if outlet else None
    return source.country if source else None
