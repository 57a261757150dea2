"""How every reader turns what it found into a `Document` or a short `Rejection`.

The limits and the shape of `meta` live here once, so a record from a CSV and a
page from a WARC are judged the same way, and a rejection reads as one line.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from narratrace.ingest.base import ReadOptions, ReadResult, Rejection
from narratrace.ingest.decode import clean_text
from narratrace.model import Document, Published

MAX_REASON = 200
R = TypeVar("R")
ReadMethod = Callable[[R, Path, str, ReadOptions], Iterator[ReadResult]]


def build_document(
    origin: str,
    text: str,
    options: ReadOptions,
    *,
    reader: str,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: Published | None = None,
    meta: dict[str, Any] | None = None,
) -> ReadResult:
    """A Document, or a Rejection when the text is empty or longer than the options allow."""
    text = clean_text(text).strip()
    if not text:
        return Rejection(origin, "no text")
    if len(text) > options.max_record_chars:
        return Rejection(origin, f"text too long ({len(text)} chars > limit of {options.max_record_chars})")
    extra = {key: value for key, value in (meta or {}).items() if value not in (None, "")}
    return Document(
        origin=origin,
        text=text,
        title=title or None,
        url=url or None,
        outlet=outlet or None,
        published=published,
        meta={"format": reader, **extra},
    )


def reason_of(exc: BaseException) -> str:
    """One short line for a rejection: the OS message for file errors, else the exception in brief."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    message = str(exc).strip().split("\n", 1)[0]
    if isinstance(exc, ValueError) and type(exc).__module__.startswith("narratrace"):
        return message[:MAX_REASON]
    return f"{type(exc).__name__}: {message}"[:MAX_REASON] if message else type(exc).__name__


def rejecting(read: ReadMethod[R]) -> ReadMethod[R]:
    """Wrap a reader's `read` so a failure ends that file with a Rejection instead of an exception."""

    @functools.wraps(read)
    def guarded(self: R, path: Path, origin: str, options: ReadOptions) -> Iterator[ReadResult]:
        try:
            yield from read(self, path, origin, options)
        except Exception as exc:  # the contract: readers yield rejections, they never raise
            yield Rejection(origin, reason_of(exc))

    return guarded
