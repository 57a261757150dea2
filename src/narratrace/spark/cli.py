"""`narratrace spark ingest INPUT... --out DIR` and `narratrace load DIR`, as `../shared/CLI.md` names them.

pyspark is an optional dependency (`pip install 'narratrace[spark]'`, and Java 17+):
without it `spark ingest` says so in one line; `load` needs only pyarrow. The
shared pieces of the command live in `narratrace.cli`, imported inside the
functions because that module imports this one.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
from pathlib import Path

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from narratrace.errors import UsageError
from narratrace.ingest.base import FieldMapping, ReadOptions
from narratrace.settings import Settings
from narratrace.store import open_store

FIELDS = ("text", "title", "date", "url", "outlet", "lang", "id")


def register_spark(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    group = sub.add_parser("spark", help="the distributed batch: per-document stages on Apache Spark")
    commands = group.add_subparsers(dest="spark_command", required=True)
    p = commands.add_parser("ingest", parents=[common], help="read and enrich INPUT... on Spark, write Parquet")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--out", required=True, metavar="DIR", help="a new directory for the Parquet output")
    p.add_argument("--master", default="local[2]", help="Spark master URL (default: %(default)s)")
    p.add_argument("--partitions", type=int, help="tasks to split the input files into (default: 4 per core)")
    p.add_argument("--no-links", action="store_true",
                   help="leave copies and translations (and the e5 bridge clustering needs) to `load`, "
                        "which finds them in the store")
    for name in FIELDS:
        p.add_argument(f"--{name}-field", help=f"field holding the {name} in JSON/CSV records")
    p.add_argument("--max-bytes", type=int, default=ReadOptions().max_bytes, help="refuse larger files")
    p.set_defaults(run=cmd_spark_ingest)

    p = sub.add_parser("load", parents=[common], help="load a `spark ingest` output into the store; link, cluster")
    p.add_argument("directory", metavar="DIR")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_load)


def cmd_spark_ingest(args: argparse.Namespace) -> int:
    from narratrace.cli import EXIT_OK, EXIT_REJECTED, out
    from narratrace.spark.job import run_job

    if importlib.util.find_spec("pyspark") is None:
        raise UsageError("spark ingest needs pyspark and Java 17+: pip install 'narratrace[spark]'")
    if shutil.which("java") is None:
        raise UsageError("spark ingest needs Java 17+ on PATH (Debian: apt install openjdk-17-jre-headless)")
    settings = Settings(db=args.db)
    settings.read = ReadOptions(fields=FieldMapping(**{n: getattr(args, f"{n}_field") for n in FIELDS}),
                                max_bytes=args.max_bytes)
    target = Path(args.out)
    try:
        summary = run_job(args.inputs, target, settings, args.master, args.partitions, links=not args.no_links)
    except FileExistsError as exc:
        raise UsageError(str(exc)) from None
    found = "" if summary.links is None else f", {summary.links} links"
    found += f", {summary.bridged} bridged for clustering" if summary.bridged else ""
    out.print(f"{summary.files} files, {summary.documents} documents, {summary.rejected} rejected{found} in "
              f"{summary.seconds:.0f} s; load with: narratrace load {target} --db DB")
    return EXIT_REJECTED if summary.rejected else EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    from narratrace.cli import EXIT_OK, EXIT_REJECTED, err, ingest_callbacks, ingest_line, out
    from narratrace.spark.load import LoadError, load

    settings = Settings(db=args.db, threads=args.threads)
    with open_store(args.db) as store, Progress(
        SpinnerColumn(), TextColumn("[bold]load"), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=err, transient=True, disable=args.quiet,
    ) as bar:
        progress, link_progress = ingest_callbacks(bar, bar.add_task("reading", total=None))
        try:
            summary = load(Path(args.directory), store, settings, progress, link_progress)
        except LoadError as exc:
            raise UsageError(str(exc)) from None
        total = store.count()
    out.print(ingest_line(summary, total, args.db))
    return EXIT_REJECTED if summary.rejected else EXIT_OK
