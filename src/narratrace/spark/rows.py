"""A Document as one flat Parquet row, and back, losing nothing a store keeps.

The Spark job writes these rows and `narratrace load` reads them (with pyarrow
alone, no Spark needed), so the two ends share this one definition. Vectors are
float16, as every store keeps them, so a loaded document is the document the
embedded pipeline would have stored, bit for bit.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import numpy as np

from narratrace.ingest.base import Rejection
from narratrace.model import Document, Fingerprint, Published, Sentence, Vectors
from narratrace.provenance.citations import Citation

# Bumped when a column changes meaning; `load` refuses rows of another version.
ROW_VERSION = 1


def spark_schema() -> Any:
    """The Spark schema of the rows (imported lazily: only the Spark job needs pyspark)."""
    from pyspark.sql import types as t

    vector = t.StructType([
        t.StructField("model", t.StringType(), False),
        t.StructField("dim", t.IntegerType(), False),
        t.StructField("rows", t.BinaryType(), False),
        t.StructField("matrix", t.BinaryType(), False),
    ])
    strings = ("kind", "origin", "reason", "id", "url", "outlet", "title", "published", "published_precision",
               "published_evidence", "language", "text", "meta", "citations")
    return t.StructType([
        t.StructField("version", t.IntegerType(), False),
        t.StructField("input", t.IntegerType(), False),
        t.StructField("item", t.IntegerType(), False),
        *[t.StructField(name, t.StringType(), name not in ("kind", "origin")) for name in strings],
        t.StructField("sentences", t.BinaryType(), True),
        t.StructField("vectors", t.ArrayType(vector, False), True),
        t.StructField("minhash", t.BinaryType(), True),
        t.StructField("anchors", t.ArrayType(t.StringType(), False), True),
    ])


def rejection_row(rejection: Rejection, input_number: int, item: int) -> dict[str, Any]:
    return {"version": ROW_VERSION, "input": input_number, "item": item, "kind": "rejection",
            "origin": rejection.origin, "reason": rejection.reason}


def document_row(doc: Document, input_number: int, item: int) -> dict[str, Any]:
    published = doc.published
    return {
        "version": ROW_VERSION, "input": input_number, "item": item, "kind": "document",
        "origin": doc.origin, "reason": None, "id": doc.id, "url": doc.url, "outlet": doc.outlet, "title": doc.title,
        "published": published.value if published else None,
        "published_precision": published.precision if published else None,
        "published_evidence": published.evidence if published else None,
        "language": doc.language, "text": doc.text,
        "meta": json.dumps(doc.meta, ensure_ascii=False, default=str),
        "citations": json.dumps([asdict(c) for c in doc.citations], ensure_ascii=False),
        "sentences": np.array([(s.start, s.end, s.paragraph) for s in doc.sentences], dtype=np.int32).tobytes(),
        "vectors": [
            {"model": v.model, "dim": int(v.matrix.shape[1]), "rows": np.asarray(v.rows, dtype=np.int32).tobytes(),
             "matrix": v.matrix.astype(np.float16).tobytes()}
            for v in doc.vectors.values()
        ],
        "minhash": doc.fingerprint.minhash.astype(np.uint64).tobytes() if doc.fingerprint else None,
        "anchors": sorted(doc.fingerprint.anchors) if doc.fingerprint else None,
    }


def from_row(row: dict[str, Any]) -> Document | Rejection:
    if row["version"] != ROW_VERSION:
        raise ValueError(f"rows of version {row['version']}, this narratrace reads version {ROW_VERSION}")
    if row["kind"] == "rejection":
        return Rejection(row["origin"], row["reason"])
    triples = np.frombuffer(row["sentences"], dtype=np.int32).reshape(-1, 3)
    vectors = {}
    for v in row["vectors"] or []:
        matrix = np.frombuffer(v["matrix"], dtype=np.float16).reshape(-1, v["dim"])
        vectors[v["model"]] = Vectors(v["model"], matrix, np.frombuffer(v["rows"], dtype=np.int32).tolist())
    fingerprint = None
    if row["minhash"] is not None:
        fingerprint = Fingerprint(np.frombuffer(row["minhash"], dtype=np.uint64).copy(), frozenset(row["anchors"]))
    published = None
    if row["published"]:
        published = Published(row["published"], row["published_precision"], row["published_evidence"] or "")
    return Document(
        origin=row["origin"], text=row["text"], title=row["title"], url=row["url"], outlet=row["outlet"],
        published=published, language=row["language"],
        sentences=[Sentence(int(a), int(b), int(p)) for a, b, p in triples],
        vectors=vectors, fingerprint=fingerprint,
        citations=[Citation(**c) for c in json.loads(row["citations"] or "[]")],
        meta=json.loads(row["meta"] or "{}"), id=row["id"],
    )
