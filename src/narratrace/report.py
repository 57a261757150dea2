"""The shareable report: one self-contained HTML file that opens without a network."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from narratrace import __version__
from narratrace.export import cluster_record, document_record, link_record
from narratrace.store.base import Store


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("narratrace", "web/templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(store: Store, narrative_id: str | None = None) -> str:
    """The whole store, or one narrative: its documents, timeline, events and the copies among them.

    Raises KeyError naming the narrative when the store has none by that id."""
    narrative = None
    if narrative_id is not None:
        found = store.clusters("narrative", [store.resolve_cluster("narrative", narrative_id)])
        if not found:
            raise KeyError(narrative_id)
        narrative = cluster_record(found[0])
    members = set(narrative["documents"]) if narrative else None
    docs = sorted(
        (document_record(d) for d in store.documents() if members is None or d.id in members),
        key=lambda d: (d["published"] or "9999", d["language"] or "", d["id"]),
    )
    shown = {d["id"] for d in docs}
    links = [link_record(link) for link in store.links() if link.a in shown and link.b in shown]
    years = sorted({d["published"][:4] for d in docs if d["published"]}) + ["undated"]
    grid = Counter((d["language"] or "?", d["published"][:4] if d["published"] else "undated") for d in docs)
    languages = sorted({lang for lang, _ in grid})
    return _environment().get_template("report.html").render(
        docs=docs, years=years, languages=languages, grid=grid, links=links,
        titles={d["id"]: d["title"] or d["origin"] for d in docs},
        narrative=narrative,
        narratives=[] if narrative else sorted((cluster_record(c) for c in store.clusters("narrative")),
                                               key=lambda c: (-len(c["documents"]), c["id"])),
        per_language=Counter(d["language"] or "?" for d in docs),
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
    )


def write_report(store: Store, path: Path, narrative_id: str | None = None) -> None:
    html = render_report(store, narrative_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
