"""Copies and translations in the Spark job: candidate pairs from joins, verified in tasks, written as Parquet.

The job's documents are put in the order `narratrace ingest` would store them (the
first reading of each text), `spark.pairs` finds each one's candidates among the
documents before it, and each task verifies the candidates of its documents with
the embedded linker's own decision (`link.linker.verify_found`): the same aligner,
thresholds and choice of which cross-space pairs are worth encoding. A task holds
a document with its candidates' rows, so it needs no store: their stored vectors
are in the rows, and what it encodes on demand (e5 for a pair USE cannot compare)
is written beside the links, as the embedded linker stores it with them.

Output: `links/`, Parquet sorted by `seq` (the later document's position), one row
per link or per vectors encoded on demand. `narratrace load` stores them into an
empty store chunk by chunk, as the embedded linker would have (`spark.load`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any, cast

import numpy as np

from narratrace.link.candidates import Candidate, CandidateSettings
from narratrace.link.linker import verify_found
from narratrace.link.verify import Verifier
from narratrace.model import Document, Link, Vectors
from narratrace.settings import Settings
from narratrace.spark.pairs import candidate_pairs
from narratrace.spark.rows import from_row

LINKS = "links"
# What verifying reads of a row: everything but the claims, labels and citations.
_UNREAD = ("meta", "citations")


class RowVectors:
    """The stored vectors of the documents a task holds: what a Verifier reads from a store."""

    def __init__(self) -> None:
        self.documents: dict[str, dict[str, Vectors]] = {}

    def vectors_of(self, doc_id: str) -> dict[str, Vectors]:
        return self.documents.get(doc_id, {})


def in_reading_order(spark: Any, rows: Any) -> Any:
    """The documents a store would keep, first reading of each text, with `seq`: their position in reading order."""
    from pyspark.sql import functions as F

    docs = rows.where(F.col("kind") == "document")
    first = docs.groupBy("id").agg(F.min(F.struct("input", "item")).alias("first"))
    docs = docs.join(first, "id").where((F.col("input") == F.col("first.input")) & (F.col("item") == F.col("first.item")))
    order = (docs.select("input", "item", "id").rdd.map(lambda r: ((r[0], r[1]), r[2])).sortByKey()
             .zipWithIndex().map(lambda keyed: (keyed[0][1], keyed[1])))
    return docs.drop("first").join(spark.createDataFrame(order, "id string, seq long"), "id")


def link_job(spark: Any, rows: Any, out: Path, settings: Settings) -> tuple[int, int]:
    """Write `out/links`, then `out/bridge` where clustering will need it (`spark.bridging`); the
    number of links found and of documents bridged."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from narratrace.spark.bridging import bridge_job

    docs = in_reading_order(spark, rows).persist(StorageLevel.MEMORY_AND_DISK)
    pairs = candidate_pairs(spark, docs.select("id", "seq", "language", "minhash", "anchors", "vectors"),
                            CandidateSettings())
    read = docs.select("seq", "id", F.struct(*[F.lit(None).cast("string").alias(c) if c in _UNREAD else F.col(c)
                                               for c in rows.columns]).alias("row"))
    others = read.select(F.col("id").alias("other"), F.col("row").alias("other_row"))
    asked = (pairs.join(others, "other").groupBy("seq")
             .agg(F.collect_list(F.struct("other", "reasons", "anchor_score", "neighbour", "other_row")).alias("candidates"))
             .join(read, "seq"))
    verified = spark.createDataFrame(asked.rdd.mapPartitions(lambda part: verify_partition(settings, part)),
                                     _schema()).persist(StorageLevel.DISK_ONLY)
    verified.orderBy("seq", "order").write.parquet(str(out / LINKS))
    found = verified.where(F.col("link").isNotNull()).count()
    verified.unpersist()
    bridged = bridge_job(spark, docs, out)
    docs.unpersist()
    return found, bridged


def verify_partition(settings: Settings, groups: Iterator[Any]) -> Iterator[dict[str, Any]]:
    """Each document of the partition verified against its candidates: link rows, then the vectors encoded for them."""
    source = RowVectors()
    verifier = Verifier(source, settings.link, threads=1)
    candidates = CandidateSettings()
    for group in groups:
        doc = _document(group["row"])
        source.documents[doc.id] = doc.vectors
        found: dict[str, Candidate] = {}
        others: dict[str, Document | None] = {}
        for asked in group["candidates"]:
            other = _document(asked["other_row"])
            source.documents[other.id] = other.vectors
            others[other.id] = other
            found[other.id] = Candidate(list(asked["reasons"]), float(asked["anchor_score"] or 0.0),
                                        bool(asked["neighbour"]))
        links = verify_found(doc, found, others, verifier, candidates)
        order = 0
        for link in links:
            yield {"seq": group["seq"], "order": order, "link": json.dumps(asdict(link), ensure_ascii=False),
                   "document": None, "vectors": None}
            order += 1
        for doc_id, vectors in verifier.take_unsaved():
            yield {"seq": group["seq"], "order": order, "link": None, "document": doc_id,
                   "vectors": vectors_row(vectors)}
            order += 1


def _document(row: Any) -> Document:
    """A row of `in_reading_order`, which holds documents only."""
    return cast(Document, from_row(row.asDict(recursive=True)))


def vectors_row(vectors: Vectors) -> dict[str, Any]:
    return {"model": vectors.model, "dim": int(vectors.matrix.shape[1]),
            "rows": np.asarray(vectors.rows, dtype=np.int32).tobytes(),
            "matrix": vectors.matrix.astype(np.float16).tobytes()}


def vectors_schema() -> Any:
    from pyspark.sql import types as T

    return T.StructType([T.StructField("model", T.StringType(), False), T.StructField("dim", T.IntegerType(), False),
                         T.StructField("rows", T.BinaryType(), False), T.StructField("matrix", T.BinaryType(), False)])


def _schema() -> Any:
    from pyspark.sql import types as T

    return T.StructType([T.StructField("seq", T.LongType(), False), T.StructField("order", T.IntegerType(), False),
                         T.StructField("link", T.StringType(), True), T.StructField("document", T.StringType(), True),
                         T.StructField("vectors", vectors_schema(), True)])


def link_from_row(row: dict[str, Any]) -> Link:
    return Link(**json.loads(row["link"]))


def vectors_from_row(row: dict[str, Any]) -> tuple[str, Vectors]:
    v = row["vectors"]
    matrix = np.frombuffer(v["matrix"], dtype=np.float16).reshape(-1, v["dim"])
    return row["document"], Vectors(v["model"], matrix, np.frombuffer(v["rows"], dtype=np.int32).tolist())
