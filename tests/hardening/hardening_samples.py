"""What the hardening tests share: hostile strings, small stores built without the heavy stages, readers' results."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

from narratrace.ingest import read_inputs
from narratrace.ingest.base import ReadOptions, ReadResult, Rejection
from narratrace.model import Document
from narratrace.store.sqlite import SQLiteStore

# Each breaks naive SQL quoting, FTS syntax, a shell, a path or a template; all must come back as written.
HOSTILE = [
    "'; DROP TABLE documents; --",
    "Robert'); DELETE FROM origins WHERE ('1'='1",
    '" OR 1=1 --',
    "x' UNION SELECT id, text FROM documents --",
    "NEAR(a b) AND \"c\" OR d* NOT e:f ^g",
    "../../../etc/passwd",
    "%s %d %n {0} {{ 7 * 7 }} ${HOME} `id`",
    "<script>alert(1)</script>",
    "Ω≈ç√∫ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ١٢٣ ‮reversed‬ " + "é" * 2000,
]


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def read(*inputs: Path | str, options: ReadOptions | None = None) -> list[ReadResult]:
    return list(read_inputs([str(i) for i in inputs], options))


def documents(results: list[ReadResult]) -> list[Document]:
    return [r for r in results if isinstance(r, Document)]


def rejections(results: list[ReadResult]) -> list[Rejection]:
    return [r for r in results if isinstance(r, Rejection)]


def store_results(db: Path, results: list[ReadResult]) -> SQLiteStore:
    """Results written the way the pipeline writes them, minus language, sentences and vectors."""
    store = SQLiteStore(db)
    store.add_documents(documents(results))
    store.record_rejections([(r.origin, r.reason) for r in rejections(results)])
    return store


def gzip_bomb(inflated: int, member: int = 1 << 20) -> bytes:
    """A small gzip inflating to `inflated` zero bytes: one compressed member repeated, cheap to build."""
    one = gzip.compress(b"\0" * member, compresslevel=9)
    return one * (inflated // member)


def deflated_zeros(size: int, prefix: bytes = b"", suffix: bytes = b"") -> bytes:
    """One gzip member of `prefix`, `size` zeros and `suffix`, compressed a chunk at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunks = [packer.compress(prefix)]
    chunks += [packer.compress(b"\0" * (1 << 20)) for _ in range(size >> 20)]
    return b"".join(chunks) + packer.compress(suffix) + packer.flush()
