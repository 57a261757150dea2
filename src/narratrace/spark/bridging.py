"""The e5 bridge in the Spark job: each document's lead encoded in a task rather than at `load`.

Clustering a corpus that mixes USE's languages with others needs every document in
e5 (`cluster.bridge`). Left to `load`, that encoding ran on the loading machine alone:
316 of the 374 seconds of a 10k load (docs/scaling.md). The job knows the whole
corpus, so it decides as the first clustering pass of an empty store would (some
language outside USE's), and its tasks encode the documents that will still carry no
e5 vectors once linking is done: neither from the embeddings stage nor encoded on
demand by a link verification. `load` stores the vectors with the links
(`spark.load.JobLinks`), and the clustering pass finds nothing left to encode.

Output: `bridge/`, Parquet sorted by `seq` (the document's position in reading
order), one row per document: its id and its vectors.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from narratrace.cluster.bridge import BRIDGE_MODEL, BridgeStage
from narratrace.enrich.embeddings import USE_LANGUAGES
from narratrace.spark.linking import LINKS, vectors_row, vectors_schema
from narratrace.spark.rows import from_row

BRIDGE = "bridge"
# Documents a task encodes at a time: e5 batches by length within them.
BATCH = 256


def bridge_job(spark: Any, docs: Any, out: Path) -> int:
    """Write `out/bridge` when the corpus needs the bridge; the number of documents encoded.
    `docs` are the job's documents with their reading position (`linking.in_reading_order`)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    languages = [row[0] for row in docs.select("language").distinct().collect()]
    if all(language in USE_LANGUAGES for language in languages):
        return 0
    carried = docs.where(F.exists("vectors", lambda v: v["model"] == BRIDGE_MODEL)).select("id")
    encoded = (spark.read.parquet(str(out / LINKS)).where(F.col("vectors.model") == BRIDGE_MODEL)
               .select(F.col("document").alias("id")))
    asked = docs.join(carried.union(encoded).distinct(), "id", "left_anti").drop("meta", "citations")
    rows = asked.rdd.mapPartitions(bridge_partition)
    # Kept once computed: sorting samples its input first, which would encode every lead twice.
    frame = spark.createDataFrame(rows, _schema()).persist(StorageLevel.DISK_ONLY)
    frame.orderBy("seq").write.parquet(str(out / BRIDGE))
    bridged = frame.count()
    frame.unpersist()
    return bridged


def bridge_partition(rows: Iterator[Any]) -> Iterator[dict[str, Any]]:
    # One thread: Spark's cores are the parallelism, as in the job's other tasks.
    stage = BridgeStage(threads=1)
    batch: list[tuple[int, Any]] = []

    def flush() -> Iterator[dict[str, Any]]:
        docs = stage([doc for _, doc in batch])
        for (seq, _), doc in zip(batch, docs):
            if BRIDGE_MODEL in doc.vectors:
                yield {"seq": seq, "document": doc.id, "vectors": vectors_row(doc.vectors[BRIDGE_MODEL])}
        batch.clear()

    for row in rows:
        fields = row.asDict(recursive=True)
        batch.append((fields["seq"], from_row(fields | {"meta": None, "citations": None})))
        if len(batch) >= BATCH:
            yield from flush()
    yield from flush()


def _schema() -> Any:
    from pyspark.sql import types as T

    return T.StructType([T.StructField("seq", T.LongType(), False), T.StructField("document", T.StringType(), False),
                         T.StructField("vectors", vectors_schema(), False)])
