"""`narratrace factchecks import|search|match|review`, as `../shared/CLI.md` fixes them.

The shared pieces of the command (the consoles, exit codes) live in
`narratrace.cli`, which imports this module to register the subcommands, so they
are imported inside the functions; so is retrieval (bm25s), which every other
command would otherwise pay for at start-up.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from narratrace.factchecks.importer import (
    FORMATS,
    FactCheckImporter,
    ImportSummary,
    Read,
    read_factchecks,
)
from narratrace.factchecks.records import MATCH_STATES, FieldMap
from narratrace.ingest.base import Rejection
from narratrace.store import open_store

if TYPE_CHECKING:
    from narratrace.factchecks.retrieval import FactCheckHit

ROLES = ("id", "claim", "title", "rating", "author", "url", "date", "lang")


def register_factchecks(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    group = sub.add_parser("factchecks", help="the fact-check database: import, search, match, review")
    commands = group.add_subparsers(dest="factchecks_command", required=True)

    p = commands.add_parser("import", parents=[common], help="import ClaimReview, claims:search responses, CSV/TSV")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=FORMATS, help="default: recognised from the content")
    for role in ROLES:
        p.add_argument(f"--{role}-field", metavar="F",
                       help=f"field holding the {role} (dotted path into JSON; CSV/TSV column name or #N)")
    p.add_argument("--date-format", metavar="FMT", help="strptime format of the date field, e.g. %%m/%%d/%%y")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--quiet", action="store_true", help="no progress display")
    p.set_defaults(run=cmd_import)

    p = commands.add_parser("search", parents=[common], help="fact-checks for a text, or for a file of queries")
    p.add_argument("text", nargs="?", metavar="TEXT")
    p.add_argument("--queries", metavar="FILE", help="one id<TAB>text per line; prints JSON Lines")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--since", metavar="YYYY-MM-DD", help="only fact-checks dated on or after this day")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--threads", type=int, default=2)
    p.set_defaults(run=cmd_search)

    p = commands.add_parser("match", parents=[common], help="suggest fact-checks for every stored claim")
    p.add_argument("--threshold", type=float, default=None,
                   help="fused score from which a fact-check is suggested (default: %(default)s, see README)")
    p.add_argument("--top", type=int, default=3, help="at most this many suggestions per claim")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="only fact-checks dated on or after this day")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--quiet", action="store_true", help="no progress display")
    p.set_defaults(run=cmd_match)

    p = commands.add_parser("review", parents=[common],
                            help="list matches; confirm or reject one; ClaimReview of the confirmed")
    p.add_argument("claim", nargs="?", metavar="CLAIM", help="claim id (as `narratrace claims --format json` shows)")
    p.add_argument("factcheck", nargs="?", metavar="FACTCHECK", help="fact-check id")
    decision = p.add_mutually_exclusive_group()
    decision.add_argument("--confirm", action="store_true")
    decision.add_argument("--reject", action="store_true")
    decision.add_argument("--reset", action="store_true", help="back to suggested")
    p.add_argument("--state", choices=MATCH_STATES, default="suggested", help="which matches to list")
    p.add_argument("--claimreview", metavar="FILE",
                   help="write the confirmed matches as schema.org ClaimReview JSON-LD")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=cmd_review)


def cmd_match(args: argparse.Namespace) -> int:
    from narratrace.cli import EXIT_OK, err, out
    from narratrace.enrich.embeddings import encoders
    from narratrace.factchecks.matching import THRESHOLD, MatchSummary, match_claims

    if args.top < 1:
        return _usage("--top must be at least 1")
    threshold = THRESHOLD if args.threshold is None else args.threshold
    with open_store(args.db) as store, Progress(
        SpinnerColumn(), TextColumn("[bold]factchecks match"), TextColumn("{task.description}"),
        TimeElapsedColumn(), console=err, transient=True, disable=args.quiet,
    ) as bar:
        if not store.count_factchecks():
            return _usage(f"no fact-checks in {args.db}: run `narratrace factchecks import FILE` first")
        task = bar.add_task("reading claims", total=None)

        def progress(summary: MatchSummary) -> None:
            bar.update(task, description=f"claims {summary.searched}/{summary.claims}  suggested {summary.suggested}")

        summary = match_claims(store, encoders(args.threads), threshold, args.top, args.since, progress)
        waiting = len(store.matches(state="suggested"))
    out.print(f"{summary.claims} claims searched against the fact-checks (threshold {threshold}): "
              f"{summary.suggested} suggestions, {summary.new} new; {waiting} await review "
              f"(`narratrace factchecks review`)")
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from narratrace.cli import EXIT_OK, out
    from narratrace.factchecks.claimreview_export import confirmed_claimreviews

    decided = args.confirm or args.reject or args.reset
    if decided and not (args.claim and args.factcheck):
        return _usage("--confirm, --reject and --reset need CLAIM and FACTCHECK")
    if args.claim and not decided:
        return _usage("say --confirm, --reject or --reset for CLAIM FACTCHECK")
    with open_store(args.db) as store:
        if decided:
            state = "confirmed" if args.confirm else "rejected" if args.reject else "suggested"
            if not store.review_match(args.claim, args.factcheck, state):
                return _usage(f"no match of claim {args.claim!r} with fact-check {args.factcheck!r} "
                              "(see `narratrace factchecks review`)")
            out.print(f"{args.claim} / {args.factcheck}: {state}")
            return EXIT_OK
        if args.claimreview:
            reviews = confirmed_claimreviews(store)
            Path(args.claimreview).write_text(json.dumps(reviews, ensure_ascii=False, indent=1), encoding="utf-8")
            out.print(f"wrote {len(reviews)} ClaimReview records to {args.claimreview}")
            return EXIT_OK
        found = store.matches(state=args.state)
    if args.format == "json":
        print(json.dumps({"matches": [m.record() | {"document": m.document, "evidence": m.evidence} for m in found]},
                         ensure_ascii=False, default=str))
        return EXIT_OK
    table = Table(title=f"{len(found)} {args.state} matches")
    for col in ("score", "claim id", "fact-check id", "rating", "claim", "fact-checked claim", "shared words"):
        table.add_column(col, overflow="fold")
    for m in found:
        e = m.evidence
        table.add_row(f"{m.score:.3f}", m.claim, m.factcheck[:24], str(e.get("rating") or "?"),
                      str(e.get("claim", ""))[:100], str(e.get("factcheck_claim", ""))[:100],
                      ", ".join(e.get("words", [])[:6]))
    out.print(table)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from narratrace.cli import EXIT_OK, EXIT_REJECTED, err, out
    from narratrace.enrich.embeddings import encoders

    mapping = FieldMap(**{role: getattr(args, f"{role}_field") for role in ROLES}, date_format=args.date_format)
    items = read_factchecks(Path(args.file), mapping, args.format)
    with open_store(args.db) as store, Progress(
        SpinnerColumn(), TextColumn("[bold]factchecks import"), TextColumn("{task.description}"),
        TimeElapsedColumn(), console=err, transient=True, disable=args.quiet,
    ) as bar:
        task = bar.add_task("reading", total=None)

        def progress(summary: ImportSummary, item: Read) -> None:
            if isinstance(item, Rejection):
                bar.console.print(f"narratrace: rejected {item.origin}: {item.reason}", markup=False)
            bar.update(task, description=f"read {summary.read}  rejected {len(summary.rejected)}")

        summary = FactCheckImporter(store, encoders(args.threads)).run(items, progress)
        total = store.count_factchecks()
    out.print(f"read {summary.read}, new {summary.new}, already stored {summary.known}, "
              f"rejected {len(summary.rejected)}; {total} fact-checks in {args.db}")
    return EXIT_REJECTED if summary.rejected else EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from narratrace.cli import EXIT_OK, EXIT_REJECTED, err, out
    from narratrace.enrich.embeddings import encoders
    from narratrace.factchecks.retrieval import FactCheckIndex

    if (args.text is None) == (args.queries is None):
        return _usage("give either TEXT or --queries FILE")
    if args.top < 1:
        return _usage("--top must be at least 1")
    if args.queries:
        try:
            queries, bad = _queries(Path(args.queries).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            return _usage(f"cannot read --queries {args.queries}: {exc}")
    else:
        queries, bad = [("", args.text)], []
    for line in bad:
        err.print(f"narratrace: rejected {args.queries}#{line}: not id<TAB>text", markup=False)
    with open_store(args.db) as store:
        index = FactCheckIndex.from_store(store, encoders(args.threads))
    hits = index.search([text for _, text in queries], top=args.top, since=args.since)
    if args.queries:
        for (qid, _), found in zip(queries, hits):
            print(json.dumps({"query": qid, "results": [h.record() for h in found]}, ensure_ascii=False))
    elif args.format == "json":
        print(json.dumps({"results": [h.record() for h in hits[0]]}, ensure_ascii=False))
    else:
        out.print(_table(args.text, hits[0]))
    return EXIT_REJECTED if bad else EXIT_OK


def _usage(message: str) -> int:
    from narratrace.cli import EXIT_USAGE, err

    err.print(f"narratrace: {message}", markup=False)
    return EXIT_USAGE


def _queries(text: str) -> tuple[list[tuple[str, str]], list[int]]:
    """(id, text) per line, and the numbers of the lines that are not `id<TAB>text`."""
    queries, bad = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        qid, tab, text = line.partition("\t")
        if tab and qid.strip() and text.strip():
            queries.append((qid.strip(), text.strip()))
        else:
            bad.append(number)
    return queries, bad


def _table(text: str, hits: list[FactCheckHit]) -> Table:
    table = Table(title=f"fact-checks for: {text[:80]}")
    for col in ("score", "id", "rating", "claim", "matched words", "dense", "bm25"):
        table.add_column(col, overflow="fold")
    for h in hits:
        dense = " ".join(f"{m} {c:.2f}" for m, c in h.dense.items())
        table.add_row(f"{h.score:.3f}", h.factcheck.id[:24], h.factcheck.rating or "?",
                      h.factcheck.claim[:90], ", ".join(h.words[:8]), dense, f"{h.bm25:.1f}")
    return table
