"""The export contract of `../shared/CLI.md`: every key always present, empty until its stage exists."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from narratrace.model import Cluster, Document, Link
from narratrace.store.base import Store

if TYPE_CHECKING:
    from narratrace.provenance.citations import Citation

FORMATS = ("json", "jsonl", "csv", "gexf", "graphml")
TABLES = (
    "documents", "links", "stories", "narratives", "citations",
    "entities", "claims", "factcheck_matches", "labels",
)
DOCUMENT_FIELDS = (
    "id", "origin", "url", "outlet", "title", "published",
    "published_precision", "language", "n_sentences",
)


def document_record(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "origin": doc.origin,
        "url": doc.url,
        "outlet": doc.outlet,
        "title": doc.title,
        "published": doc.published.value if doc.published else None,
        "published_precision": doc.published.precision if doc.published else None,
        "language": doc.language,
        "n_sentences": len(doc.sentences),
    }


def link_record(link: Link) -> dict[str, Any]:
    return {
        "a": link.a, "b": link.b, "kind": link.kind, "score": link.score,
        "coverage_a": link.coverage_a, "coverage_b": link.coverage_b,
        "direction": link.direction, "evidence": link.evidence,
    }


def cluster_record(c: Cluster) -> dict[str, Any]:
    return {"id": c.id, "label": c.label, "documents": c.documents, "first_seen": c.first_seen,
            "last_seen": c.last_seen, "languages": c.languages, **c.details}


def citation_record(doc_id: str, c: Citation) -> dict[str, Any]:
    return {
        "document": doc_id, "source": c.source, "canonical": c.canonical, "kind": c.kind,
        "anonymous": c.anonymous, "phrase": c.phrase, "start": c.start, "end": c.end, "score": c.score,
    }


def entity_records(store: Store) -> Iterator[dict[str, Any]]:
    """Entities are read from the text when exported, not stored: at ~20 ms a document
    they would cost a fifth of ingest, and the gazetteer may have grown since."""
    from narratrace.provenance.entities import extract_entities
    from narratrace.provenance.gazetteer import Gazetteer

    gazetteer = Gazetteer.load()
    for doc in store.documents():
        for e in extract_entities(doc.text, doc.language, gazetteer):
            yield {"document": doc.id, "name": e.name, "canonical": e.canonical, "canonical_id": e.canonical_id,
                   "type": e.type, "start": e.start, "end": e.end, "score": e.score}


def claim_records(store: Store) -> Iterator[dict[str, Any]]:
    from narratrace.claims.run import stored_claims

    return (claim.record() for claim in stored_claims(store))


def label_records(store: Store) -> Iterator[dict[str, Any]]:
    """Labels live in each document's meta, already in the export shape, so every store exports them alike."""
    for doc in store.documents():
        yield from doc.meta.get("labels", [])


def tables(store: Store) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """Each export table as a stream of records; later stages add their rows here."""
    for name in TABLES:
        if name == "documents":
            yield name, (document_record(d) for d in store.documents())
        elif name == "links":
            yield name, (link_record(link) for link in store.links())
        elif name == "citations":
            yield name, (citation_record(doc_id, c) for doc_id, c in store.citations())
        elif name in ("stories", "narratives"):
            level = "story" if name == "stories" else "narrative"
            yield name, (cluster_record(c) for c in store.clusters(level))
        elif name == "entities":
            yield name, entity_records(store)
        elif name == "claims":
            yield name, claim_records(store)
        elif name == "factcheck_matches":
            yield name, (m.record() for m in store.matches())
        elif name == "labels":
            yield name, label_records(store)
        else:
            yield name, iter(())


def write_json(store: Store, out: IO[str]) -> None:
    out.write("{")
    for i, (name, rows) in enumerate(tables(store)):
        out.write(("," if i else "") + f"\n{json.dumps(name)}: [")
        for j, row in enumerate(rows):
            out.write(("," if j else "") + "\n  " + json.dumps(row, ensure_ascii=False))
        out.write("]")
    out.write("\n}\n")


def write_jsonl(store: Store, out: IO[str]) -> None:
    """One record per line, each naming its table, so a reader can stream any table."""
    for name, rows in tables(store):
        for row in rows:
            out.write(json.dumps({"table": name, **row}, ensure_ascii=False) + "\n")


def write_csv(store: Store, out: IO[str]) -> None:
    writer = csv.DictWriter(out, fieldnames=DOCUMENT_FIELDS)
    writer.writeheader()
    writer.writerows(document_record(d) for d in store.documents())


def write_graph(store: Store, out: IO[str], fmt: str) -> None:
    """Documents as nodes, copies and translations as edges."""
    docs = [document_record(d) for d in store.documents()]
    links = store.links()
    if fmt == "gexf":
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" version="1.3">\n')
        out.write('<graph defaultedgetype="undirected"><attributes class="node">'
                  '<attribute id="language" title="language" type="string"/>'
                  '<attribute id="published" title="published" type="string"/></attributes><nodes>\n')
        for d in docs:
            out.write(f'<node id={quoteattr(d["id"])} label={quoteattr(d["title"] or d["id"])}><attvalues>'
                      f'<attvalue for="language" value={quoteattr(d["language"] or "")}/>'
                      f'<attvalue for="published" value={quoteattr(d["published"] or "")}/></attvalues></node>\n')
        out.write("</nodes><edges>\n")
        for i, link in enumerate(links):
            out.write(f'<edge id="{i}" source={quoteattr(link.a)} target={quoteattr(link.b)} '
                      f'label={quoteattr(link.kind)} weight="{link.score}"/>\n')
        out.write("</edges></graph></gexf>\n")
        return
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
              '<key id="title" for="node" attr.name="title" attr.type="string"/>'
              '<key id="language" for="node" attr.name="language" attr.type="string"/>'
              '<key id="kind" for="edge" attr.name="kind" attr.type="string"/>'
              '<key id="score" for="edge" attr.name="score" attr.type="double"/>\n'
              '<graph edgedefault="undirected">\n')
    for d in docs:
        out.write(f'<node id={quoteattr(d["id"])}><data key="title">{escape(d["title"] or "")}</data>'
                  f'<data key="language">{escape(d["language"] or "")}</data></node>\n')
    for link in links:
        out.write(f'<edge source={quoteattr(link.a)} target={quoteattr(link.b)}>'
                  f'<data key="kind">{escape(link.kind)}</data><data key="score">{link.score}</data></edge>\n')
    out.write("</graph></graphml>\n")


def export(store: Store, out: IO[str], fmt: str) -> None:
    if fmt == "json":
        write_json(store, out)
    elif fmt == "jsonl":
        write_jsonl(store, out)
    elif fmt == "csv":
        write_csv(store, out)
    elif fmt in ("gexf", "graphml"):
        write_graph(store, out, fmt)
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
