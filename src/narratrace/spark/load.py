"""`narratrace load DIR`: the rows a Spark job wrote, into any store, then clustering there.

The rows are read with pyarrow (no Spark, no Java needed to load) and put back in
the order `narratrace ingest` would have read the same inputs, then go through the
embedded pipeline with no per-document stage left to run: the same duplicate
handling, batch transactions and clustering as an ingest, so a loaded store and an
ingested one hold the same answers. Loading the same directory again adds nothing.

The job's links (`spark.linking`) compare its documents with each other only, so
they are stored as they are when the store was empty before the load. Into a store
that already held documents, the new ones are linked in the store instead, against
everything there, as an ingest links them.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from narratrace.ingest.base import Rejection
from narratrace.link.linker import CHUNK, LinkSummary
from narratrace.model import Document, Link, Vectors
from narratrace.pipeline import IngestSummary, Pipeline, Progress
from narratrace.settings import Settings
from narratrace.spark.bridging import BRIDGE
from narratrace.spark.job import DOCUMENTS, MANIFEST
from narratrace.spark.linking import LINKS, link_from_row, vectors_from_row
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


class JobLinks:
    """The job's links and on-demand vectors stored as the embedded linker stores its own: for each
    chunk of documents in reading order, their links, vectors and "linked" marks in one transaction.
    The job's e5 leads (`spark.bridging`) go in with their documents' chunk, so clustering finds them."""

    def __init__(self, out: Path) -> None:
        self.out = out

    def run(self, store: Store, progress: Callable[[LinkSummary], None] | None = None) -> LinkSummary:
        summary = LinkSummary()
        pending = store.unlinked()
        rows = _link_rows(self.out / LINKS)
        row = next(rows, None)
        leads = _link_rows(self.out / BRIDGE)
        lead = next(leads, None)
        for lo in range(0, len(pending), CHUNK):
            chunk = pending[lo : lo + CHUNK]
            links: list[Link] = []
            vectors: dict[tuple[str, str], Vectors] = {}
            while row is not None and row["seq"] < lo + len(chunk):
                if row["link"] is not None:
                    link = link_from_row(row)
                    if link.b != pending[row["seq"]]:
                        raise LoadError(f"{self.out / LINKS}: links out of step with the documents (row {row['seq']})")
                    links.append(link)
                else:
                    doc_id, found = vectors_from_row(row)
                    key = (doc_id, found.model)
                    vectors[key] = _union(vectors.get(key) or store.vectors_of(doc_id).get(found.model), found)
                row = next(rows, None)
            while lead is not None and lead["seq"] < lo + len(chunk):
                doc_id, found = vectors_from_row(lead)
                if doc_id != pending[lead["seq"]]:
                    raise LoadError(f"{self.out / BRIDGE}: vectors out of step with the documents (row {lead['seq']})")
                vectors[(doc_id, found.model)] = found
                lead = next(leads, None)
            store.add_links(links, chunk, [(doc_id, v) for (doc_id, _), v in vectors.items()])
            summary.documents += len(chunk)
            summary.links += len(links)
            if progress:
                progress(summary)
        if row is not None or lead is not None:
            raise LoadError(f"{self.out}: links or leads of more documents than the store holds unlinked")
        return summary


def _link_rows(directory: Path) -> Iterator[dict[str, Any]]:
    """The rows in (seq, order): the job sorted them across its part files, whose names keep that order.
    No directory, no rows (a job on a corpus that needs no bridge writes none)."""
    import pyarrow.parquet as pq

    for path in sorted(directory.glob("*.parquet")):
        for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH):
            yield from batch.to_pylist()


def _union(stored: Vectors | None, found: Vectors) -> Vectors:
    """Two tasks may each have encoded part of one document: the store keeps every row either encoded."""
    if stored is None:
        return found
    rows = dict(zip(stored.rows, stored.matrix))
    rows.update(zip(found.rows, found.matrix))
    order = sorted(rows)
    return Vectors(found.model, np.stack([rows[i] for i in order]), order)


def load(out: Path, store: Store, settings: Settings, progress: Progress | None = None,
         link_progress: Callable[[LinkSummary], None] | None = None) -> IngestSummary:
    pipeline = Pipeline(settings, stages=[])
    if (out / LINKS).is_dir() and store.count() == 0:
        pipeline.linker = JobLinks(out)
    return pipeline.ingest_results(read_rows(out), store, progress, link_progress)
