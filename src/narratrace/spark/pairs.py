"""Copy and translation candidates as Spark joins: the embedded candidate rules, restated over all documents at once.

The embedded linker (`link.candidates.CandidateIndex`) takes documents in reading
order and compares each with the ones before it. Every rule it applies depends on
that order only through "the documents before this one", which a join can say:

- MinHash: two documents are candidates when a band of their signatures is equal
  (the bands `datasketch.MinHashLSH` cuts at the linker's threshold), the later
  one asking.
- Anchors: a document's anchor weights are the rarity of each anchor among the
  documents before it (`seq` of them). A window over each anchor's postings, in
  reading order, gives that count per (anchor, document); the pair score, the
  shortlist and the top few are then the linker's formula with its tie order
  (first shared anchor, then the earlier document).
- Neighbours: the nearest earlier centroids in the document's own encoder space.
  Tasks compute them exactly against a broadcast of the space's centroids, as the
  linker does against its in-memory matrix. That is quadratic in documents, as in
  the linker; docs/scaling.md says what replaces it at crawl scale.

The result is one row per (document, earlier candidate) with the reasons in the
linker's order, the anchor score and whether a neighbour search found it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from narratrace.enrich.embeddings import E5Encoder, UseEncoder, calibrate
from narratrace.link.candidates import ANCHOR_SHORTLIST, CandidateSettings
from narratrace.link.linker import own_space
from narratrace.link.minhash import NUM_PERM, THRESHOLD, is_empty
from narratrace.model import Vectors

# Reasons are listed as the linker lists them: MinHash, anchors, then neighbours.
MINHASH, ANCHORS, NEIGHBOURS = 0, 1, 2
# Documents whose neighbours one matrix product finds.
NEIGHBOUR_BATCH = 256


def _hashranges() -> list[tuple[int, int]]:
    from datasketch import MinHashLSH

    return list(MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM).hashranges)


def candidate_pairs(spark: Any, docs: Any, settings: CandidateSettings) -> Any:
    """(seq, id, other, reasons, anchor_score, neighbour) for every document `docs` (id, seq,
    language, minhash, anchors, vectors) and each earlier document worth verifying with it."""
    from pyspark.sql import functions as F

    found = (_minhash_pairs(spark, docs).unionByName(_anchor_pairs(docs, settings))
             .unionByName(_neighbour_pairs(spark, docs, settings)))
    ordered = F.array_sort(F.collect_list(F.struct("source", "reason")))
    return (found.groupBy("seq", "id", "other")
            .agg(ordered.alias("found"), F.max("anchor_score").alias("anchor_score"),
                 F.max(F.col("source") == NEIGHBOURS).alias("neighbour"))
            .select("seq", "id", "other", F.col("found.reason").alias("reasons"), "anchor_score", "neighbour"))


def _pair_columns(frame: Any, source: int, reason: Any, score: Any) -> Any:
    from pyspark.sql import functions as F

    return frame.select("seq", "id", "other", F.lit(source).alias("source"), reason.alias("reason"),
                        score.cast("double").alias("anchor_score"))


def _minhash_pairs(spark: Any, docs: Any) -> Any:
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    ranges = _hashranges()

    def bands(minhash: bytes | None) -> list[tuple[int, bytes]]:
        if minhash is None:
            return []
        sig = np.frombuffer(minhash, dtype=np.uint64)
        if len(sig) != NUM_PERM or is_empty(sig):
            return []
        return [(band, sig[lo:hi].tobytes()) for band, (lo, hi) in enumerate(ranges)]

    band_type = T.ArrayType(T.StructType([T.StructField("band", T.IntegerType()), T.StructField("key", T.BinaryType())]))
    keyed = docs.select("id", "seq", F.explode(F.udf(bands, band_type, useArrow=False)("minhash")).alias("b")).select(
        "id", "seq", F.col("b.band").alias("band"), F.col("b.key").alias("key"))
    later, earlier = keyed.alias("x"), keyed.alias("y")
    pairs = later.join(earlier, (F.col("x.band") == F.col("y.band")) & (F.col("x.key") == F.col("y.key"))
                       & (F.col("y.seq") < F.col("x.seq"))).select(
        F.col("x.seq").alias("seq"), F.col("x.id").alias("id"), F.col("y.id").alias("other")).distinct()
    return _pair_columns(pairs, MINHASH, F.lit("minhash"), F.lit(0.0))


def _anchor_pairs(docs: Any, settings: CandidateSettings) -> Any:
    """`CandidateIndex._by_anchors` for every document: rarity counted among the documents before it."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    def idf(df: Any, seq: Any) -> Any:
        cap = F.greatest(F.lit(float(settings.anchor_min_df_cap)), seq * F.lit(settings.anchor_max_df))
        return F.when(df <= cap, F.log1p(seq / F.greatest(df, F.lit(1)))).otherwise(F.lit(0.0))

    postings = docs.select("id", "seq", F.explode("anchors").alias("anchor"))
    # How many documents before this one carry the anchor.
    postings = postings.withColumn("df", F.row_number().over(Window.partitionBy("anchor").orderBy("seq")) - 1)
    postings = postings.withColumn("idf", idf(F.col("df"), F.col("seq")))
    own = postings.groupBy("id").agg(F.sum("idf").alias("own"))
    x, y = postings.alias("x"), postings.alias("y")
    shared = (x.where(F.col("idf") > 0).join(y, (F.col("x.anchor") == F.col("y.anchor")) & (F.col("y.seq") < F.col("x.seq")))
              .groupBy(F.col("x.seq").alias("seq"), F.col("x.id").alias("id"), F.col("y.id").alias("other"),
                       F.col("y.seq").alias("other_seq"))
              .agg(F.sum("x.idf").alias("shared"), F.count("*").alias("count"), F.min("x.anchor").alias("first"))
              .where((F.col("count") >= 2) & (F.col("shared") > 0)))
    shortlist_order = Window.partitionBy("seq").orderBy(F.desc("shared"), "first", "other_seq")
    shortlist = (shared.withColumn("rank", F.row_number().over(shortlist_order))
                 .where(F.col("rank") <= ANCHOR_SHORTLIST * settings.anchors_top))
    # The other document's weight is its anchors' rarity among the documents before *this* one: a
    # running count over each anchor's postings and these questions, in reading order.
    asked = (shortlist.join(postings.select(F.col("id").alias("other"), "anchor"), "other")
             .select("anchor", F.col("seq").alias("at"), F.lit(0).alias("posting"), "seq", "other"))
    counted = postings.select("anchor", F.col("seq").alias("at"), F.lit(1).alias("posting"),
                              F.lit(None).cast("long").alias("seq"), F.lit(None).cast("string").alias("other"))
    running = Window.partitionBy("anchor").orderBy("at", "posting").rowsBetween(Window.unboundedPreceding,
                                                                                  Window.currentRow)
    theirs = (asked.unionByName(counted).withColumn("df", F.sum("posting").over(running))
              .where(F.col("posting") == 0).groupBy("seq", "other").agg(F.sum(idf(F.col("df"), F.col("seq"))).alias("theirs")))
    scored = (shortlist.join(theirs, ["seq", "other"]).join(own, "id")
              .withColumn("score", F.col("shared") / F.sqrt(F.col("own") * F.col("theirs"))))
    top = (scored.withColumn("top", F.row_number().over(Window.partitionBy("seq").orderBy(F.desc("score"), "rank")))
           .where(F.col("top") <= settings.anchors_top))
    return _pair_columns(top, ANCHORS, F.format_string("anchors %.2f", F.col("score")), F.col("score"))


