"""The `narratrace` command. Names, options, exit codes and outputs follow `../shared/CLI.md`."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from narratrace.claims.cli import register_claims
from narratrace.errors import UsageError
from narratrace.export import FORMATS, export
from narratrace.factchecks.cli import register_factchecks
from narratrace.fetch.cli import add_fetch_options, fetch_config, register_watch
from narratrace.provenance.cli import register_provenance
from narratrace.ingest.base import FieldMapping, ReadOptions
from narratrace.model import Document
from narratrace.settings import Settings
from narratrace.spark.cli import register_spark
from narratrace.store import open_store
from narratrace.taxonomy.cli import register_taxonomy
from narratrace.web.cli import register_serve

if TYPE_CHECKING:
    from narratrace.ingest.base import Rejection
    from narratrace.link.linker import LinkSummary
    from narratrace.pipeline import IngestSummary
    from narratrace.pipeline import Progress as PipelineProgress

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def _settings(args: argparse.Namespace) -> Settings:
    fields = FieldMapping(**{
        name: getattr(args, f"{name}_field", None)
        for name in ("text", "title", "date", "url", "outlet", "lang", "id")
    })
    settings = Settings(db=args.db, threads=getattr(args, "threads", 2))
    settings.read = ReadOptions(fields=fields, max_bytes=getattr(args, "max_bytes", ReadOptions().max_bytes))
    if getattr(args, "batch_size", None):
        settings.batch_size = args.batch_size
    return settings


def cmd_ingest(args: argparse.Namespace) -> int:
    from narratrace.fetch.inputs import prepare_inputs

    if not args.inputs and not args.urls:
        raise UsageError("give at least one PATH or URL, or --urls FILE")
    settings = _settings(args)
    with open_store(settings.db) as store, Progress(
        SpinnerColumn(), TextColumn("[bold]ingest"), BarColumn(),
        TextColumn("{task.description}"), TimeElapsedColumn(),
        console=err, transient=True, disable=args.quiet,
    ) as bar:
        task = bar.add_task("starting", total=None)
        progress, link_progress = ingest_callbacks(bar, task)
        fetched = prepare_inputs(args.inputs, args.urls, settings, store, fetch_config(args),
                                 lambda line: bar.console.print(line, markup=False),
                                 lambda line: bar.update(task, description=line))
        summary = fetched.pipeline.ingest(fetched.inputs, store, progress, link_progress)
        total = store.count()
    out.print(ingest_line(summary, total, settings.db))
    return EXIT_REJECTED if summary.rejected or fetched.refused else EXIT_OK


def ingest_callbacks(bar: Progress, task: TaskID) -> tuple[PipelineProgress, Callable[[LinkSummary], None]]:
    """The progress callbacks of a pipeline run (ingest, load): rejections as they come, counts, linking."""

    def progress(summary: IngestSummary, item: Document | Rejection) -> None:
        if not isinstance(item, Document):
            bar.console.print(f"narratrace: rejected {item.origin}: {item.reason}", markup=False)
        bar.update(task, description=(
            f"read {summary.read}  new {summary.new}  duplicate {summary.duplicates}  "
            f"rejected {len(summary.rejected)}"))

    def link_progress(linked: LinkSummary) -> None:
        bar.update(task, description=f"linking: {linked.documents} documents, {linked.links} links")

    return progress, link_progress


def ingest_line(summary: IngestSummary, total: int, db: str) -> str:
    return (f"read {summary.read}, new {summary.new}, duplicate of stored {summary.duplicates}, "
            f"rejected {len(summary.rejected)}, links {summary.links}; {total} documents in {db}")


def cmd_export(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as fh:
                export(store, fh, args.format)
        else:
            export(store, sys.stdout, args.format)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        stats, total = store.stats(), store.count()
    if args.format == "json":
        print(json.dumps({"documents": total, **{k: dict(v) for k, v in stats.items()}}, ensure_ascii=False))
        return EXIT_OK
    out.print(f"{total} documents")
    for name, rows in stats.items():
        table = Table(title=f"per {name}")
        table.add_column(name)
        table.add_column("documents", justify="right")
        for key, n in rows:
            table.add_row(key, str(n))
        out.print(table)
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from narratrace.search import search

    with open_store(args.db) as store:
        hits = search(store, args.text, top=args.top, language=args.lang)
    if args.format == "json":
        print(json.dumps({"results": [h.record() for h in hits]}, ensure_ascii=False))
        return EXIT_OK
    table = Table(title=f"search: {args.text}")
    for col in ("score", "lang", "id", "title", "evidence"):
        table.add_column(col, overflow="fold")
    for h in hits:
        table.add_row(f"{h.score:.3f}", h.language or "?", h.id, (h.title or "")[:70], h.evidence[:120])
    out.print(table)
    return EXIT_OK


def _document(store, key: str) -> Document:  # noqa: ANN001 - any Store
    doc = store.get(key)
    if doc is None:
        raise UsageError(f"no stored document has the id or origin {key!r}")
    return doc


def cmd_links(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        links = [link for link in store.links(args.document and _document(store, args.document).id)
                 if not args.kind or link.kind == args.kind]
        if args.format == "json":
            from narratrace.export import link_record

            print(json.dumps({"links": [link_record(x) for x in links]}, ensure_ascii=False))
            return EXIT_OK
        table = Table(title=f"{len(links)} links")
        for col in ("a", "b", "kind", "score", "cov a", "cov b", "direction"):
            table.add_column(col, overflow="fold")
        for link in links:
            a, b = store.get(link.a), store.get(link.b)
            table.add_row(_label(a), _label(b), link.kind, f"{link.score:.3f}", f"{link.coverage_a:.0%}",
                          f"{link.coverage_b:.0%}", link.direction or "?")
    out.print(table)
    return EXIT_OK


def _label(doc: Document | None) -> str:
    if doc is None:
        return "?"
    return f"{doc.id[:8]} {doc.language or '?'} {Path(doc.origin.split('#')[0]).name[:28]}"


def cmd_compare(args: argparse.Namespace) -> int:
    from narratrace.compare import side_by_side
    from narratrace.link.verify import Verifier

    with open_store(args.db) as store:
        a, b = _document(store, args.a), _document(store, args.b)
        alignment, compared_by = Verifier(store).align(a, b)
        rows = side_by_side(a, b, alignment)
    out.print(f"a: {_label(a)}  |  b: {_label(b)}  (compared by {compared_by})")
    out.print(f"aligned {len(alignment.pairs)} blocks; coverage a {alignment.coverage_a:.0%}, "
              f"b {alignment.coverage_b:.0%}; quality {alignment.quality:.2f}")
    table = Table(show_lines=True)
    table.add_column("", width=1)
    table.add_column(f"a ({a.language})", ratio=1, overflow="fold")
    table.add_column("sim", width=4)
    table.add_column(f"b ({b.language})", ratio=1, overflow="fold")
    styles = {"=": "", "-": "red", "+": "green"}
    for row in rows:
        sim = f"{row.similarity:.2f}" if row.similarity is not None else ""
        table.add_row(row.mark, row.a, sim, row.b, style=styles[row.mark])
    out.print(table)
    return EXIT_OK


def cmd_similarity(args: argparse.Namespace) -> int:
    from narratrace.similar import pair_similarity

    with open_store(args.db) as store:
        a, b = _document(store, args.a), _document(store, args.b)
        result = pair_similarity(store, a, b)
    if args.format == "json":
        print(json.dumps({"a": a.id, "b": b.id, "score": round(result.score, 4), "evidence": result.evidence},
                         ensure_ascii=False, default=str))
        return EXIT_OK
    parts = "  ".join(f"{k} {v:.2f}" for k, v in result.evidence.get("components", {}).items())
    shared = ", ".join(a.split(":", 1)[-1] for a in result.evidence.get("shared_anchors", [])[:8])
    out.print(f"{_label(a)}  ~  {_label(b)}", markup=False)
    out.print(f"components: {parts}", markup=False)
    if shared:
        out.print(f"shared names and numbers: {shared}", markup=False)
    print(f"similarity {result.score:.4f}")
    return EXIT_OK


def cmd_similar(args: argparse.Namespace) -> int:
    from narratrace.similar import nearest

    with open_store(args.db) as store:
        doc = _document(store, args.document)
        found = nearest(store, doc, top=args.top)
    if args.format == "json":
        print(json.dumps({"document": doc.id, "results": [
            {"id": n.document.id, "title": n.document.title, "language": n.document.language,
             "score": round(n.similarity.score, 4), "evidence": n.similarity.evidence} for n in found]},
            ensure_ascii=False, default=str))
        return EXIT_OK
    table = Table(title=f"nearest to {_label(doc)}")
    for col in ("score", "document", "title", "shared names"):
        table.add_column(col, overflow="fold")
    for n in found:
        shared = ", ".join(x.split(":", 1)[-1] for x in n.similarity.evidence.get("shared_anchors", [])[:5])
        table.add_row(f"{n.similarity.score:.3f}", _label(n.document), (n.document.title or "")[:60], shared)
    out.print(table)
    return EXIT_OK


def cmd_clusters(args: argparse.Namespace) -> int:
    from narratrace.export import cluster_record

    level = "story" if args.command == "stories" else "narrative"
    with open_store(args.db) as store:
        if getattr(args, "id", None):
            found = store.clusters(level, [args.id])
            if not found:
                raise UsageError(f"no {level} {args.id!r}")
        else:
            found = store.clusters(level)
    if args.format == "json" or getattr(args, "id", None):
        records = [cluster_record(c) | {"membership": dict(c.membership)} for c in found]
        print(json.dumps(records[0] if getattr(args, "id", None) else {args.command: records},
                         ensure_ascii=False, default=str))
        return EXIT_OK
    table = Table(title=f"{len(found)} {args.command}")
    for col in ("id", "documents", "languages", "first seen", "last seen", "label"):
        table.add_column(col, overflow="fold")
    for c in sorted(found, key=lambda c: -len(c.documents)):
        table.add_row(c.id, str(len(c.documents)), " ".join(c.languages), c.first_seen or "?", c.last_seen or "?",
                      c.label[:90])
    out.print(table)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from narratrace.report import write_report

    with open_store(args.db) as store:
        try:
            write_report(store, Path(args.output), args.narrative)
        except KeyError:
            raise UsageError(f"no narrative {args.narrative!r} (see `narratrace narratives`)") from None
    out.print(f"wrote {args.output}")
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default="narratrace.db", help="SQLite file or sqlite:///path (default ./narratrace.db)")
    common.add_argument("--debug", action="store_true", help="show tracebacks")
    parser = argparse.ArgumentParser(prog="narratrace", description="Follow a story across outlets, languages and years.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help="read files, folders, globs; run the pipeline")
    p.add_argument("inputs", nargs="*", metavar="PATH|URL")
    add_fetch_options(p, urls=True)
    for name in ("text", "title", "date", "url", "outlet", "lang", "id"):
        p.add_argument(f"--{name}-field", help=f"field holding the {name} in JSON/CSV records")
    p.add_argument("--max-bytes", type=int, default=ReadOptions().max_bytes, help="refuse larger files")
    p.add_argument("--batch-size", type=int, help="documents per transaction")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_ingest)

    p = sub.add_parser("export", parents=[common], help="write the store")
    p.add_argument("--format", choices=FORMATS, default="json")
    p.add_argument("-o", "--output", help="file (default stdout)")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("stats", parents=[common], help="counts per language, outlet, month")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=cmd_stats)

    p = sub.add_parser("search", parents=[common], help="cross-lingual semantic and keyword search")
    p.add_argument("text")
    p.add_argument("--lang")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("links", parents=[common], help="copies and translations")
    p.add_argument("document", nargs="?", help="only the links of this document (id or origin)")
    p.add_argument("--kind", choices=("duplicate", "translation"))
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=cmd_links)

    p = sub.add_parser("compare", parents=[common], help="two documents aligned side by side")
    p.add_argument("a")
    p.add_argument("b")
    p.set_defaults(run=cmd_compare)

    p = sub.add_parser("similarity", parents=[common], help="how much two stored documents tell the same story")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=cmd_similarity)

    p = sub.add_parser("similar", parents=[common], help="the nearest documents of a stored one")
    p.add_argument("document")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=cmd_similar)

    for name, what in (("stories", "events as covered by many outlets"), ("narratives", "claims that keep coming back")):
        p = sub.add_parser(name, parents=[common], help=what)
        p.add_argument("--format", choices=("table", "json"), default="table")
        p.set_defaults(run=cmd_clusters)
    p = sub.add_parser("narrative", parents=[common], help="one narrative: members, timeline, events (JSON)")
    p.add_argument("id")
    p.add_argument("--format", choices=("json",), default="json")
    p.set_defaults(run=cmd_clusters)

    p = sub.add_parser("report", parents=[common], help="one self-contained HTML report")
    p.add_argument("--narrative")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(run=cmd_report)
    register_serve(sub, common)
    register_claims(sub, common)
    register_factchecks(sub, common)
    register_taxonomy(sub, common)
    register_provenance(sub, common)
    register_watch(sub, common)
    register_spark(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except UsageError as exc:
        err.print(f"narratrace: {exc}", markup=False)
        return EXIT_USAGE
    except KeyboardInterrupt:
        err.print("narratrace: interrupted; what was stored stays stored", markup=False)
        return 130
    except Exception as exc:  # noqa: BLE001 - the contract: one line, no traceback
        if args.debug:
            traceback.print_exc()
        err.print(f"narratrace: error: {exc}", markup=False)
        return EXIT_REJECTED


if __name__ == "__main__":
    sys.exit(main())
