"""What every reader shares: the options it is given and what it yields.

A reader never raises on bad input: it yields a `Rejection` naming the file (and
the record inside it) and the reason, then goes on with the next record, so one
broken line of a JSONL export or one truncated WARC record costs only itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from narratrace.model import Document


@dataclass(slots=True)
class Rejection:
    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass(slots=True)
class FieldMapping:
    """Which field of a JSON/CSV record holds what; `None` means: guess from common names."""

    text: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    outlet: str | None = None
    lang: str | None = None
    id: str | None = None


@dataclass(slots=True)
class ReadOptions:
    fields: FieldMapping = field(default_factory=FieldMapping)
    max_bytes: int = 200 * 1024 * 1024
    max_record_chars: int = 2_000_000


ReadResult = Document | Rejection


class Reader(Protocol):
    """One input format. `sniff` looks at the first bytes, so the format comes from content."""

    name: str

    def sniff(self, path: Path, head: bytes) -> bool: ...

    def read(self, path: Path, origin: str, options: ReadOptions) -> Iterator[ReadResult]: ...
