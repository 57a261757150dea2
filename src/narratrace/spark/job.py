"""`narratrace spark ingest`: the per-document stages over Spark partitions, written as Parquet.

What Spark runs is the embedded pipeline's own code: each task reads its share of
the input files with the same readers and passes the documents, in batches, through
the same stages (`pipeline.build_stages`: language, sentences, embeddings,
fingerprints, citations, claims). A task's encoders are loaded once per Python
worker and reused by every task that worker runs; each task encodes on one thread,
Spark's cores being the parallelism. Reading and encoding are where ingest spends
its time (about 90% of it on the ingest benchmark), so they are what is distributed.

Copies and translations are then found in Spark too (`spark.linking`): candidate
pairs from joins, verified in tasks by the embedded aligner; and, where the corpus
mixes USE's languages with others, the e5 leads clustering needs (`spark.bridging`).
Clustering and claim grouping are incremental passes over everything stored before,
so they run where the store is, when `narratrace load` brings the rows in: the loaded store ends with
the documents, links, stories and narratives that `narratrace ingest` of the same
inputs gives (`tests/spark`). docs/scaling.md says what that costs and how far it goes.

Every input file is one unit of work, numbered in command-line order, and every
row keeps (input, item): `load` restores the embedded pipeline's reading order
whatever order the tasks finished in.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from narratrace.ingest import read_file
from narratrace.ingest.base import Rejection
from narratrace.ingest.inputs import expand_inputs
from narratrace.model import Document
from narratrace.settings import Settings
from narratrace.spark.rows import ROW_VERSION, document_row, rejection_row, spark_schema

DOCUMENTS = "documents"
MANIFEST = "_narratrace.json"


class SparkJobError(RuntimeError):
    """The job failed; the message is the cause's first line, not a JVM stack trace."""


def _first_line(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    cause = next((line for line in reversed(lines) if "Error:" in line or "Exception:" in line), None)
    return f"the Spark job failed: {cause or (lines[0] if lines else type(exc).__name__)}"


@dataclass(slots=True)
class JobSummary:
    files: int = 0
    documents: int = 0
    rejected: int = 0
    links: int | None = None
    bridged: int | None = None
    seconds: float = 0.0


def session(master: str, app: str = "narratrace") -> Any:
    """A Spark session bound to loopback when local: nothing listens beyond this machine."""
    from pyspark.sql import SparkSession

    # Spark's Python workers run `python3` from PATH unless told: they must run this interpreter, which has narratrace.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (SparkSession.builder.master(master).appName(app).config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false"))
    if master.startswith("local"):
        # In local mode the driver's JVM runs every task: Spark's default 1 GB heap died grouping
        # 10k documents' candidate rows for verification.
        builder = (builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.driver.memory", os.environ.get("NARRATRACE_SPARK_MEMORY", "6g")))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _stop(spark: Any) -> None:
    """Stop a session whose job failed. Its JVM may be gone with the job, and then stopping fails
    too; the job's own error is the one to report."""
    try:
        spark.stop()
    except Exception:  # noqa: BLE001 - see the docstring
        return


def process_partition(settings: Settings, tasks: Iterable[tuple[int, str, str]]) -> Iterator[dict[str, Any]]:
    """Rows of one partition's files, in (input, item) order: read, then the per-document stages
    batch by batch. Sorted partitions let `load` merge the part files instead of sorting them all."""
    from narratrace.pipeline import build_stages

    stages = build_stages(settings)
    batch: list[tuple[int, int, Document | Rejection]] = []

    def flush() -> Iterator[dict[str, Any]]:
        docs = [result for _, _, result in batch if isinstance(result, Document)]
        for _, stage in stages:
            docs = stage(docs)
        done = {id(doc) for doc in docs}
        for number, item, result in batch:
            if isinstance(result, Rejection):
                yield rejection_row(result, number, item)
            elif id(result) in done:
                yield document_row(result, number, item)
        batch.clear()

    for number, path, origin in tasks:
        for item, result in enumerate(read_file(Path(path), origin, settings.read)):
            batch.append((number, item, result))
            if len(batch) >= settings.batch_size:
                yield from flush()
    yield from flush()


def run_job(inputs: list[str], out: Path, settings: Settings, master: str = "local[2]",
            partitions: int | None = None, links: bool = True) -> JobSummary:
    """Write `out/documents` and, with `links`, `out/links` and `out/bridge` (Parquet), then
    `out/_narratrace.json`; `out` must not hold a previous run."""
    from narratrace.spark.bridging import BRIDGE
    from narratrace.spark.linking import LINKS, link_job

    if (out / DOCUMENTS).exists():
        raise FileExistsError(f"{out / DOCUMENTS} exists: give a new --out directory")
    started = time.perf_counter()
    summary = JobSummary()
    tasks: list[tuple[int, str, str]] = []
    rejected: list[dict[str, Any]] = []
    for number, found in enumerate(expand_inputs(inputs)):
        if isinstance(found, Rejection):
            rejected.append(rejection_row(found, number, 0))
        else:
            tasks.append((number, str(found[0]), found[1]))
    summary.files = len(tasks)
    # One thread per task: Spark runs as many tasks at once as it has cores.
    task_settings = replace(settings, threads=1)
    spark = session(master)
    try:
        slices = max(1, min(len(tasks), partitions or spark.sparkContext.defaultParallelism * 4))
        rows = spark.sparkContext.parallelize(tasks, slices).mapPartitions(
            lambda part: process_partition(task_settings, part))
        if rejected:
            rows = rows.union(spark.sparkContext.parallelize(rejected, 1))
        frame = spark.createDataFrame(rows, spark_schema())
        frame.write.parquet(str(out / DOCUMENTS))
        written = spark.read.parquet(str(out / DOCUMENTS))
        counts = {r["kind"]: r["count"] for r in written.groupBy("kind").count().collect()}
        if links:
            summary.links, summary.bridged = link_job(spark, written, out, task_settings)
    except Exception as exc:
        # A failed job leaves no half-written output for `load` to take for a finished one.
        shutil.rmtree(out / DOCUMENTS, ignore_errors=True)
        shutil.rmtree(out / LINKS, ignore_errors=True)
        shutil.rmtree(out / BRIDGE, ignore_errors=True)
        _stop(spark)
        raise SparkJobError(_first_line(exc)) from exc
    spark.stop()
    summary.documents, summary.rejected = counts.get("document", 0), counts.get("rejection", 0)
    summary.seconds = time.perf_counter() - started
    (out / MANIFEST).write_text(json.dumps({
        "row_version": ROW_VERSION, "inputs": inputs, "files": summary.files, "documents": summary.documents,
        "rejected": summary.rejected, "links": summary.links, "bridged": summary.bridged, "master": master,
        "partitions": slices,
        "seconds": round(summary.seconds, 1),
    }, indent=1), encoding="utf-8")
    return summary
