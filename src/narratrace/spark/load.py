"""`narratrace load DIR`: the rows a Spark job wrote, into any store, then linking and clustering there.

The rows are read with pyarrow (no Spark, no Java needed to load) and put back in
the order `narratrace ingest` would have read the same inputs, then go through the
embedded pipeline with no per-document stage left to run: the same duplicate
handling, batch transactions, linking and clustering as an ingest, so a loaded
store and an ingested one hold the same answers. Loading the same directory again
adds nothing.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from narratrace.ingest.base import Rejection
from narratrace.link.linker import LinkSummary
from narratrace.model import Document
from narratrace.pipeline import IngestSummary, Pipeline, Progress
from narratrace.settings import Settings
from narratrace.spark.job import DOCUMENTS, MANIFEST
from narratrace.spark.rows import from_row
from narratrace.store.base import Store


# Rows read from each part file at a time.
BATCH = 256


class LoadError(ValueError):
    """The directory is not the output of a finished `narratrace spark ingest`."""


def read_rows(out: Path) -> Iterator[Document | Rejection]:
    """Every row of a finished job, in the embedded pipeline's reading order.

    Each part file holds one partition's rows already in (input, item) order
    (`job.process_partition`), so the files are merged, a batch of each in memory
    at a time, rather than read whole and sorted."""
    import pyarrow.parquet as pq

    if not (out / MANIFEST).is_file() or not (out / DOCUMENTS).is_dir():
        raise LoadError(f"{out} holds no finished `narratrace spark ingest` output (no {MANIFEST} or {DOCUMENTS}/)")
    try:
        json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        parts = [(path, pq.ParquetFile(path)) for path in sorted((out / DOCUMENTS).glob("*.parquet"))]
    except (OSError, ValueError) as exc:
        raise LoadError(f"{out}: unreadable job output: {exc}") from exc
    for _, row in heapq.merge(*(_ordered(path, part) for path, part in parts), key=lambda keyed: keyed[0]):
        yield from_row(row)


def _ordered(path: Path, part: Any) -> Iterator[tuple[tuple[int, int], dict[str, Any]]]:
    last = (-1, -1)
    for batch in part.iter_batches(batch_size=BATCH):
        for row in batch.to_pylist():
            key = (row["input"], row["item"])
            if key <= last:
                raise LoadError(f"{path}: rows out of order, so not written by this narratrace's job")
            last = key
            yield key, row


def load(out: Path, store: Store, settings: Settings, progress: Progress | None = None,
         link_progress: Callable[[LinkSummary], None] | None = None) -> IngestSummary:
    return Pipeline(settings, stages=[]).ingest_results(read_rows(out), store, progress, link_progress)
