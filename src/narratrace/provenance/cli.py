"""`narratrace provenance` and `narratrace sources import`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register_provenance(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("provenance", parents=[common], help="the citation and copy chain of a document, as a tree")
    p.add_argument("target", metavar="DOC", help="a document id or origin")
    p.add_argument("--format", choices=("tree", "json"), default="tree")
    p.set_defaults(run=cmd_provenance)

    p = sub.add_parser("sources", parents=[common], help="the source registry")
    actions = p.add_subparsers(dest="action", required=True)
    q = actions.add_parser("import", parents=[common], help="add outlets and agencies from a JSON or CSV file")
    q.add_argument("file")
    q.set_defaults(run=cmd_sources_import)


def cmd_provenance(args: argparse.Namespace) -> int:
    from rich.tree import Tree

    from narratrace.cli import EXIT_OK, UsageError, out
    from narratrace.provenance.chain import provenance
    from narratrace.store import open_store

    with open_store(args.db) as store:
        doc = store.get(args.target)
        if doc is None:
            raise UsageError(f"no stored document has the id or origin {args.target!r}")
        result = provenance(store, doc)
    if args.format == "json":
        print(json.dumps(result.record(), ensure_ascii=False))
        return EXIT_OK
    tree = Tree(f"[bold]{doc.title or doc.id}[/] ({doc.language or '?'}, {doc.published.value if doc.published else 'no date'})")
    cited = tree.add(f"cites {len(result.citations)} times, {sum(c.anonymous for c in result.citations)} anonymously")
    for c in result.citations:
        who = c.canonical or c.source
        cited.add(f"{'anonymous: ' if c.anonymous else ''}{who}  [dim]{c.kind}, \"{c.phrase}\"[/]")
    for node in result.copies:
        relation = {True: "copied by", False: "copy of", None: "linked to"}[node.is_source]
        branch = tree.add(f"{relation} {node.document.id} ({node.document.language}) {node.link.kind} "
                          f"score {node.link.score:.2f}")
        if node.stripped:
            branch.add(f"[red]the copy no longer names: {', '.join(node.stripped)}[/]")
        elif node.only_here or node.only_there:
            branch.add(f"named only here: {', '.join(node.only_here) or '-'}; only there: {', '.join(node.only_there) or '-'}")
    out.print(tree)
    return EXIT_OK


def cmd_sources_import(args: argparse.Namespace) -> int:
    from narratrace.cli import EXIT_OK, UsageError, out
    from narratrace.provenance.registry import SourceRegistry
    from narratrace.store import open_store

    path = Path(args.file)
    try:
        content = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None
    csv_format = path.suffix.casefold() == ".csv"
    try:
        count = SourceRegistry().import_text(content, csv_format=csv_format)
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path}: not a source registry file: {exc}") from None
    with open_store(args.db) as store:
        store.add_source_file(path.name, csv_format, content)
    out.print(f"{count} sources from {path} kept in {args.db}; documents ingested from now on resolve them")
    return EXIT_OK
