"""WARC crawls, plain or gzipped: every successful HTML response is an article candidate.

Crawls are large and often cut short, so records are streamed, and a truncated
or corrupt record ends the file with a Rejection saying where, while every
record before it has already been yielded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from narratrace.ingest.base import ReadOptions, ReadResult, Rejection
from narratrace.ingest.extract import declared_charset
from narratrace.ingest.html import html_document
from narratrace.ingest.results import reason_of, rejecting
from narratrace.ingest.sniff import looks_like_html, looks_like_warc


class CorruptRecord(ValueError):
    """A record whose bytes stop or go wrong; nothing after it can be trusted."""


class WarcReader:
    name = "warc"

    def sniff(self, path: Path, head: bytes) -> bool:
        return looks_like_warc(head)

    @rejecting
    def read(self, path: Path, origin: str, options: ReadOptions) -> Iterator[ReadResult]:
        with path.open("rb") as stream:
            records = ArchiveIterator(stream)
            position = 0
            while True:
                position += 1
                try:
                    record = next(records)
                    result = self._record(record, origin, options)
                except StopIteration:
                    break
                except Exception as exc:  # warcio raises many kinds on damaged input
                    where = f"record {position} at offset {records.offset}"
                    yield Rejection(origin, f"truncated or corrupt WARC {where}: {reason_of(exc)}")
                    return
                if result is not None:
                    yield result
            if records.offset < path.stat().st_size:
                where = f"after record {position - 1} at offset {records.offset}"
                yield Rejection(origin, f"truncated or corrupt WARC {where}")

    def _record(self, record: ArcWarcRecord, origin: str, options: ReadOptions) -> ReadResult | None:
        """The record's Document or Rejection, None for records that are not HTML pages; raises CorruptRecord."""
        if record.rec_headers.get_header("Content-Length") is None:
            raise CorruptRecord("record without Content-Length")
        if record.rec_type != "response" or record.http_headers is None:
            return None
        if record.http_headers.get_statuscode() != "200":
            return None
        content_type = (record.http_headers.get_header("Content-Type") or "").lower()
        if content_type and "html" not in content_type:
            return None
        body = record.content_stream().read(options.max_bytes + 1)
        uri = record.rec_headers.get_header("WARC-Target-URI") or ""
        record_origin = f"{origin}#{uri}"
        if len(body) > options.max_bytes:
            return Rejection(record_origin, f"response too large (> {options.max_bytes} bytes)")
        if getattr(record.raw_stream, "limit", 0):
            raise CorruptRecord("record ends before its Content-Length")
        if not content_type and not looks_like_html(body[:4096]):
            return None
        try:
            return html_document(
                body,
                record_origin,
                options,
                reader=self.name,
                url=uri or None,
                charset=declared_charset(body, content_type),
                meta={"fetched": record.rec_headers.get_header("WARC-Date")},
            )
        except Exception as exc:  # a bad page costs only itself
            return Rejection(record_origin, reason_of(exc))
