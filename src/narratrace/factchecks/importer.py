"""Import a fact-check file: recognise its format, read its records, encode the new ones, store them.

Vectors are computed here, once, because e5 reads ~20 texts/s on two cores: a
10k fact-check database costs minutes to encode and must never be encoded again at
search time. Batches are stored one transaction each, so an interrupted import
resumes where it stopped, and ids already stored are skipped before encoding, so
re-importing a file is a no-op.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from narratrace.enrich.embeddings import Encoder
from narratrace.enrich.language import detect_language, normalise_language_tag
from narratrace.factchecks.claimreview import read_claimreview
from narratrace.factchecks.gfc import is_gfc, read_gfc
from narratrace.factchecks.records import FactCheck, FieldMap
from narratrace.factchecks.tabular import read_tabular
from narratrace.ingest.base import ReadOptions, Rejection
from narratrace.ingest.decode import decode_bytes
from narratrace.ingest.sniff import header_delimiter
from narratrace.ingest.source import load_bytes
from narratrace.ingest.tabular import load_json
from narratrace.store.base import Store

FORMATS = ("claimreview", "gfc", "csv", "tsv")
BATCH = 128
# Below this detector confidence a record's declared language is believed instead.
MIN_CONFIDENCE = 0.5

Read = FactCheck | Rejection


@dataclass(slots=True)
class ImportSummary:
    read: int = 0
    new: int = 0
    known: int = 0
    rejected: list[Rejection] = field(default_factory=list)


def read_factchecks(path: Path, mapping: FieldMap, fmt: str | None = None) -> Iterator[Read]:
    """The fact-checks of one file, in the given format or the one its content shows."""
    origin = str(path)
    try:
        text = decode_bytes(load_bytes(path, ReadOptions().max_bytes))
    except (OSError, ValueError) as exc:
        yield Rejection(origin, f"cannot read: {exc}")
        return
    fmt = fmt or sniff_format(text)
    if fmt is None:
        yield Rejection(origin, "neither ClaimReview (JSON-LD or HTML), a claims:search response, CSV nor TSV")
    elif fmt == "claimreview":
        yield from read_claimreview(text, origin, mapping)
    elif fmt == "gfc":
        try:
            data = load_json(text)
        except json.JSONDecodeError as exc:
            yield Rejection(origin, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
            return
        yield from read_gfc(data, origin, mapping)
    else:
        yield from read_tabular(text, origin, "\t" if fmt == "tsv" else ",", mapping)


def sniff_format(text: str) -> str | None:
    """JSON or HTML is ClaimReview unless it is a claims:search response; else the header's delimiter decides."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        return "claimreview"
    if head.startswith(("{", "[")):
        try:
            return "gfc" if is_gfc(load_json(text)) else "claimreview"
        except json.JSONDecodeError:
            return "claimreview"
    delimiter = header_delimiter(head.split("\n", 1)[0])
    if delimiter == "\t":
        return "tsv"
    return "csv" if delimiter else None


class FactCheckImporter:
    """Stores what `read_factchecks` yields, with its language and one vector per text and encoder."""

    def __init__(self, store: Store, encoders: Sequence[Encoder], batch: int = BATCH) -> None:
        self.store = store
        self.encoders = list(encoders)
        self.batch = batch

    def run(
        self, items: Iterator[Read], progress: Callable[[ImportSummary, Read], None] | None = None
    ) -> ImportSummary:
        summary = ImportSummary()
        first_seen: dict[str, str] = {}
        pending: list[FactCheck] = []
        for item in items:
            if isinstance(item, FactCheck) and item.id in first_seen:
                item = Rejection(item.origin, f"id {item.id!r} repeats the record {first_seen[item.id]}")
            if isinstance(item, Rejection):
                summary.rejected.append(item)
            else:
                summary.read += 1
                first_seen[item.id] = item.origin
                pending.append(item)
                if len(pending) >= self.batch:
                    self._store(pending, summary)
                    pending = []
            if progress:
                progress(summary, item)
        self._store(pending, summary)
        return summary

    def _store(self, batch: list[FactCheck], summary: ImportSummary) -> None:
        known = self.store.known_factchecks(fc.id for fc in batch)
        new = [fc for fc in batch if fc.id not in known]
        summary.known += len(batch) - len(new)
        if not new:
            return
        for fc in new:
            fc.language = language_of(fc)
        for encoder in self.encoders:
            _encode(encoder, new)
        summary.new += self.store.add_factchecks(new)


def language_of(fc: FactCheck) -> str | None:
    """The detector decides, as for documents; a record's declared language where it is unsure.

    Declared languages are often the outlet's, not the claim's: EUvsDisinfo cases
    from Russian outlets carry English summaries.
    """
    declared = normalise_language_tag(fc.declared_language)
    detected, confidence = detect_language(" ".join(fc.texts()), hint=declared)
    if declared and (detected is None or confidence < MIN_CONFIDENCE):
        return declared
    return detected


def _encode(encoder: Encoder, batch: list[FactCheck]) -> None:
    texts = [text for fc in batch for text in fc.texts()]
    matrix = encoder.passages(texts).astype(np.float16)
    at = 0
    for fc in batch:
        n = len(fc.texts())
        fc.vectors[encoder.name] = matrix[at : at + n]
        at += n