def _neighbour_pairs(spark: Any, docs: Any, settings: CandidateSettings) -> Any:
    """The `neighbours_top` nearest earlier centroids in each document's own space, kept above `neighbour_min`."""
    from pyspark.sql import types as T

    schema = T.StructType([T.StructField(name, kind) for name, kind in (
        ("seq", T.LongType()), ("id", T.StringType()), ("other", T.StringType()), ("source", T.IntegerType()),
        ("reason", T.StringType()), ("anchor_score", T.DoubleType()))])
    owned = docs.select("seq", "id", "language", "vectors").rdd.map(_own_centroid).filter(lambda row: row is not None)
    frames = []
    for model in (UseEncoder.name, E5Encoder.name):
        rows = sorted(owned.filter(lambda row, m=model: row[2] == m).map(lambda row: (row[0], row[1], row[3])).collect())
        if len(rows) < 2:
            continue
        space = spark.sparkContext.broadcast((
            np.array([seq for seq, _, _ in rows], dtype=np.int64), [doc_id for _, doc_id, _ in rows],
            np.stack([vector for _, _, vector in rows])))
        batches = [list(range(lo, min(lo + NEIGHBOUR_BATCH, len(rows)))) for lo in range(1, len(rows), NEIGHBOUR_BATCH)]
        found = spark.sparkContext.parallelize(batches, max(1, len(batches))).flatMap(
            lambda batch, m=model, s=space: _nearest(m, s.value, batch, settings))
        frames.append(spark.createDataFrame(found, schema))
    if not frames:
        return spark.createDataFrame([], schema)
    out = frames[0]
    for frame in frames[1:]:
        out = out.unionByName(frame)
    return out


def _own_centroid(row: Any) -> tuple[int, str, str, np.ndarray] | None:
    """The centroid a store keeps for the document in its own space (float16, read back as float32)."""
    model = own_space(row["language"])
    for v in row["vectors"] or []:
        if v["model"] == model:
            matrix = np.frombuffer(v["matrix"], dtype=np.float16).reshape(-1, v["dim"])
            centroid = Vectors(model, matrix, list(range(len(matrix)))).centroid()
            return row["seq"], row["id"], model, centroid.astype(np.float16).astype(np.float32)
    return None


def _nearest(model: str, space: tuple[np.ndarray, list[str], np.ndarray], batch: list[int],
             settings: CandidateSettings) -> Iterator[tuple[int, str, str, int, str, float]]:
    """For positions `batch` of the space (reading order), their nearest among the positions before each."""
    seqs, ids, matrix = space
    encoder = UseEncoder if model == UseEncoder.name else E5Encoder
    end = batch[-1]
    sims = matrix[:end] @ matrix[batch].T
    for column, position in enumerate(batch):
        before = sims[:position, column]
        top = min(settings.neighbours_top, len(before))
        best = np.argpartition(-before, top - 1)[:top] if top < len(before) else np.arange(len(before))
        for other in best:
            similarity = float(calibrate(encoder, float(before[other])))  # type: ignore[arg-type]
            if similarity >= settings.neighbour_min:
                yield (int(seqs[position]), ids[position], ids[other], NEIGHBOURS,
                       f"{model} neighbour {similarity:.2f}", 0.0)
