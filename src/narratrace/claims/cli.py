"""`narratrace claims [DOC|NARRATIVE]`: the check-worthy claims of the store, of one document or of one narrative.

Claims not grouped yet are grouped first (see `claims.run`), so every claim listed
carries its group: the same claim restated by other outlets, in other languages.
The shared pieces of the command live in `narratrace.cli`, imported inside the
functions because that module imports this one.
"""

from __future__ import annotations

import argparse
import json

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from narratrace.claims.model import Claim
from narratrace.claims.run import claims_of_ids, group_pending, group_reach, stored_claims
from narratrace.errors import UsageError
from narratrace.store import open_store
from narratrace.store.base import Store


def register_claims(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("claims", parents=[common], help="check-worthy claims, grouped across documents and languages")
    p.add_argument("target", nargs="?", metavar="DOC|NARRATIVE",
                   help="a document (id or origin) or a narrative id; default: every stored claim")
    p.add_argument("--min-score", type=float, default=0.0, help="only claims scoring at least this")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--quiet", action="store_true", help="no progress display")
    p.set_defaults(run=cmd_claims)


def cmd_claims(args: argparse.Namespace) -> int:
    from narratrace.cli import EXIT_OK, err, out

    with open_store(args.db) as store:
        with Progress(SpinnerColumn(), TextColumn("[bold]claims"), TextColumn("grouping new claims"),
                      TimeElapsedColumn(), console=err, transient=True, disable=args.quiet) as bar:
            bar.add_task("grouping", total=None)
            group_pending(store, args.threads)
        if args.target is None:
            claims, title = stored_claims(store), "the store"
        else:
            doc_ids, title = _target(store, args.target)
            if doc_ids is None:
                raise UsageError(f"no document or narrative {args.target!r}")
            claims = claims_of_ids(store, doc_ids)
        reach = group_reach(store)
    claims = [c for c in claims if c.score >= args.min_score]
    if args.format == "json":
        print(json.dumps({"claims": [c.record() | {"language": c.language, "evidence": c.evidence} for c in claims]},
                         ensure_ascii=False, default=str))
        return EXIT_OK
    out.print(_table(claims, title, reach))
    return EXIT_OK


def _target(store: Store, key: str) -> tuple[list[str] | None, str]:
    doc = store.get(key)
    if doc is not None:
        return [doc.id], f"document {doc.title or doc.origin}"
    found = store.clusters("narrative", [key])
    if found:
        return found[0].documents, f"narrative {found[0].label}"
    return None, ""


def _table(claims: list[Claim], title: str, reach: dict[str, int]) -> Table:
    """Claims repeated by the most documents first: those are the ones travelling."""
    table = Table(title=f"{len(claims)} claims of {title}")
    for col in ("score", "group", "documents in group", "lang", "claim"):
        table.add_column(col, overflow="fold")
    for claim in sorted(claims, key=lambda c: (-reach.get(c.group or "", 0), c.group or "", -c.score)):
        table.add_row(f"{claim.score:.2f}", claim.group or "-", str(reach.get(claim.group or "", "-")),
                      claim.language or "?", claim.text[:160])
    return table
