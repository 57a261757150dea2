"""The shareable report: one self-contained HTML file that opens without a network."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from narratrace import __version__
from narratrace.export import document_record
from narratrace.store.base import Store


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("narratrace", "web/templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(store: Store) -> str:
    docs = sorted(
        (document_record(d) for d in store.documents()),
        key=lambda d: (d["published"] or "9999", d["language"] or "", d["id"]),
    )
    years = sorted({d["published"][:4] for d in docs if d["published"]}) + ["undated"]
    grid = Counter((d["language"] or "?", d["published"][:4] if d["published"] else "undated") for d in docs)
    languages = sorted({lang for lang, _ in grid})
    return _environment().get_template("report.html").render(
        docs=docs, years=years, languages=languages, grid=grid,
        per_language=Counter(d["language"] or "?" for d in docs),
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
    )


def write_report(store: Store, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(store), encoding="utf-8")
