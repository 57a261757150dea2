"""Plain text and Markdown: the fallback for anything that decodes as text.

The file is the article; what a plain file can say about itself (a title line,
a date line, an outlet) is read by `text_metadata`, which owns those rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from narratrace.ingest.base import ReadOptions, ReadResult
from narratrace.ingest.decode import decode_bytes
from narratrace.ingest.results import build_document, reason_of, rejecting
from narratrace.ingest.source import load_bytes
from narratrace.ingest.text_metadata import read_text_metadata


class TextReader:
    name = "text"

    def sniff(self, path: Path, head: bytes) -> bool:
        return True

    @rejecting
    def read(self, path: Path, origin: str, options: ReadOptions) -> Iterator[ReadResult]:
        text = decode_bytes(load_bytes(path, options.max_bytes)).strip()
        fields, meta = _metadata(text)
        yield build_document(origin, text, options, reader=self.name, meta=meta, **fields)


def _metadata(text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Title, outlet and date from the text; a failure there costs the metadata, not the document."""
    try:
        found = read_text_metadata(text)
    except Exception as exc:  # metadata is optional, the text is what matters
        return {}, {"metadata_error": reason_of(exc)}
    return {"title": found.title, "outlet": found.outlet, "published": found.published}, {}
