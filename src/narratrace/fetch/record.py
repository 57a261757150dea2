"""Every HTTP exchange kept as WARC request and response records.

An article is evidence: a page changes or disappears, so what was read has to
stay citable and re-processable exactly as it came off the wire (status, headers,
bytes, the address it came from, when). Records are gzipped one by one and
flushed at once, so a process killed mid-run leaves a file whose every complete
record reads back; the existing WARC reader then turns the pages into Documents.
"""

from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import httpx
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Framing the client already undid: a stored body is the whole, de-chunked payload.
HOP_HEADERS = {"transfer-encoding", "connection", "keep-alive"}


@dataclass(slots=True)
class Exchange:
    """One request and the complete response it got."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    response_headers: list[tuple[str, str]]
    body: bytes
    ip: str | None = None
    http_version: str = "HTTP/1.1"
    fetched_at: float = field(default_factory=time.time)


class WarcRecorder:
    """Appends exchanges to one WARC file, created on the first record.

    Files are named by start time and process id, so concurrent or successive
    runs never write into each other's files.
    """

    def __init__(self, folder: Path, prefix: str) -> None:
        self.folder = folder
        self.prefix = prefix
        self.path: Path | None = None
        self._stream: BinaryIO | None = None
        self._writer: WARCWriter | None = None

    def record(self, exchange: Exchange) -> Path:
        """Write the pair; returns the file it went to."""
        writer = self._open()
        request = writer.create_warc_record(
            exchange.url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"{exchange.method} {_target(exchange.url)} {exchange.http_version}",
                exchange.request_headers,
                is_http_request=True,
            ),
        )
        headers = [(k, v) for k, v in exchange.response_headers if k.lower() not in HOP_HEADERS | {"content-length"}]
        headers.append(("Content-Length", str(len(exchange.body))))
        warc_headers = {"WARC-Date": _warc_date(exchange.fetched_at)}
        if exchange.ip:
            warc_headers["WARC-IP-Address"] = exchange.ip
        response = writer.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.body),
            length=len(exchange.body),
            warc_headers_dict=warc_headers,
            http_headers=StatusAndHeaders(
                f"{exchange.status} {exchange.reason}".strip(), headers, protocol=exchange.http_version
            ),
        )
        request.rec_headers.replace_header("WARC-Date", warc_headers["WARC-Date"])
        writer.write_request_response_pair(request, response)
        assert self._stream is not None and self.path is not None
        self._stream.flush()
        return self.path

    def close(self) -> None:
        if self._stream is not None:
            self._stream.flush()
            os.fsync(self._stream.fileno())
            self._stream.close()
        self._stream = self._writer = None

    def _open(self) -> WARCWriter:
        if self._writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
            self.path = _free_name(self.folder, f"{self.prefix}-{stamp}-{os.getpid()}")
            self._stream = self.path.open("xb")
            self._writer = WARCWriter(self._stream, gzip=True, warc_version="1.1")
        return self._writer


def _free_name(folder: Path, stem: str) -> Path:
    """The first `stem[-n].warc.gz` not taken: a fast loop may start twice in one second."""
    candidate, n = folder / f"{stem}.warc.gz", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem}-{n}.warc.gz"
    return candidate


def _target(url: str) -> str:
    """The request target as sent on the request line: path and query."""
    return httpx.URL(url).raw_path.decode("ascii")


def _warc_date(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + f".{int(epoch % 1 * 1e6):06d}Z"
