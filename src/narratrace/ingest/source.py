"""Raw bytes of an input file, gunzipped when it is gzip, never more than the limit.

Readers take a path, not bytes, so that WARC files can be streamed; the other
formats load the whole (decompressed) file through here. Decompression is
streamed with a cap so a small gzip bomb cannot exhaust memory.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 20


class InputError(ValueError):
    """The file cannot be read as a whole; the message is the rejection reason."""


def is_gzip(head: bytes) -> bool:
    return head.startswith(GZIP_MAGIC)


def read_head(path: Path, size: int = 4096) -> bytes:
    """The first bytes of the content, decompressed if gzip, for sniffing; corrupt gzip gives what it can."""
    with path.open("rb") as stream:
        raw = stream.read(max(size, 65536))
    if not is_gzip(raw):
        return raw[:size]
    try:
        return zlib.decompressobj(wbits=31).decompress(raw, size)
    except zlib.error:
        return b""


def load_bytes(path: Path, limit: int) -> bytes:
    """The whole content; gzip is decompressed (all members) up to `limit` bytes."""
    with path.open("rb") as stream:
        magic = stream.read(2)
    if not is_gzip(magic):
        return path.read_bytes()
    return _gunzip(path, limit)


def _gunzip(path: Path, limit: int) -> bytes:
    """zlib by hand rather than `gzip.open`, so each step inflates at most CHUNK bytes into one
    growing buffer: the peak stays near `limit` whatever the Python version buffers."""
    out = bytearray()
    inflate = zlib.decompressobj(wbits=31)
    with path.open("rb") as stream:
        try:
            pending = stream.read(CHUNK)
            while pending:
                out += inflate.decompress(pending, CHUNK)
                if len(out) > limit:
                    raise InputError(f"decompressed size exceeds limit ({limit} bytes)")
                if inflate.eof:
                    pending = inflate.unused_data or stream.read(CHUNK)
                    inflate = zlib.decompressobj(wbits=31) if pending.strip(b"\0") else inflate
                    pending = pending if pending.strip(b"\0") else b""
                else:
                    pending = inflate.unconsumed_tail or stream.read(CHUNK)
        except zlib.error as exc:
            raise InputError(f"corrupt gzip stream ({exc})") from None
    if not inflate.eof:
        raise InputError("truncated gzip stream")
    return bytes(out)


def stream_lines(path: Path, limit: int) -> Iterator[bytes]:
    """The content line by line, gunzipped when gzip, never holding more than one line nor reading past `limit`.

    Each read asks for at most the bytes left under the limit, so a bomb that
    inflates to one endless line stops at the limit like any other."""
    with path.open("rb") as raw:
        gzipped = is_gzip(raw.read(2))
        raw.seek(0)
        stream = gzip.GzipFile(fileobj=raw) if gzipped else raw
        total = 0
        try:
            while line := stream.readline(limit - total + 1):
                total += len(line)
                if total > limit:
                    raise InputError(f"{'decompressed ' if gzipped else ''}size exceeds limit ({limit} bytes)")
                yield line
        except EOFError:
            raise InputError("truncated gzip stream") from None
        except (gzip.BadGzipFile, zlib.error) as exc:
            raise InputError(f"corrupt gzip stream ({exc})") from None
