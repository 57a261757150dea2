"""Readers: files, folders and globs in, Documents (or Rejections saying why not) out.

The format is sniffed from the content, structured formats first and plain text
last, so a misnamed file is still read the right way.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from narratrace.ingest.base import Reader, ReadOptions, ReadResult, Rejection
from narratrace.ingest.feed import FeedReader
from narratrace.ingest.html import HtmlReader
from narratrace.ingest.inputs import expand_inputs
from narratrace.ingest.results import reason_of
from narratrace.ingest.source import read_head
from narratrace.ingest.tabular import CsvReader, JsonReader
from narratrace.ingest.text import TextReader
from narratrace.ingest.warc import WarcReader

READERS: list[Reader] = [WarcReader(), FeedReader(), HtmlReader(), JsonReader(), CsvReader(), TextReader()]


def read_inputs(inputs: Iterable[str], options: ReadOptions | None = None) -> Iterator[ReadResult]:
    """Documents from every file the inputs name; a bad input becomes a Rejection, never an exception."""
    options = options or ReadOptions()
    for found in expand_inputs(inputs):
        if isinstance(found, Rejection):
            yield found
        else:
            yield from read_file(*found, options)


def read_file(path: Path, origin: str, options: ReadOptions) -> Iterator[ReadResult]:
    """One file through the first reader whose sniff accepts it."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            yield Rejection(origin, "is a directory")
            return
        if not stat.S_ISREG(info.st_mode):
            yield Rejection(origin, "not a regular file")
            return
        if info.st_size > options.max_bytes:
            yield Rejection(origin, f"file too large ({info.st_size} bytes > limit of {options.max_bytes})")
            return
        head = read_head(path)
        reader = next(reader for reader in READERS if reader.sniff(path, head))
        yield from reader.read(path, origin, options)
    except Exception as exc:  # the last guard: one bad file must not stop the others
        yield Rejection(origin, reason_of(exc))


__all__ = ["READERS", "Reader", "ReadOptions", "ReadResult", "Rejection", "read_file", "read_inputs"]
