"""What the user named on the command line, as the files to read.

An origin is the path as the user wrote it, or, for files found inside a folder
or by a pattern, that folder or pattern's path joined with what was found, so
`narratrace similarity A B` can name a document the way it was ingested.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from narratrace.ingest.base import Rejection

GLOB_CHARS = re.compile(r"[*?[]")
Found = tuple[Path, str]


def expand_inputs(inputs: Iterable[str]) -> Iterator[Found | Rejection]:
    """Each input as (path, origin) pairs; a name that matches nothing becomes a Rejection."""
    for found in _expand(inputs):
        if isinstance(found, Rejection):
            yield Rejection(printable(found.origin), found.reason)
        else:
            yield found[0], printable(found[1])


def printable(name: str) -> str:
    """A file name as text the store can keep: Python decodes a name that is not UTF-8 (a Latin-1
    "caf\xe9.txt" from an old archive) to lone surrogates, which no UTF-8 database accepts, so
    those bytes are written as escapes ("caf\\xe9.txt"); the path itself is still read as it is."""
    try:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that no file system decoding made
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


def _expand(inputs: Iterable[str]) -> Iterator[Found | Rejection]:
    for given in inputs:
        if os.path.isdir(given):
            yield from walk_folder(given)
        elif os.path.lexists(given):
            yield Path(given), given
        elif GLOB_CHARS.search(given):
            yield from _expand_glob(given)
        else:
            yield Rejection(given, "no such file or directory")


def walk_folder(folder: str) -> Iterator[Found | Rejection]:
    """Every file below `folder`, sorted, without hidden files and without descending into hidden folders."""
    errors: list[OSError] = []
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=errors.append):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        found.extend(os.path.join(dirpath, name) for name in filenames if not name.startswith("."))
    for error in errors:
        yield Rejection(str(error.filename or folder), (error.strerror or "unreadable folder").lower())
    for origin in sorted(found, key=lambda name: Path(name).parts):
        yield Path(origin), origin


def _expand_glob(pattern: str) -> Iterator[Found | Rejection]:
    """The files a pattern matches, folders among them walked, each file once ("data/**" matches both)."""
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield Rejection(pattern, "no files match the pattern")
    seen: set[str] = set()
    for match in matches:
        for found in walk_folder(match) if os.path.isdir(match) else [(Path(match), match)]:
            key = found.origin if isinstance(found, Rejection) else found[1]
            if key not in seen:
                seen.add(key)
                yield found
